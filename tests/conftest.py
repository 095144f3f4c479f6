import pytest

from tests import builders, parallel, scenario

# --- Shared scenarios (tests/scenario.py): built once, each test rolled back on top of them ------


@scenario.shared
def course():
    return builders.build_course()


@scenario.shared
def school():
    return builders.build_school("a")


@scenario.shared
def two_schools():
    return builders.build_two_schools()


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(items):
    """Tests of a module that need the same shared layers run one after the other."""
    scenario.order(items)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Right before pytest-django opens a test's transaction: the shared layers it needs."""
    if fixturedef.argname == "_django_db_helper":
        scenario.sync(request)
    return (yield)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A transactional test or one without a database starts from no shared layers (before its
    fixtures: the e2e browser and live server come up on a clean database)."""
    if not scenario.uses_shared_db(item):
        scenario.close_all()


@pytest.fixture(scope="session")
def _shared_scenarios_closed_at_the_end(django_db_setup):
    yield
    scenario.close_all()


def pytest_terminal_summary(terminalreporter):
    builds = scenario.STATE.builds + getattr(terminalreporter.config, "_scenario_worker_builds", 0)
    if builds:
        terminalreporter.write_line(f"shared scenario layers built: {builds}")


# --- Several processes (pytest-xdist, tests/parallel.py) ----------------------------------------


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """loadfile and loadscope keep the collection's order in every worker."""
    return parallel.make_scheduler(config, log)


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: its count goes to the controller's summary
        workeroutput["scenario_builds"] = scenario.STATE.builds


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    config = node.config
    builds = getattr(node, "workeroutput", {}).get("scenario_builds", 0)
    config._scenario_worker_builds = getattr(config, "_scenario_worker_builds", 0) + builds


@pytest.fixture(scope="session", autouse=True)
def _own_redis_database_per_worker():
    """With REDIS_URL set, each xdist worker caches in its own Redis database: tests clear the
    cache (FLUSHDB), and must not clear another worker's sessions."""
    from django.conf import settings
    from django.test import override_settings

    caches = parallel.worker_caches(settings.CACHES)
    if caches is None:
        yield
        return
    with override_settings(CACHES=caches):
        yield


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
