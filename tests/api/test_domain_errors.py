"""One domain error base for every app's services, and one handler that answers it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.exceptions import ValidationError

from accounts.services import AccountError
from challenges.services import ChallengeError
from events.services import EventError
from hackathon.errors import Conflict, DomainError, ExceptionHandler, domain_error_as_api_exception
from mentoring.services import MentoringError
from notifications.services import NotificationError
from participants.services import ParticipantError
from projects.services import ProjectError
from teams.services import TeamError

ROOT = Path(settings.BASE_DIR)
APP_ERRORS = [
    AccountError,
    ChallengeError,
    EventError,
    MentoringError,
    NotificationError,
    ParticipantError,
    ProjectError,
    TeamError,
]


@pytest.mark.parametrize("error_class", APP_ERRORS, ids=lambda cls: cls.__name__)
def test_app_error_derives_from_the_domain_error(error_class):
    assert issubclass(error_class, DomainError)


def test_every_error_class_in_the_services_derives_from_the_domain_error():
    direct = re.compile(r"^class \w+Error\(Exception\):", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for app in {cls.__module__.split(".")[0] for cls in APP_ERRORS}
        for path in (ROOT / app).rglob("services*.py")
        if direct.search(path.read_text())
    ] + [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/services/*.py")
        if direct.search(path.read_text())
    ]
    assert offenders == []


def test_no_api_module_translates_a_services_error_itself():
    pattern = re.compile(r"except\s+\(?[\w.]*services\.\w+Error")
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("*/api.py"), *ROOT.glob("*/api/*.py")]
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_the_handler_is_drf_standardized_errors_with_our_class():
    assert settings.REST_FRAMEWORK["EXCEPTION_HANDLER"] == (
        "drf_standardized_errors.handler.exception_handler"
    )
    assert settings.DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"] == (
        "hackathon.errors.ExceptionHandler"
    )
    assert (
        ExceptionHandler(TeamError("No."), {})
        .convert_known_exceptions(TeamError("No."))
        .status_code
        == 400
    )


def test_domain_error_with_a_field_is_a_400_naming_it():
    exc = domain_error_as_api_exception(TeamError("Taken.", field="name"))
    assert isinstance(exc, ValidationError)
    assert exc.detail == {"name": ["Taken."]}
    assert exc.detail["name"][0].code == "invalid"


def test_domain_error_without_a_field_is_a_non_field_error():
    exc = domain_error_as_api_exception(ChallengeError("Not now."))
    assert exc.detail == {"non_field_errors": ["Not now."]}


def test_domain_error_conflict_is_a_409():
    exc = domain_error_as_api_exception(DomainError("Too late.", conflict=True))
    assert isinstance(exc, Conflict)
    assert exc.status_code == 409
    assert exc.detail == "Too late."


def test_project_error_of_the_state_is_a_conflict_and_missing_fields_are_named():
    assert domain_error_as_api_exception(ProjectError("Deadline passed.")).status_code == 409
    exc = domain_error_as_api_exception(ProjectError("Incomplete.", missing=["title"]))
    assert exc.status_code == 400
    assert exc.detail["title"][0].code == "required"
    assert exc.detail["non_field_errors"][0].code == "incomplete"


def test_a_page_answers_a_domain_error_as_the_api_does():
    from hackathon.errors import DomainError

    assert DomainError("no", conflict=True).status_code == 409
    assert DomainError("no", field="name").status_code == 400
