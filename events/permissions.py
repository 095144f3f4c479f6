"""Who may do what with events, built on lms.permissions.

- Park staff (teachers and school admins of a host park, methodologists, platform staff) run
  events: the registrations list, moderation, check-in, walk-ins, certificates, the report.
- A teacher or school admin of any school registers pupils of the groups they manage (a
  school admin: of their school's groups), and sees those registrations.
- Everyone sees their own registrations; a visitor without an account reaches theirs by the
  secret link they were e-mailed.
Objects one may not see answer 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from events.models import EventPage, Registration
from lms import permissions, roles
from lms.models import School, StudyGroup, User
from lms.permissions import AnyUser


def is_park_staff(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or permissions.is_methodologist(user):
        return True
    if not permissions.user_roles(user) & {roles.TEACHER, roles.SCHOOL_ADMIN}:
        return False
    cached = getattr(user, "_events_host_staff", None)
    if cached is None:
        cached = School.objects.filter(pk=user.school_id, kind=School.Kind.HOST).exists()
        user._events_host_staff = cached
    return cached


def can_run_event(user: AnyUser, event: EventPage) -> bool:
    """Registrations list, moderation, check-in, walk-ins, certificates of one event."""
    return is_park_staff(user)


def event_to_run_or_404(user: AnyUser, event_id: int) -> EventPage:
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None or not can_run_event(user, event):
        raise Http404
    return event


def can_see_report(user: AnyUser) -> bool:
    return is_park_staff(user)


def groups_to_register(user: AnyUser) -> QuerySet[StudyGroup]:
    """The groups whose pupils this user may register (teachers: groups they manage)."""
    if not user.is_authenticated or not permissions.is_school_staff(user):
        return StudyGroup.objects.none()
    return permissions.groups_with(user, permissions.MANAGE_GROUP).select_related("school")


def pupils_to_register(user: AnyUser, group: StudyGroup) -> QuerySet[User]:
    if not groups_to_register(user).filter(pk=group.pk).exists():
        return User.objects.none()
    return User.objects.pupils_of(group).filter(is_active=True)


def registrations_visible_q(user: AnyUser) -> Q:
    """A filter for registrations: one's own, those one made, and pupils one may manage; all
    for park staff."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_park_staff(user):
        return Q()
    managed = User.objects.filter(permissions.pupils_visible_q(user, permissions.MANAGE_GROUP))
    return Q(user=user) | Q(registered_by=user) | Q(user__in=managed.values("pk"))


def can_see_registration(user: AnyUser, registration: Registration) -> bool:
    return Registration.objects.filter(registrations_visible_q(user), pk=registration.pk).exists()


def can_cancel_registration(user: AnyUser, registration: Registration) -> bool:
    """The person, whoever registered them, and park staff; not once the event has begun."""
    return can_see_registration(user, registration)


def registration_or_404(user: AnyUser, registration_id: int) -> Registration:
    registration = (
        Registration.objects.filter(registrations_visible_q(user), pk=registration_id)
        .select_related("event")
        .first()
    )
    if registration is None:
        raise Http404
    return registration
