"""The API's error messages are in the request's language: German by default, English with
`Accept-Language: en`, whichever part answers (a middleware, the JSON parser, a
serializer, DRF itself, a service's DomainError, the error pages)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from events.enums import PhaseKind
from hackathon.middleware import APIJSONErrorsMiddleware
from tests.factories import EventFactory, PhaseFactory, RegistrationFactory, UserFactory

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
    now = timezone.now()
    PhaseFactory(
        event=event,
        kind=PhaseKind.REGISTRATION,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=7),
    )
    return event


def _errors(response, status: int) -> dict[str | None, str]:
    assert response.status_code == status, response.content
    body = json.loads(response.content)  # also for the middleware's own JsonResponse
    return {error["attr"]: error["detail"] for error in body["errors"]}


# --- the middlewares ---------------------------------------------------------------------------


def test_a_nul_character_in_a_parameter(api, language):
    expected = {
        "de": "Der Parameter 'q' enthält ein NUL-Zeichen.",
        "en": "The parameter 'q' contains a NUL character.",
    }

    assert _errors(api.get("/api/v1/events/?q=a%00b"), 400) == {"q": expected[language]}


def test_a_nul_character_in_a_parameters_name_is_shown_escaped(api, language):
    expected = {
        "de": "Der Parameter 'a\\x00' enthält ein NUL-Zeichen.",
        "en": "The parameter 'a\\x00' contains a NUL character.",
    }

    assert _errors(api.get("/api/v1/events/?a%00=1"), 400) == {"a\x00": expected[language]}


def test_a_nul_character_in_the_path(api, language):
    expected = {
        "de": "Die Adresse enthält ein NUL-Zeichen.",
        "en": "The address contains a NUL character.",
    }

    assert _errors(api.get("/api/v1/events/a%00b/"), 400) == {None: expected[language]}


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


def test_an_unknown_path_with_debug_on(api, language, settings):
    """With DEBUG on Django's technical 404 page comes back, and the middleware answers."""
    settings.DEBUG = True
    expected = {"de": "Nicht gefunden.", "en": "Not found."}

    assert _errors(api.get("/api/v1/no-such-thing/"), 404) == {None: expected[language]}


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

    assert _errors(response, 400) == {None: {"de": german, "en": english}[language]}
    assert response.json()["errors"][0]["code"] == "parse_error"


# --- the serializers: strict input, filters, unknown events ------------------------------------


def test_an_unknown_and_a_read_only_field(api, language, person, event):
    api.force_authenticate(person)
    body = {
        "event": event.slug,
        "accept_code_of_conduct": True,
        "colour": "blue",
        "created_at": "2020-01-01T00:00:00Z",
    }

    response = api.post("/api/v1/me/registrations/", body, format="json")

    assert (
        _errors(response, 400)
        == {
            "de": {
                "colour": "Dieses Feld gibt es nicht.",
                "created_at": "Dieses Feld kann nicht geschrieben werden.",
            },
            "en": {
                "colour": "This field does not exist.",
                "created_at": "This field cannot be written.",
            },
        }[language]
    )


def test_an_unknown_filter_parameter(api, language):
    expected = {
        "de": "Diese Liste hat keinen solchen Parameter.",
        "en": "This list has no such parameter.",
    }

    assert _errors(api.get("/api/v1/events/?colour=blue"), 400) == {"colour": expected[language]}


def test_an_unknown_filter_value(api, language):
    response = api.get("/api/v1/projects/?sort=bogus&has_video=vielleicht")

    assert (
        _errors(response, 400)
        == {
            "de": {
                "sort": '"bogus" ist keine gültige Option.',
                "has_video": "Muss ein gültiger Wahrheitswert sein.",
            },
            "en": {
                "sort": '"bogus" is not a valid choice.',
                "has_video": "Must be a valid boolean.",
            },
        }[language]
    )


def test_an_unknown_event_in_a_filter(api, language):
    expected = {"de": "Unbekanntes Event.", "en": "Unknown event."}

    response = api.get("/api/v1/participants/?event=nope")

    assert _errors(response, 400) == {"event": expected[language]}


def test_a_list_that_needs_its_event(api, language):
    expected = {
        "de": "Gib das Event mit seinem Kürzel an: ?event=<slug>.",
        "en": "Name the event by its slug: ?event=<slug>.",
    }

    assert _errors(api.get("/api/v1/participants/"), 400) == {"event": expected[language]}


