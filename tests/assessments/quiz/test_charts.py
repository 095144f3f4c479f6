"""The server-rendered bar chart: escaped, accessible, bounded, and free of inline styles."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from assessments.quiz import charts
from assessments.quiz.charts import ELLIPSIS, bar_chart_svg, truncate

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, to check it is well-formed


def rects(svg: str) -> list[ET.Element]:
    return parse(svg).findall(f".//{SVG}rect")


def test_it_is_a_safe_string_and_well_formed_accessible_svg():
    svg = bar_chart_svg([("frog", 3), ("toad", 1)], title="What is a frog?")
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "What is a frog?"
    assert root[0].tag == f"{SVG}title" and root[0].text == "What is a frog?"
    assert root.find(f"{SVG}desc").text == "frog: 3; toad: 1"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"frog", "toad", "3", "1"} <= set(texts)  # each bar shows its count


def test_labels_and_title_are_escaped():
    svg = bar_chart_svg([(EVIL, 2), ('say "hi"', 1)], title=EVIL)
    assert "<script" not in svg
    assert "<img" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not [name for name in attributes if name.lower().startswith("on")]
    assert root.get("aria-label") == EVIL  # escaped in the markup, the same text once parsed
    assert root.find(f"{SVG}desc").text.startswith(EVIL)


def test_no_inline_styles_and_no_scripts():
    svg = bar_chart_svg([("a", 1)] * 40, title="t", highlight={0}, muted={39})
    svg += bar_chart_svg([], title="t")
    assert "style" not in svg.lower()
    assert "<script" not in svg.lower()
    assert "javascript:" not in svg.lower()


def test_empty_data_says_so():
    with translation.override("en"):
        svg = bar_chart_svg([], title="Slot 1")
        zeros = bar_chart_svg([("a", 0), ("b", 0)], title="Slot 1")
    for chart in (svg, zeros):
        root = parse(chart)
        assert root.get("role") == "img"
        assert "No answers yet" in root.get("aria-label")
        assert rects(chart) == []
    custom = bar_chart_svg([], title="Slot 1", empty_text="<nobody yet>")
    assert "&lt;nobody yet&gt;" in custom


def test_long_labels_are_truncated_with_an_ellipsis():
    label = "An extremely long answer typed by a pupil who kept on writing and writing"
    svg = bar_chart_svg([(label, 1)], title="t", max_label_chars=20)
    root = parse(svg)
    shown = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.startswith("An")]
    assert shown == [truncate(label, 20)]
    assert len(shown[0]) <= 20 and shown[0].endswith(ELLIPSIS)
    # The whole text stays for the tooltip and for screen readers.
    assert root.find(f".//{SVG}g/{SVG}title").text == f"{label}: 1"
    assert label in root.find(f"{SVG}desc").text
    assert truncate("short", 20) == "short"


def test_right_answers_are_green_with_a_check_mark():
    svg = bar_chart_svg([("a", 3), ("b", 2), ("No answer", 1)], title="t", highlight={1}, muted={2})
    fills = [rect.get("fill") for rect in rects(svg)]
    assert fills == [charts.BAR, charts.RIGHT, charts.OTHER]
    assert f"2 {charts.CHECK}" in svg
    with translation.override("en"):
        desc = parse(bar_chart_svg([("b", 2)], title="t", highlight={0})).find(f"{SVG}desc")
    assert desc.text == "b: 2 (right answer)"


def test_bars_are_proportional():
    svg = bar_chart_svg([("a", 4), ("b", 2), ("c", 0)], title="t")
    widths = [float(rect.get("width")) for rect in rects(svg)]
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    assert widths[2] == 0


def test_at_most_thirty_bars_the_rest_summed():
    bars = [(f"answer {i}", 100 - i) for i in range(40)]
    with translation.override("en"):
        svg = bar_chart_svg(bars, title="t", highlight={35})
    found = rects(svg)
    assert len(found) == charts.MAX_BARS
    assert found[-1].get("fill") == charts.OTHER
    root = parse(svg)
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "answer 35" in labels  # a right answer is never folded away
    assert "answer 27" in labels and "answer 28" not in labels  # 28 others + 1 right + "others"
    folded = [100 - i for i in range(40) if i >= 28 and i != 35]
    assert f"Others ({len(folded)})" in labels
    assert str(sum(folded)) in labels
    # The caller can ask for fewer, never for more.
    assert len(rects(bar_chart_svg(bars, title="t", max_bars=5))) == 5
    assert len(rects(bar_chart_svg(bars, title="t", max_bars=500))) == charts.MAX_BARS


def test_size_is_bounded():
    small = parse(bar_chart_svg([("a", 1)], title="t"))
    big = parse(bar_chart_svg([("a", 1)] * 100, title="t"))
    assert int(big.get("height")) <= 30 * (22 + 8) + 50
    assert int(big.get("width")) == int(small.get("width")) == 640


def test_control_characters_are_dropped_so_the_svg_stays_well_formed():
    svg = bar_chart_svg([("tab\there\x00\x1b[31m\nnext", 1)], title="t\x07")
    root = parse(svg)
    assert "tab here[31m next" in [t.text for t in root.iter(f"{SVG}text")]


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        bar_chart_svg([("a", -1)], title="t")
