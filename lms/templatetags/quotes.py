"""`{% load quotes %}`: a title put inside a message's quotes without doubling them (lms.quotes).

{% blocktranslate with title=lesson.title|inner_quotes %}
  The lesson “{{ title }}” is not available to you.
{% endblocktranslate %}"""

from django import template

from lms import quotes

register = template.Library()


@register.filter
def inner_quotes(value) -> str:
    """«Проект „Угадай число“», not «Проект «Угадай число»»."""
    return quotes.inner_quotes(value)
