"""A user's access facts kept in the shared cache between requests.

Which roles a user holds, which groups they may view, which courses and modules their groups
take, which courses they co-author: each is one query, and every logged-in page asks for some of
them. They change rarely (an enrolment, a membership, a role), so they are kept per user in the
shared cache under the *access generation*, a random token that any such change moves
(`access_changed`, connected to the models' signals in lms.signals and courses.signals, and
called by the few bulk writes that send no signal). An entry made under an older token is never
read again, on any node.

The key holds the user fields the facts depend on (school, staff and superuser flags), so a
change of those is a new key without moving the generation for everybody. The user object is
still loaded from the database every request (Django's session check needs it), so those fields
are always current.

A value is computed only after the generation has been read, and stored tagged with that
generation: a change that lands meanwhile moves the token, and the value, possibly computed
from the old rows, is ignored. A cache that is down costs the queries and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from lms import generations

GENERATION_KEY = "lms:access:generation"
# Bumped when the shape of a stored fact changes (a release then reads nothing old).
ACCESS_CACHE_VERSION = "1"
# What a missed invalidation could cost at most: the facts are computed again after this.
ACCESS_CACHE_SECONDS = 600

T = TypeVar("T")


def access_changed(**_kwargs) -> None:
    """A membership, enrolment, group, grant, role or authorship changed: nobody's cached
    access is read again once the change commits (and at once, for readers in this
    transaction and for tests, which never commit)."""
    generations.changed(GENERATION_KEY)


def _key(user) -> str:
    flags = f"{int(user.is_superuser)}{int(user.is_staff)}"
    return f"lms:access:{ACCESS_CACHE_VERSION}:{user.pk}:{user.school_id or 0}:{flags}"


class _Snapshot:
    """The facts of one user read from the cache once per request (kept on the user object)."""

    __slots__ = ("facts", "generation", "key")

    def __init__(self, key: str, generation: tuple[str, ...] | None, facts: dict) -> None:
        self.key = key
        self.generation = generation  # None: the cache failed; compute, store nothing
        self.facts = facts


def _snapshot(user) -> _Snapshot:
    snapshot = getattr(user, "_lms_access_snapshot", None)
    if snapshot is not None:
        return snapshot
    key = _key(user)
    facts, generation = generations.read(key, GENERATION_KEY)
    snapshot = _Snapshot(key, generation, dict(facts or {}))
    user._lms_access_snapshot = snapshot
    return snapshot


def remembered(user, name: str, compute: Callable[[], T]) -> T:
    """The fact `name` of a logged-in user: from the shared cache when it was computed under
    the current access generation, else `compute()` (and stored for the next request)."""
    snapshot = _snapshot(user)
    if name in snapshot.facts:
        return snapshot.facts[name]  # type: ignore[return-value]
    value = compute()
    snapshot.facts[name] = value
    generations.write(snapshot.key, snapshot.generation, snapshot.facts, ACCESS_CACHE_SECONDS)
    return value
