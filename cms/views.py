"""Search across courses and lessons, showing only what the user may open."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.shortcuts import render
from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from lms import permissions

MAX_QUERY_LENGTH = 200
PER_PAGE = 20


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page_obj = None
    if query:
        types = ContentType.objects.get_for_models(CoursePage, LessonPage)
        # Course overviews are public; lessons only where the user may open them.
        condition = Q(content_type=types[CoursePage]) | (
            Q(content_type=types[LessonPage]) & permissions.visible_pages_q(request.user)
        )
        found = Page.objects.live().filter(condition).specific().search(query, operator="and")
        paginator = Paginator(found, PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
    return render(request, "cms/search.html", {"query": query, "page_obj": page_obj})
