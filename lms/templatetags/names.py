"""`{% load names %}`: a person as a list shows them, "Фамилия Имя" (lms.names).

{{ pupil|surname_first }}   Иванова Софья; with no surname, the display name or the login"""

from django import template

from lms import names

register = template.Library()


@register.filter
def surname_first(person) -> str:
    return "" if person is None else names.surname_first(person)
