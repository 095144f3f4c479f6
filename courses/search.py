"""Search across courses and lessons, showing only what the user may open."""

import re
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from wagtail.models import Page

from courses import permissions as course_permissions
from courses.models import CoursePage, LessonPage

MAX_QUERY_LENGTH = 200
# Search is for words: quotes, brackets and operators would reach the full-text engine's own
# query syntax (SQLite FTS5 fails on an unbalanced quote), so only letters, digits and hyphens.
_NOT_A_WORD = re.compile(r"[^\w\-]+")
PER_PAGE = 20


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    words = " ".join(_NOT_A_WORD.sub(" ", query).replace("_", " ").split())
    page_obj = None
    if words:
        types = ContentType.objects.get_for_models(CoursePage, LessonPage)
        # Course overviews are public; lessons only where the user may open them.
        condition = Q(content_type=types[CoursePage]) | (
            Q(content_type=types[LessonPage]) & course_permissions.visible_pages_q(request.user)
        )
        found = Page.objects.live().filter(condition).specific().search(words, operator="and")
        paginator = Paginator(found, PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
    context = {
        "query": query,
        "page_obj": page_obj,
        # A visitor is told that logging in searches more, never what it would find.
        "more_after_login": course_permissions.search_hides_lessons(request.user),
        "login_next": f"{reverse('search')}?{urlencode({'q': query})}",
    }
    return render(request, "courses/search.html", context)
