"""core.pdf: PDFs load only the app's static files and carry the confidential
marking and page numbers on every page."""

import pytest
from django.template import engines

from core import pdf
from core.pdf import StaticFilesOnly, render_pdf
from tests.pdf import pdf_pages, pdf_text


def _template(monkeypatch, body: str) -> None:
    source = "{% extends 'pdf/base.html' %}{% block content %}" + body + "{% endblock %}"
    template = engines["django"].from_string(source)
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))


def test_every_page_is_marked_confidential_and_numbered(monkeypatch):
    _template(monkeypatch, "{% for n in rows %}<p>Line {{ n }}</p>{% endfor %}")
    pages = pdf_pages(render_pdf("unused", {"title": "Test report", "rows": range(200)}))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert "CONFIDENTIAL" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "Test report" in text


def test_text_is_escaped_not_interpreted(monkeypatch):
    _template(monkeypatch, "<p>{{ note }}</p>")
    note = "<b>bold</b> <script>alert(1)</script> & <img src=x>"
    text = pdf_text(render_pdf("unused", {"title": "T", "note": note}))
    assert "<b>bold</b>" in text
    assert "<script>alert(1)</script>" in text


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "http://127.0.0.1:8000/pupils/",
        "file:///etc/passwd",
        "https://pdf.invalid/static/../../settings.py",
        "https://pdf.invalid/pupils/1/",
    ],
)
def test_nothing_outside_static_files_is_fetched(url):
    fetcher = StaticFilesOnly()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == 1


def test_static_files_are_served_to_the_renderer():
    response = StaticFilesOnly().fetch("https://pdf.invalid/static/pdf/print.css")
    assert b"CONFIDENTIAL" in response.read()
    assert response.content_type == "text/css"


def test_an_image_typed_into_a_template_is_refused_not_fetched(monkeypatch):
    fetched: list[str] = []
    original = StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFilesOnly, "fetch", spy)
    _template(monkeypatch, '<img src="https://example.com/x.png"><p>After</p>')
    text = pdf_text(render_pdf("unused", {"title": "T"}))
    assert "After" in text
    assert "https://example.com/x.png" in fetched  # asked for, and refused
