"""Turn a video page address from the hosts schools actually use into an embeddable player URL.

Done offline (no oEmbed round trip): parks often have poor internet, and a teacher who pastes
a link that is not a video must be told so at once, in the editor.
"""

import re
from urllib.parse import parse_qs, urlparse

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_DIGITS = re.compile(r"^\d+$")
_RUTUBE_ID = re.compile(r"^[0-9a-f]{32}$")
_VK_VIDEO = re.compile(r"^video(-?\d+)_(\d+)$")


def _youtube(host: str, path: str, query: dict[str, list[str]]) -> str | None:
    video_id = None
    if host == "youtu.be":
        video_id = path.strip("/").split("/")[0]
    elif path == "/watch":
        video_id = (query.get("v") or [""])[0]
    else:
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] in {"embed", "shorts", "live"}:
            video_id = parts[1]
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return None


def _vimeo(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if parts and _DIGITS.match(parts[-1]):
        return f"https://player.vimeo.com/video/{parts[-1]}"
    return None


def _rutube(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "video":
        candidate = parts[1]
    elif len(parts) >= 3 and parts[:2] == ["play", "embed"]:
        candidate = parts[2]
    else:
        return None
    return f"https://rutube.ru/play/embed/{candidate}" if _RUTUBE_ID.match(candidate) else None


def _vk(path: str) -> str | None:
    match = _VK_VIDEO.match(path.strip("/"))
    if match:
        owner, video = match.groups()
        return f"https://vk.com/video_ext.php?oid={owner}&id={video}"
    return None


def embed_url_for(url: str) -> str | None:
    """The player URL for a video page, or None when the address is not a video we can show."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return None
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        return None
    host = parsed.hostname.lower().removeprefix("www.").removeprefix("m.")
    query = parse_qs(parsed.query)
    if host in {"youtube.com", "youtu.be", "youtube-nocookie.com"}:
        return _youtube(host, parsed.path, query)
    if host in {"vimeo.com", "player.vimeo.com"}:
        return _vimeo(parsed.path)
    if host == "rutube.ru":
        return _rutube(parsed.path)
    if host in {"vk.com", "vkvideo.ru", "vk.ru"}:
        return _vk(parsed.path)
    return None
