"""The group's progress picture (courses.progress_chart): well-formed accessible SVG, escaped,
bounded, without inline styles or scripts, whose figures match the grid; the grid's totals, its
pupils with nothing done and its surname order; and the group page that shows them all."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from courses import progress_chart, progress_grid
from courses.models import LessonProgress
from courses.progress_chart import ELLIPSIS, ChartRow, Stage, share_chart_svg, truncate
from courses.templatetags.progress_tags import short_title
from lms import names, roles
from lms.models import Membership, User
from tests import builders

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
STAGES = [Stage("done", progress_chart.BLUE, "done"), Stage("opened", progress_chart.SKY, "seen")]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, to check it is well-formed


def bars(svg: str) -> list[ET.Element]:
    """The coloured parts of the bars (the tracks are drawn in TRACK)."""
    return [r for r in parse(svg).iter(f"{SVG}rect") if r.get("fill") != progress_chart.TRACK]


def chart(rows, **kwargs) -> SafeString:
    return share_chart_svg(rows, STAGES, title=kwargs.pop("title", "Lessons"), rest_label="none")


# --- The drawing ---------------------------------------------------------------------------------


def test_it_is_safe_well_formed_accessible_svg_with_every_figure_in_its_description():
    svg = chart([ChartRow("Моторы", (3, 1), 5, "Модуль 1"), ChartRow("Датчики", (0, 2), 5)])
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Lessons"
    assert root[0].tag == f"{SVG}title" and root[0].text == "Lessons"
    desc = root.find(f"{SVG}desc").text
    assert "Модуль 1:" in desc
    assert "Моторы — done: 3, seen: 1, none: 1;" in desc
    assert "Датчики — done: 0, seen: 2, none: 3;" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Модуль 1", "Моторы", "Датчики", "3 of 5", "0 of 5"} <= set(texts)
    tips = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert tips[0].startswith("Моторы — ")  # the mouse gets the figures of each bar


def test_bars_are_shares_of_the_total_and_one_pupil_of_many_stays_visible():
    svg = chart([ChartRow("a", (5, 5), 20), ChartRow("b", (1, 0), 1000), ChartRow("c", (0, 0), 3)])
    parts = bars(svg)
    assert len(parts) == 3  # a: two parts; b: one; c: none (an empty bar is only its track)
    first, second, third = (float(r.get("width")) for r in parts)
    assert first == pytest.approx(second)
    track = float(
        next(r for r in parse(svg).iter(f"{SVG}rect") if r.get("fill") == progress_chart.TRACK).get(
            "width"
        )
    )
    assert first == pytest.approx(track / 4, abs=0.1)
    assert third == 2  # 1 of 1000 is drawn 2 px wide, not lost
    assert float(parts[1].get("x")) == pytest.approx(float(parts[0].get("x")) + first, abs=0.1)


def test_labels_and_titles_are_escaped_and_there_is_no_style_or_script():
    svg = share_chart_svg(
        [ChartRow(EVIL, (1, 0), 2, section=EVIL)] * 3,
        [Stage("x", progress_chart.BLUE, EVIL), Stage("y", progress_chart.SKY, "y")],
        title=EVIL,
        rest_label=EVIL,
    )
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    attributes = {name.lower() for element in root.iter() for name in element.attrib}
    assert "style" not in attributes
    assert not [name for name in attributes if name.startswith("on")]
    assert "style=" not in svg.lower() and "javascript:" not in svg.lower()
    assert root.get("aria-label") == EVIL  # escaped in the markup, the same text once parsed


def test_control_characters_are_dropped_so_the_svg_stays_xml():
    svg = chart([ChartRow("a\x00b\x1f c\n\td", (1, 0), 1)])
    assert "ab c d" in [t.text for t in parse(svg).iter(f"{SVG}text")]


def test_long_labels_are_cut_with_an_ellipsis_and_kept_whole_in_the_description():
    label = "Драйвер мотора L298N и управление скоростью вращения колёс робота " * 3
    svg = chart([ChartRow(label, (1, 0), 2)])
    drawn = [t.text for t in parse(svg).iter(f"{SVG}text")][0]
    assert drawn.endswith(ELLIPSIS) and len(drawn) <= 41
    assert label.strip() in parse(svg).find(f"{SVG}desc").text


def test_too_many_rows_are_left_out_and_said_so():
    with translation.override("en"):
        svg = chart([ChartRow(f"Урок {n}", (1, 0), 2) for n in range(45)])
    root = parse(svg)
    assert len(root.findall(f"{SVG}g")) == progress_chart.MAX_ROWS
    assert "and 5 more, in the table" in [t.text for t in root.iter(f"{SVG}text")]
    height = int(root.get("height"))
    assert height < 40 * 45  # bounded


def test_no_rows_says_so():
    with translation.override("en"):
        svg = chart([])
    root = parse(svg)
    assert root.find(f"{SVG}desc").text == "Nothing to show yet."
    assert not bars(svg)


@pytest.mark.parametrize(
    "rows",
    [
        [ChartRow("a", (1,), 2)],  # one count for two stages
        [ChartRow("a", (-1, 0), 2)],
        [ChartRow("a", (2, 1), 2)],  # more than the total
    ],
)
def test_counts_that_make_no_sense_are_refused(rows):
    with pytest.raises(ValueError):
        chart(rows)


def test_a_chart_too_narrow_is_refused():
    with pytest.raises(ValueError):
        share_chart_svg([], STAGES, title="t", rest_label="r", width=100)


def test_truncate_cuts_at_a_word_when_it_can():
    assert truncate("Кегельринг", 20) == "Кегельринг"
    assert truncate("Инфракрасные датчики линии", 22) == "Инфракрасные датчики" + ELLIPSIS
    assert truncate("Суперкалифраджилистикэкспиалидоций", 10) == "Суперкали" + ELLIPSIS
    assert len(truncate("x " * 50, 12)) <= 12


def test_short_title_filter():
    assert short_title("Кегельринг") == "Кегельринг"
    long_title = "Первая программа: мигаем светодиодом"
    assert short_title(long_title) == "Первая программа: мигаем" + ELLIPSIS
    assert short_title(long_title, 10) == "Первая" + ELLIPSIS
    assert short_title(" a\x00b ") == "ab"


# --- Names ---------------------------------------------------------------------------------------


def test_names_are_surname_first_and_sorted_by_surname():
    people = [
        User(username="z", last_name="Иванова", first_name="Софья"),
        User(username="y", last_name="Ёлкин", first_name="Степан"),
        User(username="x", last_name="Иванов", first_name="Пётр"),
        User(username="w", display_name="Гость Выставки"),
        User(username="v"),
    ]
    assert names.surname_first(people[0]) == "Иванова Софья"
    assert names.surname_first(people[3]) == "Гость Выставки"
    assert names.surname_first(people[4]) == "v"
    ordered = [names.surname_first(p) for p in sorted(people, key=names.surname_key)]
    assert ordered == ["v", "Гость Выставки", "Ёлкин Степан", "Иванов Пётр", "Иванова Софья"]


# --- The grid and the group page ----------------------------------------------------------------


@pytest.fixture
def group_with_progress(db):
    """Four lessons in two modules; pupils: one done with two lessons and into a third, one who
    only opened one, one who has done nothing."""
    tree = builders.build_course("chart", modules=2, lessons=2)
    scenario = builders.build_school("c", pupils=0)
    group = scenario.group_a
    builders.enrol(group, tree)
    people = {}
    for login, last, first in [
        ("c1", "Соколов", "Максим"),
        ("c2", "Ёлкин", "Степан"),
        ("c3", "Иванова", "Софья"),
    ]:
        pupil = builders.make_user(
            login, roles.PUPIL, school=scenario.school, last_name=last, first_name=first
        )
        Membership.objects.create(user=pupil, group=group, role=Membership.Role.PUPIL)
        people[login] = pupil
    now = timezone.now()
    for lesson, done in (
        (tree.lessons[0], True),
        (tree.lessons[1], True),
        (tree.lessons[2], False),
    ):
        LessonProgress.objects.create(
            user=people["c1"], lesson=lesson, course=tree.course, completed_at=now if done else None
        )
    LessonProgress.objects.create(user=people["c3"], lesson=tree.lessons[3], course=tree.course)
    return scenario, tree, people


def test_the_grid_counts_each_lesson_and_finds_the_pupils_with_nothing_done(group_with_progress):
    scenario, tree, people = group_with_progress
    grid = progress_grid.group_progress(scenario.group_a)
    assert [row.name for row in grid.rows] == ["Ёлкин Степан", "Иванова Софья", "Соколов Максим"]
    assert [row.name for row in grid.idle] == ["Ёлкин Степан"]
    assert [lesson.url for lesson in grid.lessons] == [lesson.url for lesson in tree.lessons]
    totals = grid.lesson_totals()
    assert [(t.done, t.opened, t.pupils) for t in totals] == [
        (1, 0, 3),
        (1, 0, 3),
        (0, 1, 3),
        (0, 1, 3),
    ]
    assert [t.module for t in totals] == ["Модуль 1", "Модуль 1", "Модуль 2", "Модуль 2"]
    assert totals[0].percent == 33
    assert grid.percent == round(100 * 2 / 12)


def test_the_module_charts_match_the_grid(group_with_progress):
    scenario, _tree, _people = group_with_progress
    grid = progress_grid.group_progress(scenario.group_a)
    with translation.override("en"):
        first, second = progress_chart.module_progress_svgs(grid)
    root = parse(first)
    assert root.get("aria-label") == "Модуль 1: pupils who have done each lesson"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith(
        "Модуль 1: Урок 1.1 — have done it: 1, opened only: 0, not opened yet: 2;"
    )
    assert [t.text for t in root.iter(f"{SVG}text")].count("1 of 3") == 2
    desc = parse(second).find(f"{SVG}desc").text
    assert "Урок 2.1 — have done it: 0, opened only: 1, not opened yet: 2;" in desc


def test_module_headings_name_the_course_when_the_group_takes_several(group_with_progress):
    scenario, _tree, _people = group_with_progress
    other = builders.build_course("other", modules=1, lessons=1)
    builders.enrol(scenario.group_a, other)
    charts = progress_chart.module_progress_svgs(progress_grid.group_progress(scenario.group_a))
    assert len(charts) == 3
    headings = [parse(svg).find(f"{SVG}text").text for svg in charts]
    assert headings == ["Курс chart: Модуль 1", "Курс chart: Модуль 2", "Курс other: Модуль 1"]


def test_no_pupils_no_charts(db):
    scenario = builders.build_school("n", pupils=0)
    assert progress_chart.module_progress_svgs(progress_grid.group_progress(scenario.group_a)) == []


def test_the_group_page_names_the_columns_and_marks_the_pupils_with_nothing_done(
    client, group_with_progress
):
    scenario, tree, _people = group_with_progress
    client.cookies["django_language"] = "en"
    client.force_login(scenario.teacher_a)
    html = client.get(reverse("teach:group", args=[scenario.group_a.pk])).content.decode()
    assert "css/grids.css" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2  # a module each
    for lesson in tree.lessons:
        assert f'href="{lesson.url}"' in html
        assert f'<span class="col-short">{lesson.title}</span>' in html
    assert html.count('<tr class="is-idle">') == 1
    assert "1 pupil has not opened a single lesson yet:" in html
    assert '<th scope="row" class="pupil-col">Ёлкин Степан' in html
    assert "Lesson numbers" not in html
    assert " style=" not in html.split("<body", 1)[1]


def test_a_long_lesson_title_is_shortened_with_the_whole_title_beside_it(
    client, group_with_progress
):
    scenario, tree, _people = group_with_progress
    lesson = tree.lessons[0]
    lesson.title = "Драйвер мотора L298N и управление скоростью"
    lesson.save_revision().publish()
    client.force_login(scenario.teacher_a)
    html = client.get(reverse("teach:group", args=[scenario.group_a.pk])).content.decode()
    assert '<a class="col-name is-cut"' in html
    assert '<span class="col-short" aria-hidden="true">Драйвер мотора L298N и…</span>' in html
    assert '<span class="col-full">Драйвер мотора L298N и управление скоростью</span>' in html


def test_an_empty_group_shows_no_chart(client, db):
    scenario = builders.build_school("e", pupils=0)
    client.force_login(scenario.teacher_a)
    html = client.get(reverse("teach:group", args=[scenario.group_a.pk])).content.decode()
    assert "<svg" not in html.split('id="progress-title"', 1)[1].split("</section>", 1)[0]
