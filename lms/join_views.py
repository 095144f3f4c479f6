"""A pupil joins a group with an invite code, typed in or opened as a link / QR code.

A visitor (not logged in) opening /join/ is told what an invite code is and that joining needs
their login first; a code they type is kept for after the login (`?next=` the code's page),
without looking it up: whether a code exists is told only to someone logged in."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lms import invitations
from lms.credentials import normalise_invite_code
from lms.forms import JoinForm
from lms.quotes import inner_quotes

_CODE_SHAPE = re.compile(r"[A-Z0-9]{4,16}")


def join_form(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = normalise_invite_code(form.cleaned_data["code"])
        if _CODE_SHAPE.fullmatch(code):
            if not request.user.is_authenticated:
                return redirect_to_login(reverse("join_code", args=[code]))
            return redirect("join_code", code=code)
        form.add_error(
            "code", _("There is no invite with this code. Check the letters and digits.")
        )
    if not request.user.is_authenticated:
        return render(request, "join/visitor.html", {"form": form})
    return render(request, "join/form.html", {"form": form})


@login_required
def join_code(request, code: str):
    invite = invitations.find_invite(code)
    if request.method == "POST":
        try:
            result = invitations.join(request.user, code)
        except invitations.JoinError as error:
            return render(request, "join/code.html", {"invite": invite, "refusal": str(error)})
        if result.already_member:
            messages.info(
                request,
                _("You are already in %(group)s.") % {"group": inner_quotes(result.group.name)},
            )
        else:
            messages.success(
                request, _("Welcome to %(group)s!") % {"group": inner_quotes(result.group.name)}
            )
        return redirect("courses:my_courses")
    refusal = invitations.refusal(invite, request.user)
    return render(request, "join/code.html", {"invite": invite, "refusal": refusal})
