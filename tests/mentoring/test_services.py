from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEntry
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from mentoring.services import (
    MAX_ACTIVE_PER_TEAM,
    MentoringError,
    help_request_claim,
    help_request_close,
    help_request_create,
    help_request_release,
)
from notifications.models import Notification
from notifications.rendering import render_email, render_inapp_text
from teams import services as team_services
from teams.enums import TeamStatus
from tests.factories import HelpRequestFactory, RegistrationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def audit_actions(help_request) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(HelpRequest),
            target_id=help_request.pk,
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


def notified(kind: str) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


# --- create ----------------------------------------------------------------------------------


def test_create_by_a_team_member(team, team_member, python):
    help_request = help_request_create(
        team=team,
        actor=team_member,
        skill=python,
        topic=" Datenbank ",
        question="Wie modellieren wir die Termine?",
        contact="https://chat.example.org/datenhelden",
    )

    assert help_request.status == HelpRequestStatus.OPEN
    assert help_request.created_by == team_member
    assert help_request.topic == "Datenbank"
    assert audit_actions(help_request) == ["help_request.created"]


@pytest.mark.parametrize("who", ["participant", "mentor", "stranger"])
def test_create_refused_for_people_outside_the_team(team, participant, mentor, who):
    actor = {"participant": participant, "mentor": mentor, "stranger": UserFactory()}[who]

    with pytest.raises(MentoringError):
        help_request_create(team=team, actor=actor, question="Eine Frage an euch?", contact="x")

    assert not HelpRequest.objects.exists()


def test_create_refused_for_a_closed_team(team, team_admin):
    team.status = TeamStatus.CLOSED
    team.save(update_fields=["status"])

    with pytest.raises(MentoringError, match="closed"):
        help_request_create(
            team=team, actor=team_admin, question="Eine Frage an euch?", contact="x"
        )


@pytest.mark.parametrize(
    ("question", "contact", "field"),
    [("Kurz", "chat", "question"), ("Eine lange genug Frage", "  ", "contact")],
)
def test_create_validates_question_and_contact(team, team_admin, question, contact, field):
    with pytest.raises(MentoringError) as error:
        help_request_create(team=team, actor=team_admin, question=question, contact=contact)

    assert error.value.field == field


def test_create_refused_beyond_the_limit_of_active_requests(team, team_admin):
    for _ in range(MAX_ACTIVE_PER_TEAM):
        help_request_create(
            team=team, actor=team_admin, question="Eine Frage an euch?", contact="x"
        )

    with pytest.raises(MentoringError, match="Close one"):
        help_request_create(team=team, actor=team_admin, question="Noch eine Frage?", contact="x")


def test_closed_requests_do_not_count_towards_the_limit(team, team_admin):
    HelpRequestFactory.create_batch(5, team=team, status=HelpRequestStatus.CLOSED)

    created = help_request_create(
        team=team, actor=team_admin, question="Eine Frage an euch?", contact="x"
    )

    assert created.status == HelpRequestStatus.OPEN
    assert team.help_requests.filter(status=HelpRequestStatus.OPEN).count() == 1


# --- claim -----------------------------------------------------------------------------------


def test_claim_by_a_mentor_notifies_the_team(help_request, mentor, team_admin, team_member):
    help_request_claim(help_request=help_request, mentor=mentor)

    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.CLAIMED
    assert help_request.mentor == mentor
    assert help_request.claimed_at is not None
    assert notified("help.claimed") == {team_admin.email, team_member.email}
    notification = Notification.objects.filter(kind="help.claimed").first()
    assert notification.context["mentor"] == "Mona Mentorin"
    assert notification.context["url"] == f"/mentoring/teams/{help_request.team_id}/"
    assert audit_actions(help_request) == ["help_request.claimed"]


def test_claim_by_an_organiser(help_request, organiser):
    help_request_claim(help_request=help_request, mentor=organiser)

    assert HelpRequest.objects.get().mentor == organiser


def test_claim_by_an_event_organiser_registration(help_request, event):
    user = UserFactory()
    RegistrationFactory(event=event, user=user, role="organiser")

    help_request_claim(help_request=help_request, mentor=user)

    assert HelpRequest.objects.get().mentor == user


@pytest.mark.parametrize("who", ["participant", "team_member", "stranger", "other_event_mentor"])
def test_claim_refused_for_non_mentors(help_request, participant, team_member, who):
    actor = {"participant": participant, "team_member": team_member}.get(who) or UserFactory()
    if who == "other_event_mentor":
        RegistrationFactory(user=actor, role="mentor")

    with pytest.raises(MentoringError, match="Only mentors"):
        help_request_claim(help_request=help_request, mentor=actor)

    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN
    assert not Notification.objects.exists()


def test_second_claim_loses(help_request, mentor, other_mentor):
    help_request_claim(help_request=help_request, mentor=mentor)
    stale = HelpRequest.objects.get(pk=help_request.pk)
    stale.status = HelpRequestStatus.OPEN  # what the second mentor's page still showed

    with pytest.raises(MentoringError, match="already taken"):
        help_request_claim(help_request=stale, mentor=other_mentor)

    assert HelpRequest.objects.get().mentor == mentor
    assert Notification.objects.filter(kind="help.claimed").count() == 1  # the first claim only


