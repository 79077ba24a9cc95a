"""Whole pages for anonymous visitors from the cache, invalidated when what they show changes.

Everyone who is not signed in sees the same page at the same address, so the hot pages
(home, the event page, catalogue, finder, gallery, team, challenge and project pages, the
API's lists) are kept in the shared cache. A page is keyed by host, path and query,
language, time zone and htmx headers, and stored with the *versions* of the data it shows:
a few scopes (SCOPES), each a set of tables.

Every INSERT, UPDATE and DELETE on a table of a scope -- through the ORM, a queryset
update, a bulk insert, the admin or raw SQL, in a web request, a Celery task or a
management command -- gives the scope a new version as soon as its transaction commits:
an execute wrapper on every database connection watches the statements. The next request
finds the stored versions outdated and renders afresh, so a change shows at once.

Never served from or stored in the cache: anything but GET, signed-in people, a request
with a message to show (the next visitor would see it), a response other than 200, one
that sets a cookie, changes the session or says no-store. A page is stored with a
placeholder for the CSRF token, replaced by the visitor's own token each time it is sent.
Pages that depend on the clock (the current phase, "in 3 hours") are kept only until it
changes: their views call `expire_at()`. The API's cached lists answer a hit before DRF
handles the request; a caller whose throttle budget is spent is refused them too, but
they do not count against it (CachedAnonymousListMixin).

A stored page without the CSRF placeholder is also kept gzip-compressed, compressed once,
and sent so to whoever asks for gzip: behind the proxy that is every request (see
`_compressed`).

Each process also keeps the LOCAL_PAGES pages it served last: a hit then reads only the
versions from Redis, not the page, and is checked against them as any other.

While Redis is down nothing is served from or stored in the cache: other processes would
not see the versions this one bumps. Versions bumped meanwhile are sent again once it
answers, and every entry expires after PAGE_CACHE_SECONDS at the latest.

`cached_value()` keeps smaller things computed from whole tables (topic counts, the
finder's skill choices) under the same versions, and `fragments()` the cards of the list
pages, which look the same to everyone; CACHED_LISTS switches both on. Every key holds
`code_version()`, so a deploy starts afresh.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db.backends.signals import connection_created
from django.utils.safestring import SafeString

# What the pages show, by scope. Writes to these models' tables (and to their
# many-to-many tables) give the scope a new version.
SCOPES: dict[str, tuple[str, ...]] = {
    "events": ("events.Event", "events.Phase"),
    "challenges": (
        "challenges.Challenge",
        "challenges.Topic",
        "challenges.Tag",
        "challenges.ChallengeOwner",
        "challenges.ChallengeQuestion",
    ),
    "teams": (
        "teams.Team",
        "teams.Membership",
        "teams.OpenRole",
        "participants.Skill",
        "participants.Language",
    ),
    "projects": ("projects.Project", "projects.ProjectImage"),
    "people": ("accounts.User",),
    # A round's status (published) and its shortlist: the public results, the event page's link.
    "judging": ("judging.JudgingRound", "judging.ShortlistEntry"),
}
# Of these tables only updates of these columns and deletions matter: a log-in writes
# `last_login`, a sign-up inserts a person nobody's page shows yet.
SHOWN_COLUMNS: dict[str, tuple[str, ...]] = {"accounts.User": ("display_name",)}

_WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
_WRITE_VERBS = frozenset({"INSERT", "UPDATE", "DELETE"})
_KEY_PREFIX = "page-cache"

T = TypeVar("T")


# --- noticing writes ----------------------------------------------------------------------------


@functools.cache
def _tables() -> dict[str, tuple[frozenset[str], tuple[str, ...] | None]]:
    """{table: (scopes, the columns that matter or None for all)}, from SCOPES."""
    from django.apps import apps

    tables: dict[str, tuple[frozenset[str], tuple[str, ...] | None]] = {}

    def add(table: str, scope: str, columns: tuple[str, ...] | None) -> None:
        scopes, _ = tables.get(table, (frozenset(), None))
        tables[table] = (scopes | {scope}, columns)

    for scope, labels in SCOPES.items():
        for label in labels:
            model = apps.get_model(label)
            add(model._meta.db_table, scope, SHOWN_COLUMNS.get(label))
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created:
                    add(through._meta.db_table, scope, None)
    return tables


def scopes_written(sql: str) -> frozenset[str]:
    """The scopes a statement writes to (none for reads and for tables no page shows)."""
    match = _WRITE.match(sql)
    if match is None:
        return frozenset()
    scopes, columns = _tables().get(match.group(2), (frozenset(), None))
    if scopes and columns is not None:
        verb = match.group(1)[:6].upper()
        if verb == "INSERT" or (verb == "UPDATE" and not any(f'"{c}"' in sql for c in columns)):
            return frozenset()
    return scopes


class _Batch:
    """The scopes written in one transaction, bumped once when it commits."""

    __slots__ = ("done", "scopes")

    def __init__(self) -> None:
        self.scopes: set[str] = set()
        self.done = False

    def flush(self) -> None:
        # Registered once per statement (so that a test capturing on-commit callbacks
        # runs one), bumped by the first to run.
        if not self.done:
            self.done = True
            bump(*self.scopes)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql.lstrip()[:6].upper() in _WRITE_VERBS:
        scopes = scopes_written(sql)
        if scopes:
            _written(context["connection"], scopes)
    return result


def _written(connection, scopes: frozenset[str]) -> None:
    if not versions_in_use():
        return
    if not connection.in_atomic_block:
        bump(*scopes)  # autocommit: the row is written already
        return
    # Bumping before the commit would let a request that reads the old rows meanwhile
    # store them under the new version.
    batch = connection.__dict__.get("_page_cache_batch")
    if batch is None or batch.done:
        batch = connection._page_cache_batch = _Batch()
    batch.scopes.update(scopes)
    connection.on_commit(batch.flush)


def _watch_connection(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        # First: `connection.execute_wrapper()` blocks remove the last one when they end,
        # also when the connection was opened (and this added) inside them.
        connection.execute_wrappers.insert(0, _watch_writes)


connection_created.connect(_watch_connection, dispatch_uid="hackathon.pagecache")


# --- versions -----------------------------------------------------------------------------------

_CODE_SUFFIXES = (".py", ".html", ".txt", ".mo")
_NOT_CODE = {".git", ".venv", "venv", "node_modules", "media", "staticfiles", "tests", "bench"}


@functools.cache
def code_version() -> str:
    """A digest of what this process renders with: the project's code, templates and
    translations (by path, size and time of change), the installed packages and the
    static files' manifest. Part of every key, so that after a deploy, and while old and
    new processes run side by side, neither is served the other's HTML."""
    import os
    import sys

    from django.conf import settings

    digest = hashlib.sha256()
    for root, dirs, files in os.walk(settings.BASE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_CODE and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(_CODE_SUFFIXES):
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    # Installed packages by their metadata folders' names ("Django-5.2.19.dist-info").
    for path in sys.path:
        if os.path.isdir(path):
            packages = sorted(n for n in os.listdir(path) if n.endswith(".dist-info"))
            digest.update("\n".join(packages).encode())
    manifest = os.path.join(settings.STATIC_ROOT, "staticfiles.json")
    if os.path.exists(manifest):
        with open(manifest, "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:16]


_unsent: set[str] = set()
_unsent_lock = threading.Lock()


def versions_in_use() -> bool:
    from django.conf import settings

    return settings.PAGE_CACHE or settings.CACHED_LISTS


def _cache():
    from django.core.cache import cache

    return cache


def _cache_is_down() -> bool:
    return bool(getattr(_cache(), "is_down", False))


def _version_key(scope: str) -> str:
    return f"{_KEY_PREFIX}:version:{scope}"


def bump(*scopes: str) -> None:
    """Gives each scope a new version: what was cached under the old one is outdated."""
    with _unsent_lock:
        scopes = tuple({*scopes, *_unsent})
        _unsent.clear()
    if not scopes:
        return
    token = secrets.token_hex(8)
    cache = _cache()
    cache.set_many({_version_key(scope): token for scope in scopes}, timeout=None)
    if _cache_is_down():
        # Only this process has seen it; send it again once Redis answers.
        with _unsent_lock:
            _unsent.update(scopes)


def _lookup(keys: list[str], scopes: Iterable[str]) -> tuple[dict[str, Any], tuple] | None:
    """The cached values of `keys` and the current versions of `scopes`, in one round
    trip; None when nothing may be cached now (Redis down, versions not known yet)."""
    if _unsent and not _cache_is_down():
        bump()  # re-sends what an outage held back
    cache = _cache()
    version_keys = [_version_key(scope) for scope in scopes]
    found = cache.get_many([*version_keys, *keys])
    if _cache_is_down():
        return None
    missing = [key for key in version_keys if key not in found]
    if missing:
        # First use, or evicted: start a version (another process may have just done so);
        # what was stored under the lost one is unreachable now.
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=None)
        found.update(cache.get_many(missing))
        if any(key not in found for key in missing):
            return None
    return found, tuple(found[key] for key in version_keys)


def cached_value(name: str, *, scopes: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache until one of `scopes` changes (CACHED_LISTS).

    The value must be picklable: lists of tuples and numbers, not querysets."""
    from django.conf import settings

    if not settings.CACHED_LISTS:
        return compute()
    scopes = tuple(scopes)
    key = f"{_KEY_PREFIX}:value:{code_version()}:{name}"
    looked_up = _lookup([key], scopes)
    if looked_up is not None:
        found, versions = looked_up
        entry = found.get(key)
        if entry is not None and entry[0] == versions:
            return entry[1]
    value = compute()
    if looked_up is not None:
        _cache().set(key, (looked_up[1], value), timeout=settings.PAGE_CACHE_SECONDS)
    return value


def fragments(
    name: str,
    items: Sequence[T],
    *,
    scopes: Iterable[str],
    key: Callable[[T], object],
    render: Callable[[list[T]], list[str]],
) -> list[SafeString]:
    """The HTML fragment (a card) of each item, kept in the cache until one of `scopes`
    changes (CACHED_LISTS), per language and script prefix. `render` gets the items that
    were not cached, in order, and returns their fragments: it loads what those need.

    A fragment must look the same to everyone: nothing of the person, no CSRF token."""
    from django.conf import settings
    from django.urls import get_script_prefix
    from django.utils import translation
    from django.utils.safestring import mark_safe

    items = list(items)
    if not items:
        return []
    if not settings.CACHED_LISTS:
        return [mark_safe(html) for html in render(items)]  # noqa: S308 (rendered by templates)
    language = translation.get_language() or ""
    base = f"{_KEY_PREFIX}:fragment:{code_version()}:{name}:{language}:{get_script_prefix()}"
    keys = [f"{base}:{key(item)}" for item in items]
    looked_up = _lookup(keys, scopes)
    html: list[str | None] = [None] * len(items)
    if looked_up is not None:
        found, versions = looked_up
        for position, cache_key in enumerate(keys):
            entry = found.get(cache_key)
            if entry is not None and entry[0] == versions:
                html[position] = entry[1]
    missing = [position for position, fragment in enumerate(html) if fragment is None]
    if missing:
        rendered = render([items[position] for position in missing])
        for position, fragment in zip(missing, rendered, strict=True):
            html[position] = str(fragment)
        if looked_up is not None:
            _cache().set_many(
                {keys[position]: (looked_up[1], html[position]) for position in missing},
                timeout=settings.PAGE_CACHE_SECONDS,
            )
    return [mark_safe(fragment) for fragment in html]  # noqa: S308 (rendered by templates)


# --- pages --------------------------------------------------------------------------------------


def expire_at(request, moment: datetime | None) -> None:
    """The page shown for this request is only valid until `moment` (None: no limit)."""
    if moment is None:
        return
    current = getattr(request, "_page_cache_expires_at", None)
    if current is None or moment < current:
        request._page_cache_expires_at = moment


@functools.cache
def _csrf_placeholder() -> str:
    # Unguessable, so no text on a page can be made to look like it.
    from django.utils.crypto import salted_hmac

    return "csrf" + salted_hmac("hackathon.pagecache", "csrf placeholder").hexdigest()[:40]


def csrf_placeholder(request) -> dict:
    """Context processor: a placeholder for the CSRF token while a page is rendered for
    the cache (listed after Django's own, so it wins then, and only then)."""
    if getattr(request, "_page_cache_filling", False):
        return {"csrf_token": _csrf_placeholder()}
    return {}


def _cacheable(request) -> bool:
    from django.conf import settings
    from django.contrib import messages

    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and not request.user.is_authenticated
        # Loading the messages does not mark them shown.
        and not len(messages.get_messages(request))
    )


def _page_key(request, variant: str = "") -> str:
    from django.utils import timezone, translation

    htmx = (
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
    )
    parts = (
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        *htmx,
        variant,
        code_version(),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{_KEY_PREFIX}:page:{digest}"


def _timeout(request) -> int:
    from django.conf import settings
    from django.utils import timezone

    timeout = settings.PAGE_CACHE_SECONDS
    expires_at = getattr(request, "_page_cache_expires_at", None)
    if expires_at is not None:
        timeout = min(timeout, int((expires_at - timezone.now()).total_seconds()))
    return timeout


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _with_csrf_token(request, content: bytes) -> bytes:
    from django.middleware.csrf import get_token

    placeholder = _csrf_placeholder().encode()
    if placeholder not in content:
        return content
    # get_token() also makes the CSRF middleware set the visitor's cookie.
    return content.replace(placeholder, get_token(request).encode())


# Behind the proxy every request asks for gzip (Caddy's reverse_proxy adds
# "Accept-Encoding: gzip" when the client did not send it), and the proxy passes an encoded
# answer through as it is. So a stored page is also kept compressed, compressed once, and
# sent that way: an API list of 50 projects is over 200 kB, compressed a sixth of it.
# Only pages without the CSRF placeholder: the token differs for each visitor, and a
# secret next to reflected input is what BREACH reads from compressed sizes; the cached
# pages hold no other secret (they are what everyone who is not signed in sees).
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
GZIP_MIN_BYTES = 1024


def _compressed(content: bytes) -> bytes | None:
    """The page gzip-compressed, for a page worth compressing that may be; else None."""
    if len(content) < GZIP_MIN_BYTES or _csrf_placeholder().encode() in content:
        return None
    return gzip.compress(content, compresslevel=6, mtime=0)


def _send_compressed(request, response, compressed: bytes | None):
    """The response with the compressed page when the request takes gzip."""
    from django.utils.cache import patch_vary_headers

    if compressed is None:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response.content = compressed
        response["Content-Encoding"] = "gzip"
    return response


# The pages this process served last, also kept here: a hit then reads only the versions
# from Redis, not the page (the API's lists run to hundreds of kilobytes). Still checked
# against the current versions every time, and dropped when the page expires.
LOCAL_PAGES = 64
_local_pages: OrderedDict[str, tuple] = OrderedDict()
_local_lock = threading.Lock()


def _keep_locally(key: str, entry: tuple) -> None:
    with _local_lock:
        _local_pages[key] = entry
        _local_pages.move_to_end(key)
        while len(_local_pages) > LOCAL_PAGES:
            _local_pages.popitem(last=False)


def _page_entry(key: str, scopes: Iterable[str], extra_keys: Sequence[str] = ()):
    """(what `_lookup(extra_keys, scopes)` gives, the page stored under `key` if it is up
    to date, else None). One round trip: for the versions only, when this process keeps
    the page itself."""
    scopes = tuple(scopes)
    local = _local_pages.get(key)
    if local is not None and local[-1] > time.time():
        looked_up = _lookup(list(extra_keys), scopes)
        if looked_up is None:
            return None, None
        if local[0] == looked_up[1]:
            with _local_lock:
                if key in _local_pages:
                    _local_pages.move_to_end(key)
            return looked_up, local
    looked_up = _lookup([key, *extra_keys], scopes)
    if looked_up is None:
        return None, None
    entry = looked_up[0].get(key)
    if entry is None or entry[0] != looked_up[1] or entry[-1] <= time.time():
        return looked_up, None
    _keep_locally(key, entry)
    return looked_up, entry


def _response(request, entry):
    """The response of a stored page (None for none)."""
    from django.http import HttpResponse

    if entry is None:
        return None
    _versions, status, headers, content, compressed, _expires_at = entry
    # A compressed page has no CSRF placeholder to fill in.
    body = content if compressed else _with_csrf_token(request, content)
    response = HttpResponse(body, status=status)
    for header, value in headers:
        response[header] = value
    return _send_compressed(request, response, compressed)


def serve(request, *, scopes: Iterable[str], render: Callable[[], Any], variant: str = ""):
    """The response `render()` makes, from the cache when there is an up-to-date copy.

    For requests that may be cached (see the module); others just get `render()`."""
    if not _cacheable(request):
        return render()
    key = _page_key(request, variant)
    looked_up, entry = _page_entry(key, scopes)
    response = _response(request, entry)
    if response is not None:
        return response
    request._page_cache_filling = True
    try:
        response = render()
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    finally:
        request._page_cache_filling = False
    if looked_up is not None and _storable(request, response):
        timeout = _timeout(request)
        if timeout > 0:
            headers = [(h, v) for h, v in response.items() if h.lower() != "content-length"]
            expires_at = time.time() + timeout
            compressed = _compressed(response.content)
            entry = (
                looked_up[1],
                response.status_code,
                headers,
                response.content,
                compressed,
                expires_at,
            )
            _cache().set(key, entry, timeout=timeout)
            _keep_locally(key, entry)
            return _send_compressed(request, response, compressed)
    if not response.streaming:
        response.content = _with_csrf_token(request, response.content)
    return response


def cache_page_for_anonymous(*scopes: str):
    """View decorator: the page from the cache for visitors who are not signed in,
    until one of `scopes` (SCOPES) changes."""
    for scope in scopes:
        if scope not in SCOPES:
            raise ValueError(f"Unknown page cache scope {scope!r}.")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            return serve(request, scopes=scopes, render=lambda: view(request, *args, **kwargs))

        return wrapper

    return decorator


_OTHER = object()


def _budget_key(request, view, throttle):
    """The cache key of the caller's budget with one of DRF's rate throttles (None: this
    throttle does not count the request), or _OTHER for any other kind of throttle."""
    from rest_framework.throttling import SimpleRateThrottle

    if not (
        isinstance(throttle, SimpleRateThrottle)
        and type(throttle).allow_request is SimpleRateThrottle.allow_request
        and throttle.cache is _cache()
    ):
        return _OTHER
    if throttle.rate is None:
        return None
    return throttle.get_cache_key(request, view)


def _budgets(request, view, throttles) -> dict:
    """{cache key: throttle} of the rate throttles that count this request."""
    budgets = {}
    for throttle in throttles:
        key = _budget_key(request, view, throttle)
        if key is not None and key is not _OTHER:
            budgets[key] = throttle
    return budgets


def _within_budgets(budgets: dict, found: dict) -> bool:
    """Whether SimpleRateThrottle.allow_request() would let the request through, on the
    histories read with the page (`found`); nothing is recorded."""
    for key, throttle in budgets.items():
        now = throttle.timer()
        recent = [moment for moment in found.get(key) or [] if moment > now - throttle.duration]
        if len(recent) >= throttle.num_requests:
            return False
    return True


# The Accept headers for which DRF picks the JSON renderer and "application/json" (the
# first renderer of DEFAULT_RENDERER_CLASSES): no header, anything, or JSON itself.
_JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
_JSON_VARIANT = "api:application/json"


class CachedAnonymousListMixin:
    """For DRF viewsets: the JSON of `list` from the cache for anonymous callers, until one
    of `page_cache_scopes` changes.

    A hit is answered before DRF's request handling (its Request, authenticators, content
    negotiation, permissions): that cost more than the hit itself. Throttling: a caller
    whose budget is spent is refused hits too (DRF's rate throttles' histories are read
    in the page's round trip to Redis; DRF then handles the request and answers the 429),
    but a hit is not counted against the budget. Counting it would take one more round
    trip, which costs about half of what the hit costs, and a 429 costs more than the
    hit it would refuse: the budgets are there for the requests that render, and those
    still count as before. Other kinds of throttle run as DRF runs them. Taken this way
    only when the answer would be the same: a GET of `list` from someone not signed in
    (no session of a person, no Authorization header: a token goes to DRF, also a wrong
    one, which is a 401), asking for JSON as a plain `Accept` does (none, */* or
    application/json; no `format` parameter). Everything else, and a miss, goes through
    DRF as any request, and `list` then keeps the JSON (and serves it) as before."""

    page_cache_scopes: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        response = self._from_page_cache(request)
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)

    def _from_page_cache(self, request):
        if (
            request.method != "GET"
            or self.action_map.get("get") != "list"
            or "HTTP_AUTHORIZATION" in request.META
            or request.META.get("HTTP_ACCEPT", "").strip() not in _JSON_ACCEPTS
            or "format" in request.GET
            or not _cacheable(request)
        ):
            return None
        key = _page_key(request, _JSON_VARIANT)
        throttles = self.get_throttles()
        budgets = _budgets(request, self, throttles)
        looked_up, entry = _page_entry(key, self.page_cache_scopes, list(budgets))
        response = _response(request, entry)
        if response is None or not _within_budgets(budgets, looked_up[0]):
            return None
        for throttle in throttles:
            if _budget_key(request, self, throttle) is _OTHER and not throttle.allow_request(
                request, self
            ):
                return None
        # The headers DRF's finalize_response adds (Allow, Vary: Accept).
        self.headers = self.default_response_headers
        return self.finalize_response(request, response)

    def list(self, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format != "json":
            return super().list(request, *args, **kwargs)

        def render():
            response = super(CachedAnonymousListMixin, self).list(request, *args, **kwargs)
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            return response.render()

        return serve(
            request._request,
            scopes=self.page_cache_scopes,
            render=render,
            variant=f"api:{request.accepted_media_type}",
        )
