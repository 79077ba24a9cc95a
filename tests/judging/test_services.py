"""Setting up judging rounds, criteria and jurors through judging.services."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from audit.models import AuditEntry
from audit.services import audit_entries_for
from judging import services
from judging.enums import RoundEntry, RoundStatus
from judging.errors import JudgingError
from judging.models import Criterion, JudgingRound, Juror
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
)
from tests.judging.conftest import JurorFactory

pytestmark = pytest.mark.django_db


def _criteria(round):
    return list(
        round.criteria.order_by("position").values_list(
            "position", "name", "scale_min", "scale_max", "weight"
        )
    )


# --- rounds ---------------------------------------------------------------------------


def test_a_new_round_gets_the_five_default_criteria_in_german(event, organiser):
    with translation.override("de"):
        round = services.round_create(event=event, actor=organiser, name=" Vorauswahl ")

    assert (round.name, round.position, round.status) == ("Vorauswahl", 1, RoundStatus.DRAFT)
    assert (round.entry, round.reviews_per_project) == (RoundEntry.ALL_SUBMITTED, 5)
    assert round.jurors_see_others_after_submitting is False
    assert _criteria(round) == [
        (1, "Gesellschaftlicher Nutzen", 1, 5, 1),
        (2, "Innovation", 1, 5, 1),
        (3, "Umsetzbarkeit und Skalierbarkeit", 1, 5, 1),
        (4, "Fortschritt", 1, 5, 1),
        (5, "Verständlichkeit", 1, 5, 1),
    ]
    assert all(guidance for guidance in round.criteria.values_list("guidance", flat=True))


def test_the_default_criteria_are_named_in_the_active_language(event, organiser):
    round = services.round_create(event=event, actor=organiser, name="Pre-screening")

    assert [name for _position, name, *_rest in _criteria(round)] == [
        "Social value",
        "Innovation",
        "Feasibility and scalability",
        "Progress",
        "Clarity",
    ]


def test_given_criteria_replace_the_defaults(event, organiser):
    round = services.round_create(
        event=event,
        actor=organiser,
        name="Finale",
        criteria=[
            {"name": "Wirkung", "scale_min": 0, "scale_max": 10, "weight": 3},
            {"name": "Pitch", "guidance": "Wie überzeugend?"},
        ],
    )

    assert _criteria(round) == [(1, "Wirkung", 0, 10, 3), (2, "Pitch", 1, 5, 1)]


def test_a_criterion_with_an_upside_down_scale_creates_no_round(event, organiser):
    with pytest.raises(JudgingError) as refused:
        services.round_create(
            event=event,
            actor=organiser,
            name="Finale",
            criteria=[{"name": "Wirkung", "scale_min": 5, "scale_max": 5}],
        )

    assert refused.value.field == "scale_max"
    assert JudgingRound.objects.count() == 0


def test_rounds_follow_each_other_in_order(event, organiser):
    first = services.round_create(event=event, actor=organiser, name="Vorauswahl")
    second = services.round_create(event=event, actor=organiser, name="Themenjurys")
    elsewhere = services.round_create(event=EventFactory(), actor=organiser, name="Andere")

    assert (first.position, second.position, elsewhere.position) == (1, 2, 1)


def test_only_organisers_of_the_event_create_rounds(event):
    participant = UserFactory()
    RegistrationFactory(event=event, user=participant)
    organiser_elsewhere = UserFactory()
    RegistrationFactory(event=EventFactory(), user=organiser_elsewhere, role="organiser")

    for actor in (participant, organiser_elsewhere):
        with pytest.raises(JudgingError, match="Only organisers of the event"):
            services.round_create(event=event, actor=actor, name="Vorauswahl")

    assert JudgingRound.objects.count() == 0
    assert Criterion.objects.count() == 0


def test_an_organiser_registered_for_the_event_creates_rounds(event):
    event_organiser = UserFactory()
    RegistrationFactory(event=event, user=event_organiser, role="organiser")

    round = services.round_create(event=event, actor=event_organiser, name="Vorauswahl")

    assert round.criteria.count() == 5


def test_creating_a_round_is_audited(event, organiser):
    round = services.round_create(event=event, actor=organiser, name="Vorauswahl")

    [entry] = audit_entries_for(target=round)
    assert (entry.actor, entry.action) == (organiser, "judging.round_created")
    assert entry.data == {
        "name": "Vorauswahl",
        "criteria": [
            "Social value",
            "Innovation",
            "Feasibility and scalability",
            "Progress",
            "Clarity",
        ],
    }


def test_times_without_a_time_zone_are_the_events(event, organiser):
    round = services.round_create(
        event=event,
        actor=organiser,
        name="Vorauswahl",
        opens_at=datetime(2026, 3, 23, 9, 0),
        closes_at=datetime(2026, 3, 25, 18, 0),
    )

    round.refresh_from_db()
    # Berlin is UTC+1 in March before the clocks change (29 March 2026).
    assert round.opens_at == datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    assert round.closes_at == datetime(2026, 3, 25, 17, 0, tzinfo=UTC)


def test_a_round_closing_before_it_opens_is_refused(event, organiser):
    with pytest.raises(JudgingError) as refused:
        services.round_create(
            event=event,
            actor=organiser,
            name="Vorauswahl",
            opens_at=datetime(2026, 3, 25, 18, 0, tzinfo=UTC),
            closes_at=datetime(2026, 3, 25, 18, 0, tzinfo=UTC),
        )

    assert refused.value.field == "closes_at"
    assert JudgingRound.objects.count() == 0


def test_round_update_changes_the_times_in_the_events_time_zone(judging_round, organiser):
    services.round_update(
        round=judging_round,
        actor=organiser,
        data={
            "opens_at": datetime(2026, 7, 1, 9, 0),
            "closes_at": datetime(2026, 7, 3, 9, 0),
            "reviews_per_project": 3,
        },
    )

    judging_round.refresh_from_db()
    # Summer time: UTC+2.
    assert judging_round.opens_at == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert judging_round.reviews_per_project == 3
    entry = audit_entries_for(target=judging_round).get(action="judging.round_updated")
    assert entry.data == {
        "opens_at": "2026-07-01T09:00:00+02:00",
        "closes_at": "2026-07-03T09:00:00+02:00",
        "reviews_per_project": 3,
    }


def test_round_update_refuses_a_close_before_the_opening(judging_round, organiser):
    services.round_update(
        round=judging_round,
        actor=organiser,
        data={"opens_at": datetime(2026, 7, 1, 9, 0, tzinfo=UTC)},
    )

    with pytest.raises(JudgingError) as refused:
        services.round_update(
            round=judging_round,
            actor=organiser,
            data={"closes_at": datetime(2026, 6, 30, 9, 0, tzinfo=UTC)},
        )

    assert refused.value.field == "closes_at"
    judging_round.refresh_from_db()
    assert judging_round.closes_at is None


def test_round_update_is_for_organisers_only(judging_round):
    with pytest.raises(JudgingError):
        services.round_update(round=judging_round, actor=UserFactory(), data={"name": "Neu"})

    judging_round.refresh_from_db()
    assert judging_round.name == "Vorauswahl"


def test_round_update_without_a_change_writes_no_audit_entry(judging_round, organiser):
    services.round_update(round=judging_round, actor=organiser, data={"name": "Vorauswahl"})

    assert (
        not audit_entries_for(target=judging_round).filter(action="judging.round_updated").exists()
    )


def test_a_topic_round_needs_a_topic_field_of_its_event(event, organiser):
    with pytest.raises(JudgingError) as refused:
        services.round_create(event=event, actor=organiser, name="Jury", entry=RoundEntry.TOPIC)
    assert refused.value.field == "topic"

    with pytest.raises(JudgingError, match="another event"):
        services.round_create(
            event=event,
            actor=organiser,
            name="Jury",
            entry=RoundEntry.TOPIC,
            topic=TopicFactory(event=EventFactory()),
        )

    health = TopicFactory(event=event, name="Gesundheit")
    round = services.round_create(
        event=event, actor=organiser, name="Jury", entry=RoundEntry.TOPIC, topic=health
    )
    assert round.topic == health


# --- criteria -----------------------------------------------------------------------------


def test_criteria_are_added_changed_and_removed_while_the_round_is_a_draft(
    judging_round, organiser
):
    added = services.criterion_add(
        round=judging_round, actor=organiser, name="Nachhaltigkeit", weight=2
    )
    assert (added.position, added.weight) == (6, 2)

    services.criterion_update(criterion=added, actor=organiser, data={"scale_max": 10})
    added.refresh_from_db()
    assert added.scale_max == 10

    services.criterion_remove(criterion=added, actor=organiser)
    assert not Criterion.objects.filter(pk=added.pk).exists()
    assert list(
        audit_entries_for(target=judging_round).order_by("pk").values_list("action", flat=True)
    ) == [
        "judging.round_created",
        "judging.criterion_added",
        "judging.criterion_updated",
        "judging.criterion_removed",
    ]


@pytest.mark.parametrize("status", [RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_criteria_are_fixed_once_the_round_is_no_draft(judging_round, organiser, status):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=status)
    criterion = judging_round.criteria.first()

    with pytest.raises(JudgingError, match="only be changed while the round is a draft"):
        services.criterion_add(round=judging_round, actor=organiser, name="Neu")
    with pytest.raises(JudgingError, match="only be changed while the round is a draft"):
        services.criterion_update(criterion=criterion, actor=organiser, data={"weight": 2})
    with pytest.raises(JudgingError, match="only be changed while the round is a draft"):
        services.criterion_remove(criterion=criterion, actor=organiser)

    assert _criteria(judging_round)[0] == (1, "Social value", 1, 5, 1)
    assert judging_round.criteria.count() == 5


def test_a_round_keeps_its_last_criterion(event, organiser):
    round = services.round_create(
        event=event, actor=organiser, name="Finale", criteria=[{"name": "Gesamt"}]
    )

    with pytest.raises(JudgingError, match="at least one criterion"):
        services.criterion_remove(criterion=round.criteria.get(), actor=organiser)

    assert round.criteria.count() == 1


def test_criteria_are_changed_by_organisers_only(judging_round):
    with pytest.raises(JudgingError):
        services.criterion_add(round=judging_round, actor=UserFactory(), name="Neu")

    assert judging_round.criteria.count() == 5


# --- jurors -------------------------------------------------------------------------------


def test_juror_add_puts_a_person_in_the_pool_with_expertise(judging_round, organiser, event):
    health = TopicFactory(event=event, name="Gesundheit")
    person = UserFactory()

    juror = services.juror_add(
        round=judging_round, actor=organiser, user=person, expertise=[health]
    )

    assert (juror.round, juror.user) == (judging_round, person)
    assert list(juror.expertise.all()) == [health]
    entry = audit_entries_for(target=judging_round).get(action="judging.juror_added")
    assert entry.data == {"juror": juror.pk, "user": person.pk, "expertise": [health.pk]}


def test_a_person_is_a_juror_of_a_round_once(judging_round, organiser):
    person = UserFactory()
    services.juror_add(round=judging_round, actor=organiser, user=person)

    with pytest.raises(JudgingError, match="juror of the round already"):
        services.juror_add(round=judging_round, actor=organiser, user=person)

    assert Juror.objects.filter(round=judging_round).count() == 1


def test_juror_add_refuses_expertise_of_another_event_and_non_organisers(judging_round, organiser):
    with pytest.raises(JudgingError, match="another event"):
        services.juror_add(
            round=judging_round,
            actor=organiser,
            user=UserFactory(),
            expertise=[TopicFactory(event=EventFactory())],
        )
    with pytest.raises(JudgingError, match="Only organisers"):
        services.juror_add(round=judging_round, actor=UserFactory(), user=UserFactory())

    assert Juror.objects.count() == 0


def test_a_juror_declares_conflicts_and_names_add_up_once(judging_round, event):
    juror = JurorFactory(round=judging_round)
    team = TeamFactory(event=event)

    services.conflict_declare(
        juror=juror, actor=juror.user, teams=[team], organisations=["Charité ", "", "  "]
    )
    services.conflict_declare(
        juror=juror, actor=juror.user, organisations=["charité", "Robert  Koch-Institut"]
    )

    juror.refresh_from_db()
    assert list(juror.conflict_teams.all()) == [team]
    assert juror.organisation_names == ["Charité", "Robert Koch-Institut"]
    assert list(
        AuditEntry.objects.filter(action="judging.conflict_declared")
        .order_by("pk")
        .values_list("actor", "data")
    ) == [
        (juror.user.pk, {"teams": [team.pk], "organisations": ["Charité"]}),
        (juror.user.pk, {"teams": [], "organisations": ["Robert Koch-Institut"]}),
    ]


def test_an_organiser_declares_a_conflict_for_a_juror(judging_round, organiser):
    juror = JurorFactory(round=judging_round)

    services.conflict_declare(juror=juror, actor=organiser, organisations=["Charité"])

    juror.refresh_from_db()
    assert juror.organisation_names == ["Charité"]


def test_nobody_else_declares_a_jurors_conflicts_nor_teams_of_another_event(judging_round):
    juror = JurorFactory(round=judging_round)

    with pytest.raises(JudgingError, match="Only the juror or an organiser"):
        services.conflict_declare(juror=juror, actor=UserFactory(), organisations=["Charité"])
    with pytest.raises(JudgingError, match="another event") as refused:
        services.conflict_declare(
            juror=juror, actor=juror.user, teams=[TeamFactory(event=EventFactory())]
        )

    assert refused.value.field == "teams"
    juror.refresh_from_db()
    assert (juror.organisation_names, juror.conflict_teams.count()) == ([], 0)
    assert not AuditEntry.objects.filter(action="judging.conflict_declared").exists()


def test_the_public_vote_is_switched_only_while_the_round_is_a_draft(event, organiser):
    round = services.round_create(event=event, actor=organiser, name="Vorauswahl", public_vote=True)
    assert round.public_vote is True
    round = services.round_update(round=round, actor=organiser, data={"public_vote": False})
    assert round.public_vote is False
    JudgingRound.objects.filter(pk=round.pk).update(status=RoundStatus.OPEN)
    with pytest.raises(JudgingError) as refused:
        services.round_update(round=round, actor=organiser, data={"public_vote": True})
    assert refused.value.field == "public_vote"
    round.refresh_from_db()
    assert round.public_vote is False


# --- what a round's stage leaves to change ---------------------------------------------


def _at(round, status):
    JudgingRound.objects.filter(pk=round.pk).update(status=status)
    round.refresh_from_db()
    return round


@pytest.mark.parametrize(
    "data",
    [
        {"reviews_per_project": 3},
        {"entry": RoundEntry.SHORTLISTED},
    ],
)
def test_who_is_judged_by_how_many_is_fixed_once_the_round_opens(judging_round, organiser, data):
    _at(judging_round, RoundStatus.OPEN)

    with pytest.raises(JudgingError, match="only change while the round is a draft") as refused:
        services.round_update(round=judging_round, actor=organiser, data=data)

    assert refused.value.conflict
    assert refused.value.field == next(iter(data))
    judging_round.refresh_from_db()
    assert judging_round.reviews_per_project == 5 and judging_round.entry == "all_submitted"
    # The name and times still change while it is open.
    services.round_update(round=judging_round, actor=organiser, data={"name": "Finale"})


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_a_closed_or_published_round_changes_no_more(judging_round, organiser, status):
    _at(judging_round, status)

    for data in ({"name": "Anders"}, {"jurors_see_others_after_submitting": True}):
        with pytest.raises(JudgingError) as refused:
            services.round_update(round=judging_round, actor=organiser, data=data)
        assert refused.value.conflict
    judging_round.refresh_from_db()
    assert judging_round.name == "Vorauswahl"


def test_a_closed_round_gets_a_later_closing_time_to_open_it_again(judging_round, organiser):
    _at(judging_round, RoundStatus.CLOSED)
    later = datetime(2030, 1, 1, 12, tzinfo=UTC)

    services.round_update(round=judging_round, actor=organiser, data={"closes_at": later})

    judging_round.refresh_from_db()
    assert judging_round.closes_at == later
    _at(judging_round, RoundStatus.PUBLISHED)
    with pytest.raises(JudgingError, match="published"):
        services.round_update(
            round=judging_round,
            actor=organiser,
            data={"closes_at": datetime(2031, 1, 1, tzinfo=UTC)},
        )


# --- bounds (the columns are small integers) ----------------------------------------------


@pytest.mark.parametrize("k", [0, 51, 99999999999])
def test_reviews_per_project_lie_between_one_and_fifty(event, organiser, judging_round, k):
    with pytest.raises(JudgingError) as refused:
        services.round_update(round=judging_round, actor=organiser, data={"reviews_per_project": k})
    assert refused.value.field == "reviews_per_project"
    with pytest.raises(JudgingError):
        services.round_create(event=event, actor=organiser, name="X", reviews_per_project=k)
    services.round_update(round=judging_round, actor=organiser, data={"reviews_per_project": 50})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"weight": 101}, "weight"),
        ({"weight": 99999999999}, "weight"),
        ({"scale_min": -101, "scale_max": -95}, "scale_min"),
        ({"scale_min": 95, "scale_max": 99999999999}, "scale_max"),
        ({"scale_min": 0, "scale_max": 21}, "scale_max"),
    ],
)
def test_criterion_weights_and_scales_are_bounded(judging_round, organiser, fields, field):
    with pytest.raises(JudgingError) as refused:
        services.criterion_add(round=judging_round, actor=organiser, name="Tiefe", **fields)
    assert refused.value.field == field
    criterion = judging_round.criteria.first()
    with pytest.raises(JudgingError):
        services.criterion_update(criterion=criterion, actor=organiser, data=fields)


def test_the_widest_criterion_allowed_is_saved(judging_round, organiser):
    criterion = services.criterion_add(
        round=judging_round, actor=organiser, name="Tiefe", scale_min=-10, scale_max=10, weight=100
    )
    assert (criterion.scale_min, criterion.scale_max, criterion.weight) == (-10, 10, 100)
