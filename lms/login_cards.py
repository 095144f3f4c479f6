"""Passwords in clear live only in the session of the teacher who just created or reset them,
long enough to print the cards; a few recent batches are kept, the oldest dropped."""

from __future__ import annotations

import secrets

from django.http import HttpRequest

from lms.accounts import Credential

SESSION_KEY = "lms_login_cards"
KEEP_BATCHES = 3


def remember(request: HttpRequest, group_id: int | None, cards: list[Credential]) -> str:
    token = secrets.token_urlsafe(12)
    batches = list(request.session.get(SESSION_KEY, []))[-(KEEP_BATCHES - 1) :]
    batches.append(
        {"token": token, "group_id": group_id, "cards": [card.as_dict() for card in cards]}
    )
    request.session[SESSION_KEY] = batches
    return token


def recall(request: HttpRequest, token: str, group_id: int | None) -> list[Credential] | None:
    for batch in request.session.get(SESSION_KEY, []):
        if batch["token"] == token and batch["group_id"] == group_id:
            return [Credential(**card) for card in batch["cards"]]
    return None
