"""Per-request language and time zone from the user's own preferences.

The language comes from the user's profile (else LocaleMiddleware's choice: cookie, browser,
Russian); the time zone is the school's, kept in the session at login so no query is needed."""

import zoneinfo

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

SESSION_TIME_ZONE = "lms_time_zone"


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        tz_name = request.session.get(SESSION_TIME_ZONE) if hasattr(request, "session") else None
        if tz_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class RussianFirstLocaleMiddleware(LocaleMiddleware):
    """Russian unless the person chose otherwise (language cookie or profile).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a school computer
    with an English Windows would greet a Russian child in English."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
