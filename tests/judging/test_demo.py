"""The demo's judging: a pre-screening in the finished edition, an open round in the
running one, and the juror login printed; seeded idempotently."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from events.demo import DEMO_EVENT_SLUG, DEMO_PASSWORD, PAST_EVENT_SLUG
from judging.demo import JUROR, PAST_PROJECTS, ROUND_NAME
from judging.models import Criterion, JudgingRound, Juror
from judging.selectors import conflicts_of
from judging.services import DEFAULT_CRITERIA
from projects.enums import ProjectStatus
from projects.models import Project
from projects.selectors import project_version_for_jurors

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def judging_rows() -> list:
    return [
        sorted(JudgingRound.objects.values_list("pk", "event__slug", "name", "status")),
        sorted(Criterion.objects.values_list("pk", "round__event__slug", "name", "weight")),
        sorted(Juror.objects.values_list("pk", "round__event__slug", "user__email")),
        sorted(Project.objects.filter(event__slug=PAST_EVENT_SLUG).values_list("pk", "title")),
    ]


def test_demo_judging_rounds_jurors_and_login_idempotently():
    output = seed()
    first = judging_rows()
    seed()
    assert judging_rows() == first

    past = JudgingRound.objects.get(event__slug=PAST_EVENT_SLUG, name=ROUND_NAME)
    current = JudgingRound.objects.get(event__slug=DEMO_EVENT_SLUG, name=ROUND_NAME)
    # The five default criteria, in German (the demo's language), 1–5, equal weights.
    assert list(past.criteria.values_list("scale_min", "scale_max", "weight")) == [(1, 5, 1)] * 5
    assert past.criteria.count() == len(DEFAULT_CRITERIA)
    assert past.criteria.first().name == "Gesellschaftlicher Nutzen"

    # The juror login: printed, verified, the demo password, in both pools.
    juror = User.objects.get(email=JUROR[0])
    assert juror.check_password(DEMO_PASSWORD)
    assert juror.emailaddress_set.filter(email=JUROR[0], verified=True, primary=True).exists()
    assert re.search(rf"{re.escape(JUROR[0])} +{DEMO_PASSWORD} +\(Juror\)", output)
    assert Juror.objects.filter(round=past, user=juror).exists()
    assert Juror.objects.filter(round=current, user=juror).exists()
    assert past.jurors.count() >= 6

    # The finished edition has projects to judge, on versions frozen before its deadline.
    projects = Project.objects.filter(event=past.event, status=ProjectStatus.SUBMITTED)
    assert projects.count() == len(PAST_PROJECTS)
    for project in projects:
        assert project_version_for_jurors(project=project) is not None

    # A declared conflict (an organisation) is respected by the platform's own check.
    declaring = past.jurors.exclude(conflict_organisations="").get()
    assert conflicts_of(declaring), "the declared organisation has projects in the round"
