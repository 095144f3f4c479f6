"""What a login may look like, and when two logins are the same login.

Children type their login from a printed card, often on a keyboard left in the Russian layout,
so "Ivanov", "ivanov", "ｉｖａｎｏｖ" (full-width) and "іvanov" (with a Cyrillic "і") must all be
one login, and nobody may register a look-alike of someone else's login to catch their
password. Every login is therefore stored NFKC-normalised, and compared by a key: the login
case-folded, with letters that look like Latin ones (Cyrillic "а", "е", "о", "р", "с", Greek
"ο", …) replaced by them, in the spirit of the skeletons of Unicode TS #39. The key is unique in
the database, so a look-alike of an existing login is "taken", on every database.

Pure functions, no database.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

LOGIN_MAX = 150
PUNCTUATION = frozenset("@.+-_")

# Lower-case letters of other scripts that are drawn like a Latin letter (or nearly).
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g", "ь": "b",
        # Greek
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "η": "n",
        # Latin letters from outside ASCII that read as ASCII ones
        "ı": "i", "ɑ": "a", "ʏ": "y", "ꞵ": "b",
    }
)  # fmt: skip


def normalise_login(text: str) -> str:
    """The login as stored: NFKC (full-width and styled letters become plain ones), trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def login_key(text: str) -> str:
    """The form two logins are compared in: equal keys are the same login."""
    folded = unicodedata.normalize("NFKC", normalise_login(text).casefold())
    return folded.translate(_LOOK_ALIKES)


def _script(char: str) -> str:
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0].lower() if name else "unknown"


def login_problem(text: str) -> str | None:
    """Why this (normalised) login cannot be used, or None. Letters of one script only: a
    login mixing Latin and Cyrillic ("tеacher1" with a Cyrillic "е") is a look-alike."""
    login = normalise_login(text)
    if not login:
        return str(_("Enter a login."))
    scripts = set()
    for char in login:
        if char in PUNCTUATION or (char.isascii() and char.isdigit()):
            continue
        if not char.isalpha():
            return str(_("A login may hold only letters, digits and @ . + - _ (no spaces)."))
        scripts.add(_script(char))
    if not scripts <= {"latin", "cyrillic"}:
        return str(_("A login may use Latin or Cyrillic letters only."))
    if len(scripts) > 1:
        return str(_("A login may not mix Latin and Cyrillic letters: they look alike."))
    if len(login) > LOGIN_MAX:
        return str(_("A login has at most %(max)d characters.") % {"max": LOGIN_MAX})
    return None


@deconstructible
class LoginValidator:
    """The model field's validator, so every form (ours, Django's and Wagtail's admin) applies
    the same rule."""

    def __call__(self, value: str) -> None:
        problem = login_problem(value)
        if problem:
            raise ValidationError(problem, code="invalid_login")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LoginValidator)
