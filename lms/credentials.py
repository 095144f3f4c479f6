"""Logins, passwords and invite codes for pupils who have no e-mail address.

Pure functions (no database): callers check which login candidates are free and store hashes.
Everything a child has to type from a printed card avoids look-alike characters.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata

# Russian passport transliteration (ICAO Doc 9303, 2013), plus the Ukrainian and Belarusian
# letters that turn up in Russian schools.
_TRANSLIT: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}  # fmt: skip
_DASHES = "-‐‑‒–—"
_LOGIN_MAX = 30
_LOGIN_FALLBACK = "pupil"


def transliterate(text: str) -> str:
    """Lowercase Latin spelling of a (mostly Russian) name; spaces and hyphens are kept.

    One deliberate departure from the passport scheme: "ия" (and Ukrainian "ія") gives "ia",
    not "iia", so Мария is "maria" and Юлия "iulia", as children and parents expect a login.
    """
    text = unicodedata.normalize("NFC", text).lower().replace("ия", "я").replace("ія", "я")
    out: list[str] = []
    for ch in text:
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        elif ch in _DASHES:
            out.append("-")
        else:
            # Latin letters with accents (José, Müller) keep their base letter; the rest
            # (other scripts, emoji, punctuation) is dropped.
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if c.isascii() and c.isalnum()).lower())
    return "".join(out)


def _login_part(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", transliterate(name))


def login_base(last_name: str, first_name: str) -> str:
    """ "ivanova.maria" from ("Иванова", "Мария"): at most 30 characters of [a-z0-9.]."""
    last, first = _login_part(last_name), _login_part(first_name)
    if last and first:
        # Shorten the first name before the last name: the surname identifies the child better.
        room = _LOGIN_MAX - len(last) - 1
        if room < 1:
            last, room = last[: _LOGIN_MAX - 2], 1
        return f"{last}.{first[:room]}"
    return (last or first)[:_LOGIN_MAX] or _LOGIN_FALLBACK


def login_candidates(base: str, count: int = 9) -> list[str]:
    """base, base2, base3, ... — the caller takes the first one nobody uses yet."""
    if count < 1:
        return []
    return [base, *(f"{base}{number}" for number in range(2, count + 1))]


# Passwords look like "ramok-kelud-4827": two pronounceable consonant-vowel words and digits.
# No l/i/o/0/1, so nothing on the printed card can be misread.
CONSONANTS = "bdfghkmnprstvz"  # 14
VOWELS = "aeu"  # 3
DIGITS = "23456789"  # 8
_WORD_PATTERN = "cvcvc"
_WORDS = 2
_DIGIT_COUNT = 4
# Entropy = log2(choices): each word has 14 * 3 * 14 * 3 * 14 = 24,696 spellings, the digits
# 8 ** 4 = 4,096, so 2 * log2(24,696) + 4 * log2(8) = 29.18 + 12 = 41.2 bits (>= 40).
# (CVCV-CVCV-dddd would give only 33.6 bits.)
PASSWORD_ENTROPY_BITS: float = _WORDS * sum(
    math.log2(len(CONSONANTS if kind == "c" else VOWELS)) for kind in _WORD_PATTERN
) + _DIGIT_COUNT * math.log2(len(DIGITS))
# Russian words no child should find on their card. Rejection sampling discards well under 1%
# of passwords, so the entropy above stays practically the same.
_RUDE_SYLLABLES = ("suka", "dura", "muda", "kaka", "ebat", "eban", "peder")


def _password_word() -> str:
    return "".join(secrets.choice(CONSONANTS if kind == "c" else VOWELS) for kind in _WORD_PATTERN)


def generate_password() -> str:
    """A password a 10-year-old can type from a printed card, e.g. "ramok-kelud-4827"."""
    while True:
        words = [_password_word() for _ in range(_WORDS)]
        if not any(rude in word for word in words for rude in _RUDE_SYLLABLES):
            break
    digits = "".join(secrets.choice(DIGITS) for _ in range(_DIGIT_COUNT))
    return "-".join([*words, digits])


INVITE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1
INVITE_CODE_LENGTH = 8
_INVITE_INPUT_MAX = 32
# Cyrillic capitals that look exactly like letters of the alphabet: a child copying the code
# with the Russian keyboard layout on types these instead.
_CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНРСТУХ", "ABEKMHPCTYX")


def generate_invite_code() -> str:
    return "".join(secrets.choice(INVITE_CODE_ALPHABET) for _ in range(INVITE_CODE_LENGTH))


def normalise_invite_code(text: str) -> str:
    """Uppercase without spaces and hyphens; "" for input too long to be a code."""
    if len(text) > _INVITE_INPUT_MAX:
        return ""
    compact = "".join(ch for ch in text if not ch.isspace() and ch not in _DASHES)
    return compact.upper().translate(_CYRILLIC_LOOKALIKES)
