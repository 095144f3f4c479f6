"""The lessons' pictures: each one drawn by demo/content/images/make_images.py, committed as
the script draws it, described in images.toml and used by a lesson; the Ohm's-law chart is
the lesson's own table; load_demo updates a redrawn picture in place."""

import importlib.util
import io
import shutil

import pytest
from PIL import Image
from wagtail.images import get_image_model

from demo import catalogue, manifests
from demo.lesson_format import parse_lesson

IMAGES = manifests.CONTENT_DIR / "images"


@pytest.fixture(scope="module")
def make_images():
    spec = importlib.util.spec_from_file_location("make_images", IMAGES / "make_images.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pixels(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB").tobytes()


def _used_pictures() -> dict[str, list[str]]:
    """Picture key -> the lessons that show it."""
    used: dict[str, list[str]] = {}
    for course in manifests.courses():
        for module in course["modules"]:
            for lesson in module["lessons"]:
                for block_type, value in lesson["body"]:
                    keys = []
                    if block_type == "image":
                        keys = [value["image"]]
                    elif block_type == "steps":
                        keys = [step["photo"] for step in value["steps"] if step["photo"]]
                    for key in keys:
                        used.setdefault(key, []).append(lesson["file"])
    return used


def test_every_picture_is_drawn_described_committed_and_used(make_images):
    specs = manifests.images()
    on_disk = {path.stem for path in IMAGES.glob("*.png")}
    assert set(make_images.PICTURES) == set(specs) == on_disk == set(_used_pictures())
    for key, spec in specs.items():
        assert spec["title"] and spec["description"], key
        with Image.open(spec["file"]) as image:
            assert image.size == (make_images.W, make_images.H), key


def test_no_drawing_serves_two_different_things():
    # The finding: one generic drawing stood for an IR sensor and a motor driver.
    used = _used_pictures()
    assert len(used["line_sensor"]) == 1 and len(used["motor_driver"]) == 2
    hashes = {}
    for path in IMAGES.glob("*.png"):
        hashes.setdefault(path.read_bytes(), []).append(path.stem)
    assert all(len(keys) == 1 for keys in hashes.values()), hashes.values()


def test_every_image_block_says_what_it_shows():
    for course in manifests.courses():
        for module in course["modules"]:
            for lesson in module["lessons"]:
                for block_type, value in lesson["body"]:
                    if block_type == "image":
                        assert len(value["alt_text"]) >= 30, (lesson["file"], value["image"])


def test_the_ohm_chart_is_the_lessons_table_on_a_straight_line(make_images):
    rows = make_images.ohm_table()
    assert rows == [(1.0, 10.2), (2.0, 19.8), (3.0, 30.1), (4.0, 40.3)]
    resistance = make_images.ohm_fit(rows)
    assert 99 < resistance < 100  # the lesson: about 99.5 Ω, a 100 Ω resistor
    for u, i in rows:  # every point close to the line through the origin
        assert abs(resistance * i / 1000 - u) / u < 0.02
    description = manifests.images()["ohm_chart"]["description"]
    assert f"R ≈ {make_images.fmt(resistance)} Ом" in description
    assert "прямой через начало координат" in description
    lesson = manifests.CONTENT_DIR / "courses/science-lab/experiments/ohms-law.md"
    alt = next(
        value["alt_text"]
        for block_type, value in parse_lesson(lesson.read_text(encoding="utf-8"))
        if block_type == "image" and value["image"] == "ohm_chart"
    )
    assert "мА" in alt and "прямой через начало координат" in alt


def test_the_ohm_chart_follows_an_edited_table(tmp_path, monkeypatch):
    from demo.pictures import physics  # where the chart reads the lesson's table

    lesson = tmp_path / "ohms-law.md"
    text = physics.OHM_LESSON.read_text(encoding="utf-8")
    lesson.write_text(text.replace("| 4,0 | 40,3 |", "| 5,0 | 50,1 |"), encoding="utf-8")
    assert physics.ohm_table(lesson)[-1] == (5.0, 50.1)
    monkeypatch.setattr(physics, "OHM_LESSON", lesson)
    assert _pixels(physics.ohm_chart()) != _pixels((IMAGES / "ohm_chart.png").read_bytes())
    lesson.write_text("No table here.", encoding="utf-8")
    with pytest.raises(ValueError, match="no table with the columns"):
        physics.ohm_table(lesson)


@pytest.mark.slow
def test_the_committed_pictures_are_what_the_script_draws(make_images):
    for key in make_images.PICTURES:
        shipped = (IMAGES / f"{key}.png").read_bytes()
        assert _pixels(make_images.draw(key)) == _pixels(shipped), (
            f"images/{key}.png is stale: run python demo/content/images/make_images.py {key}"
        )


def test_a_missing_picture_file_is_reported(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(manifests.CONTENT_DIR, root)
    (root / "images" / "ohm_chart.png").unlink()
    assert manifests.problems(root) == [
        "images.toml [ohm_chart]: no file images/ohm_chart.png "
        "(draw it: python demo/content/images/make_images.py ohm_chart)"
    ]


@pytest.mark.django_db
def test_a_redrawn_picture_is_updated_in_place(settings, tmp_path, django_assert_num_queries):
    settings.MEDIA_ROOT = tmp_path / "media"
    png = tmp_path / "chart.png"
    shutil.copy(IMAGES / "ohm_chart.png", png)
    specs = {"ohm_chart": {"title": "График", "description": "Точки на прямой", "file": png}}
    first = catalogue.ensure_images(specs)["ohm_chart"]
    image = get_image_model().objects.get(pk=first)
    assert (image.width, image.height, image.description) == (1200, 750, "Точки на прямой")
    assert image.file.name == "original_images/demo-ohm_chart.png"

    with django_assert_num_queries(1):  # unchanged: one look-up, nothing written
        assert catalogue.ensure_images(specs) == {"ohm_chart": first}

    Image.new("RGB", (960, 600), "white").save(png)  # redrawn, and retitled
    specs["ohm_chart"] |= {"title": "График U от I", "description": "Прямая через 0"}
    assert catalogue.ensure_images(specs) == {"ohm_chart": first}
    image.refresh_from_db()
    assert (image.title, image.description) == ("График U от I", "Прямая через 0")
    assert (image.width, image.height) == (960, 600)
    assert image.file.name == "original_images/demo-ohm_chart.png"
    assert (settings.MEDIA_ROOT / image.file.name).read_bytes() == png.read_bytes()
    assert get_image_model().objects.count() == 1
