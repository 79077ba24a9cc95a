"""Organisers manage events in the Django admin, in the event's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from events.enums import PhaseKind
from events.models import Event, Phase
from tests.factories import EventFactory, PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_event_changelist")
ADD = reverse("admin:events_event_add")


def change_url(event: Event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def event_form(**overrides) -> dict:
    data = {
        "name": "Hackathon in New York",
        "slug": "nyc",
        "tagline": "",
        "description": "",
        "is_public": "on",
        "time_zone": "America/New_York",
        "code_of_conduct": "",
        "team_max_size": "10",
        "teams_per_person": "1",
        "phases-TOTAL_FORMS": "1",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "7",
        "phases-0-kind": "hacking",
        "phases-0-starts_at_0": "2031-07-01",
        "phases-0-starts_at_1": "12:00:00",
        "phases-0-ends_at_0": "2031-07-03",
        "phases-0-ends_at_1": "12:00:00",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_admin_changelist_loads_for_an_organiser(client, organiser, running_event):
    client.force_login(organiser)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "#WirVsVirus" in html
    with translation.override("de"):
        assert f'<td class="field-current_phase_label">{PhaseKind.HACKING.label}</td>' in html


def test_admin_changelist_search_finds_by_name(client, organiser, running_event):
    EventFactory(name="Ganz anderes Event")
    client.force_login(organiser)

    html = client.get(CHANGELIST, {"q": "wirvs"}).content.decode()

    assert "#WirVsVirus" in html
    assert "Ganz anderes Event" not in html


@pytest.mark.parametrize("url", [CHANGELIST, ADD])
def test_admin_redirects_people_who_are_not_staff(client, participant, url):
    client.force_login(participant)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_is_forbidden_to_staff_who_are_not_organisers(client, running_event):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(running_event)).status_code == 403


def test_admin_add_form_offers_a_row_per_phase(client, organiser):
    client.force_login(organiser)

    response = client.get(ADD)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="phases-TOTAL_FORMS" value="7"' in html
    assert 'id="id_slug"' in html


def test_admin_change_form_shows_times_in_the_event_time_zone(client, organiser):
    event = EventFactory(slug="nyc", time_zone="America/New_York")
    PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=datetime(2031, 7, 1, 16, 0, tzinfo=UTC),
        ends_at=datetime(2031, 7, 3, 16, 0, tzinfo=UTC),
    )
    client.force_login(organiser)

    response = client.get(change_url(event))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="phases-0-starts_at_1" value="12:00:00"' in html  # 16:00 UTC is noon EDT
    assert 'value="16:00:00"' not in html
    assert 'value="18:00:00"' not in html  # nor Berlin, the site's zone


def test_admin_reads_entered_times_in_the_chosen_time_zone(client, organiser):
    client.force_login(organiser)

    response = client.post(ADD, event_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    phase = Phase.objects.get(event__slug="nyc", kind=PhaseKind.HACKING)
    assert phase.starts_at == datetime(2031, 7, 1, 16, 0, tzinfo=UTC)
    assert phase.ends_at == datetime(2031, 7, 3, 16, 0, tzinfo=UTC)


def test_admin_change_keeps_times_in_the_event_time_zone(client, organiser):
    event = EventFactory(slug="nyc", name="NYC", time_zone="America/New_York")
    phase = PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=datetime(2031, 7, 1, 16, 0, tzinfo=UTC),
        ends_at=datetime(2031, 7, 3, 16, 0, tzinfo=UTC),
    )
    client.force_login(organiser)
    data = event_form(
        name="NYC",
        **{
            "phases-INITIAL_FORMS": "1",
            "phases-0-id": str(phase.pk),
            "phases-0-event": str(event.pk),
            "phases-0-ends_at_1": "18:00:00",
        },
    )

    response = client.post(change_url(event), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    phase.refresh_from_db()
    assert phase.starts_at == datetime(2031, 7, 1, 16, 0, tzinfo=UTC)
    assert phase.ends_at == datetime(2031, 7, 3, 22, 0, tzinfo=UTC)


def test_admin_rejects_a_phase_ending_before_it_starts(client, organiser):
    client.force_login(organiser)

    response = client.post(ADD, event_form(**{"phases-0-ends_at_0": "2031-06-30"}))

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Event.objects.filter(slug="nyc").exists()


def test_admin_rejects_a_phase_kind_twice(client, organiser):
    client.force_login(organiser)
    data = event_form(
        **{
            "phases-TOTAL_FORMS": "2",
            "phases-1-kind": "hacking",
            "phases-1-starts_at_0": "2031-07-02",
            "phases-1-starts_at_1": "12:00:00",
            "phases-1-ends_at_0": "2031-07-04",
            "phases-1-ends_at_1": "12:00:00",
        }
    )

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Event.objects.filter(slug="nyc").exists()


def test_admin_rejects_a_time_that_does_not_exist_in_the_event_time_zone(client, organiser):
    client.force_login(organiser)
    # 02:30 on 2031-03-09 does not exist in New York (clocks jump from 02:00 to 03:00).
    data = event_form(**{"phases-0-starts_at_0": "2031-03-09", "phases-0-starts_at_1": "02:30:00"})

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert "America/New_York" in response.context["adminform"].form.data["time_zone"]
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "starts_at" in errors[0]
    assert not Event.objects.filter(slug="nyc").exists()


def test_admin_rejects_an_unknown_time_zone(client, organiser):
    client.force_login(organiser)

    response = client.post(ADD, event_form(time_zone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Event.objects.filter(slug="nyc").exists()


# --- the admin writes through the services ------------------------------------------------


def _entries(event: Event, action: str) -> list:
    from audit.services import audit_entries_for

    return list(audit_entries_for(target=event).filter(action=action).order_by("pk"))


def _schedule_form(event: Event, phase: Phase, **overrides) -> dict:
    """The change form of an event with one phase, as the admin posts it (Berlin times)."""
    local = {name: event.localtime(getattr(phase, name)) for name in ("starts_at", "ends_at")}
    return event_form(
        name=event.name,
        slug=event.slug,
        time_zone=event.time_zone,
        **{
            "phases-INITIAL_FORMS": "1",
            "phases-0-id": str(phase.pk),
            "phases-0-event": str(event.pk),
            "phases-0-kind": phase.kind,
            "phases-0-starts_at_0": f"{local['starts_at']:%Y-%m-%d}",
            "phases-0-starts_at_1": f"{local['starts_at']:%H:%M:%S}",
            "phases-0-ends_at_0": f"{local['ends_at']:%Y-%m-%d}",
            "phases-0-ends_at_1": f"{local['ends_at']:%H:%M:%S}",
            **overrides,
        },
    )


def test_admin_add_event_is_audited(client, organiser):
    client.force_login(organiser)

    response = client.post(ADD, event_form())

    assert response.status_code == 302
    event = Event.objects.get(slug="nyc")
    [created] = _entries(event, "event.create")
    assert created.actor == organiser
    [phase_entry] = _entries(event, "event.phase_create")
    assert phase_entry.data["phase"]["kind"] == "hacking"


def test_admin_moving_the_submission_deadline_is_audited(client, organiser):
    event = EventFactory(time_zone="Europe/Berlin")
    phase = PhaseFactory(
        event=event,
        kind=PhaseKind.SUBMISSION,
        starts_at=datetime(2031, 7, 1, 10, tzinfo=UTC),
        ends_at=datetime(2031, 7, 3, 10, tzinfo=UTC),
    )
    client.force_login(organiser)

    response = client.post(
        change_url(event),
        _schedule_form(event, phase, **{"phases-0-ends_at_1": "18:00:00"}),
    )

    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.ends_at == datetime(2031, 7, 3, 16, tzinfo=UTC)  # 18:00 in Berlin (CEST)
    [moved] = _entries(event, "event.submission_deadline_move")
    assert moved.actor == organiser
    assert moved.data["submission_deadline"] == {
        "from": "2031-07-03T10:00:00+00:00",
        "to": "2031-07-03T16:00:00+00:00",
    }
    assert _entries(event, "event.phase_update") == []


def test_admin_other_phase_change_is_a_phase_update(client, organiser):
    event = EventFactory(time_zone="Europe/Berlin")
    phase = PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=datetime(2031, 7, 1, 10, tzinfo=UTC),
        ends_at=datetime(2031, 7, 3, 10, tzinfo=UTC),
    )
    client.force_login(organiser)

    response = client.post(
        change_url(event), _schedule_form(event, phase, **{"phases-0-starts_at_1": "09:00:00"})
    )

    assert response.status_code == 302
    [updated] = _entries(event, "event.phase_update")
    assert updated.data["previous"]["starts_at"] == "2031-07-01T10:00:00+00:00"
    assert updated.data["phase"]["starts_at"] == "2031-07-01T07:00:00+00:00"
    assert _entries(event, "event.submission_deadline_move") == []


def test_admin_deleting_the_submission_phase_is_audited(client, organiser):
    event = EventFactory(time_zone="Europe/Berlin")
    phase = PhaseFactory(event=event, kind=PhaseKind.SUBMISSION)
    client.force_login(organiser)

    response = client.post(
        change_url(event), _schedule_form(event, phase, **{"phases-0-DELETE": "on"})
    )

    assert response.status_code == 302
    assert not Phase.objects.filter(pk=phase.pk).exists()
    [deleted] = _entries(event, "event.submission_deadline_move")
    assert deleted.data["submission_deadline"]["to"] is None
    assert deleted.data["phase"] is None


def test_admin_event_change_is_audited(client, organiser):
    event = EventFactory(time_zone="Europe/Berlin", team_max_size=10)
    phase = PhaseFactory(event=event)
    client.force_login(organiser)

    response = client.post(change_url(event), _schedule_form(event, phase, team_max_size="6"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.team_max_size == 6
    [updated] = _entries(event, "event.update")
    assert updated.actor == organiser and updated.data == {"fields": ["team_max_size"]}
    assert _entries(event, "event.phase_update") == []  # the phase did not change


# --- deleting events (events.services.event_delete) -----------------------------------------


def _delete_url(event: Event) -> str:
    return reverse("admin:events_event_delete", args=[event.pk])


def test_admin_deletes_an_event_nobody_took_part_in_with_an_audit_entry(
    client, organiser, hidden_event
):
    from audit.models import AuditEntry

    client.force_login(organiser)
    client.cookies["language"] = "en"
    event_id = hidden_event.pk

    response = client.post(_delete_url(hidden_event), {"post": "yes"})

    assert response.status_code == 302
    assert not Event.objects.filter(pk=event_id).exists()
    assert not Phase.objects.filter(event_id=event_id).exists()
    [entry] = AuditEntry.objects.filter(action="event.delete")
    assert (entry.actor, entry.target_id) == (organiser, event_id)
    assert entry.data == {"slug": "geheim", "name": "Geheimer Hackathon"}


def test_admin_refuses_to_delete_an_event_with_registrations(
    client, organiser, running_event, participant
):
    from audit.models import AuditEntry
    from tests.factories import RegistrationFactory

    RegistrationFactory(event=running_event, user=participant)
    client.force_login(organiser)
    client.cookies["language"] = "en"

    response = client.post(_delete_url(running_event), {"post": "yes"}, follow=True)

    assert Event.objects.filter(pk=running_event.pk).exists()
    assert response.redirect_chain[-1][0] == change_url(running_event)
    assert (
        "#WirVsVirus already has registrations, teams or challenges, so it cannot be deleted. "
        "To take it off the site, unpublish it."
    ) in response.content.decode()
    assert not AuditEntry.objects.filter(action="event.delete").exists()


def test_admin_bulk_delete_deletes_only_the_empty_events(
    client, organiser, running_event, hidden_event, participant
):
    from tests.factories import RegistrationFactory

    RegistrationFactory(event=running_event, user=participant)
    client.force_login(organiser)
    client.cookies["language"] = "en"

    response = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [running_event.pk, hidden_event.pk],
            "post": "yes",
        },
        follow=True,
    )

    assert list(Event.objects.values_list("slug", flat=True)) == ["wirvsvirus"]
    assert "already has registrations, teams or challenges" in response.content.decode()


def test_event_delete_refused_to_people_who_are_not_organisers(hidden_event, participant):
    from events import services

    with translation.override("en"), pytest.raises(services.EventError, match="Only organisers"):
        services.event_delete(event=hidden_event, actor=participant)
    assert Event.objects.filter(pk=hidden_event.pk).exists()
