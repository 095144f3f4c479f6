"""The park's events report: what it counts (events.reports), the workbook, the charts and the
page (access, dates, query count)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events import report_charts, report_xlsx, reports
from events.models import EventPage, Registration
from tests.events.builders import events_index, make_event, register

pytestmark = pytest.mark.django_db

PARK = ZoneInfo("Europe/Samara")
START, END = date(2025, 9, 1), date(2025, 11, 30)
URL = "/event/report/"
SVG = "{http://www.w3.org/2000/svg}"
PUPIL, TEACHER = Registration.Category.PUPIL, Registration.Category.TEACHER
CONFIRMED = Registration.Status.CONFIRMED


def local(*args) -> datetime:
    return datetime(*args, tzinfo=PARK)


def came(when: datetime | None = None) -> datetime:
    return when or timezone.now()


def build_held(park) -> dict:
    """Four events held in Sept–Nov 2025 with known attendance, a cancelled and a draft one."""
    host, visiting = park["two"].host, park["two"].visiting
    vp, hp = visiting.pupils_a, host.pupils_a
    master = make_event("Мастер-класс: роботы", starts_at=local(2025, 10, 10, 15, 0))
    workshop = make_event(
        "Семинар: Arduino",
        starts_at=local(2025, 11, 5, 10, 0),
        kind="workshop",
        audience="teachers",
        hours=4,
    )
    open_day = make_event(
        "День открытых дверей", starts_at=local(2025, 11, 20, 12, 0), kind="open_day"
    )
    lecture = make_event("Лекция без записи", starts_at=local(2025, 11, 25, 12, 0), kind="lecture")
    at = came()
    # The master class: 6 registered (one walk-in), 5 came; a waiting and a cancelled one.
    register(master, vp[0], attended_at=at)
    register(master, vp[1], attended_at=at)
    register(master, vp[2])
    register(master, hp[0], attended_at=at)
    register(
        master,
        full_name="Гость Гостев",
        email="guest@example.org",
        school_name=" ШКОЛА  v ",
        attended_at=at,
    )
    register(master, full_name="Пришёл Сам", source=Registration.Source.WALK_IN, attended_at=at)
    register(master, visiting.pupils_b[0], status=Registration.Status.WAITING)
    register(master, visiting.pupils_b[1], status=Registration.Status.CANCELLED, attended_at=at)
    # The workshop: 3 teachers registered, 2 came.
    register(workshop, visiting.teacher_a, category=TEACHER, attended_at=at)
    register(workshop, visiting.teacher_b, category=TEACHER)
    register(workshop, host.teacher_b, category=TEACHER, attended_at=at)
    # The open day: the same pupil and the same guest (e-mail in another case) again.
    register(open_day, vp[0], attended_at=at)
    register(
        open_day,
        full_name="Гость Гостев",
        email="Guest@Example.org",
        school_name="Школа v",
        attended_at=at,
    )
    # Not counted: a cancelled event and a draft, both in the range, with people who came.
    cancelled = make_event("Отменён", starts_at=local(2025, 10, 1, 12, 0), is_cancelled=True)
    register(cancelled, hp[1], attended_at=at)
    draft = EventPage(
        title="Черновик",
        slug="draft-event",
        starts_at=local(2025, 10, 2, 12, 0),
        ends_at=local(2025, 10, 2, 14, 0),
        live=False,
    )
    events_index().add_child(instance=draft)
    register(draft, hp[2], attended_at=at)
    return {"master": master, "workshop": workshop, "open_day": open_day, "lecture": lecture}


# --- What the report counts ------------------------------------------------------------------


def test_counts_by_event_category_and_totals(park):
    events = build_held(park)
    report = reports.build(START, END)

    assert [row.id for row in report.events] == [
        events[name].pk for name in ("master", "workshop", "open_day", "lecture")
    ]
    master, workshop, open_day, lecture = report.events
    assert (master.registered, master.came, master.pupils, master.teachers, master.walk_ins) == (
        6,
        5,
        5,
        0,
        1,
    )
    assert master.rate == pytest.approx(5 / 6)
    assert master.day == date(2025, 10, 10)
    assert (workshop.registered, workshop.came, workshop.teachers) == (3, 2, 2)
    assert workshop.hours == Decimal(4)
    assert workshop.teacher_hours == Decimal(8)
    assert (open_day.registered, open_day.came) == (2, 2)
    assert (lecture.registered, lecture.came, lecture.rate) == (0, 0, None)

    assert report.held == 4
    assert report.cancelled == 1
    assert report.upcoming == 0
    assert (report.registered, report.came, report.pupils, report.teachers) == (11, 9, 7, 2)
    assert report.walk_ins == 1
    assert report.no_shows == 2
    assert report.rate == pytest.approx(9 / 11)
    assert report.teacher_hours == Decimal(8)
    assert report.event_hours == Decimal(4)
    assert {kind.kind: kind.events for kind in report.by_kind} == {
        "master_class": 1,
        "workshop": 1,
        "open_day": 1,
        "lecture": 1,
    }


def test_unique_people_count_a_person_once(park):
    build_held(park)
    report = reports.build(START, END)
    # Visiting pupils 1 and 2, a host pupil, the guest (by e-mail), the walk-in; two teachers.
    assert (report.unique_people, report.unique_pupils, report.unique_teachers) == (7, 5, 2)


def test_schools_grouped_case_insensitively_with_a_no_school_row(park):
    build_held(park)
    report = reports.build(START, END)
    rows = [(s.name, s.pupils, s.teachers, s.came, s.people, s.events) for s in report.schools]
    assert rows == [
        ("Школа v", 5, 1, 6, 4, 3),
        ("Школа a", 1, 1, 2, 2, 2),
        ("", 1, 0, 1, 1, 1),
    ]


def test_months_cover_the_range_with_empty_months(park):
    build_held(park)
    report = reports.build(START, END)
    rows = [(m.month, m.events, m.came, m.pupils, m.teachers) for m in report.months]
    assert rows == [
        (date(2025, 9, 1), 0, 0, 0, 0),
        (date(2025, 10, 1), 1, 5, 5, 0),
        (date(2025, 11, 1), 3, 4, 2, 2),
    ]
    assert report.months[2].teacher_hours == Decimal(8)


def test_range_boundaries_are_local_dates(park):
    inside = [
        make_event("Первая минута", starts_at=local(2025, 9, 1, 0, 0)),
        make_event("Поздно вечером", starts_at=local(2025, 11, 30, 23, 30)),
    ]
    make_event("Накануне", starts_at=local(2025, 8, 31, 23, 59))
    make_event("После полуночи", starts_at=local(2025, 12, 1, 0, 10))
    report = reports.build(START, END)
    assert [row.id for row in report.events] == [event.pk for event in inside]
    assert report.events[1].day == date(2025, 11, 30)  # 19:30 UTC, the 30th in Samara
    one_day = reports.build(date(2025, 12, 1), date(2025, 12, 1))
    assert [row.title for row in one_day.events] == ["После полуночи"]


def test_events_not_started_yet_are_counted_apart(park):
    start = timezone.now() - timedelta(days=1)
    past = make_event("Уже было", starts_at=start)
    register(past, park["two"].visiting.pupils_a[0], attended_at=timezone.now())
    # The park's master class and workshop start in 7 days.
    today = reports.local_today()
    report = reports.build(today - timedelta(days=3), today + timedelta(days=30))
    assert [row.id for row in report.events] == [past.pk]
    assert report.upcoming == 2
    assert report.came == 1


def test_a_range_with_nobody_registered_has_no_rate(park):
    make_event("Лекция", starts_at=local(2025, 10, 1, 12, 0), kind="lecture")
    report = reports.build(START, END)
    assert report.held == 1
    assert report.rate is None
    assert report.schools == []
    empty = reports.build(date(2024, 1, 1), date(2024, 1, 31))
    assert (empty.held, empty.rate, empty.came) == (0, None, 0)


def test_reversed_range_is_refused():
    with pytest.raises(ValueError):
        reports.build(END, START)


def test_academic_year_and_keys():
    assert reports.academic_year(date(2026, 12, 3)) == (date(2026, 9, 1), date(2027, 8, 31))
    assert reports.academic_year(date(2027, 8, 31)) == (date(2026, 9, 1), date(2027, 8, 31))
    assert reports.academic_year(date(2027, 9, 1)) == (date(2027, 9, 1), date(2028, 8, 31))
    assert reports.school_key("  Школа   №5 ") == reports.school_key("школа №5")
    assert reports.person_key(3, "a@b.c", "X", "") == ("user", 3)
    assert reports.person_key(None, " A@B.c", "X", "") == reports.person_key(None, "a@b.c", "Y", "")
    assert reports.person_key(None, "", "Иван  Петров", "s") == reports.person_key(
        None, "", "иван петров", "s"
    )
    assert reports.person_key(None, "", "Иван Петров", "s") != reports.person_key(
        None, "", "Иван Петров", "t"
    )


def test_the_report_takes_a_constant_number_of_queries(park, django_assert_num_queries):
    build_held(park)
    with django_assert_num_queries(2):
        reports.build(START, END)


# --- The workbook --------------------------------------------------------------------------


def _workbook(report):
    return load_workbook(io.BytesIO(report_xlsx.workbook(report)))


def test_workbook_sheets_headers_dates_and_rates(park, english):
    build_held(park)
    book = _workbook(reports.build(START, END))
    assert book.sheetnames == ["Summary", "Events", "By school", "By month"]
    events = book["Events"]
    assert events.freeze_panes == "A2"
    assert events["A1"].value == "Date" and events["A1"].font.bold
    assert events.column_dimensions["B"].width >= 40
    assert isinstance(events["A2"].value, datetime) and events["A2"].value.date() == date(
        2025, 10, 10
    )
    assert events["B2"].value == "Мастер-класс: роботы"
    assert events["K2"].value == pytest.approx(5 / 6)
    assert "%" in events["K2"].number_format
    assert events["M3"].value == 8  # the workshop's teacher-hours
    assert events["K5"].value is None  # the lecture: nobody registered
    schools = book["By school"]
    assert [schools.cell(row=r, column=1).value for r in (2, 3, 4)] == [
        "Школа v",
        "Школа a",
        "No school given",
    ]
    assert schools["D2"].value == 6
    months = book["By month"]
    assert isinstance(months["A2"].value, datetime)
    assert [months.cell(row=r, column=2).value for r in (2, 3, 4)] == [0, 1, 3]
    summary: dict = {}
    for row in book["Summary"].iter_rows(values_only=True):
        summary.setdefault(row[0], row[1])  # the figures come before the definitions
    assert summary["Events held"] == 4
    assert summary["Came (participants)"] == 9
    assert summary["Unique people"] == 7
    assert summary["Cancelled events"] == 1
    assert summary["Attendance rate"] == pytest.approx(9 / 11)


def test_workbook_cells_are_never_formulas(park, english):
    event = make_event('=HYPERLINK("http://evil.example","x")', starts_at=local(2025, 10, 1, 12, 0))
    register(
        event,
        full_name="Гость",
        email="g@example.org",
        school_name="+cmd|' /C calc'!A0\x07",
        attended_at=timezone.now(),
    )
    book = _workbook(reports.build(START, END))
    title = book["Events"]["B2"]
    assert title.data_type == "s"
    assert title.value == '\'=HYPERLINK("http://evil.example","x")'
    school = book["By school"]["A2"]
    assert school.data_type == "s" and school.value.startswith("'+")
    assert "\x07" not in school.value
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


# --- The charts ----------------------------------------------------------------------------


def _parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output, to check it is well-formed
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert all(el.tag != f"{SVG}script" and "style" not in el.attrib for el in root.iter())
    return root


def test_charts_are_valid_svg_with_escaped_labels(park):
    event = make_event('<script>alert("x")</script> & Co', starts_at=local(2025, 10, 1, 12, 0))
    register(
        event,
        full_name="Гость",
        email="g@example.org",
        school_name="<b>Школа</b> & «Ко»",
        attended_at=timezone.now(),
    )
    register(event, park["two"].visiting.teacher_a, category=TEACHER, attended_at=timezone.now())
    report = reports.build(START, END)
    months = _parse(report_charts.months_chart(report.months))
    rates = _parse(report_charts.rates_chart(report.events))
    schools = _parse(report_charts.schools_chart(report.schools))
    rates_text = "".join(rates.itertext())
    assert '<script>alert("x")</script> & Co' in rates_text
    assert "<script>" not in str(report_charts.rates_chart(report.events))
    assert "<b>Школа</b> & «Ко»" in "".join(schools.itertext())
    assert len(months.findall(f".//{SVG}rect")) >= 4  # legend 2 + pupils + teachers in October


def test_charts_when_nobody_came_and_many_events():
    empty = [reports.MonthRow(date(2025, 9, 1))]
    _parse(report_charts.months_chart(empty))
    _parse(report_charts.rates_chart([]))
    _parse(report_charts.schools_chart([]))
    rows = [
        reports.EventRow(
            id=n,
            title=f"Событие {n}",
            kind="lecture",
            kind_label="lecture",
            track_label="",
            audience_label="pupils",
            starts_at=timezone.now(),
            day=date(2025, 10, 1),
            hours=None,
            registered=n % 3,
            came=n % 2 if n % 3 else 0,
        )
        for n in range(45)
    ]
    rates = _parse(report_charts.rates_chart(rows))
    labels = [t for t in rates.itertext() if "Событие" in t]
    assert "Событие 44" in "".join(labels) and "Событие 14" not in "".join(labels)
    schools = [reports.SchoolRow(f"Школа {n}", pupils=20 - n) for n in range(15)]
    chart = _parse(report_charts.schools_chart(schools))
    assert len(chart.findall(f".//{SVG}rect")) == report_charts.MAX_SCHOOLS


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["host_teacher", "host_admin", "methodologist", "superuser"])
def test_park_staff_see_the_report(client, park, who):
    two = park["two"]
    user = {
        "host_teacher": two.host.teacher_a,
        "host_admin": two.host.admin,
        "methodologist": two.methodologist,
        "superuser": two.superuser,
    }[who]
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"<svg" in response.content


@pytest.mark.parametrize(
    "who", ["visiting_teacher", "visiting_admin", "visiting_pupil", "host_pupil"]
)
def test_others_get_404(client, park, who):
    two = park["two"]
    user = {
        "visiting_teacher": two.visiting.teacher_a,
        "visiting_admin": two.visiting.admin,
        "visiting_pupil": two.visiting.pupils_a[0],
        "host_pupil": two.host.pupils_a[0],
    }[who]
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "xlsx", "start": "2025-09-01"}).status_code == 404


def test_visitors_are_sent_to_log_in(client, park):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_url_name():
    assert reverse("events:report") == URL


def test_default_range_is_the_academic_year(client, park, english):
    client.force_login(park["two"].host.teacher_a)
    response = client.get(URL)
    first, last = reports.academic_year(reports.local_today())
    assert response.context["report"].start == first
    assert response.context["report"].end == last
    assert f'value="{first.isoformat()}"' in response.content.decode()
    assert "The current academic year" in response.content.decode()


def test_page_shows_figures_tables_and_xlsx_link(client, park, english):
    build_held(park)
    client.force_login(park["two"].host.admin)
    response = client.get(URL, {"start": "2025-09-01", "end": "2025-11-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Мастер-класс: роботы" in html
    assert "Школа v" in html and "No school given" in html
    assert "82%" in html  # 9 of 11
    assert "start=2025-09-01&amp;end=2025-11-30&amp;format=xlsx" in html
    assert "Черновик" not in html and "Отменён" not in html
    assert 'style="' not in html.split("<main", 1)[1]
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_page_escapes_titles_and_schools(client, park):
    event = make_event('<img src=x onerror="alert(1)">', starts_at=local(2025, 10, 1, 12, 0))
    register(
        event,
        full_name="Гость",
        email="g@example.org",
        school_name="<script>s()</script>",
        attended_at=timezone.now(),
    )
    client.force_login(park["two"].host.teacher_a)
    html = client.get(URL, {"start": "2025-09-01", "end": "2025-11-30"}).content.decode()
    assert "<img src=x" not in html and "<script>s()" not in html
    assert "&lt;img src=x" in html


def test_xlsx_download(client, park, english):
    build_held(park)
    client.force_login(park["two"].methodologist)
    response = client.get(URL, {"start": "2025-09-01", "end": "2025-11-30", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "events-report-2025-09-01-2025-11-30.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book["Events"].max_row == 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-11-30", "end": "2025-09-01"}, "The range ends before it starts"),
        ({"start": "2025-13-01"}, "Enter a valid date"),
        ({"end": "yesterday"}, "Enter a valid date"),
        ({"start": "0001-01-01", "end": "9999-12-31"}, "Enter a date between the years"),
        ({"start": "9" * 5000}, "Enter a valid date"),
        ({"start": "2025-11-30", "end": "2025-09-01", "format": "xlsx"}, "ends before it starts"),
    ],
)
def test_bad_dates_get_a_clear_message(client, park, english, params, message):
    client.force_login(park["two"].host.teacher_a)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert "report" not in response.context or response.context.get("report") is None


def test_one_date_is_completed_from_its_academic_year(client, park):
    client.force_login(park["two"].host.teacher_a)
    report = client.get(URL, {"start": "2025-10-01"}).context["report"]
    assert (report.start, report.end) == (date(2025, 10, 1), date(2026, 8, 31))
    report = client.get(URL, {"end": "2025-10-01"}).context["report"]
    assert (report.start, report.end) == (date(2025, 9, 1), date(2025, 10, 1))
    report = client.get(URL, {"start": "01.10.2025", "end": "31.10.2025"}).context["report"]
    assert (report.start, report.end) == (date(2025, 10, 1), date(2025, 10, 31))


def test_unknown_format_is_404(client, park):
    client.force_login(park["two"].host.teacher_a)
    assert client.get(URL, {"format": "pdf"}).status_code == 404


def _page_queries(client, user) -> int:
    client.force_login(user)
    client.get(URL)  # the first request fills per-process caches (site root, session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"start": "2025-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_events(client, park):
    two = park["two"]
    people = [*two.visiting.pupils_a, *two.visiting.pupils_b, *two.host.pupils_a]

    def add_events(first: int, count: int) -> None:
        for n in range(first, first + count):
            event = make_event(
                f"Событие {n}",
                slug=f"scale-{n}",
                starts_at=local(2025, 1 + n % 12, 10, 12, 0),
                hours=2,
                kind="workshop" if n % 2 else "master_class",
            )
            for person in people[: 1 + n % len(people)]:
                register(event, person, attended_at=timezone.now() if n % 3 else None)
            register(event, two.host.teacher_b, category=TEACHER, attended_at=timezone.now())

    add_events(0, 2)
    few = _page_queries(client, two.host.teacher_a)
    add_events(2, 28)
    many = _page_queries(client, two.host.teacher_a)
    assert EventPage.objects.filter(slug__startswith="scale-").count() == 30
    assert many == few
    # The report's two queries and the page's own: session, user, roles, site chrome.
    assert many <= 12
