"""What the home page (a cms page) shows of the catalogue: the template asks here, so cms needs
no import of courses."""

from django import template
from wagtail.models import Page

from courses import services
from courses.models import CatalogPage

register = template.Library()


@register.simple_tag
def home_catalogue(home_page: Page) -> dict:
    """The catalogue below the home page and its live courses, in outline order."""
    catalog = CatalogPage.objects.live().child_of(home_page).first()
    return {"catalog": catalog, "courses": services.catalogue_courses(catalog) if catalog else []}
