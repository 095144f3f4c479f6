"""Demo project assignments with rubrics, and pupils' work on them (work.toml): photos drawn on
the fly, some graded and released, one returned for rework, some waiting for the teacher."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import grading, submissions
from assessments.models import Assignment, Rubric, Submission
from courses.models import CoursePage, LessonPage, ModulePage
from demo import media


def rubric_criteria(rubric: dict) -> list[dict]:
    """The rubric's criteria as the Rubric StreamField stores them (points as text)."""
    return [
        {
            "type": "criterion",
            "value": {
                "title": criterion["title"],
                "description": criterion.get("description", ""),
                "levels": [
                    {
                        "title": level["title"],
                        "points": str(level["points"]),
                        "description": level.get("description", ""),
                    }
                    for level in criterion["levels"]
                ],
            },
        }
        for criterion in rubric["criteria"]
    ]


def _lesson(course: CoursePage, path: str) -> LessonPage:
    module_slug, _, lesson_slug = path.partition("/")
    module = ModulePage.objects.child_of(course).get(slug=module_slug)
    return LessonPage.objects.child_of(module).get(slug=lesson_slug)


def ensure_work(data: dict, found: dict, courses: dict[str, CoursePage]) -> None:
    defaults = data["defaults"]
    assignments, photos = {}, {}
    for row in data["assignments"]:
        rubric, _ = Rubric.objects.get_or_create(
            title=row["rubric"]["title"], defaults={"criteria": rubric_criteria(row["rubric"])}
        )
        assignments[row["course"]], _ = Assignment.objects.get_or_create(
            lesson=_lesson(courses[row["course"]], row["lesson"]),
            title=row["title"],
            defaults={
                "instructions": row["instructions"],
                "max_points": rubric.max_points,
                "rubric": rubric,
                "due_at": timezone.now() + timedelta(days=defaults["due_in_days"]),
                "late_penalty_per_day": defaults["late_penalty_per_day"],
                "late_penalty_cap": defaults["late_penalty_cap"],
                "max_attempts": defaults["max_attempts"],
                "counts": defaults["counts"],
                "accepted_types": defaults["accepted_types"],
                "created_by": found["users"][defaults["created_by"]],
            },
        )
        photos[row["course"]] = row["photos"]
    for row in data["work"]:
        pupil = found["users"][row["pupil"]]
        assignment = assignments[row["course"]]
        if Submission.objects.filter(assignment=assignment, pupil=pupil).exists():
            continue  # idempotent: the demo work is there already
        _hand_in(pupil, assignment, photos[row["course"]], data["hand_in"])
        if row["outcome"] != "waiting":
            _grade(assignment, pupil, row["outcome"], data["grading"])


def _hand_in(pupil, assignment: Assignment, photo: dict, texts: dict) -> Submission:
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(draft, texts["text"].format(name=pupil.get_display_name()))
    for number in range(1, texts["photos"] + 1):
        label = texts["photo_label"].format(number=number)
        png = media.picture_png(photo["color"], label, photo["shape"])
        name = texts["photo_file"].format(number=number)
        submissions.add_file(draft, SimpleUploadedFile(name, png))
    return submissions.submit(draft, state)


def _grade(assignment: Assignment, pupil, outcome: str, texts: dict) -> None:
    submission = Submission.objects.get(assignment=assignment, pupil=pupil)
    teacher = submission.group.memberships.filter(role="teacher").first().user
    table = assignment.rubric.table()
    if outcome == "graded":
        levels = {criterion.id: criterion.levels[-1].id for criterion in table}
        grading.save_grade(
            submission,
            teacher,
            rubric_levels=levels,
            rubric_comments={table[0].id: texts["graded_comment"]},
            feedback=texts["graded_feedback"],
            release=True,
        )
    else:
        levels = {criterion.id: criterion.levels[0].id for criterion in table}
        grading.save_grade(submission, teacher, rubric_levels=levels, feedback="")
        grading.return_for_rework(submission, teacher, texts["returned_message"])
