import pytest

from tests import builders, scenario
from tests.assessments.quiz.builders import make_quiz


@scenario.shared
def quiz_class():
    """A school whose group a-1 takes a course with a quiz of every question type (no time
    limit, unlimited attempts, best counts) and a timed quiz with random questions."""
    tree = builders.build_course("quiz-course", modules=1, lessons=2)
    school = builders.build_school("q")
    builders.enrol(school.group_a, tree)
    plain = make_quiz(tree.lessons[0], counts="best")
    timed = make_quiz(
        tree.lessons[1],
        specs=[],
        random_count=3,
        time_limit_minutes=10,
        title="Быстрый тест",
        shuffle_answers=True,
    )
    return {"tree": tree, "school": school, "plain": plain, "timed": timed}


@pytest.fixture
def pupil(quiz_class):
    return quiz_class["school"].pupils_a[0]
