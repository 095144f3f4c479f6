"""Content-Security-Policy: strict on the site, relaxed only where Wagtail's admin needs it.

The site runs no inline script: `script-src 'self'` plus a per-request nonce (django-csp) for a
template that ever needs one (`<script nonce="{{ request.csp_nonce }}">`). Pictures come only
from this site or data: URLs it made (`img-src 'self' data:`), so a pupil's or teacher's text
cannot load a tracking pixel. The admin (Wagtail's and Django's) uses inline scripts, and blob:
previews of uploads; it gets those, and only it."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_POLICY = {
    "script-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIXES):
            # A nonce would make browsers ignore 'unsafe-inline' (CSP level 2), which the admin
            # needs; the admin renders no nonce anyway.
            parts.replace = {**ADMIN_POLICY, **(parts.replace or {})}
            parts.nonce = None
        return parts
