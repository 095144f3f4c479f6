"""The pager under long lists (lms/templatetags/pager.py): links to the neighbours only, the
list's other parameters kept and encoded, nothing for one page."""

from django.template import Context, Template

PAGER = Template(
    "{% load pager %}{% pager number count path=path query=query q=q extra_class=extra %}"
)


def render(number, count, path="", query="", q="", extra="") -> str:
    context = {"number": number, "count": count, "path": path, "query": query, "q": q}
    return PAGER.render(Context({**context, "extra": extra}))


def test_one_page_needs_no_pager():
    assert render(1, 1) == "" and render(1, 0) == ""


def test_the_first_middle_and_last_pages():
    first = render(1, 3)
    assert 'rel="prev"' not in first and 'href="?page=2" rel="next"' in first
    assert "Страница 1 из 3" in first
    middle = render(2, 3)
    assert 'href="?page=1" rel="prev"' in middle and 'href="?page=3" rel="next"' in middle
    last = render(3, 3)
    assert 'rel="next"' not in last and "← Назад" in last


def test_the_lists_parameters_ride_along_encoded():
    html = render(2, 3, path="/c/x/standings/", query="sort=name&dir=asc", q='"><script>')
    assert "<script>" not in html
    link = "/c/x/standings/?sort=name&amp;dir=asc&amp;q=%22%3E%3Cscript%3E&amp;page=1"
    assert f'href="{link}"' in html
    assert render(1, 2, extra="standings-pager").startswith('<nav class="pager standings-pager"')
