"""A quiz from the bank to the report in a real browser: a course author imports a GIFT file
and builds a timed quiz of random questions; a pupil takes it, reloads midway (the answers are
still there), lets the time run out on a second attempt (it is handed in with what was given)
and reads the review; the teacher reads the item analysis and the difficult questions."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from assessments.models import Assignment, Submission
from assessments.quiz.models import Question, Quiz, QuizAttempt
from courses import authoring
from tests import builders
from tests.assessments.builders import make_assignment
from tests.e2e.conftest import E2E_MARKS, login, logout, screenshot

pytestmark = E2E_MARKS

GIFT = """// Датчики для робота: банк вопросов
$CATEGORY: $course$/top/Датчики

::Расстояние::Какой датчик измеряет расстояние до стены?
{=Ультразвуковой#Верно: он слушает эхо. ~Датчик цвета#Он видит цвет, не расстояние. ~Кнопка}

::Линия::Инфракрасный датчик отличает чёрную линию от белого поля. {T#Подумай ещё.#Верно!}

::Резистор::Как называется резистор, который меняет сопротивление от света? {
=фоторезистор
=фото*резистор
}

::Ток::Какой ток (А) идёт через 4 Ом при 12 В? {#3:0,1}

::Датчики::Что из этого датчики? {~%50%Гироскоп ~%50%Энкодер ~%-50%Мотор}

::Пары::Сопоставьте датчик и то, что он меряет. {
=Гироскоп -> поворот
=Ультразвук -> расстояние
=Фоторезистор -> свет
}
"""


def _answer_visible_questions(page) -> None:
    """Give an answer to every question on the page, each as a pupil would."""
    for fieldset in page.locator("fieldset.quiz-question").all():
        kind = fieldset.get_attribute("class")
        if "quiz-single_choice" in kind or "quiz-true_false" in kind:
            fieldset.locator("input[type=radio]").first.check()
        elif "quiz-multiple_choice" in kind:
            fieldset.locator("input[type=checkbox]").first.check()
        elif "quiz-matching" in kind:
            for select in fieldset.locator("select").all():
                select.select_option(index=1)
        elif "quiz-short_answer" in kind or "quiz-numerical" in kind:
            fieldset.locator("input[type=text]").fill("3")
        # Saved, or the reason it was not (a message in the page): either ends the wait.
        status = fieldset.locator(".quiz-saved[data-state=saved], .quiz-saved[data-state=error]")
        status.wait_for(timeout=15_000)
        assert status.get_attribute("data-state") == "saved", status.text_content()


def _answers_on_page(page) -> list[tuple[str, str]]:
    """What the page's form holds: ticked choices, typed text, chosen items."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#quiz-form input, #quiz-form select')]
            .filter(el => el.type !== 'hidden' && (
                (el.type === 'radio' || el.type === 'checkbox') ? el.checked : el.value !== ''))
            .map(el => [el.name, el.value])"""
    )


def test_author_imports_and_builds_pupil_takes_and_times_out_teacher_reads_analysis(
    live_server, page, console_errors, tmp_path
):
    tree = builders.build_course("quiz-journey", modules=1, lessons=1)
    school = builders.build_school("j", pupils=1)
    builders.enrol(school.group_a, tree)
    teacher, pupil = school.teacher_a, school.pupils_a[0]
    authoring.add_author(tree.course, teacher)
    assignment = make_assignment(
        tree.lessons[0],
        title="Тест по датчикам",
        kind=Assignment.Kind.QUIZ,
        max_attempts=2,
        counts="best",
    )
    url = live_server.url

    # The author imports the GIFT file: upload, preview, confirm.
    gift = tmp_path / "датчики.gift"
    gift.write_text(GIFT, encoding="utf-8")
    login(page, url, teacher.username)
    page.goto(f"{url}/admin/quiz/import/?bank={tree.course.pk}")
    page.set_input_files("input[type=file]", str(gift))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    assert page.locator("li", has_text="Датчики").first.is_visible()  # the category to be made
    preview = page.frame_locator("iframe")  # the questions as pupils see them
    assert preview.locator("text=Какой датчик измеряет расстояние").first.is_visible()
    screenshot(page, "quiz-01-import-preview")
    with page.expect_navigation():
        page.click("form.w-mt-8 button[type=submit]")
    assert Question.objects.filter(category__course=tree.course).count() == 6
    screenshot(page, "quiz-02-bank")

    # The quiz: four random questions from "Датчики", 5 minutes.
    page.goto(f"{url}/admin/quiz/quizzes/{assignment.pk}/")
    category = page.locator("#add-random select[name=category] option", has_text="Датчики")
    page.select_option("#add-random select[name=category]", category.first.get_attribute("value"))
    page.fill("#add-random input[name=count]", "4")
    with page.expect_navigation():
        page.click("#add-random button[type=submit]")
    page.fill("#settings input[name=time_limit_minutes]", "5")
    page.fill("#settings input[name=questions_per_page]", "2")
    with page.expect_navigation():
        page.click("#settings button[type=submit]")
    quiz = Quiz.objects.get(pk=assignment.pk)
    assert quiz.slots.count() == 4 and quiz.time_limit_minutes == 5
    screenshot(page, "quiz-03-builder")
    page.goto(f"{url}/")
    logout(page)

    # The pupil starts, answers the first page, reloads: the answers are still there.
    login(page, url, pupil.username)
    page.goto(f"{url}/work/quiz/{assignment.pk}/")
    screenshot(page, "quiz-04-start")
    with page.expect_navigation():
        page.click(".start-form button")
    assert page.locator(".quiz-timer").is_visible()
    _answer_visible_questions(page)
    given = _answers_on_page(page)
    page.reload()
    assert _answers_on_page(page) == given and given
    screenshot(page, "quiz-05-attempt")
    with page.expect_navigation():
        page.click("button[name=go][value='2']")
    _answer_visible_questions(page)
    with page.expect_navigation():
        page.click("button[name=go][value=summary]")
    screenshot(page, "quiz-06-summary")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(".handin-form button[type=submit]")
    assert page.locator(".quiz-question").count() == 4
    screenshot(page, "quiz-07-review")

    # A second attempt: one answer, then the time runs out (the limit is minutes: the test
    # moves the deadline close instead of waiting). The page follows the server's clock.
    page.goto(f"{url}/work/quiz/{assignment.pk}/")
    with page.expect_navigation():
        page.click(".start-form button")
    first = page.locator("fieldset.quiz-question").first
    radios = first.locator("input[type=radio]")
    if radios.count():
        radios.last.check()
    else:
        first.locator("input[type=text], select, input[type=checkbox]").first.click()
    page.wait_for_timeout(800)
    second = QuizAttempt.objects.get(submission__pupil=pupil, submission__attempt=2)
    QuizAttempt.objects.filter(pk=second.pk).update(
        deadline_at=timezone.now() + timedelta(seconds=3)
    )
    page.reload()
    page.wait_for_url("**/review/", timeout=20_000)
    closed = QuizAttempt.objects.select_related("submission").get(pk=second.pk)
    assert closed.closed_by == QuizAttempt.ClosedBy.TIME
    assert closed.submission.status != Submission.Status.DRAFT
    screenshot(page, "quiz-08-time-up-review")
    page.goto(f"{url}/")
    logout(page)

    # The teacher reads the item analysis and the difficult questions.
    login(page, url, teacher.username)
    page.goto(f"{url}/work/quiz/{assignment.pk}/report/{school.group_a.pk}/statistics/")
    assert page.locator(".quiz-item-analysis").is_visible()
    # At most three of the six questions can be right with the pupil's answers above.
    assert page.locator(".quiz-difficult li").count() >= 1
    assert page.locator("svg.quiz-chart, .quiz-chart-card svg").count() >= 1
    screenshot(page, "quiz-09-item-analysis")
    page.goto(f"{url}/work/quiz/{assignment.pk}/report/{school.group_a.pk}/")
    assert page.locator(".quiz-overview tbody tr").count() == 2
    screenshot(page, "quiz-10-overview")
    assert not console_errors, console_errors
