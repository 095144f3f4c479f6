"""`{% load numbers %}`: points and other Decimals as a reader writes them (lms.numbers).

{{ grade.final_points|number }}                       8,5 (Russian) · 8.5 (English) · 10
{% blocktranslate count n=max|plural_count with points=got|number max=max|number %}
  {{ points }} of {{ max }} point{% plural %}{{ points }} of {{ max }} points
{% endblocktranslate %}"""

from django import template

from lms import numbers

register = template.Library()


@register.filter
def number(value, places: int = 2) -> str:
    """At most two decimal places, no trailing zeros, the active language's decimal mark."""
    return numbers.number(value, int(places))


@register.filter
def plural_count(value) -> int:
    """The count that picks a plural form for a value that may be fractional."""
    return numbers.plural_count(value)
