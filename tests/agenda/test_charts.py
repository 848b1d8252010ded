"""The SVG helpers: well-formed markup, escaped text, sizes proportional to the numbers."""

import xml.etree.ElementTree as ET

from django.utils.safestring import SafeString

from agenda.charts import bar_chart, stacked_bar

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(markup):
    return ET.fromstring(str(markup))


def rects(root):
    return root.findall("svg:rect", NS)


def test_stacked_bar_is_safe_well_formed_svg():
    markup = stacked_bar([("Completed: 2", 2, "#2e7d32")], width=100, height=10, label="Energy")

    root = parse(markup)

    assert isinstance(markup, SafeString)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("100", "10", "0 0 100 10")
    assert root.get("aria-label") == "Energy"


def test_stacked_bar_segment_widths_are_proportional_and_fill_the_bar():
    root = parse(stacked_bar([("a", 2, "#111"), ("b", 1, "#222")], width=300))

    background, first, second = rects(root)

    assert background.get("width") == "300"
    assert (first.get("x"), first.get("width"), first.get("fill")) == ("0", "200", "#111")
    assert (second.get("x"), second.get("width"), second.get("fill")) == ("200", "100", "#222")


def test_stacked_bar_thirds_leave_no_gap():
    root = parse(stacked_bar([("a", 1, "#111"), ("b", 1, "#222"), ("c", 1, "#333")], width=100))

    segments = rects(root)[1:]

    assert [s.get("x") for s in segments] == ["0", "33.33", "66.67"]
    assert float(segments[-1].get("x")) + float(segments[-1].get("width")) == 100


def test_stacked_bar_skips_zero_segments():
    root = parse(stacked_bar([("a", 0, "#111"), ("b", 4, "#222")], width=80))

    segments = rects(root)[1:]

    assert len(segments) == 1
    assert (segments[0].get("x"), segments[0].get("width")) == ("0", "80")


def test_stacked_bar_with_nothing_to_count_is_an_empty_outline():
    root = parse(stacked_bar([("a", 0, "#111")], width=80))

    assert len(rects(root)) == 1


def test_stacked_bar_escapes_text_and_attributes():
    markup = stacked_bar([('<b>"R&D"</b>', 1, '"><script>')], label="<script>alert(1)</script>")

    root = parse(markup)

    assert "<script>" not in markup and "<b>" not in markup
    assert root.get("aria-label") == "<script>alert(1)</script>"
    assert rects(root)[1].find("svg:title", NS).text == '<b>"R&D"</b>'
    assert rects(root)[1].get("fill") == '"><script>'


def test_bar_chart_lengths_are_proportional_to_the_largest_value():
    root = parse(bar_chart([("a", 10, "#111"), ("b", 5, "#222")], width=300, label_width=100))

    first, second = rects(root)
    plot = 300 - 100 - 44  # label column and value column excluded

    assert float(first.get("width")) == plot
    assert float(second.get("width")) == plot / 2
    assert first.get("x") == second.get("x") == "100"


def test_bar_chart_draws_no_bar_for_zero_but_shows_the_value():
    root = parse(bar_chart([("a", 0, "#111"), ("b", 3, "#222")]))

    texts = [t.text for t in root.findall("svg:text", NS)]

    assert len(rects(root)) == 1
    assert texts == ["a", "0", "b", "3"]


def test_bar_chart_height_grows_with_bars():
    root = parse(bar_chart([("a", 1, "#111"), ("b", 2, "#222"), ("c", 3, "#333")], bar_height=10, gap=5))

    assert root.get("height") == "40"


def test_bar_chart_escapes_labels():
    markup = bar_chart([("Q&A <i>", 1, "#111")], label='"quoted"')

    root = parse(markup)

    assert "<i>" not in markup
    assert root.find("svg:text", NS).text == "Q&A <i>"
    assert root.get("aria-label") == '"quoted"'


def test_bar_chart_with_no_bars_is_still_valid():
    root = parse(bar_chart([]))

    assert rects(root) == []