def test_claim_refused_for_a_closed_team(help_request, mentor, team):
    team.status = TeamStatus.CLOSED
    team.save(update_fields=["status"])

    with pytest.raises(MentoringError):
        help_request_claim(help_request=help_request, mentor=mentor)


# --- release ---------------------------------------------------------------------------------


def test_release_by_the_claiming_mentor_opens_it_again(help_request, mentor, team_admin):
    help_request_claim(help_request=help_request, mentor=mentor)

    help_request_release(help_request=help_request, mentor=mentor)

    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.OPEN
    assert help_request.mentor is None
    assert help_request.claimed_at is None
    assert notified("help.released") == {team_admin.email}
    assert audit_actions(help_request) == ["help_request.claimed", "help_request.released"]


def test_release_refused_for_another_mentor(help_request, mentor, other_mentor):
    help_request_claim(help_request=help_request, mentor=mentor)

    with pytest.raises(MentoringError):
        help_request_release(help_request=help_request, mentor=other_mentor)

    assert HelpRequest.objects.get().mentor == mentor


def test_release_refused_when_open(help_request, mentor):
    with pytest.raises(MentoringError):
        help_request_release(help_request=help_request, mentor=mentor)


# --- close -----------------------------------------------------------------------------------


def test_close_by_the_claiming_mentor_notifies_the_team(
    help_request, mentor, team_admin, team_member
):
    help_request_claim(help_request=help_request, mentor=mentor)

    help_request_close(help_request=help_request, actor=mentor)

    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.CLOSED
    assert help_request.closed_at is not None
    assert help_request.mentor == mentor
    assert notified("help.closed") == {team_admin.email, team_member.email}
    assert audit_actions(help_request)[-1] == "help_request.closed"


def test_close_by_a_team_member_tells_the_mentor_and_the_rest_of_the_team(
    help_request, mentor, team_admin, team_member
):
    help_request_claim(help_request=help_request, mentor=mentor)

    help_request_close(help_request=help_request, actor=team_member)

    assert notified("help.closed") == {team_admin.email, mentor.email}


def test_team_member_withdraws_an_open_request(help_request, team_member):
    help_request_close(help_request=help_request, actor=team_member)

    assert HelpRequest.objects.get().status == HelpRequestStatus.CLOSED


def test_close_by_an_organiser(help_request, organiser):
    help_request_close(help_request=help_request, actor=organiser)

    assert HelpRequest.objects.get().status == HelpRequestStatus.CLOSED


@pytest.mark.parametrize("who", ["other_mentor", "participant", "stranger"])
def test_close_refused_for_everyone_else(help_request, mentor, other_mentor, participant, who):
    help_request_claim(help_request=help_request, mentor=mentor)
    actor = {"other_mentor": other_mentor, "participant": participant}.get(who) or UserFactory()

    with pytest.raises(MentoringError):
        help_request_close(help_request=help_request, actor=actor)

    assert HelpRequest.objects.get().status == HelpRequestStatus.CLAIMED


def test_close_twice_is_refused(help_request, team_admin):
    help_request_close(help_request=help_request, actor=team_admin)

    with pytest.raises(MentoringError, match="already closed"):
        help_request_close(help_request=help_request, actor=team_admin)


def test_claim_after_close_is_refused(help_request, team_admin, mentor):
    help_request_close(help_request=help_request, actor=team_admin)

    with pytest.raises(MentoringError):
        help_request_claim(help_request=help_request, mentor=mentor)


def test_closing_a_team_closes_its_open_and_claimed_requests(
    team, team_admin, mentor, help_request
):
    claimed = HelpRequestFactory(
        team=team, status=HelpRequestStatus.CLAIMED, mentor=mentor, claimed_at=timezone.now()
    )
    done = HelpRequestFactory(team=team, status=HelpRequestStatus.CLOSED)
    other_team = HelpRequestFactory(team=TeamFactory(event=team.event))

    team_services.team_close(team=team, actor=team_admin)

    statuses = dict(HelpRequest.objects.values_list("pk", "status"))
    assert statuses == {
        help_request.pk: HelpRequestStatus.CLOSED,
        claimed.pk: HelpRequestStatus.CLOSED,
        done.pk: HelpRequestStatus.CLOSED,
        other_team.pk: HelpRequestStatus.OPEN,
    }
    assert HelpRequest.objects.get(pk=help_request.pk).closed_at is not None
    assert AuditEntry.objects.filter(action="help_request.closed").count() == 2
    # The mentor who had taken one is told the team is gone.
    notification = Notification.objects.get(recipient=mentor)
    notification.recipient.language = "en"  # e-mails go out in the recipient's language
    assert notification.kind == "help.closed" and notification.context["reason"] == "team_closed"
    assert "was closed, so its help request is closed too" in render_inapp_text(notification)
    assert "need not get in touch" in render_email(notification).body


def test_last_member_leaving_closes_the_teams_requests(team, team_admin, help_request):
    team_services.membership_leave(team=team, user=team_admin)

    assert HelpRequest.objects.get().status == HelpRequestStatus.CLOSED


def test_team_closing_rolls_back_with_the_help_requests(team, team_admin, help_request):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        team_services.team_close(team=team, actor=team_admin)
        raise RuntimeError("the close fails after the signal")

    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN
