"""Scenarios built once and shared by many tests, the way Django's ``TestCase.setUpTestData`` works.

Building the two-schools scenario (Wagtail pages published with revisions, users, groups,
guardian rows) costs far more than most tests that use it. A builder decorated with
:func:`shared` becomes a function-scoped fixture of the same name, but its rows are written
once, in a transaction left open underneath the tests, and every test runs in pytest-django's
own transaction -- a savepoint on top of it -- that is rolled back afterwards.

How it works:

* Each shared builder is a *layer*: ``transaction.atomic()`` entered by hand (the first one
  opens the real transaction, the others are savepoints), the builder's return value, and the
  clean-ups of the files it wrote. The layers form a stack.
* Just before pytest-django opens a test's transaction (``sync``, called from the
  ``pytest_fixture_setup`` hook in tests/conftest.py), the stack is made to match what the test
  asks for (the shared fixtures in its fixture closure, each after the ones it builds on): layers
  it shares with the previous test stay, the others are rolled back and the missing ones are
  built. A test that needs none gets an empty stack, so it sees exactly the database it saw
  before; a transactional test (``transaction=True``, ``live_server``) gets an empty stack too
  and its shared fixtures are built inside the test as before (see ``_value``).
* The fixture hands each test fresh objects: every model instance of the stored values is
  fetched again by pk (one query per model), the values are deep-copied around them, and the
  foreign-key caches between them are set as they were (``teacher.school is school.school``).
  Code caches per-request data on user objects (``_lms_roles`` ...) and tests change instances,
  so no instance is ever handed to two tests.
* The cache is cleared after a layer is built (tests/conftest.py clears it per test as well);
  builders run in the default language, whatever the test has activated.

Pitfalls: a builder must not change the values of the layers it builds on (they are shared);
its values must be deep-copyable (no open files, clients, querysets with live iterators); rows
it deletes must not be returned; files go under :func:`layer_dir`, never into ``MEDIA_ROOT``,
and tests copy them into their own ``MEDIA_ROOT``. Database state outside transactions
(PostgreSQL sequences) is not rolled back, so a test must not rely on pk values.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import shutil
import tempfile
import types
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

MARK = "_shared_scenario"
ALIAS = "default"


class Scenario:
    """One shared builder: its fixture name and the shared fixtures it builds on."""

    def __init__(self, builder, name: str):
        self.builder = builder
        self.name = name
        self.deps = tuple(inspect.signature(builder).parameters)

    def __repr__(self) -> str:
        return f"<shared scenario {self.builder.__module__}.{self.name}>"


@dataclasses.dataclass
class _Layer:
    scenario: Scenario
    atomic: Any
    deps: dict[str, Scenario]
    value: Any = None
    cleanups: list = dataclasses.field(default_factory=list)


class _State:
    def __init__(self):
        self.layers: list[_Layer] = []
        self.item = None  # the test the stack was last synced for
        self.fresh: dict[Scenario, Any] | None = None  # that test's copies, made on first use
        self.blocker = None  # pytest-django's database blocker
        self.building: _Layer | None = None
        self.builds = 0  # layers built in this session (reported by tests/conftest.py)


STATE = _State()


def shared(builder=None, *, name: str | None = None):
    """Decorator: a builder becomes a function-scoped fixture whose rows are shared (see the
    module's docstring). The builder's parameters name the shared fixtures it builds on; it gets
    their stored values, not copies."""
    if builder is None:
        return functools.partial(shared, name=name)
    scenario = Scenario(builder, name or builder.__name__)

    def fixture(request, db, **deps):
        return _value(request, scenario, deps)

    params = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in ("request", "db")]
    params += [inspect.Parameter(dep, inspect.Parameter.KEYWORD_ONLY) for dep in scenario.deps]
    fixture.__signature__ = inspect.Signature(params)
    fixture.__name__ = scenario.name
    fixture.__doc__ = builder.__doc__
    fixture.__module__ = builder.__module__
    setattr(fixture, MARK, scenario)
    return pytest.fixture(name=scenario.name)(fixture)


def layer_dir() -> Path:
    """A directory that lives as long as the layer being built: where a shared builder stores
    files (with ``override_settings(MEDIA_ROOT=...)``); tests copy it into their MEDIA_ROOT."""
    layer = STATE.building
    if layer is None:
        raise RuntimeError("layer_dir() is for shared builders, while they build")
    path = Path(tempfile.mkdtemp(prefix=f"scenario-{layer.scenario.name}-"))
    layer.cleanups.append(functools.partial(shutil.rmtree, path, ignore_errors=True))
    return path


# --- Which layers a test needs ------------------------------------------------------------------


def _scenario_of(item, name: str) -> Scenario | None:
    defs = item._fixtureinfo.name2fixturedefs.get(name)
    return getattr(defs[-1].func, MARK, None) if defs else None


def needed(item) -> list[tuple[Scenario, dict[str, Scenario]]]:
    """The shared scenarios in the test's fixture closure, each after those it builds on."""
    if not uses_shared_db(item):
        return []
    order: list[tuple[Scenario, dict[str, Scenario]]] = []
    seen: set[Scenario] = set()

    def visit(name: str, chain: tuple[str, ...] = ()) -> Scenario | None:
        scenario = _scenario_of(item, name)
        if scenario is None or scenario in seen:
            return scenario
        if name in chain:
            raise RuntimeError(f"shared scenarios build on each other in a circle: {chain}")
        deps = {}
        for dep in scenario.deps:
            found = visit(dep, (*chain, name))
            if found is None:
                raise RuntimeError(
                    f"{scenario!r} builds on {dep!r}, which is not a shared scenario: a shared "
                    "builder can only take other shared scenarios"
                )
            deps[dep] = found
        seen.add(scenario)
        order.append((scenario, deps))
        return scenario

    for name in item.fixturenames:
        visit(name)
    return order


def uses_shared_db(item) -> bool:
    """A database test in pytest-django's rolled-back transaction (not a transactional one)."""
    from pytest_django.fixtures import validate_django_db

    names = item.fixturenames
    marker = item.get_closest_marker("django_db")
    if marker is None and "db" not in names:
        return False
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return False
    return not any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


def key(item) -> tuple:
    """What the test needs, for ordering tests so that neighbours share layers."""
    return tuple((scenario, tuple(deps.items())) for scenario, deps in needed(item))


def _common(a: tuple, b: tuple) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def order(items: list) -> None:
    """Within each run of one module's tests (pytest-django has already put database tests
    first, then transactional ones, then the rest), tests that need the same layers become
    neighbours, the group sharing most with the previous run's last test first. Every other
    order is kept: tests of one need keep their file order."""
    runs: list[list] = []
    for item in items:
        if runs and runs[-1][0].path == item.path and runs[-1][0].parent is item.parent:
            runs[-1].append(item)
        else:
            runs.append([item])
    previous: tuple = ()
    result = []
    for run in runs:
        groups: dict[tuple, list] = {}
        for item in run:
            groups.setdefault(key(item), []).append(item)
        keys = list(groups)
        first = max(keys, key=lambda k: _common(k, previous))  # max keeps the earliest of ties
        keys.remove(first)
        for k in (first, *keys):
            result += groups[k]
        previous = (first, *keys)[-1]
    items[:] = result


# --- The stack -----------------------------------------------------------------------------------


def sync(request) -> None:
    """Make the stack what ``request.node`` needs. Called right before pytest-django opens the
    test's transaction, outside of it."""
    item = request.node
    STATE.item, STATE.fresh = item, None
    need = needed(item)
    if not need and not STATE.layers:
        return
    if STATE.blocker is None:
        STATE.blocker = request.getfixturevalue("django_db_blocker")
    # Closed before the test database goes (the fixture depends on django_db_setup).
    request.getfixturevalue("_shared_scenarios_closed_at_the_end")
    with STATE.blocker.unblock():
        keep = 0
        for layer, (scenario, deps) in zip(STATE.layers, need, strict=False):
            if layer.scenario is not scenario or layer.deps != deps:
                break
            keep += 1
        while len(STATE.layers) > keep:
            _pop()
        for scenario, deps in need[keep:]:
            _push(scenario, deps)


def close_all() -> None:
    """Roll every layer back (before a transactional test, a test without a database, and at
    the end of the session)."""
    if not STATE.layers:
        return
    with STATE.blocker.unblock():
        while STATE.layers:
            _pop()


def _push(scenario: Scenario, deps: dict[str, Scenario]) -> None:
    from django.core.cache import cache
    from django.db import transaction
    from django.utils import translation

    values = {layer.scenario: layer.value for layer in STATE.layers}
    atomic = transaction.atomic(using=ALIAS)
    atomic._from_testcase = True  # as TestCase marks its own: durable blocks may nest in it
    atomic.__enter__()
    layer = _Layer(scenario, atomic, deps)
    STATE.layers.append(layer)
    STATE.building = layer
    try:
        with translation.override(None):
            layer.value = scenario.builder(**{n: values[s] for n, s in deps.items()})
    except BaseException:
        _pop()
        raise
    finally:
        STATE.building = None
        cache.clear()
    STATE.builds += 1


def _pop() -> None:
    from django.db import connections, transaction

    layer = STATE.layers[-1]
    connection = connections[ALIAS]
    if not connection.atomic_blocks or connection.atomic_blocks[-1] is not layer.atomic:
        raise RuntimeError(
            f"cannot roll back {layer.scenario!r}: a transaction opened after it is still open"
        )
    STATE.layers.pop()
    try:
        transaction.set_rollback(True, using=ALIAS)
        layer.atomic.__exit__(None, None, None)
    finally:
        for cleanup in reversed(layer.cleanups):
            cleanup()


# --- Fresh values for each test ----------------------------------------------------------------


def _value(request, scenario: Scenario, deps: dict[str, Any]):
    if STATE.item is request.node and any(layer.scenario is scenario for layer in STATE.layers):
        if STATE.fresh is None:
            STATE.fresh = _fresh_copies()
        return STATE.fresh[scenario]
    if STATE.layers and STATE.item is not request.node:
        raise RuntimeError(
            f"{scenario!r}: shared layers are open but were not synced for {request.node.nodeid}"
        )
    # Not shared for this test (a transactional one): built in the test, as plain fixtures are.
    return scenario.builder(**deps)


def _fresh_copies() -> dict[Scenario, Any]:
    """Deep copies of every layer's value, all model instances fetched again by pk."""
    from django.db.models import Model

    found: dict[int, Model] = {}
    for layer in STATE.layers:
        _collect(layer.value, found, set())
    by_model: dict[type, list[Model]] = defaultdict(list)
    for obj in found.values():
        by_model[type(obj)].append(obj)
    memo: dict[int, Any] = {}
    for model, objs in by_model.items():
        rows = model._base_manager.in_bulk({obj.pk for obj in objs})
        used: set = set()
        for obj in objs:
            if obj.pk not in rows:
                raise RuntimeError(f"a shared scenario returns {obj!r}: no longer in the database")
            if obj.pk in used:  # two objects of one row stay two objects, as stored
                memo[id(obj)] = model._base_manager.get(pk=obj.pk)
            else:
                memo[id(obj)] = rows[obj.pk]
                used.add(obj.pk)
    for obj in found.values():
        _link_caches(obj, memo[id(obj)], memo)
    memo[id(memo)] = list(found.values())  # keeps the originals alive (deepcopy's convention)
    return {layer.scenario: copy.deepcopy(layer.value, memo) for layer in STATE.layers}


def _collect(value, found: dict, seen: set) -> None:
    from django.db.models import Model

    if id(value) in seen or value is None or isinstance(value, str | bytes | int | float):
        return
    seen.add(id(value))
    if isinstance(value, Model):
        if value.pk is not None:
            found[id(value)] = value
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _collect(k, found, seen)
            _collect(v, found, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            _collect(v, found, seen)
    elif isinstance(value, types.SimpleNamespace) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        for v in vars(value).values():
            _collect(v, found, seen)


def _link_caches(original, fresh, memo: dict[int, Any]) -> None:
    """Foreign keys between the scenario's own objects point at the fresh objects, as they
    pointed at the originals (no query to follow them, the same identity)."""
    from django.core.exceptions import FieldDoesNotExist

    for name, cached in original._state.fields_cache.items():
        if id(cached) not in memo:
            continue
        try:
            field = type(original)._meta.get_field(name)
        except FieldDoesNotExist:  # not a field's cache: leave it
            continue
        if field.concrete and field.is_relation and getattr(fresh, field.attname) == cached.pk:
            fresh._state.fields_cache[name] = memo[id(cached)]
