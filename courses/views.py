"""Thin views: they read the request, ask services and permissions, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import permissions as course_permissions
from courses import pupil_work, services
from courses.models import LessonPage


@login_required
def my_courses(request):
    """The user's home: for a pupil, what to do next (work due and returned, from the app that
    owns it: courses.pupil_work; the next lesson), then their courses."""
    cards = services.my_courses(request)
    context = {"cards": cards, "next_lesson": services.next_lesson(cards)}
    if any(card.access.as_pupil for card in cards):
        context.update(pupil_work.home(request))
    return render(request, "courses/my_courses.html", context)


@login_required
@require_POST
def mark_lesson(request, lesson_id: int):
    """Mark a lesson done (done=1) or not done (done=0). Repeating it is harmless."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404
    module = services.lesson_module(lesson)
    course_id = module.get_parent().pk
    access = course_permissions.course_access(request.user, course_id)
    if not access.allows_module(module.pk):
        raise Http404
    if not access.as_pupil:
        messages.info(request, _("Only pupils record progress; you are viewing as staff."))
        return redirect(lesson.get_url(request))
    done = request.POST.get("done", "1") == "1"
    services.set_lesson_completed(request.user, lesson, course_id, done)
    if done:
        messages.success(request, _("Lesson marked as done. Well done!"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = lesson.get_url(request)
    return redirect(target)
