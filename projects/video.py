"""Pitch-video thumbnails, fetched by this server so a visitor's browser never asks a
video site: the project page shows our own copy, and the video site is reached only
when the visitor clicks the link (privacy, and no third-party request from our pages).

YouTube's thumbnails have a fixed address per video; Vimeo names them in its oEmbed
answer. Other video sites get no thumbnail (the team's first image stands in).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from urllib.parse import parse_qs, quote, urlsplit

from django.conf import settings

MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 5

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_VIMEO_ID = re.compile(r"^/(?:video/)?(\d{1,12})(?:/|$)")


class ThumbnailUnavailable(Exception):
    """The video site has no thumbnail for this address (or no such video): do not retry."""


def video_reference(url: str) -> tuple[str, str] | None:
    """("youtube" | "vimeo", video id) for a video address we know, None for any other."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
        return ("youtube", candidate) if _YOUTUBE_ID.match(candidate) else None
    if host in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        else:
            segments = parts.path.strip("/").split("/")
            candidate = (
                segments[1]
                if len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v")
                else ""
            )
        return ("youtube", candidate) if _YOUTUBE_ID.match(candidate) else None
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        match = _VIMEO_ID.match(parts.path)
        return ("vimeo", match.group(1)) if match else None
    return None


def _get(url: str, *, limit: int) -> bytes:
    """The body at `url`, at most `limit` bytes. HTTP errors mean "unavailable"; network
    errors (OSError) are left to the caller, whose task retries them."""
    request = urllib.request.Request(  # noqa: S310 (https addresses we build ourselves)
        url, headers={"User-Agent": f"{settings.SITE_NAME} (thumbnail fetcher)"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        if error.code == 429 or error.code >= 500:
            # Busy or down for a while: an OSError, which the task retries later.
            raise ConnectionError(f"{url}: HTTP {error.code}") from None
        raise ThumbnailUnavailable(f"{url}: HTTP {error.code}") from None
    if len(body) > limit:
        raise ThumbnailUnavailable(f"{url}: larger than {limit} bytes")
    return body


def youtube_thumbnail_url(video_id: str) -> str:
    return f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg"


def vimeo_oembed_url(video_id: str) -> str:
    return "https://vimeo.com/api/oembed.json?url=" + quote(
        f"https://vimeo.com/{video_id}", safe=""
    )


def thumbnail_source(url: str) -> str | None:
    """Where the thumbnail of the video at `url` is, or None for addresses we do not know."""
    reference = video_reference(url)
    if reference is None:
        return None
    provider, video_id = reference
    if provider == "youtube":
        return youtube_thumbnail_url(video_id)
    try:
        answer = json.loads(_get(vimeo_oembed_url(video_id), limit=64 * 1024))
    except ValueError:
        raise ThumbnailUnavailable(f"vimeo {video_id}: no oEmbed answer") from None
    thumbnail = answer.get("thumbnail_url") if isinstance(answer, dict) else None
    if not isinstance(thumbnail, str) or not thumbnail.startswith("https://"):
        raise ThumbnailUnavailable(f"vimeo {video_id}: no thumbnail")
    return thumbnail


def fetch_thumbnail(url: str) -> bytes:
    """The raw thumbnail of the video at `url` (to be checked and re-encoded by the caller)."""
    source = thumbnail_source(url)
    if source is None:
        raise ThumbnailUnavailable(f"{url}: not a video address we know")
    return _get(source, limit=MAX_THUMBNAIL_BYTES)
