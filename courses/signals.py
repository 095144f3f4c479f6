"""Keep derived access data in step: course authors groups, and enrolments of partner schools
when a share is withdrawn."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from courses.models import CourseAuthor, CourseShare


@receiver(post_save, sender=CourseAuthor)
@receiver(post_delete, sender=CourseAuthor)
def course_author_changed(sender, instance: CourseAuthor, **kwargs) -> None:
    from courses.authoring import sync_course_authors
    from courses.models import CoursePage

    course = CoursePage.objects.filter(pk=instance.course_id).first()
    if course is not None:  # gone with its course: the group goes with the course too
        sync_course_authors(course)


@receiver(post_save, sender=CourseShare)
@receiver(post_delete, sender=CourseShare)
def share_changed(sender, instance: CourseShare, **kwargs) -> None:
    from courses.sharing import switch_off_unshared_enrolments

    switch_off_unshared_enrolments()
