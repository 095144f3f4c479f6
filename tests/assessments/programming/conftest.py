import pytest

from tests import builders, scenario
from tests.assessments.programming.builders import make_exercise, make_problem


@scenario.shared
def code_class():
    """A school whose group a-1 takes a course with one code exercise (A + B in subtasks,
    Python and C++, unlimited attempts)."""
    tree = builders.build_course("code-course", modules=1, lessons=2)
    school = builders.build_school("c")
    builders.enrol(school.group_a, tree)
    problem = make_problem()
    exercise = make_exercise(tree.lessons[0], problem)
    return {"tree": tree, "school": school, "problem": problem, "exercise": exercise}


@pytest.fixture
def pupil(code_class):
    return code_class["school"].pupils_a[0]
