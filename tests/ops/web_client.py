"""HTTP to a server the ops tests started on loopback: one request a connection, no
redirects followed, named for the site's host as the proxy in front would name it."""

from __future__ import annotations

import http.client
import http.cookies
import re
import time
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

import pytest

from tests.processes import Process, wait_until

HOST = "platform.test"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Answer(NamedTuple):
    status: int
    headers: http.client.HTTPMessage  # looked up case-insensitively
    body: bytes
    elapsed: float  # seconds, request sent to body read


def fetch(
    url: str,
    method: str = "GET",
    *,
    headers: dict[str, str] | None = None,
    body: str | bytes | None = None,
    timeout: float = 30,
) -> Answer:
    """One request to `url` (http://127.0.0.1:<port>/path?query) with Host: HOST unless
    `headers` say otherwise."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        started = time.monotonic()
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        content = response.read()
        return Answer(response.status, response.headers, content, time.monotonic() - started)
    finally:
        connection.close()


class Browser:
    """Just enough of a browser behind the TLS proxy: X-Forwarded-Proto, cookies, forms
    with their CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form=None, headers=None) -> Answer:
        all_headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers |= headers or {}
        body = None
        if form is not None:
            body = urlencode(form)
            all_headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}",
            }
        answer = fetch(self.base_url + path, method, headers=all_headers, body=body)
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict) -> Answer:
        page = self.get(path)
        assert page.status == 200, page.body[:500]
        token = _CSRF_INPUT.search(page.body.decode()).group(1)
        return self.request("POST", path, form={"csrfmiddlewaretoken": token, **data})

    def log_in(self, email: str, password: str) -> Answer:
        return self.post_form("/accounts/login/", {"login": email, "password": password})


def wait_until_answers(url: str, process: Process, *, timeout: float = 60) -> None:
    """Until `url` answers at all (any status), failing at once if `process` exits."""

    def answers() -> bool:
        if process.process.poll() is not None:
            pytest.fail(f"{process.name} exited.\n{process.log_tail()}")
        try:
            fetch(url)
        except OSError:
            return False
        return True

    wait_until(answers, what=url, timeout=timeout, logs=[process])
