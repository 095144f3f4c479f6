"""Who studies what (teaching.toml): enrolments, shared modules, co-authors, invite codes and
the lessons some pupils have finished. Every step finds what is there before adding."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from courses import authoring, services
from courses.models import CoursePage, CourseShare, LessonPage, ModulePage
from lms.models import Invite


def _module(course: CoursePage, slug: str) -> ModulePage:
    return ModulePage.objects.child_of(course).get(slug=slug)


def ensure_enrolments(data: dict, found: dict, courses: dict[str, CoursePage]) -> None:
    by = found["users"][data["enrolled_by"]]
    for row in data["enrolments"]:
        course = courses[row["course"]]
        module = _module(course, row["module"]) if row.get("module") else None
        services.enrol_group(found["groups"][row["group"]], course, module=module, by=by)


def ensure_sharing(data: dict, found: dict, courses: dict[str, CoursePage]) -> None:
    """Modules shared with another school, then the courses' co-authors."""
    for row in data["shares"]:
        course = courses[row["course"]]
        CourseShare.objects.get_or_create(
            course=course,
            module=_module(course, row["module"]),
            school=found["schools"][row["school"]],
            defaults={"created_by": found["users"][row["by"]]},
        )
    for row in data["authors"]:
        authoring.add_author(
            courses[row["course"]], found["users"][row["user"]], by=found["users"][row["by"]]
        )


def ensure_invites(data: dict, found: dict) -> None:
    for row in data["invites"]:
        lifetime = timedelta(days=row["days"])
        invite, _ = Invite.objects.get_or_create(
            code=row["code"],
            defaults={
                "group": found["groups"][row["group"]],
                "expires_at": timezone.now() + lifetime,
                "max_uses": row["max_uses"],
                "created_by": found["users"][row["teacher"]],
            },
        )
        if invite.is_expired():  # an old demo database: give the invite another lifetime
            invite.expires_at = timezone.now() + lifetime
            invite.save(update_fields=["expires_at"])


def ensure_progress(data: dict, found: dict, courses: dict[str, CoursePage]) -> None:
    """A lived-in demo: some pupils have already worked through the first few lessons."""
    for row in data["progress"]:
        course = courses[row["course"]]
        lessons = LessonPage.objects.live().descendant_of(course).order_by("path")[: row["lessons"]]
        for lesson in lessons:
            services.set_lesson_completed(found["users"][row["pupil"]], lesson, course.pk, True)


def invite_codes(data: dict) -> list[str]:
    return [row["code"] for row in data["invites"]]
