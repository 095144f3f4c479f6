"""/media/ is never served raw: in development (DEBUG) too, documents, submissions, thumbnails
and feedback files answer 404 by path (only their checking views serve them), and only
Wagtail's pictures are served, with an image content type."""

import importlib
import io

import pytest
from django.urls import clear_url_caches
from PIL import Image

from cms import media

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _reload_urls() -> None:
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def debug_site(settings, tmp_path):
    """The URLconf as `make run` builds it: config.settings.dev, DEBUG on."""
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    _reload_urls()
    yield tmp_path
    settings.DEBUG = False
    _reload_urls()


def _put(root, name: str, content: bytes = b"<script>alert(1)</script>") -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return f"/media/{name}"


@pytest.mark.parametrize(
    "name",
    [
        "submissions/2026/11/0123abcd.html",
        "submissions/2026/11/0123abcd.pdf",
        "documents/worksheet.pdf",
        "documents/page.html",
        "thumbnails/2026/11/0123abcd.jpg",
        "feedback/2026/11/0123abcd.pdf",
    ],
)
def test_protected_folders_answer_404_by_path_even_in_debug(client, debug_site, name):
    url = _put(debug_site, name)
    assert (debug_site / name).exists()
    assert client.get(url).status_code == 404


def test_an_original_image_is_served_as_png(client, debug_site):
    url = _put(debug_site, "original_images/robot.png", PNG)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_a_rendition_is_served_as_jpeg(client, debug_site):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    url = _put(debug_site, "images/robot.fill-80x80.jpg", buffer.getvalue())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "name",
    [
        "original_images/page.html",  # not an image type, whatever the folder
        "original_images/logo.svg",  # SVG can carry scripts
        "original_images/robot",  # no extension
        "images/.hidden.png",
    ],
)
def test_only_raster_images_are_served_from_the_public_folders(client, debug_site, name):
    url = _put(debug_site, name, PNG)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/original_images/",
        "/media/images/",
        "/media/",
        "/media/original_images/../submissions/2026/11/x.png",
        "/media/original_images/%2e%2e/submissions/2026/11/x.png",
        "/media/original_images/..%2fsubmissions/2026/11/x.png",
        "/media/original_images/..%5csubmissions%5c2026%5c11%5cx.png",
        "/media/images//etc/passwd.png",
    ],
)
def test_no_listing_and_no_path_traversal(client, debug_site, path):
    _put(debug_site, "submissions/2026/11/x.png", PNG)
    (debug_site / "original_images").mkdir(exist_ok=True)
    (debug_site / "images").mkdir(exist_ok=True)
    assert client.get(path).status_code == 404


def test_a_symlink_out_of_the_public_folder_is_not_followed(client, debug_site):
    _put(debug_site, "submissions/2026/11/x.png", PNG)
    (debug_site / "images").mkdir()
    (debug_site / "images" / "x.png").symlink_to(debug_site / "submissions/2026/11/x.png")
    assert client.get("/media/images/x.png").status_code == 404


def test_a_post_is_refused(client, debug_site):
    url = _put(debug_site, "original_images/robot.png", PNG)
    assert client.post(url).status_code == 405


def test_without_debug_the_web_server_serves_pictures(client, settings, tmp_path):
    # Production (DEBUG off): nginx serves /media/images/ and /media/original_images/.
    settings.MEDIA_ROOT = tmp_path
    url = _put(tmp_path, "original_images/robot.png", PNG)
    protected = _put(tmp_path, "submissions/2026/11/x.html")
    assert client.get(url).status_code == 404
    assert client.get(protected).status_code == 404
    # A single machine without a web server in front may let Django serve them.
    settings.LMS_SERVE_PUBLIC_MEDIA = True
    assert client.get(url).status_code == 200
    assert client.get(protected).status_code == 404


def test_public_media_file_names_the_type(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _put(tmp_path, "original_images/a.WEBP", b"RIFF....WEBP")
    found = media.public_media_file("original_images/a.WEBP")
    assert found is not None and found[1] == "image/webp"
    assert media.public_media_file("documents/a.png") is None
    assert media.public_media_file("original_images/missing.png") is None
