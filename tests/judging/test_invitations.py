"""Inviting jurors by e-mail (judging.services.invitations) and the outbox's mails to a
bare address (notifications.services.notify_address) that the invitations need."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from audit.models import AuditEntry
from judging.enums import RoundStatus
from judging.errors import JudgingError
from judging.models import JudgingRound, Juror, JurorInvitation
from judging.services.invitations import (
    INVITATION_SALT,
    INVITATION_VALID_DAYS,
    invitation_accept,
    invitation_from_token,
    invitation_token,
    juror_invite,
    juror_profile_update,
)
from notifications.enums import EmailStatus
from notifications.models import Notification
from notifications.services import notifications_purge_read, notifications_send_again
from tests.factories import OrganiserFactory, TeamFactory, TopicFactory, UserFactory
from tests.judging.conftest import JurorFactory
from tests.notifications.conftest import write_mo
from tests.processes import start_smtp
from tests.races import race

pytestmark = pytest.mark.django_db

_LINK = re.compile(r"https?://[^/\s]+(/judging/invitations/\S+/)")


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def _link(message) -> str:
    match = _LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _token(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


# --- inviting ----------------------------------------------------------------------------


def test_invite_writes_the_invitation_and_its_mail_in_one_transaction(judging_round, organiser):
    with TestCase.captureOnCommitCallbacks() as callbacks:
        invitation = juror_invite(
            round=judging_round, actor=organiser, email="  Jana.Jurorin@Example.ORG "
        )

    assert invitation.email == "jana.jurorin@example.org"
    mail = Notification.objects.get(kind="judging.invitation")
    assert mail.recipient is None
    assert mail.in_app is False
    assert mail.email_status == EmailStatus.PENDING
    assert mail.email_message["to"] == ["jana.jurorin@example.org"]
    assert len(callbacks) == 1  # the delivery, enqueued only once the transaction commits


def test_nothing_is_sent_when_the_transaction_rolls_back(judging_round, organiser, mailoutbox):
    with (
        TestCase.captureOnCommitCallbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        juror_invite(round=judging_round, actor=organiser, email="x@example.org")
        raise RuntimeError("the request failed later")

    assert not JurorInvitation.objects.exists()
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_invitation_mail_is_delivered_with_a_working_link_in_its_language(
    judging_round, organiser, mailoutbox, eager_celery
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation = juror_invite(
            round=judging_round, actor=organiser, email="jana@example.org", language="en"
        )

    (message,) = mailoutbox
    assert message.to == ["jana@example.org"]
    assert message.subject.endswith('Invitation to the jury of "Vorauswahl" (#WirVsVirus)')
    assert "Olga Organisatorin invites you to the jury" in message.body
    assert message.body.startswith("Hello,\n")
    assert "because an organiser on the platform entered this address" in message.body
    assert message.extra_headers["Content-Language"] == "en"
    link = _link(message)
    assert invitation_from_token(_token(link)) == invitation
    assert link in message.alternatives[0][0]  # the HTML part has the same link
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_invitation_mail_is_in_the_organisers_language_else_german(
    judging_round, organiser, mailoutbox, settings
):
    organiser.language = "en"
    organiser.save(update_fields=["language"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        in_english = juror_invite(round=judging_round, actor=organiser, email="a@example.org")
    organiser.language = ""
    settings.LANGUAGE_CODE = "de"
    with TestCase.captureOnCommitCallbacks(execute=True):
        in_german = juror_invite(round=judging_round, actor=organiser, email="b@example.org")

    assert (in_english.language, in_german.language) == ("en", "de")
    assert [m.extra_headers["Content-Language"] for m in mailoutbox] == ["en", "de"]


def test_invite_of_an_existing_verified_account_is_a_notification_in_their_language(
    judging_round, organiser, mailoutbox
):
    person = _verified(UserFactory(email="known@example.org", language="en"))

    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation = juror_invite(
            round=judging_round, actor=organiser, email="KNOWN@example.org", language="de"
        )

    notification = Notification.objects.get(kind="judging.invitation")
    assert notification.recipient == person
    assert notification.in_app is True
    assert invitation_from_token(_token(notification.context["url"])) == invitation
    (message,) = mailoutbox
    assert message.to == ["known@example.org"]
    assert message.extra_headers["Content-Language"] == "en"
    assert "Hello " + person.public_name in message.body


def test_reinviting_an_address_sends_the_mail_again_with_the_new_expertise(
    judging_round, organiser, event, mailoutbox
):
    topic = TopicFactory(event=event)
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = juror_invite(
            round=judging_round, actor=organiser, email="J@example.org", expertise=[topic]
        )

    assert again.pk == first.pk
    assert list(again.expertise.all()) == [topic]
    assert len(mailoutbox) == 2
    assert JurorInvitation.objects.count() == 1
    entries = AuditEntry.objects.filter(action="judging.juror_invited").order_by("pk")
    assert [entry.data["again"] for entry in entries] == [False, True]


def test_invite_refused_after_acceptance_and_for_a_juror_already(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    person = _verified(UserFactory(email="j@example.org"))
    invitation_accept(token=invitation_token(invitation), user=person)

    with pytest.raises(JudgingError, match="is a juror of this round already"):
        juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    # The juror changed their address since: the old one's invitation was used all the same.
    EmailAddress.objects.filter(user=person).update(email="new@example.org")
    with pytest.raises(JudgingError, match="accepted the invitation already"):
        juror_invite(round=judging_round, actor=organiser, email="j@example.org")


def test_invite_only_by_organisers(judging_round):
    participant = UserFactory()

    with pytest.raises(JudgingError, match="Only organisers"):
        juror_invite(round=judging_round, actor=participant, email="j@example.org")
    assert not JurorInvitation.objects.exists()


def test_invite_refuses_a_bad_address_and_topics_of_another_event(judging_round, organiser):
    with pytest.raises(JudgingError, match="is not an e-mail address") as error:
        juror_invite(round=judging_round, actor=organiser, email="not an address")
    assert error.value.field == "email"
    with pytest.raises(JudgingError, match="another event"):
        juror_invite(
            round=judging_round, actor=organiser, email="j@example.org", expertise=[TopicFactory()]
        )
    assert not Notification.objects.exists()


def test_invite_is_audited(judging_round, organiser, event):
    topic = TopicFactory(event=event)

    invitation = juror_invite(
        round=judging_round, actor=organiser, email="j@example.org", expertise=[topic]
    )

    entry = AuditEntry.objects.get(action="judging.juror_invited")
    assert entry.actor == organiser
    assert entry.data == {
        "invitation": invitation.pk,
        "email": "j@example.org",
        "expertise": [topic.pk],
        "language": "de",
        "again": False,
    }


# --- the outbox's mail to a bare address ---------------------------------------------------


def test_bare_address_mail_can_be_sent_again_and_is_purged_like_account_mails(
    judging_round, organiser, mailoutbox, settings
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    mail = Notification.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notifications_send_again(notifications=Notification.objects.all()) == 1
    assert len(mailoutbox) == 2
    assert mailoutbox[0].extra_headers["Message-ID"] == mailoutbox[1].extra_headers["Message-ID"]
    assert str(mail) == "judging.invitation → j@example.org"

    Notification.objects.filter(pk=mail.pk).update(
        created_at=mail.created_at
        - timedelta(days=settings.NOTIFICATION_ACCOUNT_MAIL_RETENTION_DAYS + 1)
    )
    assert notifications_purge_read() == 1


def test_a_row_without_recipient_must_carry_its_mail(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=None, kind="judging.invitation")


# --- accepting -----------------------------------------------------------------------------


def test_accept_creates_the_juror_with_the_invitations_expertise(judging_round, organiser, event):
    topic = TopicFactory(event=event)
    invitation = juror_invite(
        round=judging_round, actor=organiser, email="j@example.org", expertise=[topic]
    )
    person = _verified(UserFactory(email="J@Example.org"))  # the address in any letter case

    juror = invitation_accept(token=invitation_token(invitation), user=person)

    assert juror.round == judging_round and juror.user == person
    assert list(juror.expertise.all()) == [topic]
    invitation.refresh_from_db()
    assert invitation.juror == juror and invitation.accepted_at is not None
    accepted = AuditEntry.objects.get(action="judging.invitation_accepted")
    assert accepted.actor == person
    assert accepted.data["juror"] == juror.pk and accepted.data["new_juror"] is True
    assert AuditEntry.objects.get(action="judging.juror_added").actor == person


def test_accept_is_idempotent_for_the_same_person(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    person = _verified(UserFactory(email="j@example.org"))
    token = invitation_token(invitation)

    first = invitation_accept(token=token, user=person)
    second = invitation_accept(token=token, user=person)

    assert first.pk == second.pk
    assert judging_round.jurors.count() == 1
    assert AuditEntry.objects.filter(action="judging.invitation_accepted").count() == 1


def test_accept_links_an_existing_juror(judging_round, organiser, event):
    topic = TopicFactory(event=event)
    person = _verified(UserFactory())
    seat = JurorFactory(round=judging_round, user=person)
    invitation = juror_invite(
        round=judging_round, actor=organiser, email="j@example.org", expertise=[topic]
    )
    # Invited under an address the juror confirms only afterwards.
    EmailAddress.objects.create(user=person, email="j@example.org", verified=True)

    juror = invitation_accept(token=invitation_token(invitation), user=person)

    assert juror.pk == seat.pk
    assert list(juror.expertise.all()) == [topic]
    assert judging_round.jurors.count() == 1


def test_a_second_person_with_the_same_link_is_refused(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    token = invitation_token(invitation)
    invitation_accept(token=token, user=_verified(UserFactory(email="j@example.org")))

    with pytest.raises(JudgingError, match="accepted by someone else"):
        invitation_accept(token=token, user=_verified(UserFactory()))
    assert judging_round.jurors.count() == 1


def test_accept_needs_the_invited_address_verified(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    person = UserFactory(email="j@example.org")
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)

    with pytest.raises(JudgingError, match=r"Please confirm j@example\.org first"):
        invitation_accept(token=invitation_token(invitation), user=person)
    assert not judging_round.jurors.exists()


def test_accept_refuses_another_verified_account(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    someone = _verified(UserFactory(email="someone.else@example.org"))

    with pytest.raises(JudgingError, match=r"This invitation went to j@example\.org") as error:
        invitation_accept(token=invitation_token(invitation), user=someone)
    assert "sign in with the account of that address, or add it" in error.value.message
    assert not judging_round.jurors.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.juror is None
    assert not AuditEntry.objects.filter(action="judging.invitation_accepted").exists()


def test_accept_with_the_invited_address_as_a_second_verified_address(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    person = _verified(UserFactory(email="main@example.org"))
    EmailAddress.objects.create(user=person, email="J@example.org", verified=True)

    juror = invitation_accept(token=invitation_token(invitation), user=person)

    assert juror.user == person and juror.round == judging_round


@pytest.mark.parametrize(
    "make_token, message",
    [
        (lambda pk: "garbage", "not valid"),
        (lambda pk: signing.dumps({"invitation": pk}, salt="another.salt"), "not valid"),
        (lambda pk: signing.dumps({"invitation": pk + 1000}, salt=INVITATION_SALT), "withdrawn"),
        (lambda pk: signing.dumps(["not", "a", "dict"], salt=INVITATION_SALT), "withdrawn"),
    ],
)
def test_accept_refuses_bad_and_forged_tokens(judging_round, organiser, make_token, message):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")

    with pytest.raises(JudgingError, match=message):
        invitation_accept(token=make_token(invitation.pk), user=_verified(UserFactory()))


def test_accept_refuses_an_altered_token(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    token = invitation_token(invitation)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    with pytest.raises(JudgingError, match="not valid"):
        invitation_accept(token=altered, user=_verified(UserFactory()))


def test_accept_refuses_an_expired_token(judging_round, organiser, monkeypatch):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    now = time.time()
    issued = now - timedelta(days=INVITATION_VALID_DAYS, minutes=1).total_seconds()
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: issued)
        token = invitation_token(invitation)

    with pytest.raises(JudgingError, match="expired"):
        invitation_accept(token=token, user=_verified(UserFactory()))


# --- the juror's profile ---------------------------------------------------------------------


@pytest.fixture
def juror(judging_round):
    return JurorFactory(round=judging_round, user=_verified(UserFactory()))


_AUDIT_KEYS = {
    "expertise",
    "expertise_added",
    "expertise_removed",
    "conflict_teams",
    "conflict_teams_added",
    "conflict_teams_removed",
    "conflict_organisations",
    "conflict_organisations_added",
    "conflict_organisations_removed",
}


def test_profile_update_by_the_juror_replaces_expertise_and_adds_conflicts(juror, event):
    old_topic, topic = TopicFactory(event=event), TopicFactory(event=event)
    declared, team = TeamFactory(event=event), TeamFactory(event=event)
    juror.expertise.add(old_topic)
    juror.conflict_teams.add(declared)
    juror.conflict_organisations = "Alte Stiftung"
    juror.save(update_fields=["conflict_organisations"])

    juror_profile_update(
        juror=juror,
        actor=juror.user,
        expertise=[topic],
        conflict_teams=[team],
        conflict_organisations="  Stadt   Musterstadt \n\nstadt musterstadt\nVerein e. V.",
    )

    juror.refresh_from_db()
    assert list(juror.expertise.all()) == [topic]
    assert set(juror.conflict_teams.all()) == {declared, team}
    assert juror.organisation_names == ["Alte Stiftung", "Stadt Musterstadt", "Verein e. V."]
    entry = AuditEntry.objects.get(action="judging.juror_profile_updated")
    assert entry.actor == juror.user
    assert set(entry.data) == _AUDIT_KEYS
    assert entry.data["conflict_teams"] == sorted([declared.pk, team.pk])
    assert entry.data["conflict_teams_added"] == [team.pk]
    assert entry.data["conflict_teams_removed"] == []
    assert entry.data["conflict_organisations_added"] == ["Stadt Musterstadt", "Verein e. V."]
    assert entry.data["conflict_organisations_removed"] == []
    assert entry.data["expertise_added"] == [topic.pk]
    assert entry.data["expertise_removed"] == [old_topic.pk]


def test_a_juror_cannot_take_back_a_conflict_declared_for_them(juror, organiser, event):
    from judging.services.reviews import review_conflict_declare
    from tests.judging.conftest import AssignmentFactory

    JudgingRound.objects.filter(pk=juror.round_id).update(status=RoundStatus.OPEN)
    by_organiser = TeamFactory(event=event)
    juror_profile_update(
        juror=juror,
        actor=organiser,
        expertise=[],
        conflict_teams=[by_organiser],
        conflict_organisations="Stiftung der Orga",
    )
    on_review_page = AssignmentFactory(juror=juror)
    review_conflict_declare(assignment=on_review_page, actor=juror.user)

    juror_profile_update(
        juror=juror,
        actor=juror.user,
        expertise=[],
        conflict_teams=[],
        conflict_organisations="",
    )

    juror.refresh_from_db()
    assert set(juror.conflict_teams.all()) == {by_organiser, on_review_page.project.team}
    assert juror.organisation_names == ["Stiftung der Orga"]
    entry = AuditEntry.objects.filter(action="judging.juror_profile_updated").latest("pk")
    assert entry.actor == juror.user
    assert entry.data["conflict_teams_removed"] == []
    assert entry.data["conflict_organisations_removed"] == []


def test_profile_update_by_an_organiser_replaces_conflicts(juror, organiser, event):
    declared, kept = TeamFactory(event=event), TeamFactory(event=event)
    juror.conflict_teams.add(declared, kept)
    juror.conflict_organisations = "Alte Stiftung\nVerein X"
    juror.save(update_fields=["conflict_organisations"])

    juror_profile_update(
        juror=juror,
        actor=organiser,
        expertise=[],
        conflict_teams=[kept],
        conflict_organisations="verein x",
    )

    juror.refresh_from_db()
    assert list(juror.conflict_teams.all()) == [kept]
    assert juror.organisation_names == ["verein x"]
    entry = AuditEntry.objects.get(action="judging.juror_profile_updated")
    assert entry.actor == organiser
    assert set(entry.data) == _AUDIT_KEYS
    assert entry.data["conflict_teams_removed"] == [declared.pk]
    assert entry.data["conflict_organisations_removed"] == ["Alte Stiftung"]


def test_profile_update_refused_for_anyone_else(juror):
    with pytest.raises(JudgingError, match="Only the juror or an organiser"):
        juror_profile_update(
            juror=juror,
            actor=UserFactory(),
            expertise=[],
            conflict_teams=[],
            conflict_organisations="Gemeinde",
        )
    juror.refresh_from_db()
    assert juror.conflict_organisations == ""


def test_profile_update_refuses_teams_and_topics_of_another_event(juror):
    with pytest.raises(JudgingError, match="team belongs to another event") as error:
        juror_profile_update(
            juror=juror,
            actor=juror.user,
            expertise=[],
            conflict_teams=[TeamFactory()],
            conflict_organisations="",
        )
    assert error.value.field == "conflict_teams"
    with pytest.raises(JudgingError, match="topic field belongs to another event"):
        juror_profile_update(
            juror=juror,
            actor=juror.user,
            expertise=[TopicFactory()],
            conflict_teams=[],
            conflict_organisations="",
        )
    assert not juror.conflict_teams.exists()
    assert not AuditEntry.objects.filter(action="judging.juror_profile_updated").exists()


def test_profile_update_refuses_an_overlong_organisation_name(juror):
    with pytest.raises(JudgingError, match="at most 200 characters"):
        juror_profile_update(
            juror=juror,
            actor=juror.user,
            expertise=[],
            conflict_teams=[],
            conflict_organisations="x" * 201,
        )


# --- races: real threads against PostgreSQL -----------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_two_people_accepting_one_link_at_once_make_one_juror(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    token = invitation_token(invitation)
    invited, other = _verified(UserFactory(email="j@example.org")), _verified(UserFactory())

    results = race(
        lambda: invitation_accept(token=token, user=invited),
        lambda: invitation_accept(token=token, user=other),
    )

    jurors = [r for r in results if isinstance(r, Juror)]
    refused = [r for r in results if isinstance(r, JudgingError)]
    assert [juror.user for juror in jurors] == [invited], results
    # Whichever came first: the invitation was used, or it is not the other's address.
    assert len(refused) == 1
    assert refused[0].message.startswith(
        ("This invitation was accepted by someone else", "This invitation went to")
    )
    assert judging_round.jurors.count() == 1
    invitation.refresh_from_db()
    assert invitation.juror == jurors[0]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_one_person_accepting_twice_at_once_gets_one_seat(judging_round, organiser):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    token = invitation_token(invitation)
    person = _verified(UserFactory(email="j@example.org"))

    results = race(*[lambda: invitation_accept(token=token, user=person)] * 4)

    assert all(isinstance(r, Juror) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert AuditEntry.objects.filter(action="judging.invitation_accepted").count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_two_organisers_inviting_one_address_at_once_send_it_twice(
    judging_round, organiser, mailoutbox
):
    other = OrganiserFactory()

    results = race(
        lambda: juror_invite(round=judging_round, actor=organiser, email="j@example.org"),
        lambda: juror_invite(round=judging_round, actor=other, email="J@example.org"),
    )

    assert all(isinstance(r, JurorInvitation) for r in results), results
    assert JurorInvitation.objects.count() == 1
    assert Notification.objects.filter(kind="judging.invitation").count() == 2
    assert len(mailoutbox) == 2


# --- a real SMTP server, and the mail in German -------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_invitation_reaches_a_real_smtp_server_with_its_link(judging_round, organiser, settings):
    controller = start_smtp(port=2531)
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port

        with transaction.atomic():
            juror_invite(round=judging_round, actor=organiser, email="j@example.org")

        (message,) = controller.handler.messages
    finally:
        controller.stop()
    assert message["X-Envelope-To"] == "j@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"(/judging/invitations/\S+/)", body).group(1)
    invitation = invitation_from_token(_token(path))
    assert invitation.email == "j@example.org"
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_invitation_mail_is_written_in_the_invitations_language(
    judging_round, organiser, mailoutbox, tmp_path, settings
):
    write_mo(
        tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.mo",
        {
            'Invitation to the jury of "%(round)s" (%(event)s)': (
                "Einladung in die Jury von „%(round)s“ (%(event)s)"
            ),
            "Hello,": "Hallo,",
        },
    )
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    with TestCase.captureOnCommitCallbacks(execute=True):
        juror_invite(round=judging_round, actor=organiser, email="de@example.org", language="de")
        juror_invite(round=judging_round, actor=organiser, email="en@example.org", language="en")

    german, english = mailoutbox
    assert german.subject.endswith("Einladung in die Jury von „Vorauswahl“ (#WirVsVirus)")
    assert german.body.startswith("Hallo,\n")
    assert english.subject.endswith('Invitation to the jury of "Vorauswahl" (#WirVsVirus)')


def test_the_notification_admin_shows_a_mail_to_a_bare_address(
    admin_client, judging_round, organiser
):
    juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    mail = Notification.objects.get()

    listing = admin_client.get("/admin/notifications/notification/", {"q": "j@example.org"})
    detail = admin_client.get(f"/admin/notifications/notification/{mail.pk}/change/")

    assert listing.status_code == 200 and f"/{mail.pk}/change/" in listing.content.decode()
    assert detail.status_code == 200
    assert "j@example.org" in detail.content.decode()


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_nobody_joins_a_closed_round(judging_round, organiser, status):
    invitation = juror_invite(round=judging_round, actor=organiser, email="j@example.org")
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=status)
    judging_round.refresh_from_db()

    with pytest.raises(JudgingError, match="jurors can no longer join"):
        juror_invite(round=judging_round, actor=organiser, email="k@example.org")
    with pytest.raises(JudgingError, match="jurors can no longer join"):
        invitation_accept(
            token=invitation_token(invitation),
            user=_verified(UserFactory(email="j@example.org")),
        )
    assert not judging_round.jurors.exists()


def test_a_team_declared_on_the_profile_is_taken_from_the_juror_and_reassigned(juror):
    from judging.enums import RunTrigger
    from judging.models import Assignment, AssignmentRun, Review
    from tests.judging.conftest import AssignmentFactory

    conflicting = AssignmentFactory(juror=juror)
    Review.objects.create(assignment=conflicting)  # a started review goes too
    kept = AssignmentFactory(juror=juror)

    juror_profile_update(
        juror=juror,
        actor=juror.user,
        expertise=[],
        conflict_teams=[conflicting.project.team],
        conflict_organisations="",
    )

    assert list(Assignment.objects.filter(juror=juror)) == [kept]
    run = AssignmentRun.objects.get(round=juror.round)
    assert run.trigger == RunTrigger.CONFLICT
    entry = AuditEntry.objects.get(action="judging.assignments_taken_for_conflict")
    assert entry.data == {"juror": juror.pk, "projects": [conflicting.project_id]}


def test_a_profile_without_new_conflicts_moves_nothing(juror):
    from judging.models import Assignment, AssignmentRun
    from tests.judging.conftest import AssignmentFactory

    assignment = AssignmentFactory(juror=juror)
    juror_profile_update(
        juror=juror, actor=juror.user, expertise=[], conflict_teams=[], conflict_organisations=""
    )
    assert list(Assignment.objects.filter(juror=juror)) == [assignment]
    assert not AssignmentRun.objects.exists()


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_profile_is_read_only_once_the_round_is_closed(juror, organiser, event, status):
    from judging.enums import ReviewStatus
    from judging.models import Assignment, AssignmentRun, Review
    from tests.judging.conftest import AssignmentFactory

    assignment = AssignmentFactory(juror=juror)
    Review.objects.create(
        assignment=assignment, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    declared = TeamFactory(event=event)
    juror.conflict_teams.add(declared)
    JudgingRound.objects.filter(pk=juror.round_id).update(status=status)

    for actor in (juror.user, organiser):
        with pytest.raises(JudgingError, match="can no longer be changed") as error:
            juror_profile_update(
                juror=juror,
                actor=actor,
                expertise=[TopicFactory(event=event)],
                conflict_teams=[assignment.project.team],
                conflict_organisations="Neu",
            )
        assert error.value.conflict is True

    juror.refresh_from_db()
    assert list(juror.conflict_teams.all()) == [declared]
    assert juror.conflict_organisations == "" and not juror.expertise.exists()
    assert Review.objects.get(assignment=assignment).status == ReviewStatus.SUBMITTED
    assert list(Assignment.objects.filter(juror=juror)) == [assignment]
    assert not AssignmentRun.objects.exists()
    assert not AuditEntry.objects.filter(action="judging.juror_profile_updated").exists()


def test_no_assignment_is_taken_from_a_closed_round(juror):
    """However it is reached: the assignments and reviews of a closed round are its record."""
    from judging.models import Assignment, Review
    from judging.services.invitations import _take_conflicting_assignments
    from tests.judging.conftest import AssignmentFactory

    assignment = AssignmentFactory(juror=juror)
    Review.objects.create(assignment=assignment)
    juror.conflict_teams.add(assignment.project.team)
    JudgingRound.objects.filter(pk=juror.round_id).update(status=RoundStatus.CLOSED)
    juror.round.refresh_from_db()

    _take_conflicting_assignments(juror=juror, actor=juror.user)

    assert list(Assignment.objects.filter(juror=juror)) == [assignment]
    assert Review.objects.filter(assignment=assignment).exists()


def test_past_the_closing_time_a_declared_conflict_takes_nothing(juror):
    from datetime import timedelta

    from django.utils import timezone

    from judging.enums import RoundStatus
    from judging.models import Assignment, AssignmentRun, JudgingRound
    from tests.judging.conftest import AssignmentFactory

    assignment = AssignmentFactory(juror=juror)
    JudgingRound.objects.filter(pk=juror.round_id).update(
        status=RoundStatus.OPEN, opens_at=None, closes_at=timezone.now() - timedelta(minutes=1)
    )
    juror.round.refresh_from_db()

    juror_profile_update(
        juror=juror,
        actor=juror.user,
        expertise=[],
        conflict_teams=[assignment.project.team],
        conflict_organisations="",
    )

    assert list(juror.conflict_teams.all()) == [assignment.project.team]
    assert list(Assignment.objects.filter(juror=juror)) == [assignment]
    assert not AssignmentRun.objects.exists()
