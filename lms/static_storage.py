"""The static files' storage: WhiteNoise's compressed manifest storage, with each file's URL
remembered once looked up.

The manifest of hashed names is read when the process starts and does not change while it runs
(a new release is a new process), so `url()` is a pure function of the name: a page's seven
`{% static %}` tags were a tenth of its rendering. Bounded, in case a caller builds names."""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

REMEMBERED_URLS = 1000


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._remembered: dict[str, str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if force or settings.DEBUG:
            return super().url(name, force)
        found = self._remembered.get(name)
        if found is None:
            found = super().url(name)  # a name missing from the manifest raises, as before
            if len(self._remembered) < REMEMBERED_URLS:
                self._remembered[name] = found
        return found
