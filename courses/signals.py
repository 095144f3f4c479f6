"""Keep derived access data in step: course authors groups, each course's document
collection, and enrolments of partner schools when a share is withdrawn."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move

from courses import progress_cache
from courses.models import CourseAuthor, CoursePage, CourseShare, Enrolment, LessonProgress
from lms.access_cache import access_changed

# What pupils and staff may open follows enrolments and authorship (lms.access_cache); a
# pupil's enrolments are kept with their modules' tree paths, which a page move changes.
for _model in (Enrolment, CourseAuthor):
    post_save.connect(access_changed, sender=_model, dispatch_uid=f"access-{_model.__name__}")
    post_delete.connect(access_changed, sender=_model, dispatch_uid=f"access-d-{_model.__name__}")
post_page_move.connect(access_changed, dispatch_uid="access-page-moved")

# A pupil's cached progress rows follow every write of them (courses.progress_cache).
post_save.connect(progress_cache.progress_saved, sender=LessonProgress, dispatch_uid="progress")
post_delete.connect(progress_cache.progress_saved, sender=LessonProgress, dispatch_uid="progress-d")


@receiver(post_save, sender=CoursePage)
def course_saved(sender, instance: CoursePage, created: bool, raw: bool = False, **kwargs) -> None:
    """A new course gets its document collection at once (its authors upload there); a
    renamed course renames it, so the admin's collection list reads like the catalogue."""
    if raw:  # loading fixtures: the collection rows come with them
        return
    from courses import documents

    if created:
        documents.course_collection(instance)
    else:
        documents.rename_course_collection(instance)


@receiver(post_save, sender=CourseAuthor)
@receiver(post_delete, sender=CourseAuthor)
def course_author_changed(sender, instance: CourseAuthor, **kwargs) -> None:
    from courses.authoring import sync_course_authors

    course = CoursePage.objects.filter(pk=instance.course_id).first()
    if course is not None:  # gone with its course: the group goes with the course too
        sync_course_authors(course)


@receiver(post_save, sender=CourseShare)
@receiver(post_delete, sender=CourseShare)
def share_changed(sender, instance: CourseShare, **kwargs) -> None:
    from courses.sharing import switch_off_unshared_enrolments

    switch_off_unshared_enrolments()
