/* A table too wide for the screen scrolls inside its box (.table-responsive). So that it can be
   reached and scrolled from the keyboard (WCAG 2.1.1), while it overflows it takes focus and is
   a region named after its table's caption or the heading before it. A box whose markup already
   says so (tabindex, role and a name in the template, as on the access log) is left alone. */
(function () {
  "use strict";
  var MARK = "data-scroll-region";

  function nameFor(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = box.closest("section, main");
    var headings = section ? section.querySelectorAll("h1, h2, h3, h4") : [];
    for (var i = headings.length - 1; i >= 0; i--) {
      if (headings[i].compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return "Table: " + headings[i].textContent.trim();
      }
    }
    return "Table";
  }

  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var managed = box.getAttribute(MARK) === "auto";
      if (!managed && box.hasAttribute("tabindex")) {
        return;
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!managed) {
          box.setAttribute(MARK, "auto");
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", nameFor(box));
        }
      } else if (managed) {
        ["tabindex", "role", "aria-label", MARK].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  update();
  window.addEventListener("resize", update);
  document.addEventListener("htmx:afterSettle", update);
})();
