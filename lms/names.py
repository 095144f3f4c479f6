"""People's names in lists: "Фамилия Имя", sorted by surname.

A list of pupils (a progress grid, a gradebook) reads like a class register: the surname first,
in alphabetical order of surnames. An account with no surname (a display name only, or a login
only) is listed by what it has, among the others by its first letter."""

from __future__ import annotations

from typing import Protocol

from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Replace


class Named(Protocol):
    first_name: str
    last_name: str
    display_name: str
    username: str


def surname_first(person: Named) -> str:
    """ "Иванова Софья"; with no surname, the display name (or the login)."""
    if person.last_name:
        return f"{person.last_name} {person.first_name}".strip()
    return person.display_name or person.first_name or person.username


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def surname_key(person: Named) -> tuple[str, str, str]:
    """Sorts by surname, then first name, case- and ё-insensitively; the login breaks ties."""
    return (_fold(surname_first(person)), _fold(person.first_name), person.username)


def _folded(expression):
    """_fold in the database: ё as е; lower case (SQLite lowers Latin letters only, and a
    name's capital is its first letter, so Cyrillic names still sort by their letters)."""
    for capital, small in (("Ё", "Е"), ("ё", "е")):
        expression = Replace(expression, Value(capital), Value(small))
    return Lower(expression)


def surname_order() -> tuple:
    """surname_key as an order_by() for a list the database sorts and pages (the school's
    pupils): by what surname_first shows, then the first name, then the login."""
    shown = Case(
        When(
            last_name="",
            then=Coalesce(
                NullIf(F("display_name"), Value("")),
                NullIf(F("first_name"), Value("")),
                F("username"),
            ),
        ),
        default=Concat(F("last_name"), Value(" "), F("first_name")),
    )
    return (_folded(shown), _folded(F("first_name")), F("username"))
