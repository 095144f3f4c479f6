import pytest

from tests import builders


@pytest.fixture
def course(db):
    return builders.build_course()


@pytest.fixture
def school(db):
    return builders.build_school("a")


@pytest.fixture
def methodologist(db):
    from lms import roles

    return builders.make_user("methodist", roles.METHODOLOGIST)


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread; start every test from the default
    (Russian), so a test's result never depends on the test before it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with an empty cache (rendered markdown, site root paths)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def en(client):
    """The test client, asking for English pages (tests read English messages)."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def english(en):
    """English pages and English strings in the test itself."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def two_schools(db):
    return builders.build_two_schools()
