"""Numbers as a reader writes them: "8,5 из 10" in Russian, "8.5 of 10" in English.

Points are Decimals with two places (`8.50`, `10.00`); shown as they are stored they read like a
bank statement. `number` rounds to at most two places, drops the trailing zeros and uses the
active language's decimal separator (Django's `formats.number_format`).

`plural_count` is the number to hand to `ngettext` / `{% blocktranslate count %}` for a value
that may be fractional. gettext picks plural forms by whole numbers only (Python warns on a
fraction, and rounds it in some versions). A fraction takes the form of "2" in both our
languages: "8,5 балла" like "2 балла", "8.5 points" like "2 points". So a whole value is passed
as itself and a fractional one as 2."""

from __future__ import annotations

from contextlib import suppress
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

# A fraction picks the plural form of this whole number (see the module's docstring).
FRACTION_FORM = 2


def as_decimal(value) -> Decimal | None:
    """The value as a finite Decimal, or None (None, "", text that is no number, NaN)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def rounded(value, places: int = 2) -> Decimal | None:
    """At most `places` decimal places, trailing zeros dropped: 8.50 → 8.5, 10.00 → 10."""
    d = as_decimal(value)
    if d is None:
        return None
    with suppress(InvalidOperation):  # too many digits for the context: keep it as it is
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if d == 0:
        return Decimal(0)  # never "-0"
    # normalize() writes 10 as 1E+1; number_format prints it in plain digits again.
    return d.normalize()


def number(value, places: int = 2) -> str:
    """ "8,5" (Russian) / "8.5" (English); "" for None; text that is no number stays as it is."""
    d = rounded(value, places)
    if d is None:
        return "" if value is None else str(value)
    return formats.number_format(d, use_l10n=True)


def plural_count(value, places: int = 2) -> int:
    """The whole number whose plural form suits `value` (shown rounded to `places`)."""
    d = rounded(value, places)
    if d is None:
        return 0
    if d == d.to_integral_value():
        return abs(int(d))
    return FRACTION_FORM
