"""The quiz builder (/admin/quiz/quizzes/<assignment>/): settings with the review matrix; slots
with fixed questions (a version or always the latest) from the course's bank and the park's,
random ones from a category and/or tag (refused when the pool is too small), marks, moves and
removals that keep the numbers 1..n, and existing attempts left as they were drawn."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.quiz import drawing
from assessments.quiz.admin import slots
from assessments.quiz.admin.slots import SlotError
from assessments.quiz.models import AttemptQuestion, QuestionCategory, Quiz, QuizAttempt, QuizSlot
from assessments.quiz.questions import create_question, save_version
from tests.assessments.builders import submit
from tests.assessments.quiz.test_quiz_permissions import build_quiz_world, choice_spec
from tests.scenario import shared

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@shared
def builder_world(two_schools):
    return build_quiz_world(two_schools)


@pytest.fixture
def world(builder_world):
    return builder_world


@pytest.fixture
def author(client, world):
    client.force_login(world.author)
    return client


def _quiz(world) -> Quiz:
    return Quiz.objects.get(assignment=world.quiz)


def _url(world, name: str = "quiz", assignment=None) -> str:
    return reverse(f"quiz_admin:{name}", args=[(assignment or world.quiz).pk])


def _numbers(quiz: Quiz) -> list[int]:
    return list(quiz.slots.order_by("number").values_list("number", flat=True))


def _questions(quiz: Quiz) -> list:
    return [slot.question_id for slot in quiz.slots.order_by("number")]


def _bulk(world, category: QuestionCategory, n: int, prefix: str = "Q") -> list:
    return [create_question(category, choice_spec(f"{prefix}{i}"), world.author) for i in range(n)]


# --- Who may ----------------------------------------------------------------------------------


def test_the_builder_opens_for_the_quizs_authors_only(author, world, client):
    page = author.get(_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.quiz.title in html
    assert "Вольтметр" in html and "Общий вопрос" in html  # own bank and the park's
    assert "Чужой вопрос" not in html
    for assignment in (world.other_quiz, world.project):
        for name in ("quiz", "quiz_slots", "quiz_add_fixed", "quiz_add_random"):
            url = _url(world, name, assignment)
            assert author.post(url, {"action": "save"}).status_code == 404, url
        assert author.get(_url(world, "quiz", assignment)).status_code == 404
    assert author.get("/admin/quiz/quizzes/99999999999999999999999/").status_code == 404
    listing = author.get(reverse("quiz_admin:quizzes")).content.decode()
    assert world.quiz.title in listing and world.other_quiz.title not in listing
    client.force_login(world.other_author)
    assert client.get(_url(world)).status_code == 404
    client.force_login(world.methodologist)
    assert client.get(_url(world, "quiz", world.other_quiz)).status_code == 200


def test_settings_and_the_review_matrix_are_saved(author, world):
    post = {
        "time_limit_minutes": "20",
        "questions_per_page": "3",
        "shuffle_questions": "on",
        "release": "by_teacher",
        "review_immediately_attempt": "on",
        "review_immediately_marks": "on",
        "review_closed_right_answer": "on",
    }
    response = author.post(_url(world), post, follow=True)
    assert "Quiz settings saved." in response.content.decode()
    quiz = _quiz(world)
    assert quiz.time_limit_minutes == 20 and quiz.questions_per_page == 3
    assert quiz.shuffle_questions and not quiz.shuffle_answers
    assert quiz.release == "by_teacher"
    assert quiz.review == {
        "during": [],
        "immediately": ["attempt", "marks"],
        "open": [],
        "closed": ["right_answer"],
    }
    page = author.get(_url(world)).content.decode()
    assert re.search(r'name="review_closed_right_answer"[^>]*checked', page)
    assert not re.search(r'name="review_open_marks"[^>]*checked', page)
    bad = author.post(_url(world), {**post, "time_limit_minutes": "0", "questions_per_page": "-1"})
    assert bad.status_code == 200
    assert _quiz(world).time_limit_minutes == 20


# --- Fixed questions -------------------------------------------------------------------------


def test_fixed_questions_are_added_from_the_course_and_park_banks(author, world):
    post = {"question": [world.q_robotics.pk, world.q_park.pk], "version": "latest"}
    response = author.post(_url(world, "quiz_add_fixed"), post, follow=True)
    assert "2 questions added." in response.content.decode()
    quiz = _quiz(world)
    assert _questions(quiz) == [world.q_robotics.pk, world.q_park.pk]
    assert _numbers(quiz) == [1, 2]
    assert all(slot.version_id is None for slot in quiz.slots.all())

    pinned = author.post(
        _url(world, "quiz_add_fixed"), {"question": [world.q_sensors.pk], "version": "fixed"}
    )
    assert pinned.status_code == 302
    slot = quiz.slots.get(question=world.q_sensors)
    assert slot.version_id == world.q_sensors.latest_id and slot.number == 3

    again = author.post(_url(world, "quiz_add_fixed"), post, follow=True)
    assert "in the quiz already" in again.content.decode()
    assert quiz.slots.count() == 3


@pytest.mark.parametrize("forged", ["secret", "x", "9" * 30, ""])
def test_questions_of_another_course_cannot_be_added(author, world, forged):
    value = world.q_secret.pk if forged == "secret" else forged
    post = {"question": [world.q_robotics.pk, value]}
    response = author.post(_url(world, "quiz_add_fixed"), post, follow=True)
    assert response.status_code == 200
    assert "cannot be used in this quiz" in response.content.decode()
    assert not _quiz(world).slots.exists()


# --- Random questions ------------------------------------------------------------------------


def test_n_random_slots_draw_from_a_category_with_its_subcategories(author, world):
    _bulk(world, world.sensors, 3)
    post = {"category": world.robotics.pk, "include_subcategories": "on", "count": "4", "mark": "2"}
    response = author.post(_url(world, "quiz_add_random"), post, follow=True)
    assert "4 random questions added." in response.content.decode()
    quiz = _quiz(world)
    made = list(quiz.slots.order_by("number"))
    assert [s.number for s in made] == [1, 2, 3, 4]
    assert all(s.is_random and s.random_category == world.robotics for s in made)
    assert all(s.mark == Decimal("2") and s.include_subcategories for s in made)
    page = author.get(_url(world)).content.decode()
    assert "5 questions to draw from" in page and "Total of the marks" in page
    assert "8.00" in page
    assert len(drawing.draw(quiz, seed=7)) == 4  # it can be drawn


def test_a_pool_too_small_is_refused_with_a_message(author, world):
    post = {"category": world.sensors.pk, "count": "2", "mark": "1"}
    response = author.post(_url(world, "quiz_add_random"), post)
    assert response.status_code == 200
    assert "Not enough questions in “Датчики”" in response.content.decode()
    assert not _quiz(world).slots.exists()

    # a fixed question of the pool counts against it
    _bulk(world, world.sensors, 1)  # the pool: two questions
    author.post(_url(world, "quiz_add_fixed"), {"question": [world.q_sensors.pk]})
    refused = author.post(_url(world, "quiz_add_random"), post).content.decode()
    assert "it holds 2 that can be drawn, but this quiz would need 3" in refused
    ok = author.post(_url(world, "quiz_add_random"), {**post, "count": "1"}, follow=True)
    assert "1 random question added." in ok.content.decode()
    assert _quiz(world).slots.count() == 2

    # ... and a fixed question may not take the last one a random slot needs
    quiz = _quiz(world)
    other = quiz.slots.get(question__isnull=True)
    assert other.random_category == world.sensors
    last = world.sensors.questions.exclude(pk=world.q_sensors.pk).get()
    with pytest.raises(SlotError):
        slots.add_fixed(quiz, [last], pin_version=False)


def test_overlapping_pools_and_tags_are_counted_together(world):
    quiz = _quiz(world)
    world.q_sensors.tags.set(["свет"])
    world.q_robotics.tags.set(["свет"])
    slots.add_random(
        quiz, category=None, include_subcategories=False, tag="свет", count=2, mark=Decimal(1)
    )
    with pytest.raises(SlotError, match="Not enough questions"):
        slots.add_random(
            quiz,
            category=world.sensors,
            include_subcategories=True,
            tag="",
            count=1,
            mark=Decimal(1),
        )
    with pytest.raises(SlotError):
        slots.add_random(
            quiz, category=None, include_subcategories=False, tag="", count=1, mark=Decimal(1)
        )
    with pytest.raises(SlotError):
        slots.add_random(
            quiz, category=world.park, include_subcategories=True, tag="", count=0, mark=Decimal(1)
        )
    assert quiz.slots.count() == 2


def test_random_from_another_courses_category_is_refused(author, world):
    for category in (world.secret.pk, "x", 10**30):
        post = {"category": category, "count": "1", "mark": "1"}
        response = author.post(_url(world, "quiz_add_random"), post)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    park = author.post(
        _url(world, "quiz_add_random"), {"category": world.park.pk, "count": "1", "mark": "1"}
    )
    assert park.status_code == 302
    assert _quiz(world).slots.get().random_category == world.park


# --- Marks, versions, order -----------------------------------------------------------------


def _three_slots(world) -> list[QuizSlot]:
    quiz = _quiz(world)
    slots.add_fixed(quiz, [world.q_robotics, world.q_sensors, world.q_park], pin_version=False)
    return list(quiz.slots.order_by("number"))


def test_marks_and_versions_are_saved_and_totalled(author, world):
    first, second, third = _three_slots(world)
    old = world.q_robotics.latest
    save_version(world.q_robotics, choice_spec("Вольтметр", "Новый текст"), world.author)
    post = {
        "action": "save",
        f"mark-{first.pk}": "2,5",
        f"mark-{second.pk}": "0",
        f"mark-{third.pk}": "1",
        f"version-{first.pk}": str(old.pk),
        f"version-{second.pk}": "latest",
    }
    response = author.post(_url(world, "quiz_slots"), post, follow=True)
    assert "2 slots changed." in response.content.decode()
    first.refresh_from_db()
    assert first.mark == Decimal("2.50") and first.version_id == old.pk
    assert "3.50" in author.get(_url(world)).content.decode()

    for bad in (
        {f"mark-{first.pk}": "-1"},
        {f"mark-{first.pk}": "abc"},
        {f"mark-{first.pk}": "1e999"},
        {f"mark-{first.pk}": "NaN"},
        {f"version-{first.pk}": str(world.q_park.latest_id)},
        {f"version-{first.pk}": "garbage"},
    ):
        response = author.post(_url(world, "quiz_slots"), {"action": "save", **bad}, follow=True)
        assert response.status_code == 200
        assert not re.search(r"\d+ slots? changed", response.content.decode())
    first.refresh_from_db()
    assert first.mark == Decimal("2.50") and first.version_id == old.pk


def test_moving_and_removing_keeps_the_numbers_without_gaps(author, world):
    first, second, third = _three_slots(world)
    quiz = _quiz(world)
    author.post(_url(world, "quiz_slots"), {"action": f"down:{first.pk}"})
    assert _questions(quiz) == [world.q_sensors.pk, world.q_robotics.pk, world.q_park.pk]
    author.post(_url(world, "quiz_slots"), {"action": f"up:{third.pk}"})
    assert _questions(quiz) == [world.q_sensors.pk, world.q_park.pk, world.q_robotics.pk]
    author.post(_url(world, "quiz_slots"), {"action": f"up:{second.pk}"})  # at the top: stays
    assert _numbers(quiz) == [1, 2, 3]
    author.post(_url(world, "quiz_slots"), {"action": f"remove:{third.pk}"})
    assert _questions(quiz) == [world.q_sensors.pk, world.q_robotics.pk]
    assert _numbers(quiz) == [1, 2]

    other = Quiz.objects.get(assignment=world.other_quiz)
    foreign = QuizSlot.objects.create(quiz=other, number=1, question=world.q_secret)
    for action in (f"remove:{foreign.pk}", f"up:{foreign.pk}", "remove:x", "explode", ""):
        assert author.post(_url(world, "quiz_slots"), {"action": action}).status_code == 404
    assert QuizSlot.objects.filter(pk=foreign.pk).exists()


def test_renumbering_survives_many_slots_and_the_unique_constraint(world):
    quiz = _quiz(world)
    questions = _bulk(world, world.robotics, 30)
    slots.add_fixed(quiz, questions, pin_version=False)
    ordered = list(quiz.slots.order_by("number"))
    slots.move(quiz, ordered[-1].pk, -1)
    slots.remove(quiz, ordered[0].pk)
    slots.remove(quiz, ordered[15].pk)
    assert _numbers(quiz) == list(range(1, 29))


def test_editing_slots_leaves_existing_attempts_as_drawn(author, world):
    first, second, _third = _three_slots(world)
    quiz = _quiz(world)
    host = world.schools.host
    submission = submit(world.quiz, host.pupils_a[0], host.group_a)
    attempt = QuizAttempt.objects.create(
        submission=submission, quiz=quiz, started_at=timezone.now(), seed=1
    )
    drawn = AttemptQuestion.objects.create(
        attempt=attempt,
        position=1,
        slot_number=1,
        version=world.q_robotics.latest,
        max_mark=Decimal(1),
    )
    author.post(_url(world, "quiz_slots"), {"action": f"remove:{first.pk}"})
    author.post(_url(world, "quiz_slots"), {"action": "save", f"mark-{second.pk}": "5"})
    save_version(world.q_robotics, choice_spec("Вольтметр", "Другой текст"), world.author)
    drawn.refresh_from_db()
    assert drawn.version_id != world.q_robotics.latest_id  # still the version it drew
    assert drawn.max_mark == Decimal(1) and drawn.slot_number == 1
    assert AttemptQuestion.objects.filter(attempt=attempt).count() == 1


def test_the_builder_makes_the_same_queries_for_few_or_many_slots(author, world):
    counts = []
    for n in (3, 30):
        quiz = _quiz(world)
        quiz.slots.all().delete()
        slots.add_fixed(quiz, _bulk(world, world.robotics, n, prefix=f"N{n}-"), pin_version=True)
        slots.add_random(
            quiz,
            category=world.robotics,
            include_subcategories=True,
            tag="",
            count=2,
            mark=Decimal(1),
        )
        author.get(_url(world))
        with CaptureQueriesContext(connection) as queries:
            assert author.get(_url(world)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- The button on the Assignment admin ------------------------------------------------------


class _ListBase:
    def get_list_more_buttons(self, instance):
        return ["edit"]


class _EditBase:
    header_more_buttons = ["copy"]


def test_the_assignment_admin_buttons_lead_quiz_authors_to_the_builder(rf, world):
    from assessments.quiz.admin.assignment_buttons import (
        QuizBuilderHeaderButton,
        QuizBuilderListButton,
        quiz_builder_url,
    )

    assert quiz_builder_url(world.author, world.quiz) == _url(world)
    assert quiz_builder_url(world.author, world.project) is None
    assert quiz_builder_url(world.author, world.other_quiz) is None

    listing = type("Listing", (QuizBuilderListButton, _ListBase), {})()
    listing.request = rf.get("/admin/assignments/")
    listing.request.user = world.author
    buttons = listing.get_list_more_buttons(world.quiz)
    assert buttons[0] == "edit" and buttons[1].url == _url(world)
    assert listing.get_list_more_buttons(world.project) == ["edit"]

    edit = type("Edit", (QuizBuilderHeaderButton, _EditBase), {})()
    edit.request, edit.object = listing.request, world.quiz
    assert [getattr(b, "url", b) for b in edit.header_more_buttons] == ["copy", _url(world)]
