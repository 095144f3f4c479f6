"""What the home page (a cms page) shows of the catalogue: the template asks here, so cms needs
no import of courses."""

from django import template
from wagtail.models import Page

from courses import services
from courses.models import CataloguePage

register = template.Library()


@register.simple_tag
def home_catalogue(home_page: Page) -> dict:
    """The catalogue below the home page and its live courses, in outline order."""
    catalogue = CataloguePage.objects.live().child_of(home_page).first()
    courses = services.catalogue_courses(catalogue) if catalogue else []
    return {"catalogue": catalogue, "courses": courses}
