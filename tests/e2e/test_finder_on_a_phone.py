"""The team finder on a 390 × 844 phone (issue 9), in German and English: its filters fold
away behind a "Filter" disclosure, so the first team is on the first screen; opened, the
filters work (htmx swaps in the matching teams, and without JavaScript the form is sent).

The `page` fixture also asserts that nothing broke the Content Security Policy.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import PHONE
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    LanguageFactory,
    OpenRoleFactory,
    SkillFactory,
    TeamFactory,
    TopicFactory,
)

pytestmark = pytest.mark.e2e

TEXTS = {
    "de": {
        "all": "3 Teams mit freien Plätzen",
        "two": "2 Teams mit freien Plätzen",
        "one": "1 Team mit freien Plätzen",
    },
    "en": {
        "all": "3 teams with free places",
        "two": "2 teams with free places",
        "one": "1 team with free places",
    },
}


@pytest.fixture
def finder_event(db):
    """Three open teams: two want Python, one wants UX; topics and languages to choose."""
    event = EventFactory(slug="telefon", name="Telefon-Hackathon", is_public=True)
    python = SkillFactory(name="Python", slug="python", category="Development", is_curated=True)
    ux = SkillFactory(name="UX", slug="ux", category="Design", is_curated=True)
    german = LanguageFactory(code="de", name="Deutsch")
    for number, (name, skill) in enumerate(
        [("Bettenradar", python), ("Nachbarschaftshilfe", python), ("Klarer Antrag", ux)]
    ):
        topic = TopicFactory(event=event, name=f"Themenfeld {number}", slug=f"thema-{number}")
        challenge = ChallengeFactory(event=event, topic=topic, title=f"Herausforderung {number}")
        team = TeamFactory(event=event, challenge=challenge, name=name, languages=[german])
        OpenRoleFactory(team=team, title="Mitarbeit", skills=[skill])
    return event


def _open_finder(page, live_server, event, language: str) -> None:
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/teams/?event={event.slug}")


def _names(page) -> list[str]:
    return page.locator("[data-testid=team-card] .card-title").all_inner_texts()


@pytest.mark.parametrize("language", ["de", "en"])
def test_first_team_is_on_the_first_screen_and_the_filters_open_and_work(
    page, live_server, finder_event, language
):
    _open_finder(page, live_server, finder_event, language)
    assert page.locator("html").get_attribute("lang") == language

    form = page.locator("[data-testid=team-filter]")
    summary = page.locator(".filter-panel > summary")
    first_card = page.locator("[data-testid=team-card]").first
    assert summary.inner_text().strip() == "Filter"
    assert not form.is_visible(), "the filters are folded away"
    card = first_card.bounding_box()
    assert card is not None
    assert card["y"] + card["height"] <= PHONE["height"], "the whole first card is on screen"
    assert page.locator("[data-testid=team-count]").inner_text() == TEXTS[language]["all"]

    summary.click()
    assert form.is_visible()
    for name in ("q", "challenge", "topic", "skill", "language", "region"):
        assert form.locator(f"[name={name}]").is_visible(), name
    # The opened filters are narrower than the phone: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_response(lambda response: "skill=ux" in response.url):
        form.locator("select[name=skill]").select_option("ux")
    page.wait_for_function(
        "text => document.querySelector('[data-testid=team-count]').textContent === text",
        arg=TEXTS[language]["one"],
    )
    assert _names(page) == ["Klarer Antrag"]
    assert "skill=ux" in page.url, "the filtered list has its own address"
    assert form.is_visible(), "the filters stay open while choosing"


@pytest.mark.parametrize("language", ["de", "en"])
def test_filters_work_on_a_phone_without_javascript(browser, live_server, finder_event, language):
    context = browser.new_context(locale="de-DE", java_script_enabled=False, viewport=PHONE)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/teams/?event={finder_event.slug}")
        form = page.locator("[data-testid=team-filter]")
        assert not form.is_visible()
        page.locator(".filter-panel > summary").click()
        form.locator("select[name=skill]").select_option("python")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

        count = page.locator("[data-testid=team-count]").inner_text()
        assert count == TEXTS[language]["two"]
        assert sorted(_names(page)) == ["Bettenradar", "Nachbarschaftshilfe"]
        first = page.locator("[data-testid=team-card]").first.bounding_box()
        assert first is not None and first["y"] < PHONE["height"]
    finally:
        context.close()
