"""A Redis cache that keeps the site up while Redis is down.

The cache holds only what can be lost: API throttles, log-in rate limits and cached
fragments (sessions live in the database). When Redis does not answer, each call
falls back to a small cache in this process and logs one warning per outage, so
rate limits still count (per process instead of site-wide) and no request fails
because of the cache. Redis is tried again after RETRY_AFTER seconds.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("hackathon.cache")

# While Redis is down, this long between attempts: a refused connection is quick, but
# a host that does not answer costs the connect timeout on every request.
RETRY_AFTER = 5.0
# Entries kept in the fallback expire after this at the latest: nothing another
# process changes meanwhile can stay wrong here for longer.
FALLBACK_MAX_TIMEOUT = 300
FALLBACK_MAX_ENTRIES = 10_000

_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)
_TIMEOUT_POSITION = {"add": 2, "set": 2, "touch": 1, "set_many": 1}


def _cap_timeout(operation: str, args: tuple, kwargs: dict, default: float | None):
    position = _TIMEOUT_POSITION.get(operation)
    if position is None:
        return args, kwargs
    if "timeout" in kwargs:
        timeout = kwargs["timeout"]
    elif len(args) > position:
        timeout = args[position]
    else:
        timeout = DEFAULT_TIMEOUT
    if timeout is DEFAULT_TIMEOUT:
        timeout = default
    timeout = FALLBACK_MAX_TIMEOUT if timeout is None else min(timeout, FALLBACK_MAX_TIMEOUT)
    if "timeout" in kwargs or len(args) <= position:
        return args, {**kwargs, "timeout": timeout}
    args = (*args[:position], timeout, *args[position + 1 :])
    return args, kwargs


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis object for every operation, and building
    one (its table of reply parsers) costs as much as the operation itself; a client per
    connection pool is made once here (they are safe to share between threads)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._fallback = LocMemCache(
            f"resilient-fallback-{id(self)}",
            {"TIMEOUT": FALLBACK_MAX_TIMEOUT, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}},
        )
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def _redis_failed(self, operation: str, error: RedisError) -> None:
        with self._lock:
            first = self._down_since is None
            now = time.monotonic()
            if first:
                self._down_since = now
            self._retry_at = now + RETRY_AFTER
        if first:
            logger.warning(
                "Redis cache is unavailable (%s on %s: %s); using a per-process cache, "
                "throttles and rate limits count per process until it is back.",
                type(error).__name__,
                operation,
                error,
            )

    def _redis_answered(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            down_since, self._down_since = self._down_since, None
        if down_since is not None:
            logger.warning(
                "Redis cache is back after %.0f s; shared throttles and rate limits again.",
                time.monotonic() - down_since,
            )


def _resilient(operation: str):
    redis_call = getattr(RedisCache, operation)
    fallback_call = getattr(LocMemCache, operation)

    @functools.wraps(redis_call)
    def call(self: ResilientRedisCache, *args: Any, **kwargs: Any):
        if self._down_since is None or time.monotonic() >= self._retry_at:
            try:
                result = redis_call(self, *args, **kwargs)
            except RedisError as error:
                self._redis_failed(operation, error)
            else:
                self._redis_answered()
                return result
        args, kwargs = _cap_timeout(operation, args, kwargs, self.default_timeout)
        return fallback_call(self._fallback, *args, **kwargs)

    return call


for _operation in _OPERATIONS:
    setattr(ResilientRedisCache, _operation, _resilient(_operation))
