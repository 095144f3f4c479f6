"""Registering: oneself, a teacher's pupils, a visitor without an account; one's registration
page (by its secret link), "My events". Each view parses, calls one service in
events.registering and renders or redirects with the service's words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from events import audience, permissions, registering
from events.forms import GuestForm, PupilsForm
from events.models import Certificate, EventPage, Registration
from events.rate_limits import too_many
from events.registering import Refused

Status = Registration.Status


def _open_event(event_id: int) -> EventPage:
    """A live, public event (drafts and private pages are not there for registering)."""
    event = EventPage.objects.live().public().filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def _said(request: HttpRequest, registration: Registration, created: bool) -> None:
    if not created:
        messages.info(request, _("You are already registered: here is your registration."))
    elif registration.status == Status.WAITING:
        messages.warning(request, _("The places are taken: you are on the waiting list."))
    elif registration.status == Status.PENDING:
        messages.info(request, _("Received: the organisers will confirm your registration."))
    else:
        messages.success(request, _("You are registered."))


@require_POST
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _open_event(event_id)
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    try:
        registration, created = registering.register_self(
            event, request.user, school_class=request.POST.get("school_class")
        )
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect(event.url)
    _said(request, registration, created)
    return redirect("events:registration", registration.code)


@login_required
@require_http_methods(["GET", "POST"])
def register_group(request: HttpRequest, event_id: int) -> HttpResponse:
    """A teacher chooses a group, then its pupils (all ticked at first) and their class."""
    event = _open_event(event_id)
    groups = list(permissions.groups_to_register(request.user).order_by("name"))
    if not groups:
        raise Http404
    chosen = _chosen_group(request, groups)
    pupils = list(
        permissions.pupils_to_register(request.user, chosen).order_by("last_name", "first_name")
    )
    registered = set(
        Registration.objects.filter(
            event=event, user__in=pupils, status__in=Registration.ACTIVE
        ).values_list("user_id", flat=True)
    )
    form = PupilsForm(request.POST or None, pupils=pupils, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = registering.register_pupils(
                event,
                request.user,
                chosen,
                form.cleaned_data["pupils"],
                school_class=form.cleaned_data["school_class"],
            )
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _outcome_text(outcome))
            return redirect("events:mine")
    return render(
        request,
        "events/register_group.html",
        {
            "event": event,
            "page": event,
            "groups": groups,
            "group": chosen,
            "form": form,
            "registered": registered,
            "places_left": registering.places_left(event),
            "refusal": audience.window_refusal(event) or audience.source_refusal(event, "teacher"),
            "classes": audience.classes_label(event),
        },
    )


def _chosen_group(request: HttpRequest, groups: list):
    raw = request.POST.get("group") or request.GET.get("group")
    if raw is None:
        return groups[0]
    for group in groups:
        if str(group.pk) == raw:
            return group
    raise Http404  # another school's group, or garbage


def _outcome_text(outcome: registering.Outcome) -> str:
    parts = [
        _("Registered: %(n)d.") % {"n": outcome.count(Status.CONFIRMED)},
    ]
    if outcome.count(Status.WAITING):
        parts.append(_("On the waiting list: %(n)d.") % {"n": outcome.count(Status.WAITING)})
    if outcome.count(Status.PENDING):
        parts.append(_("Awaiting the organisers: %(n)d.") % {"n": outcome.count(Status.PENDING)})
    if outcome.already:
        parts.append(_("Already registered before: %(n)d.") % {"n": len(outcome.already)})
    return " ".join(parts)


@require_http_methods(["GET", "POST"])
def register_guest(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _open_event(event_id)
    if not event.guests_register:
        raise Http404
    form = GuestForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        if too_many(request, "event-guest", limit=30, window=3600):
            messages.error(request, _("Too many registrations from here: try again in an hour."))
        else:
            try:
                registration = registering.register_guest(event, **form.cleaned_data)
            except Refused as refused:
                messages.error(request, refused.message)
            else:
                return render(
                    request,
                    "events/guest_sent.html",
                    {"event": event, "page": event, "email": registration.email},
                )
    return render(
        request,
        "events/register_guest.html",
        {"event": event, "page": event, "form": form, "refusal": audience.window_refusal(event)},
    )


def _by_code(code: str) -> Registration:
    if len(code) > 40:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("event", "user", "registered_by"), code=code
    )


@never_cache  # a person's registration behind a secret link: no shared cache keeps it
def registration(request: HttpRequest, code: str) -> HttpResponse:
    """One registration, reached by its secret link (e-mailed to visitors, linked from one's
    notifications and "My events"): status, the QR for the entrance, the actions."""
    from events import presenting

    item = _by_code(code)
    return render(request, "events/registration.html", presenting.registration_context(item))


ACTIONS = {
    "confirm-email": lambda r: registering.confirm_email(r),
    "accept": lambda r: registering.accept_offer(r),
    "cancel": lambda r: registering.cancel(r),
}
DONE = {
    "confirm-email": lambda: _("Your e-mail is confirmed."),
    "accept": lambda: _("The place is yours: you are registered."),
    "cancel": lambda: _("The registration is cancelled."),
}


@require_POST
def registration_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    item = _by_code(code)
    if action not in ACTIONS:
        raise Http404
    try:
        item = ACTIONS[action](item)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, DONE[action]())
        if action == "confirm-email":
            _said(request, item, True)
    return redirect("events:registration", item.code)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My events: one's own registrations, and those one made for pupils, by event."""
    from events import presenting

    return render(request, "events/mine.html", presenting.mine_context(request.user))


@login_required
@require_POST
def cancel_mine(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Cancel one of "My events" (one's own or a pupil one registered)."""
    item = permissions.registration_or_404(request.user, registration_id)
    try:
        registering.cancel(item, by_staff=permissions.can_run_event(request.user, item.event))
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("%(name)s: the registration is cancelled.") % {"name": item.full_name}
        )
    return redirect("events:mine")


def registration_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate of a registration, by its secret link: how a visitor without an account
    (or a pupil a teacher registered) downloads it."""
    from events import certificates
    from events.certificate_views import pdf_response

    key = certificates.registration_key(_by_code(code).pk)
    certificate = Certificate.objects.filter(source_key=key, revoked_at__isnull=True).first()
    if certificate is None:
        raise Http404
    return pdf_response(certificate)
