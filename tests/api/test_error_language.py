"""The API's error messages are in the request's language: German by default, English with
`Accept-Language: en`, whichever part answers (a middleware, the JSON parser, a
serializer, DRF itself, a service's DomainError, the error pages)."""

from __future__ import annotations

import json
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from hackathon.middleware import APIJSONErrorsMiddleware
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.participants.conftest import open_registration

pytestmark = pytest.mark.django_db

# What the request sends: nothing (the site's default, German) or English.
HEADERS = {"de": {}, "en": {"HTTP_ACCEPT_LANGUAGE": "en"}}


@pytest.fixture(params=["de", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def api(language) -> APIClient:
    return APIClient(raise_request_exception=False, **HEADERS[language])


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def event(db):
    event = EventFactory(slug="sprachen")
    open_registration(event)
    return event


def _errors(response, status: int) -> dict[str | None, str]:
    assert response.status_code == status, response.content
    body = json.loads(response.content)  # also for the middleware's own JsonResponse
    return {error["attr"]: error["detail"] for error in body["errors"]}


def _said(language: str, german: str, english: str) -> str:
    return german if language == "de" else english


# --- anonymous GETs: the middlewares, the filters, DRF's 404 -----------------------------------

ANONYMOUS_GETS = {
    "nul-in-a-parameter": (
        "/api/v1/events/?q=a%00b",
        400,
        "q",
        "Der Parameter 'q' enthält ein NUL-Zeichen.",
        "The parameter 'q' contains a NUL character.",
    ),
    "nul-in-a-parameters-name": (
        "/api/v1/events/?a%00=1",
        400,
        "a\x00",
        "Der Parameter 'a\\x00' enthält ein NUL-Zeichen.",
        "The parameter 'a\\x00' contains a NUL character.",
    ),
    "nul-in-the-path": (
        "/api/v1/events/a%00b/",
        400,
        None,
        "Die Adresse enthält ein NUL-Zeichen.",
        "The address contains a NUL character.",
    ),
    "unknown-filter-parameter": (
        "/api/v1/events/?colour=blue",
        400,
        "colour",
        "Diese Liste hat keinen solchen Parameter.",
        "This list has no such parameter.",
    ),
    "unknown-filter-choice": (
        "/api/v1/projects/?sort=bogus",
        400,
        "sort",
        '"bogus" ist keine gültige Option.',
        '"bogus" is not a valid choice.',
    ),
    "bad-filter-boolean": (
        "/api/v1/projects/?has_video=vielleicht",
        400,
        "has_video",
        "Muss ein gültiger Wahrheitswert sein.",
        "Must be a valid boolean.",
    ),
    "unknown-event": (
        "/api/v1/participants/?event=nope",
        400,
        "event",
        "Unbekanntes Event.",
        "Unknown event.",
    ),
    "event-missing": (
        "/api/v1/participants/",
        400,
        "event",
        "Gib das Event mit seinem Kürzel an: ?event=<slug>.",
        "Name the event by its slug: ?event=<slug>.",
    ),
    "unknown-path": ("/api/v1/nope/", 404, None, "Nicht gefunden.", "Not found."),
    "unknown-object": ("/api/v1/events/nope/", 404, None, "Nicht gefunden.", "Not found."),
}


@pytest.mark.parametrize(
    ("path", "status", "attr", "german", "english"),
    ANONYMOUS_GETS.values(),
    ids=ANONYMOUS_GETS.keys(),
)
def test_an_anonymous_get(api, language, path, status, attr, german, english):
    assert _errors(api.get(path), status) == {attr: _said(language, german, english)}


def test_an_unknown_path_with_debug_on(api, language, settings):
    """With DEBUG on Django's technical 404 page comes back, and the middleware answers."""
    settings.DEBUG = True

    response = api.get("/api/v1/no-such-thing/")

    assert _errors(response, 404) == {None: _said(language, "Nicht gefunden.", "Not found.")}


# --- the middleware's answer for errors without an API body ------------------------------------


@pytest.mark.parametrize(
    ("status", "german", "english"),
    [
        (401, "Anmeldedaten fehlen.", "Authentication credentials were not provided."),
        (403, "Das darfst du nicht.", "You do not have permission to perform this action."),
        (404, "Nicht gefunden.", "Not found."),
        (405, 'Methode "DELETE" nicht erlaubt.', 'Method "DELETE" not allowed.'),
        (
            415,
            'Nicht unterstützter Medientyp "text/csv" in der Anfrage.',
            'Unsupported media type "text/csv" in request.',
        ),
        (500, "Serverfehler (500)", "Server Error (500)"),
        (418, "HTTP-Fehler 418.", "HTTP error 418."),
    ],
)
def test_an_error_without_an_api_body_gets_its_detail_in_the_requests_language(
    status, german, english
):
    """APIJSONErrorsMiddleware, before the language middlewares have run (the request has
    no LANGUAGE_CODE): the language comes from the request, not from whatever is active."""
    middleware = APIJSONErrorsMiddleware(lambda request: HttpResponse("<html>", status=status))
    factory = RequestFactory()

    with translation.override("de"):
        english_request = factory.delete(
            "/api/v1/x/", "a,b", content_type="text/csv", HTTP_ACCEPT_LANGUAGE="en"
        )
        in_english = middleware(english_request)
    with translation.override("en"):
        in_german = middleware(factory.delete("/api/v1/x/", "a,b", content_type="text/csv"))

    assert _errors(in_english, status) == {None: english}
    assert _errors(in_german, status) == {None: german}


def test_the_middleware_keeps_the_language_the_language_middlewares_chose():
    middleware = APIJSONErrorsMiddleware(lambda request: HttpResponse("<html>", status=404))
    request = RequestFactory().get("/api/v1/x/", HTTP_ACCEPT_LANGUAGE="de")
    request.LANGUAGE_CODE = "en"  # a signed-in person's saved language (UserLanguageMiddleware)

    assert _errors(middleware(request), 404) == {None: "Not found."}


# --- the JSON parser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "german", "english"),
    [
        (
            b'{"title": [[[',
            "JSON-Fehler in Zeile 1, Spalte 14.",
            "JSON parse error at line 1, column 14.",
        ),
        (
            b'{\n  "title": "a",\n  "x": ]\n}',
            "JSON-Fehler in Zeile 3, Spalte 8.",
            "JSON parse error at line 3, column 8.",
        ),
        (
            b'{"title": NaN}',
            "JSON-Fehler: Eine Zahl liegt außerhalb des gültigen Bereichs "
            "(NaN, Infinity oder zu viele Ziffern).",
            "JSON parse error: a number is out of range (NaN, Infinity or too many digits).",
        ),
        (
            b'{"title": "\xed\xa0\x80"}',
            "JSON-Fehler: Der Inhalt ist kein Text in utf-8.",
            "JSON parse error: the body is not text in utf-8.",
        ),
    ],
    ids=["unclosed", "second-line", "nan", "not-utf-8"],
)
def test_malformed_json(api, language, person, body, german, english):
    api.force_authenticate(person)

    response = api.post("/api/v1/me/registrations/", body, content_type="application/json")

    assert _errors(response, 400) == {None: _said(language, german, english)}
    assert response.json()["errors"][0]["code"] == "parse_error"


# --- writes: strict input, unknown events and people, a service's DomainError ------------------


def test_an_unknown_and_a_read_only_field(api, language, person, event):
    api.force_authenticate(person)
    body = {
        "event": event.slug,
        "accept_code_of_conduct": True,
        "colour": "blue",
        "created_at": "2020-01-01T00:00:00Z",
    }

    response = api.post("/api/v1/me/registrations/", body, format="json")

    assert _errors(response, 400) == {
        "colour": _said(language, "Dieses Feld gibt es nicht.", "This field does not exist."),
        "created_at": _said(
            language,
            "Dieses Feld kann nicht geschrieben werden.",
            "This field cannot be written.",
        ),
    }


@pytest.mark.parametrize(
    ("founding", "attr", "german", "english"),
    [
        ({"event": "nope"}, "event", "Unbekanntes Event.", "Unknown event."),
        (
            {"challenge": 999},
            "challenge",
            "Keine veröffentlichte Challenge dieses Events hat diese Nummer.",
            "No published challenge of this event has this number.",
        ),
    ],
    ids=["unknown-event", "unknown-challenge"],
)
def test_founding_a_team_for_what_does_not_exist(
    api, language, world, founding, attr, german, english
):
    api.force_authenticate(world.founder)
    body = {"event": world.event.slug, "challenge": world.challenge.number, "name": "Neu"}

    response = api.post("/api/v1/teams/", {**body, "pitch": "Ja.", **founding}, format="json")

    assert _errors(response, 400) == {attr: _said(language, german, english)}


def test_inviting_an_unknown_person(api, language, world):
    api.force_authenticate(world.founder)

    response = api.post(
        f"/api/v1/teams/{world.team.pk}/invitations/", {"invitee": 999_999}, format="json"
    )

    assert _errors(response, 400) == {
        "invitee": _said(
            language,
            "Du kannst nur Teilnehmer:innen dieses Events einladen, deren Profil du sehen kannst.",
            "You can only invite participants of this event whose profile you can see.",
        )
    }


def test_a_domain_error_from_a_service(api, language, person, event):
    RegistrationFactory(event=event, user=person)
    api.force_authenticate(person)
    body = {"event": event.slug, "accept_code_of_conduct": True}

    response = api.post("/api/v1/me/registrations/", body, format="json")

    assert _errors(response, 400) == {
        "non_field_errors": _said(
            language,
            "Du nimmst bereits an diesem Event teil.",
            "You are already registered for this event.",
        )
    }


# --- DRF's own refusals ------------------------------------------------------------------------


def test_405(api, language, person):
    api.force_authenticate(person)

    response = api.delete("/api/v1/events/")

    assert _errors(response, 405) == {
        None: _said(language, 'Methode "DELETE" nicht erlaubt.', 'Method "DELETE" not allowed.')
    }


def test_401(api, language):
    response = api.post("/api/v1/me/registrations/", {}, format="json")

    assert _errors(response, 401) == {
        None: _said(
            language, "Anmeldedaten fehlen.", "Authentication credentials were not provided."
        )
    }


def test_401_for_a_wrong_token(api, language):
    response = api.get("/api/v1/events/", HTTP_AUTHORIZATION="Token nope")

    assert _errors(response, 401) == {None: _said(language, "Ungültiges Token.", "Invalid token.")}


@pytest.mark.urls("tests.api.urls")
def test_403_says_du(api, language, person):
    api.force_authenticate(person)

    response = api.get("/api/test/staff-only/")

    assert _errors(response, 403) == {
        None: _said(
            language,
            "Das darfst du nicht.",
            "You do not have permission to perform this action.",
        )
    }


def test_403_for_a_session_without_its_csrf_token(language, person):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(person)
    # Signed in, a saved language beats Accept-Language; the language cookie beats both.
    browser.cookies["language"] = language

    response = browser.post("/api/v1/me/registrations/", {}, format="json")

    assert _errors(response, 403) == {
        None: _said(
            language,
            "CSRF-Prüfung fehlgeschlagen: Eine Anfrage mit dem Sitzungs-Cookie schickt den "
            "Wert des Cookies csrftoken im Header X-CSRFToken. Skripte nehmen stattdessen "
            "ein API-Token.",
            "CSRF check failed: a request with the session cookie sends the csrftoken "
            "cookie's value in the X-CSRFToken header. Scripts use an API token instead.",
        )
    }


@pytest.mark.parametrize("path", ["/api/test/drf-crash/", "/api/test/crash/"])
@pytest.mark.urls("tests.api.urls")
def test_500_inside_and_outside_drf(api, language, path):
    response = api.get(path)

    assert _errors(response, 500) == {
        None: _said(language, "Serverfehler (500)", "Server Error (500)")
    }


def test_429_says_how_long_to_wait(api, language, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1/min")
    pattern = _said(
        language,
        r"Zu viele Anfragen: versuch es in (\d+) Sekunden? noch einmal\.",
        r"Too many requests: try again in (\d+) seconds?\.",
    )

    responses = [api.get("/api/v1/events/") for _ in range(2)]

    detail = _errors(responses[-1], 429)[None]
    wait = re.fullmatch(pattern, detail)
    assert wait is not None, detail
    assert int(wait.group(1)) == int(responses[-1]["Retry-After"]) > 0
