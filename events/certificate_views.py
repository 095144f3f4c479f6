"""Certificate pages: the public check page (with "check the name on the paper"), the PDF,
"my certificates" and issuing an event's certificates. Thin: the rules are in
events.certificates, the drawing in events.certificate_pdf."""

from __future__ import annotations

import re
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import certificates, permissions, rate_limits
from events.certificate_pdf import heading, park_name, render_pdf
from events.models import Certificate
from lms.text import clean_line

NOT_FOUND_TEMPLATE = "events/certificates/not_found.html"
PER_PAGE = 50


class NameCheckForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Full name as printed on the certificate"),
        max_length=certificates.NAME_CHECK_MAX_LENGTH,
    )


def _name_checks_used_up(request, certificate: Certificate) -> bool:
    """A few checks a day per certificate (events.certificates), and per address."""
    per_address = int(getattr(settings, "LMS_CERTIFICATE_NAME_CHECKS_PER_ADDRESS_PER_HOUR", 30))
    by_address = rate_limits.too_many(request, "certificate-name", limit=per_address, window=3600)
    return not certificates.take_name_check(certificate.code) or by_address


def _not_found(request, typed: str = ""):
    typed = clean_line(typed)[:40]
    return render(request, NOT_FOUND_TEMPLATE, {"typed": typed}, status=404)


@require_GET
def lookup(request):
    """The "check a certificate" form: to the check page of the code typed."""
    typed = request.GET.get("code", "")
    code = certificates.normalise_code(typed)
    if code is None:
        return _not_found(request, typed)
    return redirect("certificates:check", code)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def check(request, code: str):
    """Public: whether a certificate is genuine, with what a public page may show of it."""
    normal = certificates.normalise_code(code)
    if normal is None:
        return _not_found(request, code)
    if normal != code and request.method != "POST":
        return redirect("certificates:check", normal)
    certificate = Certificate.objects.filter(code=normal).first()
    if certificate is None:
        return _not_found(request, code)
    form, result, status = NameCheckForm(), None, 200
    if request.method == "POST" and not certificate.revoked_at:
        form = NameCheckForm(request.POST)
        if form.is_valid():
            if _name_checks_used_up(request, certificate):
                result, status = "throttled", 429
            elif certificates.name_matches(certificate, form.cleaned_data["name"]):
                result = "match"
            else:
                result = "mismatch"
            form = NameCheckForm()  # the typed name is not shown back
    context = {
        "certificate": certificate,
        "heading": heading(certificate.kind),
        "park": park_name(),
        "form": form,
        "result": result,
        "can_download": not certificate.revoked_at
        and certificates.can_download(request.user, certificate),
    }
    return render(request, "events/certificates/check.html", context, status=status)


def _download_name(certificate: Certificate) -> str:
    readable = clean_line(
        f"{heading(certificate.kind)} {certificate.holder_name} {certificate.code}"
    )
    readable = " ".join(re.sub(r'[\\/:*?"<>|;,]+', " ", readable).split())[:150]
    return f"{readable}.pdf"


def pdf_response(certificate: Certificate) -> HttpResponse:
    """The certificate's PDF as a download; 404 for a revoked one. Whoever calls it has
    decided that the person may have it (the PDF bears the full name)."""
    if certificate.revoked_at:
        raise Http404
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}.pdf"; '
        f"filename*=UTF-8''{quote(_download_name(certificate), safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def pdf(request, code: str):
    """The PDF: for the holder, whoever registered them (or teaches them) and park staff."""
    certificate = certificates.by_code(code)
    if certificate is None or not certificates.can_download(request.user, certificate):
        raise Http404
    return pdf_response(certificate)


@login_required
@require_GET
def mine(request):
    """My certificates, and those of the people I registered."""
    found = Certificate.objects.filter(certificates.mine_q(request.user)).order_by(
        "-issued_at", "-pk"
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/certificates/mine.html", {"page_obj": page})


def _issued_message(issued: int, already: int) -> str:
    if not issued and not already:
        return _("Nobody is marked as come yet, so there is no one to issue certificates to.")
    parts = [
        ngettext("Issued %(count)d certificate.", "Issued %(count)d certificates.", issued)
        % {"count": issued}
    ]
    if already:
        parts.append(
            ngettext(
                "%(count)d person already had one.", "%(count)d people already had one.", already
            )
            % {"count": already}
        )
    return " ".join(parts)


@login_required
@require_POST
def issue_for_event(request, event_id: int):
    """Park staff: certificates for everyone who came to the event."""
    event = permissions.event_to_run_or_404(request.user, event_id)
    reason = certificates.refusal(event)
    if reason:
        messages.warning(request, reason)
    else:
        issued, already = certificates.issue_for_event(event)
        messages.success(request, _issued_message(issued, already))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = event.get_url(request) or "/"
    return redirect(back)
