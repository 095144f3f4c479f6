import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from cms.blocks import CodeBlock, MarkdownBlock, VideoBlock
from cms.video import embed_url_for


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
            "https://rutube.ru/play/embed/0123456789abcdef0123456789abcdef",
        ),
        (
            "https://vk.com/video-12345_456239017",
            "https://vk.com/video_ext.php?oid=-12345&id=456239017",
        ),
        ("https://example.com/cat.mp4", None),
        ("https://www.youtube.com/watch?v=short", None),
        ("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("not a url", None),
        ('https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>', None),
    ],
)
def test_embed_url_for(url, expected):
    assert embed_url_for(url) == expected


@translation.override("en")
def test_video_block_rejects_a_link_that_is_not_a_video():
    block = VideoBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python({"url": "https://example.com/page", "caption": ""}))
    assert "not a video" in str(error.value.block_errors["url"])


def test_video_block_needs_link_or_file():
    block = VideoBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"url": "", "caption": ""}))


@override_settings(LMS_MARKDOWN_MAX_CHARS=1000)
def test_markdown_block_refuses_oversized_text_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        MarkdownBlock().clean("x" * 1001)
    assert "1001" in str(error.value) and "1000" in str(error.value)


def test_markdown_block_renders_sanitised_html():
    html = MarkdownBlock().render("**hi** <img src=x onerror=alert(1)>")
    assert "<strong>hi</strong>" in html
    assert "<img" not in html  # raw HTML is shown as the text it was typed as
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_malformed_markdown_still_renders():
    html = MarkdownBlock().render("```python\nunclosed fence\n<div><table>|a|\n[link](")
    assert 'class="highlight"' in html  # an unclosed fence runs to the end of the text
    assert ">unclosed</span> <span" in html and "&lt;" in html
    assert "<div><table>" not in html


def test_code_block_highlights_and_escapes():
    block = CodeBlock()
    value = block.to_python({"language": "python", "code": "print('<b>')", "caption": "c"})
    html = block.render(value)
    assert 'class="highlight"' in html
    assert "&lt;b&gt;" in html
    assert "data-copy" in html