def test_an_unknown_event_when_founding_a_team(api, language, world):
    api.force_authenticate(world.founder)
    body = {"event": "nope", "challenge": world.challenge.number, "name": "Neu", "pitch": "Ja."}

    response = api.post("/api/v1/teams/", body, format="json")

    assert _errors(response, 400) == {
        "event": {"de": "Unbekanntes Event.", "en": "Unknown event."}[language]
    }


def test_an_unknown_challenge_when_founding_a_team(api, language, world):
    api.force_authenticate(world.founder)
    body = {"event": world.event.slug, "challenge": 999, "name": "Neu", "pitch": "Ja."}

    response = api.post("/api/v1/teams/", body, format="json")

    assert _errors(response, 400) == {
        "challenge": {
            "de": "Keine veröffentlichte Challenge dieses Events hat diese Nummer.",
            "en": "No published challenge of this event has this number.",
        }[language]
    }


def test_inviting_an_unknown_person(api, language, world):
    api.force_authenticate(world.founder)

    response = api.post(
        f"/api/v1/teams/{world.team.pk}/invitations/", {"invitee": 999_999}, format="json"
    )

    assert _errors(response, 400) == {
        "invitee": {
            "de": "Du kannst nur Teilnehmer:innen dieses Events einladen, deren Profil du sehen kannst.",
            "en": "You can only invite participants of this event whose profile you can see.",
        }[language]
    }


# --- DRF's own errors --------------------------------------------------------------------------


def test_404(api, language):
    expected = {"de": "Nicht gefunden.", "en": "Not found."}

    assert _errors(api.get("/api/v1/nope/"), 404) == {None: expected[language]}
    assert _errors(api.get("/api/v1/events/nope/"), 404) == {None: expected[language]}


def test_405(api, language, person):
    api.force_authenticate(person)
    expected = {"de": 'Methode "DELETE" nicht erlaubt.', "en": 'Method "DELETE" not allowed.'}

    assert _errors(api.delete("/api/v1/events/"), 405) == {None: expected[language]}


def test_401(api, language):
    expected = {"de": "Anmeldedaten fehlen.", "en": "Authentication credentials were not provided."}

    response = api.post("/api/v1/me/registrations/", {}, format="json")

    assert _errors(response, 401) == {None: expected[language]}


def test_401_for_a_wrong_token(api, language):
    expected = {"de": "Ungültiges Token.", "en": "Invalid token."}

    response = api.get("/api/v1/events/", HTTP_AUTHORIZATION="Token nope")

    assert _errors(response, 401) == {None: expected[language]}


@pytest.mark.urls("tests.api.urls")
def test_403_says_du(api, language, person):
    api.force_authenticate(person)
    expected = {
        "de": "Das darfst du nicht.",
        "en": "You do not have permission to perform this action.",
    }

    assert _errors(api.get("/api/test/staff-only/"), 403) == {None: expected[language]}


@pytest.mark.parametrize("path", ["/api/test/drf-crash/", "/api/test/crash/"])
@pytest.mark.urls("tests.api.urls")
def test_500_inside_and_outside_drf(api, language, path):
    expected = {"de": "Serverfehler (500)", "en": "Server Error (500)"}

    assert _errors(api.get(path), 500) == {None: expected[language]}


def test_429_says_how_long_to_wait(api, language, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1/min")
    pattern = {
        "de": r"Zu viele Anfragen: versuch es in (\d+) Sekunden? noch einmal\.",
        "en": r"Too many requests: try again in (\d+) seconds?\.",
    }[language]

    responses = [api.get("/api/v1/events/") for _ in range(2)]

    detail = _errors(responses[-1], 429)[None]
    wait = re.fullmatch(pattern, detail)
    assert wait is not None, detail
    assert int(wait.group(1)) == int(responses[-1]["Retry-After"]) > 0


# --- a service's DomainError -------------------------------------------------------------------


def test_a_domain_error_from_a_service(api, language, person, event):
    RegistrationFactory(event=event, user=person)
    api.force_authenticate(person)
    expected = {
        "de": "Du nimmst bereits an diesem Event teil.",
        "en": "You are already registered for this event.",
    }

    response = api.post(
        "/api/v1/me/registrations/",
        {"event": event.slug, "accept_code_of_conduct": True},
        format="json",
    )

    assert _errors(response, 400) == {"non_field_errors": expected[language]}
