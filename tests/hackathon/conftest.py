from __future__ import annotations

import pytest


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def page_cache(settings):
    """The page cache and its API lists switched on (the page-cache tests use it)."""
    settings.PAGE_CACHE = True
    settings.CACHED_LISTS = True
