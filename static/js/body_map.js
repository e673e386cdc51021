/* The body map: a click on the outline fills in the form's view, point and region, and shows
   where the mark will go. The form works on its own without this, for keyboard and screen-reader
   users; the server works out the region again from the point and refuses one off the body. */
(function () {
  "use strict";
  var form = document.getElementById("body-mark-form");
  if (!form) {
    return;
  }
  var status = document.getElementById("body-map-status");
  var SVG = "http://www.w3.org/2000/svg";

  function field(name) {
    return form.querySelector('[name="mark-' + name + '"]');
  }

  function clearPending() {
    document.querySelectorAll(".body-map-pending").forEach(function (marker) {
      marker.remove();
    });
  }

  function clearPoint() {
    field("x").value = "";
    field("y").value = "";
    clearPending();
  }

  function place(svg, event) {
    var region = event.target.closest(".body-map-region");
    if (!region) {
      status.textContent = "That point is off the body: click on the outline.";
      return;
    }
    var matrix = svg.getScreenCTM();
    if (!matrix) {
      return;
    }
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var at = point.matrixTransform(matrix.inverse());
    var view = svg.getAttribute("data-view");
    form.querySelector('[name="mark-view"][value="' + view + '"]').checked = true;
    field("x").value = at.x.toFixed(1);
    field("y").value = at.y.toFixed(1);
    field("region").value = region.getAttribute("data-region");
    clearPending();
    var marker = document.createElementNS(SVG, "circle");
    marker.setAttribute("cx", at.x.toFixed(1));
    marker.setAttribute("cy", at.y.toFixed(1));
    marker.setAttribute("r", "2");
    marker.setAttribute("class", "body-map-pending");
    svg.appendChild(marker);
    status.textContent =
      "Placed on the " + region.getAttribute("data-name") + " (" + view + "). Now describe the mark.";
    field("kind").focus();
  }

  document.querySelectorAll("svg.body-map-outline").forEach(function (svg) {
    svg.addEventListener("click", function (event) {
      place(svg, event);
    });
  });
  // Choosing from the list instead places the mark at the middle of that region.
  field("region").addEventListener("change", clearPoint);
  form.querySelectorAll('[name="mark-view"]').forEach(function (radio) {
    radio.addEventListener("change", clearPoint);
  });
})();
