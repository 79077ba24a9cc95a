from datetime import timedelta

import pytest
from django.utils import timezone, translation

from audit.models import AuditEntry
from challenges import services
from challenges.enums import ChallengeStatus
from challenges.forms import ChallengeForm
from challenges.models import Challenge, ChallengeSupport
from events.enums import PhaseKind
from notifications.models import Notification
from tests.challenges.conftest import VALID_FORM
from tests.factories import ChallengeFactory, EventFactory, PhaseFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English msgids; German is the default language."""
    with translation.override("en"):
        yield


def _data(event, **overrides):
    form = ChallengeForm(data={**VALID_FORM, **overrides}, event=event)
    assert form.is_valid(), form.errors
    return form.service_data(), form.cleaned_data["tags"]


def test_challenge_create_gives_stable_public_number_and_audit(event, giver):
    data, tags = _data(event)
    challenge = services.challenge_create(event=event, author=giver, data=data, tags=tags)
    assert challenge.status == ChallengeStatus.DRAFT
    assert challenge.number == 100_000 + challenge.pk
    assert challenge.public_number == f"#{challenge.number}"
    assert sorted(t.name for t in challenge.tags.all()) == ["Bildung", "Schule"]
    assert AuditEntry.objects.filter(action="challenge.create", target_id=challenge.pk).exists()


def test_challenge_create_refused_before_intake_opens(giver):
    event = EventFactory()
    start = timezone.now() + timedelta(days=2)
    PhaseFactory(
        event=event,
        kind=PhaseKind.CHALLENGE_INTAKE,
        starts_at=start,
        ends_at=start + timedelta(days=5),
    )
    data, tags = _data(event)
    with pytest.raises(services.ChallengeError, match="opens on"):
        services.challenge_create(event=event, author=giver, data=data, tags=tags)


def test_challenge_create_refused_after_intake_closed(giver):
    event = EventFactory()
    PhaseFactory(
        event=event,
        kind=PhaseKind.CHALLENGE_INTAKE,
        starts_at=timezone.now() - timedelta(days=5),
        ends_at=timezone.now() - timedelta(seconds=1),
    )
    data, tags = _data(event)
    with pytest.raises(services.ChallengeError, match="closed on"):
        services.challenge_create(event=event, author=giver, data=data, tags=tags)
    assert not Challenge.objects.exists()


@pytest.mark.parametrize(
    ("language", "subject"),
    [("de", "Wir haben deine Challenge"), ("en", "We received your challenge")],
)
def test_challenge_submit_notifies_giver_in_their_language(
    event, giver, django_capture_on_commit_callbacks, mailoutbox, language, subject
):
    giver.language = language
    giver.save(update_fields=["language"])
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_submit(challenge=challenge, actor=giver)

    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SUBMITTED
    assert challenge.submitted_at is not None
    notification = Notification.objects.get(recipient=giver, kind="challenge.submitted")
    assert notification.context["number"] == challenge.number
    (mail,) = mailoutbox
    assert mail.to == [giver.email]
    assert mail.extra_headers["Content-Language"] == language
    assert subject in mail.subject
    assert challenge.public_number in mail.body
    assert AuditEntry.objects.filter(
        action="challenge.submit", actor=giver, target_id=challenge.pk
    ).exists()


def test_challenge_submit_by_someone_else_refused(event, giver, stranger):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)
    with pytest.raises(services.ChallengeError):
        services.challenge_submit(challenge=challenge, actor=stranger)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.DRAFT


def test_challenge_submit_twice_refused(event, giver):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.SUBMITTED)
    with pytest.raises(services.ChallengeError, match="already"):
        services.challenge_submit(challenge=challenge, actor=giver)


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (ChallengeStatus.DRAFT, False),
        (ChallengeStatus.SUBMITTED, True),
        (ChallengeStatus.IN_REVIEW, False),
        (ChallengeStatus.PUBLISHED, False),
        (ChallengeStatus.REJECTED, False),
    ],
)
def test_challenge_start_review_only_from_submitted(event, organiser, start, allowed):
    challenge = ChallengeFactory(event=event, status=start)
    if allowed:
        services.challenge_start_review(challenge=challenge, actor=organiser)
        challenge.refresh_from_db()
        assert challenge.status == ChallengeStatus.IN_REVIEW
        assert AuditEntry.objects.filter(action="challenge.review", actor=organiser).exists()
    else:
        with pytest.raises(services.ChallengeError):
            services.challenge_start_review(challenge=challenge, actor=organiser)


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (ChallengeStatus.DRAFT, False),
        (ChallengeStatus.SUBMITTED, True),
        (ChallengeStatus.IN_REVIEW, True),
        (ChallengeStatus.PUBLISHED, False),
        (ChallengeStatus.REJECTED, False),
    ],
)
def test_challenge_publish_from_states(event, organiser, start, allowed):
    challenge = ChallengeFactory(event=event, status=start, published_at=None)
    if allowed:
        services.challenge_publish(challenge=challenge, actor=organiser)
        challenge.refresh_from_db()
        assert challenge.status == ChallengeStatus.PUBLISHED
        assert challenge.published_at is not None
        assert Notification.objects.filter(kind="challenge.published").count() == 1
        assert AuditEntry.objects.filter(action="challenge.publish", actor=organiser).exists()
    else:
        with pytest.raises(services.ChallengeError):
            services.challenge_publish(challenge=challenge, actor=organiser)


def test_curation_refused_for_non_organisers(event, giver, stranger):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.SUBMITTED)
    for person in (giver, stranger):
        with pytest.raises(services.ChallengeError, match="organisers"):
            services.challenge_publish(challenge=challenge, actor=person)
        with pytest.raises(services.ChallengeError, match="organisers"):
            services.challenge_reject(challenge=challenge, actor=person, reason="no")
        with pytest.raises(services.ChallengeError, match="organisers"):
            services.challenge_start_review(challenge=challenge, actor=person)
        other = ChallengeFactory(event=event)
        with pytest.raises(services.ChallengeError, match="organisers"):
            services.challenges_merge(challenges=[challenge], into=other, actor=person)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SUBMITTED


def test_challenge_reject_requires_reason_and_sends_it(event, organiser, giver):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.IN_REVIEW)
    with pytest.raises(services.ChallengeError, match="reason"):
        services.challenge_reject(challenge=challenge, actor=organiser, reason="  ")
    services.challenge_reject(
        challenge=challenge, actor=organiser, reason="Kein digitales Problem."
    )
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.REJECTED
    assert challenge.rejection_reason == "Kein digitales Problem."
    notification = Notification.objects.get(recipient=giver, kind="challenge.rejected")
    assert notification.context["reason"] == "Kein digitales Problem."
    entry = AuditEntry.objects.get(action="challenge.reject", target_id=challenge.pk)
    assert entry.actor == organiser
    assert entry.data == {"reason": "Kein digitales Problem."}


def test_challenge_that_took_in_others_cannot_be_rejected(event, organiser):
    target = ChallengeFactory(event=event)
    services.challenges_merge(
        challenges=[ChallengeFactory(event=event)], into=target, actor=organiser
    )

    with pytest.raises(services.ChallengeError, match="1 challenge was merged into this one"):
        services.challenge_reject(challenge=target, actor=organiser, reason="Doch nicht.")

    target.refresh_from_db()
    assert target.status == ChallengeStatus.PUBLISHED


def test_challenges_merge_refuses_a_draft(event, organiser, giver):
    target = ChallengeFactory(event=event)
    draft = ChallengeFactory(event=event, status=ChallengeStatus.DRAFT, submitted_by=giver)

    with pytest.raises(services.ChallengeError, match="draft that was never submitted"):
        services.challenges_merge(challenges=[draft], into=target, actor=organiser)

    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.DRAFT
    assert not Notification.objects.filter(recipient=giver).exists()


def test_challenges_assign_topic_writes_an_audit_entry_each(event, organiser):
    topic = TopicFactory(event=event, slug="gesundheit")
    chosen = ChallengeFactory.create_batch(2, event=event)

    assert services.challenges_assign_topic(challenges=chosen, topic=topic, actor=organiser) == 2

    entries = AuditEntry.objects.filter(action="challenge.topic", actor=organiser)
    assert sorted(entries.values_list("target_id", flat=True)) == sorted(c.pk for c in chosen)
    assert {entry.data["topic"] for entry in entries} == {"gesundheit"}


def test_challenges_merge_moves_supporters_owners_and_notifies(event, organiser):
    target = ChallengeFactory(event=event)
    source_a = ChallengeFactory(event=event)
    source_b = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    both, only_a = UserFactory(), UserFactory()
    for user, challenge in ((both, target), (both, source_a), (only_a, source_a)):
        services.challenge_support(challenge=challenge, user=user)
    services.challenge_owner_add(challenge=source_a, user=only_a, actor=organiser)

    services.challenges_merge(challenges=[source_a, source_b], into=target, actor=organiser)

    target.refresh_from_db()
    source_a.refresh_from_db()
    assert source_a.status == ChallengeStatus.MERGED
    assert source_a.merged_into == target
    assert target.support_count == 2
    assert set(target.supports.values_list("user_id", flat=True)) == {both.pk, only_a.pk}
    assert target.ownerships.filter(user=only_a).exists()
    assert Notification.objects.filter(kind="challenge.merged").count() == 2
    history = AuditEntry.objects.filter(action="challenge.merge", target_id=source_b.pk).get()
    assert history.data["previous_status"] == ChallengeStatus.IN_REVIEW


def test_challenges_merge_refuses_other_event_and_merged_target(event, organiser):
    target = ChallengeFactory(event=event)
    foreign = ChallengeFactory()
    with pytest.raises(services.ChallengeError, match="same event"):
        services.challenges_merge(challenges=[foreign], into=target, actor=organiser)
    source = ChallengeFactory(event=event)
    services.challenges_merge(challenges=[source], into=target, actor=organiser)
    with pytest.raises(services.ChallengeError):
        services.challenges_merge(challenges=[target], into=source, actor=organiser)


def test_challenges_assign_topic_checks_event(event, organiser):
    challenges = ChallengeFactory.create_batch(3, event=event)
    topic = TopicFactory(event=event)
    assert (
        services.challenges_assign_topic(challenges=challenges, topic=topic, actor=organiser) == 3
    )
    assert Challenge.objects.filter(topic=topic).count() == 3
    with pytest.raises(services.ChallengeError):
        services.challenges_assign_topic(
            challenges=challenges, topic=TopicFactory(), actor=organiser
        )


def test_challenge_support_once_and_withdraw(event, stranger):
    challenge = ChallengeFactory(event=event)
    assert services.challenge_support(challenge=challenge, user=stranger) is True
    assert services.challenge_support(challenge=challenge, user=stranger) is False
    challenge.refresh_from_db()
    assert challenge.support_count == 1
    assert services.challenge_unsupport(challenge=challenge, user=stranger) is True
    assert services.challenge_unsupport(challenge=challenge, user=stranger) is False
    challenge.refresh_from_db()
    assert challenge.support_count == 0
    assert not ChallengeSupport.objects.exists()


def test_challenge_support_refused_for_unpublished(event, stranger):
    challenge = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    with pytest.raises(services.ChallengeError):
        services.challenge_support(challenge=challenge, user=stranger)


def test_challenge_update_by_giver_until_review(event, giver, organiser):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.SUBMITTED)
    services.challenge_update(challenge=challenge, actor=giver, data={"title": "Neuer Titel hier"})
    challenge.refresh_from_db()
    assert challenge.title == "Neuer Titel hier"
    services.challenge_start_review(challenge=challenge, actor=organiser)
    with pytest.raises(services.ChallengeError, match="no longer"):
        services.challenge_update(challenge=challenge, actor=giver, data={"title": "Zu spät dafür"})
    services.challenge_update(challenge=challenge, actor=organiser, data={"title": "Kuratiert"})
    challenge.refresh_from_db()
    assert challenge.title == "Kuratiert"


def test_challenge_update_by_stranger_refused(event, giver, stranger):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)
    with pytest.raises(services.ChallengeError):
        services.challenge_update(challenge=challenge, actor=stranger, data={"title": "Gekapert!"})


# --- organisers entering and importing challenges -------------------------------------------


def test_challenge_enter_starts_submitted_with_number_outside_intake(organiser):
    event = EventFactory()  # no intake phase at all
    data, tags = _data(event)

    challenge = services.challenge_enter(
        event=event, actor=organiser, data={**data, "external_id": "tel-1"}, tags=tags
    )

    assert challenge.status == ChallengeStatus.SUBMITTED and challenge.submitted_at
    assert challenge.number is not None and challenge.external_id == "tel-1"
    assert sorted(challenge.tags.values_list("name", flat=True)) == ["Bildung", "Schule"]
    assert AuditEntry.objects.filter(action="challenge.admin_create").count() == 1


def test_challenge_enter_refuses_people_who_are_not_organisers(event, giver):
    data, _tags = _data(event)

    with pytest.raises(services.ChallengeError, match="Only organisers"):
        services.challenge_enter(event=event, actor=giver, data=data)

    assert not Challenge.objects.exists()


def test_challenge_update_sets_external_id_only_for_organisers(event, giver, organiser):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)

    services.challenge_update(challenge=challenge, actor=giver, data={"external_id": "mine"})
    challenge.refresh_from_db()
    assert challenge.external_id == ""
    services.challenge_update(challenge=challenge, actor=organiser, data={"external_id": "x-1"})
    challenge.refresh_from_db()
    assert challenge.external_id == "x-1"


def test_challenges_import_writes_rows_with_audit_and_new_topic(event, organiser):
    data, tags = _data(event)
    existing = ChallengeFactory(event=event, status=ChallengeStatus.SUBMITTED, external_id="b")
    rows = [
        services.ImportRow({**data, "external_id": "a"}, tags, "Neues Feld", None, None),
        services.ImportRow({"title": "Neuer Titel"}, [], None, ChallengeStatus.PUBLISHED, existing),
    ]

    counts = services.challenges_import(event=event, rows=rows, actor=organiser)

    assert (counts.created, counts.updated) == (1, 1)
    created = Challenge.objects.get(external_id="a")
    assert created.status == ChallengeStatus.SUBMITTED and created.topic.name == "Neues Feld"
    existing.refresh_from_db()
    assert existing.status == ChallengeStatus.PUBLISHED and existing.published_at is not None
    assert AuditEntry.objects.filter(action="challenge.import").count() == 2
    assert AuditEntry.objects.filter(action="challenge.publish", actor=organiser).count() == 1
    assert Notification.objects.filter(kind="challenge.published").count() == 1


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (ChallengeStatus.DRAFT, False),
        (ChallengeStatus.SUBMITTED, True),
        (ChallengeStatus.IN_REVIEW, True),
        (ChallengeStatus.PUBLISHED, True),
        (ChallengeStatus.REJECTED, False),
    ],
)
def test_challenge_reject_from_states(event, organiser, start, allowed):
    challenge = ChallengeFactory(event=event, status=start)
    if allowed:
        services.challenge_reject(challenge=challenge, actor=organiser, reason="Nein")
        challenge.refresh_from_db()
        assert challenge.status == ChallengeStatus.REJECTED
    else:
        with pytest.raises(services.ChallengeError):
            services.challenge_reject(challenge=challenge, actor=organiser, reason="Nein")


@pytest.mark.parametrize(
    "target_status",
    [
        ChallengeStatus.DRAFT,
        ChallengeStatus.SUBMITTED,
        ChallengeStatus.IN_REVIEW,
        ChallengeStatus.REJECTED,
    ],
)
def test_merge_only_into_published(event, organiser, target_status):
    target = ChallengeFactory(event=event, status=target_status)
    source = ChallengeFactory(event=event)
    with pytest.raises(services.ChallengeError, match="published"):
        services.challenges_merge(challenges=[source], into=target, actor=organiser)
    source.refresh_from_db()
    assert source.status == ChallengeStatus.PUBLISHED


def test_assign_topic_and_owner_add_refused_for_non_organisers(event, giver):
    challenge = ChallengeFactory(event=event)
    with pytest.raises(services.ChallengeError):
        services.challenges_assign_topic(
            challenges=[challenge], topic=TopicFactory(event=event), actor=giver
        )
    with pytest.raises(services.ChallengeError):
        services.challenge_owner_add(challenge=challenge, user=giver, actor=giver)


def test_owner_add_refused_for_unpublished(event, organiser, giver):
    challenge = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    with pytest.raises(services.ChallengeError):
        services.challenge_owner_add(challenge=challenge, user=giver, actor=organiser)
