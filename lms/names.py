"""People's names in lists: "Фамилия Имя", sorted by surname.

A list of pupils (a progress grid, a gradebook) reads like a class register: the surname first,
in alphabetical order of surnames. An account with no surname (a display name only, or a login
only) is listed by what it has, among the others by its first letter."""

from __future__ import annotations

from typing import Protocol


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
