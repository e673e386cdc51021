"""Bar charts as inline SVG, drawn in Python: no browser, no JavaScript, nothing fetched.

The SVG goes into the report's HTML (and so into WeasyPrint's PDF) as markup, so every piece
of text in it is escaped here: a class or site name typed by a school cannot become markup.
Each bar also carries its value as text, so the chart reads in black and white and to a
screen reader (the SVG has a title and a description).
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0")
ROW_HEIGHT = 14
BAR_GAP = 3
LABEL_WIDTH = 150
VALUE_WIDTH = 150
CHART_WIDTH = 640


@dataclass(frozen=True, slots=True)
class Bar:
    series: str
    value: float | None  # None: nothing drawn (not applicable, or not shown)
    text: str  # what the reader sees beside the bar


def bar_chart(
    groups: list[tuple[str, list[Bar]]],
    *,
    title: str,
    maximum: float = 100,
    description: str = "",
) -> SafeString:
    """Horizontal bars, one group per label, one bar per series in each group."""
    series = list(dict.fromkeys(bar.series for _, bars in groups for bar in bars))
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(series)}
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts: list[str] = []
    y = 4
    legend_height = 18 if len(series) > 1 else 0
    if legend_height:
        x = LABEL_WIDTH
        for name in series:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="9">{}</text>',
                    x,
                    y,
                    colour[name],
                    x + 14,
                    y + 9,
                    name,
                )
            )
            x += 14 + 7 * len(name) + 16
        y += legend_height
    for label, bars in groups:
        group_top = y
        for bar in bars:
            if bar.value is not None and maximum > 0:
                width = max(0.0, min(1.0, bar.value / maximum)) * plot
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                        LABEL_WIDTH,
                        y,
                        f"{width:.1f}",
                        ROW_HEIGHT - BAR_GAP,
                        colour[bar.series],
                    )
                )
                text_x = LABEL_WIDTH + width + 4
            else:
                text_x = LABEL_WIDTH + 4
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="8">{}</text>', f"{text_x:.1f}", y + 9, bar.text
                )
            )
            y += ROW_HEIGHT
        middle = group_top + (y - group_top) / 2 + 3
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="9" text-anchor="end">{}</text>',
                LABEL_WIDTH - 6,
                f"{middle:.1f}",
                _shorten(label),
            )
        )
        y += 6
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#666" stroke-width="0.5"/>',
        LABEL_WIDTH,
        legend_height + 2,
        LABEL_WIDTH,
        y,
    )
    height = y + 4
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img"><title>{}</title><desc>{}</desc>{}{}</svg>',
        CHART_WIDTH,
        height,
        CHART_WIDTH,
        height,
        title,
        description or title,
        axis,
        body,
    )


def _shorten(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
