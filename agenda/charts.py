"""Small server-side SVG charts. Pure functions: numbers and labels in, SVG markup out.

Every text and attribute value is escaped; callers pass labels already translated, and values are
written in the active locale's number format (coordinates never are). The markup is a
standalone, well-formed SVG element (it carries its own ``xmlns``), so it can be inlined in a page or
parsed as XML.
"""

from collections.abc import Iterable

from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

SVG_NS = "http://www.w3.org/2000/svg"
EMPTY_FILL = "#eef0f4"
EMPTY_STROKE = "#d9dde5"


def _num(value: float) -> str:
    """A coordinate without locale formatting or needless decimals (12.50 -> 12.5, 3.00 -> 3)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _svg(width, height, *, css_class, label, body) -> SafeString:
    opening = format_html(
        '<svg xmlns="{}" class="{}" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">',
        SVG_NS,
        css_class,
        _num(width),
        _num(height),
        _num(width),
        _num(height),
        label,
    )
    title = format_html("<title>{}</title>", label) if label else ""
    return mark_safe(opening + title + "".join(body) + "</svg>")  # every part was escaped


def stacked_bar(
    segments: Iterable[tuple[str, int, str]], *, width: int = 240, height: int = 14, label: str = ""
) -> SafeString:
    """One horizontal bar split into segments proportional to their values.

    ``segments`` are ``(tooltip, value, fill colour)``; segments with a zero value are left out.
    Positions come from cumulative sums, so the segments always fill exactly ``width`` without gaps.
    A bar whose values add up to zero is drawn as an empty outline.
    """
    segments = [(text, value, fill) for text, value, fill in segments if value > 0]
    total = sum(value for _, value, _ in segments)
    body = [
        format_html(
            '<rect x="0" y="0" width="{}" height="{}" fill="{}" stroke="{}"/>',
            _num(width),
            _num(height),
            EMPTY_FILL,
            EMPTY_STROKE,
        )
    ]
    done = 0
    for text, value, fill in segments:
        start = round(width * done / total, 2)
        done += value
        end = round(width * done / total, 2)
        # each text escaped as format_html would, at a fraction of its cost
        # (the dashboard draws a few hundred segments)
        body.append(
            f'<rect x="{_num(start)}" y="0" width="{_num(end - start)}" height="{_num(height)}" '
            f'fill="{conditional_escape(fill)}"><title>{conditional_escape(text)}</title></rect>'
        )
    return _svg(width, height, css_class="chart stacked-bar", label=label, body=body)


def bar_chart(
    bars: Iterable[tuple[str, int, str]],
    *,
    width: int = 480,
    label_width: int = 170,
    bar_height: int = 18,
    gap: int = 6,
    label: str = "",
) -> SafeString:
    """Horizontal bars, one per ``(label, value, fill colour)``, scaled to the largest value.

    Each bar has its label on the left and its value on the right; value 0 draws no bar.
    """
    bars = list(bars)
    value_width = 44
    plot = max(width - label_width - value_width, 1)
    largest = max((value for _, value, _ in bars), default=0)
    body = []
    for index, (text, value, fill) in enumerate(bars):
        y = index * (bar_height + gap)
        length = round(plot * value / largest, 2) if largest else 0
        middle = y + bar_height / 2
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
                _num(label_width - 6),
                _num(middle),
                text,
            )
        )
        if length:
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                    _num(label_width),
                    _num(y),
                    _num(length),
                    _num(bar_height),
                    fill,
                    gettext("%(label)s: %(value)s") % {"label": text, "value": number_format(value)},
                )
            )
        body.append(
            format_html(
                '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
                _num(label_width + length + 4),
                _num(middle),
                number_format(value),
            )
        )
    height = max(len(bars) * (bar_height + gap) - gap, 1)
    return _svg(width, height, css_class="chart bar-chart", label=label, body=body)
