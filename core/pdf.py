"""PDFs from Django templates, drawn by WeasyPrint without leaving the app.

Reports carry children's data, so the renderer must never fetch anything from the network or
the disk at large: the only resources it may load are the app's own static files (the print
stylesheet, the school crest). Charts are inline SVG in the HTML. Every other URL a template
might contain (an image a user typed into a free-text field, say, though text is escaped) is
refused, and the refusal is logged without the URL, which could carry personal data.
"""

import logging
import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A host that cannot exist (RFC 2606), so a relative URL resolves to something we recognise.
PDF_BASE_URL = "https://pdf.invalid/"


class StaticFilesOnly(URLFetcher):
    """Serves the app's static files to WeasyPrint and refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",))
        self.refused = 0

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        prefix = PDF_BASE_URL + settings.STATIC_URL.lstrip("/")
        relative = url.split("?")[0].split("#")[0].removeprefix(prefix)
        found = finders.find(relative) if url.startswith(prefix) and ".." not in relative else None
        if not found:
            self.refused += 1
            logger.warning("PDF renderer refused a resource outside the app's static files")
            raise ValueError("Only the app's own static files may be loaded into a PDF.")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template (normally extending ``pdf/base.html``) to PDF bytes.

    Autoescaping applies as on every page: text people typed reaches the PDF as text.
    """
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
