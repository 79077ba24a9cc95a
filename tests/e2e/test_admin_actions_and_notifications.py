"""In a real browser, in German and in English (issue 9): an organiser runs the admin's bulk
actions and reads their success messages in the page's language (the singular for one
row), and a participant opens a notification with its "open" button (a POST form) and
lands on the page it is about, with the notification marked read.

The `page` fixture also asserts that nothing broke the Content Security Policy.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from notifications.models import Notification
from teams import services
from teams.enums import TeamStatus
from tests.e2e.helpers import log_in, own_browser
from tests.factories import (
    DEFAULT_PASSWORD,
    ChallengeFactory,
    EventFactory,
    OrganiserFactory,
    RegistrationFactory,
    TeamFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.e2e

# What the page says, by language.
TEXTS = {
    "de": {
        "go": "Ausführen",
        "published": "1 Challenge veröffentlicht.",
        "two_published": "2 Challenges veröffentlicht.",
        "closed": "1 Team wurde geschlossen.",
        "publish_action": "Ausgewählte Challenges veröffentlichen",
        "close_action": "Ausgewählte Teams schließen",
        "open": "Öffnen",
        "notification": "Das Team „Bettenradar“ wurde geschlossen.",
        "team_closed": "Dieses Team wurde am",
        "new": "Neu",
    },
    "en": {
        "go": "Go",
        "published": "1 challenge published.",
        "two_published": "2 challenges published.",
        "closed": "1 team was closed.",
        "publish_action": "Publish selected challenges",
        "close_action": "Close the selected teams",
        "open": "Open",
        "notification": 'The team "Bettenradar" was closed.',
        "team_closed": "This team was closed on",
        "new": "New",
    },
}


def _person(language: str, **fields):
    """A person with a verified address, who reads the site in `language`."""
    user = (fields.pop("factory", UserFactory))(language=language, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _run_action(page, live_server, changelist: str, pks: list[int], action_label: str, go: str):
    """On the change list: ticks the rows, chooses the action by its label, runs it."""
    page.goto(live_server.url + changelist)
    for pk in pks:
        page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option(label=action_label)
    with page.expect_navigation():
        page.get_by_role("button", name=go, exact=True).click()
    return [text.strip() for text in page.locator("ul.messagelist li").all_inner_texts()]


@pytest.mark.parametrize("language", ["de", "en"])
def test_organiser_publishes_challenges_and_reads_the_message_in_their_language(
    page, live_server, language
):
    texts = TEXTS[language]
    event = EventFactory(slug="kuration", name="Kurations-Hackathon")
    one, two, three = ChallengeFactory.create_batch(
        3, event=event, status=ChallengeStatus.IN_REVIEW
    )
    organiser = _person(language, factory=OrganiserFactory, email="orga@example.org")
    log_in(page, live_server, organiser.email, DEFAULT_PASSWORD)

    changelist = "/admin/challenges/challenge/"
    messages = _run_action(
        page, live_server, changelist, [one.pk], texts["publish_action"], texts["go"]
    )
    assert messages == [texts["published"]]
    messages = _run_action(
        page, live_server, changelist, [two.pk, three.pk], texts["publish_action"], texts["go"]
    )
    assert messages == [texts["two_published"]]

    assert set(Challenge.objects.values_list("status", flat=True)) == {ChallengeStatus.PUBLISHED}
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["de", "en"])
def test_organiser_closes_a_team_and_the_member_opens_the_notification(
    page, browser, live_server, language
):
    texts = TEXTS[language]
    event = EventFactory(slug="teams-schliessen", name="Team-Hackathon")
    challenge = ChallengeFactory(event=event)
    founder = _person(language, email="gruenderin@example.org", display_name="Gründerin")
    RegistrationFactory(event=event, user=founder)
    team = TeamFactory(event=event, challenge=challenge, name="Bettenradar")
    add_member(team, founder, role="admin")
    organiser = _person(language, factory=OrganiserFactory, email="orga@example.org")

    log_in(page, live_server, organiser.email, DEFAULT_PASSWORD)
    messages = _run_action(
        page, live_server, "/admin/teams/team/", [team.pk], texts["close_action"], texts["go"]
    )
    assert messages == [texts["closed"]]
    team.refresh_from_db()
    assert team.status == TeamStatus.CLOSED

    # The member, in a browser of their own.
    with own_browser(browser, live_server, founder.email, DEFAULT_PASSWORD) as (member, errors):
        notification = Notification.objects.get(recipient=founder, kind="team.closed")
        member.goto(live_server.url + "/notifications/")
        item = member.locator(f"#notification-{notification.pk}")
        assert item.locator(".notification-title").inner_text().split(None, 1) == [
            texts["new"],
            texts["notification"],
        ]
        with member.expect_navigation():
            item.get_by_role("button", name=texts["open"], exact=True).click()

        assert member.url == live_server.url + team.get_absolute_url()
        assert texts["team_closed"] in member.locator("main").inner_text()
        notification.refresh_from_db()
        assert notification.read_at is not None
        assert member.locator("#unread-notification-badge").inner_text() == ""
    assert errors == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_participant_opens_a_notification_of_a_team_they_joined(page, live_server, language):
    """The notification of an accepted join request leads to the team's page."""
    texts = TEXTS[language]
    event = EventFactory(slug="beitreten", name="Beitritts-Hackathon")
    challenge = ChallengeFactory(event=event)
    admin = UserFactory(display_name="Teamleitung")
    RegistrationFactory(event=event, user=admin)
    team = services.team_create(
        event=event,
        challenge=challenge,
        founder=admin,
        data={"name": "Bettenradar", "pitch": "Wir bauen eine Karte freier Intensivbetten."},
    )
    person = _person(language, email="teilnehmerin@example.org")
    RegistrationFactory(event=event, user=person)
    join_request = services.join_request_create(team=team, user=person, message="Ich helfe gern.")
    services.join_request_accept(join_request=join_request, actor=admin)
    notification = Notification.objects.get(recipient=person, kind="team.join_request_accepted")
    assert notification.read_at is None

    log_in(page, live_server, person.email, DEFAULT_PASSWORD)
    assert page.locator("#unread-notification-badge .badge").inner_text() == "1"
    page.goto(live_server.url + "/notifications/")
    item = page.locator(f"#notification-{notification.pk}")
    with page.expect_navigation():
        item.get_by_role("button", name=texts["open"], exact=True).click()

    assert page.url == live_server.url + team.get_absolute_url()
    assert page.locator("h1").first.inner_text().startswith("Bettenradar")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert page.locator("#unread-notification-badge").inner_text() == ""
