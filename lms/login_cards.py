"""Passwords in clear live only in the session of the teacher who just created or reset them,
long enough to print the cards; a few recent batches are kept, the oldest dropped.

Each printed card carries a QR code of the login page with the card's login filled in
(`/login/?username=…`); the password is never in the code, so a photographed card's QR code
gives away no more than the login printed beside it."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from lms import qr
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


def login_link(login_url: str, username: str) -> str:
    """The login page with this login filled in: what a card's QR code opens."""
    return f"{login_url}?{urlencode({'username': username})}"


def login_qr(login_url: str, username: str) -> SafeString:
    """The card's QR code as inline SVG (segno escapes its one text, the title; the link is
    drawn, not written, into the picture)."""
    return mark_safe(qr.svg(login_link(login_url, username), scale=4, fluid=True))  # noqa: S308
