"""`{% login_qr login_url card.username %}`: the QR code of a login card (lms.login_cards)."""

from django import template

from lms import login_cards

register = template.Library()


@register.simple_tag
def login_qr(login_url: str, username: str):
    return login_cards.login_qr(login_url, username)
