from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.processes import RedisServer, free_port

__all__ = ["free_port", "private_redis", "skip_or_fail"]

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def private_redis(tmp_path) -> Iterator[RedisServer]:
    """A throw-away redis-server of our own, so a test may stop it without harming anyone."""
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()
