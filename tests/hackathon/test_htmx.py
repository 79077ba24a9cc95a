"""One helper decides when a view answers htmx with a partial (hackathon.htmx)."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from hackathon.htmx import wants_partial
from tests.source_scan import APPS, ROOT


def _request(**headers):
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda request: HttpResponse())(request)
    return request


def test_wants_partial_for_an_htmx_request():
    assert wants_partial(_request(HX_Request="true"))


def test_wants_partial_not_for_a_plain_request():
    assert not wants_partial(_request())


def test_wants_partial_not_for_a_history_restore():
    assert not wants_partial(_request(HX_Request="true", HX_History_Restore_Request="true"))


def test_wants_partial_without_the_middleware():
    assert not wants_partial(RequestFactory().get("/"))


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path != ROOT / "hackathon" / "htmx.py":
                yield path


def test_no_view_decides_about_partials_itself():
    # `request.htmx.target` and the like are fine; truthiness of request.htmx is the helper's.
    copies = re.compile(r"history_restore_request|def _(is|wants)_partial|request\.htmx\b(?!\.)")
    offenders = [str(p.relative_to(ROOT)) for p in _sources() if copies.search(p.read_text())]
    assert offenders == []


def test_no_copy_of_drfs_is_authenticated_or_read_only():
    copy = re.compile(r"SAFE_METHODS\s+or\s+request\.user\.is_authenticated")
    offenders = [str(p.relative_to(ROOT)) for p in _sources() if copy.search(p.read_text())]
    assert offenders == []
