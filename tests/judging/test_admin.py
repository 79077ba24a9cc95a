"""Judging rounds in the Django admin write through judging.services."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from audit.services import audit_entries_for
from judging.enums import RoundEntry, RoundStatus
from judging.models import JudgingRound
from tests.judging.conftest import JurorFactory

pytestmark = pytest.mark.django_db

ROUND_FORM = {
    "name": "Vorauswahl",
    "entry": RoundEntry.ALL_SUBMITTED,
    "topic": "",
    "reviews_per_project": "5",
    "opens_at_0": "",
    "opens_at_1": "",
    "closes_at_0": "",
    "closes_at_1": "",
}


def _criteria_formset(round) -> dict:
    criteria = list(round.criteria.order_by("position"))
    data = {
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        data |= {
            f"criteria-{index}-id": str(criterion.pk),
            f"criteria-{index}-round": str(round.pk),
            f"criteria-{index}-name": criterion.name,
            f"criteria-{index}-guidance": criterion.guidance,
            f"criteria-{index}-scale_min": str(criterion.scale_min),
            f"criteria-{index}-scale_max": str(criterion.scale_max),
            f"criteria-{index}-weight": str(criterion.weight),
            f"criteria-{index}-position": str(criterion.position),
        }
    return data


def test_adding_a_round_in_the_admin_creates_the_default_criteria(client, organiser, event):
    client.force_login(organiser)

    response = client.post(
        reverse("admin:judging_judginground_add"),
        {**ROUND_FORM, "event": event.pk, **_empty_criteria()},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    round = JudgingRound.objects.get()
    assert (round.event, round.name, round.position) == (event, "Vorauswahl", 1)
    assert round.criteria.count() == 5
    assert [entry.action for entry in audit_entries_for(target=round)] == ["judging.round_created"]


def _empty_criteria() -> dict:
    return {
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }


def test_the_admin_shows_the_services_refusal_of_a_close_before_the_opening(
    client, organiser, judging_round
):
    client.force_login(organiser)
    url = reverse("admin:judging_judginground_change", args=[judging_round.pk])

    response = client.post(
        url,
        {
            **ROUND_FORM,
            "opens_at_0": "2026-07-02",
            "opens_at_1": "09:00:00",
            "closes_at_0": "2026-07-01",
            "closes_at_1": "09:00:00",
            **_criteria_formset(judging_round),
        },
    )

    assert response.status_code == 200
    assert "Die Runde muss nach ihrem Beginn enden." in response.content.decode()
    judging_round.refresh_from_db()
    assert (judging_round.opens_at, judging_round.closes_at) == (None, None)


def test_changing_a_round_and_a_criterion_in_the_admin_goes_through_the_services(
    client, organiser, judging_round
):
    client.force_login(organiser)
    url = reverse("admin:judging_judginground_change", args=[judging_round.pk])
    data = {
        **ROUND_FORM,
        "opens_at_0": "2026-07-01",
        "opens_at_1": "09:00:00",
        **_criteria_formset(judging_round),
        "criteria-0-weight": "3",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    judging_round.refresh_from_db()
    # On the event's clock (Europe/Berlin, summer time).
    assert judging_round.opens_at == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert judging_round.criteria.get(position=1).weight == 3
    assert [entry.action for entry in audit_entries_for(target=judging_round).order_by("pk")] == [
        "judging.round_created",
        "judging.round_updated",
        "judging.criterion_updated",
    ]


def test_the_criteria_of_an_open_round_are_read_only_in_the_admin(client, organiser, judging_round):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=RoundStatus.OPEN)
    client.force_login(organiser)

    page = client.get(reverse("admin:judging_judginground_change", args=[judging_round.pk]))

    assert page.status_code == 200
    assert 'name="criteria-0-weight"' not in page.content.decode()


def test_rounds_are_not_deleted_and_jurors_are_read_only(client, organiser, judging_round):
    juror = JurorFactory(round=judging_round)
    client.force_login(organiser)

    delete = client.get(reverse("admin:judging_judginground_delete", args=[judging_round.pk]))
    change = client.post(
        reverse("admin:judging_juror_change", args=[juror.pk]),
        {"conflict_organisations": "Charité"},
    )

    assert delete.status_code == 403
    assert change.status_code == 403
    juror.refresh_from_db()
    assert juror.conflict_organisations == ""


@pytest.mark.parametrize("model", ["judginground", "juror", "assignment", "review"])
def test_every_judging_list_and_record_opens_for_organisers(
    client, organiser, judging_round, model
):
    from judging.models import Assignment, Review, Score
    from projects.models import ProjectVersion
    from tests.factories import ProjectFactory

    project = ProjectFactory(event=judging_round.event, status="submitted")
    version = ProjectVersion.objects.create(project=project, number=1, snapshot={})
    assignment = Assignment.objects.create(
        round=judging_round,
        juror=JurorFactory(round=judging_round),
        project=project,
        version=version,
    )
    review = Review.objects.create(assignment=assignment)
    Score.objects.create(review=review, criterion=judging_round.criteria.first(), value=4)
    record = {
        "judginground": judging_round,
        "juror": assignment.juror,
        "assignment": assignment,
        "review": review,
    }[model]
    client.force_login(organiser)

    listing = client.get(reverse(f"admin:judging_{model}_changelist"))
    detail = client.get(reverse(f"admin:judging_{model}_change", args=[record.pk]))

    assert (listing.status_code, detail.status_code) == (200, 200)
    shown = project.title if model == "assignment" else str(record)  # juror, project columns
    assert shown in listing.content.decode()


def test_the_admin_shows_and_takes_times_on_the_events_clock(client, organiser, event):
    from judging.services import round_create

    event.time_zone = "America/New_York"
    event.save(update_fields=["time_zone"])
    round = round_create(event=event, actor=organiser, name="Finale")
    client.force_login(organiser)
    url = reverse("admin:judging_judginground_change", args=[round.pk])

    response = client.post(
        url,
        {
            **ROUND_FORM,
            "name": "Finale",
            "opens_at_0": "2026-07-01",
            "opens_at_1": "09:00:00",
            **_criteria_formset(round),
        },
    )

    assert response.status_code == 302
    round.refresh_from_db()
    assert round.opens_at == datetime(2026, 7, 1, 13, 0, tzinfo=UTC)  # New York: UTC-4
    page = client.get(url).content.decode()
    assert 'name="opens_at_1" value="09:00:00"' in page


def test_an_open_rounds_entry_and_reviews_per_project_are_read_only_in_the_admin(
    client, organiser, judging_round
):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=RoundStatus.OPEN)
    client.force_login(organiser)
    url = reverse("admin:judging_judginground_change", args=[judging_round.pk])

    response = client.post(
        url,
        {
            **ROUND_FORM,
            **_criteria_formset(judging_round),
            "name": "Finale",
            "reviews_per_project": "2",
            "entry": "shortlisted",
        },
    )

    assert response.status_code == 302
    judging_round.refresh_from_db()
    assert judging_round.name == "Finale"
    assert (judging_round.reviews_per_project, judging_round.entry) == (5, "all_submitted")


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_a_closed_round_changes_no_more_in_the_admin(client, organiser, judging_round, status):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=status)
    client.force_login(organiser)
    url = reverse("admin:judging_judginground_change", args=[judging_round.pk])

    client.post(
        url,
        {**ROUND_FORM, **_criteria_formset(judging_round), "name": "Anders", "public_vote": "on"},
    )

    judging_round.refresh_from_db()
    assert (judging_round.name, judging_round.public_vote) == ("Vorauswahl", False)


def test_numbers_past_the_bounds_are_a_form_error_in_the_admin(client, organiser, judging_round):
    client.force_login(organiser)
    url = reverse("admin:judging_judginground_change", args=[judging_round.pk])

    round_page = client.post(
        url,
        {**ROUND_FORM, **_criteria_formset(judging_round), "reviews_per_project": "99999999999"},
    )
    criterion_page = client.post(
        url, {**ROUND_FORM, **_criteria_formset(judging_round), "criteria-0-weight": "40000"}
    )

    assert round_page.status_code == 200 and criterion_page.status_code == 200
    judging_round.refresh_from_db()
    assert judging_round.reviews_per_project == 5
    assert judging_round.criteria.get(position=1).weight == 1
