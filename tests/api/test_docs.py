"""/api/docs/ renders, and everything it loads is served by this site (no CDN)."""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import urljoin, urlsplit

import pytest

ASSET_REFERENCE = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def _fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback live server
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.mark.django_db
def test_api_docs_page_renders(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b'id="swagger-ui"' in response.content
    # The CSP forbids inline code, so the page must carry none.
    assert b"<style" not in response.content
    assert not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>", response.content)


def test_api_docs_assets_are_all_served_locally(live_server):
    status, _, body = _fetch(live_server.url + "/api/docs/")
    assert status == 200
    references = ASSET_REFERENCE.findall(body.decode())

    assert references, "the docs page references no assets"
    for reference in references:
        parts = urlsplit(reference)
        assert not parts.scheme and not parts.netloc, f"{reference} is not on this site"
        assert reference.startswith(("/static/", "/api/docs/")), reference

    for reference in references:
        status, content_type, content = _fetch(urljoin(live_server.url + "/api/docs/", reference))
        assert status == 200, reference
        assert content, reference
        if reference.endswith(".js") or "script" in reference:
            assert "javascript" in content_type, (reference, content_type)


def test_api_docs_start_script_points_at_the_local_schema(live_server):
    _, content_type, script = _fetch(live_server.url + "/api/docs/?script=")

    assert "javascript" in content_type
    assert b'url: "/api/schema/"' in script
    assert b"http://" not in script
    assert b"https://" not in script
