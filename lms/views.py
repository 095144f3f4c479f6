"""Account views: logging in (landing by role), language choice (remembered on the profile),
password change and the error pages."""

import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from lms import accounts, landing
from lms.forms import LoginForm
from lms.refusals import ExplainedRefusal


@csrf_exempt
@require_POST
def set_language(request):
    """Django's language switch, plus: a logged-in user keeps the choice on every device.

    A visitor who is not logged in switches without a CSRF token: their pages are cached whole
    for everybody (cms.public_cache), so they cannot carry one, and what a forged switch could
    do is set a cookie's language. A logged-in user's choice is stored in the profile: checked."""
    if request.user.is_authenticated:
        return _set_language_checked(request)
    return _switch_language(request)


@csrf_protect
def _set_language_checked(request):
    return _switch_language(request)


def _switch_language(request):
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and check_for_language(language)
        and language in dict(settings.LANGUAGES)
    ):
        accounts.remember_language(request.user, language)
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """Django calls this inside the failed request's `except`: an exception that says the
    database is out of reach (restarting, failing over) is a 503 with a page asking to send
    again in a moment, not "something went wrong"; what was not committed is not stored."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    reason = str(exception) if isinstance(exception, ExplainedRefusal) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def bad_request(request, exception=None):
    if isinstance(exception, DisallowedHost):
        # The page chrome builds URLs from the host (Wagtail's site, links): a plain page.
        return HttpResponseBadRequest(render_to_string("400_host.html"))
    return render(request, "400.html", status=400)


class LoginView(DjangoLoginView):
    """Django's login; without a `?next=` (which Django accepts only on this site), each role
    lands where its work is (lms.landing). A login card's QR code opens it with
    `?username=…`, which fills the login in (lms.forms.LoginForm says what it accepts)."""

    redirect_authenticated_user = True
    form_class = LoginForm

    def get_initial(self):
        initial = super().get_initial()
        login = LoginForm.login_from_link(self.request.GET.get("username", ""))
        if login:
            initial["username"] = login
        return initial

    def get_default_redirect_url(self):
        return landing.landing_url(self.request.user)


class ChangePasswordView(PasswordChangeView):
    """Pupils may swap the password from their login card for one they chose."""

    template_name = "registration/password_change.html"

    def get_success_url(self):
        return landing.landing_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps the session valid (update_session_auth_hash)
        messages.success(self.request, _("Your password has been changed."))
        return response
