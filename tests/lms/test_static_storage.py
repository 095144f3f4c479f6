"""lms.static_storage: each static file's hashed URL looked up in the manifest once."""

from __future__ import annotations

import json

import pytest

from lms import static_storage
from lms.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"paths": {"css/site.css": "css/site.abc123.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_the_hashed_url_is_looked_up_once(storage):
    assert storage.url("css/site.css") == "/static/css/site.abc123.css"
    storage.hashed_files["css/site.css"] = "css/site.changed.css"  # the manifest is not re-read
    assert storage.url("css/site.css") == "/static/css/site.abc123.css"


def test_a_name_missing_from_the_manifest_still_raises_and_is_not_kept(storage):
    with pytest.raises(ValueError):
        storage.url("css/missing.css")
    assert "css/missing.css" not in storage._remembered


def test_the_memory_is_bounded(storage, monkeypatch):
    monkeypatch.setattr(static_storage, "REMEMBERED_URLS", 0)
    assert storage.url("css/site.css") == "/static/css/site.abc123.css"
    assert storage._remembered == {}


def test_debug_asks_the_manifest_storage_each_time(storage, settings):
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"  # unhashed, as Django does
