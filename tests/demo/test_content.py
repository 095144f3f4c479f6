"""The demo content files: consistent as shipped, and a mistake names the file to fix."""

import shutil

import pytest

from demo import manifests

BENCH_LESSON = ("robotics-arduino", "line-follower", "line-sensors")


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(manifests.CONTENT_DIR, root)
    return root


def test_the_shipped_content_has_no_problems():
    assert manifests.problems() == []


def test_three_courses_in_catalogue_order_and_the_benchmark_lesson_is_there():
    courses = manifests.courses()
    assert [c["slug"] for c in courses] == ["robotics-arduino", "python-basics", "science-lab"]
    assert [c["track"] for c in courses] == ["robotics", "programming", "science"]
    paths = {
        (c["slug"], m["slug"], lesson["slug"])
        for c in courses
        for m in c["modules"]
        for lesson in m["lessons"]
    }
    assert BENCH_LESSON in paths
    assert len(paths) == 18


def test_worksheets_are_read_without_the_files_final_newline():
    documents = manifests.documents()
    assert documents["safety_memo"]["file"] == "safety_memo.txt"
    assert documents["safety_memo"]["content"].startswith("ПАМЯТКА ПО ТЕХНИКЕ БЕЗОПАСНОСТИ\n")
    assert not documents["safety_memo"]["content"].endswith("\n")


def test_problems_name_broken_references_and_unlisted_lessons(content):
    lesson = content / "courses/robotics-arduino/line-follower/line-sensors.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + "\n:::image no_such_picture\n:::\n", encoding="utf-8"
    )
    (content / "courses/robotics-arduino/line-follower/draft.md").write_text("Черновик")
    teaching = content / "teaching.toml"
    teaching.write_text(
        teaching.read_text(encoding="utf-8").replace('user = "teacher1"', 'user = "teacher9"'),
        encoding="utf-8",
    )
    assert manifests.problems(content) == [
        "courses/robotics-arduino/line-follower/line-sensors.md: no image 'no_such_picture' "
        "in images.toml",
        "courses/robotics-arduino/line-follower/draft.md: no course.toml lists this lesson",
        "teaching.toml [[authors]]: no user 'teacher9'",
    ]


def test_a_lesson_format_mistake_is_reported_with_its_file_and_line(content):
    lesson = content / "courses/science-lab/experiments/pendulum.md"
    lesson.write_text(":::callout note\nТекст\n:::\n", encoding="utf-8")
    assert manifests.problems(content) == [
        "courses/science-lab/experiments/pendulum.md, line 1: unknown callout kind 'note' "
        "(known: tip, warning, safety)"
    ]


def test_a_missing_field_or_file_names_the_manifest(content):
    course = content / "courses/python-basics/course.toml"
    course.write_text(
        course.read_text(encoding="utf-8").replace('track = "programming"\n', ""), encoding="utf-8"
    )
    assert manifests.problems(content) == ["courses/python-basics/course.toml: missing track"]
    (content / "courses/python-basics/first-steps/conditions.md").unlink()
    course.write_text('track = "programming"\n' + course.read_text(encoding="utf-8"))
    [problem] = manifests.problems(content)
    assert problem.endswith("courses/python-basics/first-steps/conditions.md: no such file")


def test_the_example_in_the_readme_is_a_valid_lesson():
    from demo.lesson_format import parse_lesson

    readme = (manifests.CONTENT_DIR / "README.md").read_text(encoding="utf-8")
    example = readme.split("```markdown\n", 1)[1].split("\n```\n", 1)[0]
    body = parse_lesson(example, where="README.md")
    assert [block_type for block_type, _value in body] == [
        "markdown",
        "formula",
        "steps",
        "code",
        "callout",
        "markdown",
    ]
    assert body[2][1]["steps"][1]["photo"] == "breadboard_led"
