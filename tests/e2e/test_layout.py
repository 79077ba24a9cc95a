"""What people see (issue 9), measured in a real browser: the header, the user menu, the
catalogues' cards, tags and filters, on a laptop (1280 px) and on a phone (390 px).

The `page` fixture also asserts that nothing broke the Content Security Policy.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from challenges.models import Tag
from events.enums import PhaseKind
from projects.enums import ProjectStatus
from tests.e2e.helpers import PHONE, log_in
from tests.factories import (
    DEFAULT_PASSWORD,
    ChallengeFactory,
    EventFactory,
    OpenRoleFactory,
    PhaseFactory,
    ProjectFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def catalogue(db):
    """An event with challenges (with tags), open teams and submitted projects."""
    now = timezone.now()
    event = EventFactory(slug="layout", name="Layout-Hackathon", is_public=True)
    PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=now + timedelta(days=1, hours=3),
        ends_at=now + timedelta(days=3),
    )
    python = SkillFactory(name="Python", slug="python", category="Development", is_curated=True)
    for number in range(3):
        challenge = ChallengeFactory(event=event, title=f"Herausforderung {number}")
        challenge.tags.set(
            [Tag.objects.create(name=f"Tag {number}a"), Tag.objects.create(name=f"Tag {number}b")]
        )
        team = TeamFactory(event=event, challenge=challenge, name=f"Team {number}")
        OpenRoleFactory(team=team, title="Backend", skills=[python])
        ProjectFactory(event=event, team=team, status=ProjectStatus.SUBMITTED)
    return event


@pytest.fixture
def person(db):
    user = UserFactory(email="lena@example.org", display_name="Lena Layout")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box


# --- the header and the user menu --------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "en"])
def test_header_is_one_row_at_1280_px_when_signed_in(page, live_server, person, language):
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, person.email, DEFAULT_PASSWORD)
    page.context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + "/")

    brand = _box(page.locator(".brand"))
    nav = _box(page.locator("nav.main-nav"))
    switcher = _box(page.locator("form.language-switcher"))
    header = _box(page.locator("header.site-header"))

    assert abs(nav["y"] - brand["y"]) < brand["height"]
    assert abs(switcher["y"] - brand["y"]) < brand["height"]
    assert header["height"] < 80, "brand, navigation and language switcher share one row"


def test_user_menu_opens_and_closes_with_the_keyboard(page, live_server, person):
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, person.email, DEFAULT_PASSWORD)
    menu = page.locator("[data-testid=user-menu]")
    teams_link = menu.locator("a[href='/teams/mine/']")
    assert not teams_link.is_visible()

    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    assert teams_link.is_visible()
    for href in ("/notifications/", "/challenges/mine/", "/participants/profile/", "/accounts/"):
        assert menu.locator(f"a[href^='{href}']").first.is_visible(), href
    assert menu.locator("form[action$='/accounts/logout/'] button").is_visible()

    page.keyboard.press("Tab")  # into the menu: its first entry
    assert page.evaluate("document.activeElement.closest('details.user-menu') !== null")
    page.keyboard.press("Escape")
    assert not teams_link.is_visible()
    assert page.evaluate("document.activeElement.matches('details.user-menu > summary')")


def test_user_menu_works_without_javascript(browser, live_server, person):
    context = browser.new_context(locale="de-DE", java_script_enabled=False, viewport=LAPTOP)
    try:
        page = context.new_page()
        log_in(page, live_server, person.email, DEFAULT_PASSWORD)
        menu = page.locator("[data-testid=user-menu]")

        menu.locator("summary").click()
        with page.expect_navigation():
            menu.locator("a[href='/teams/mine/']").click()

        assert page.url == live_server.url + "/teams/mine/"
    finally:
        context.close()


# --- the catalogues ------------------------------------------------------------------------


def test_challenge_cards_and_tags_are_not_bulleted_lists(page, live_server, catalogue):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/challenges/?event={catalogue.slug}")

    cards = page.locator(".challenge-list > li.card")
    assert cards.count() == 3
    styles = cards.first.evaluate("e => getComputedStyle(e).listStyleType")
    assert styles == "none"
    first, second = _box(cards.nth(0)), _box(cards.nth(1))
    assert second["y"] - (first["y"] + first["height"]) >= 8, "cards keep their distance"

    tags = page.locator(".challenge-list .tags").first
    assert tags.evaluate("e => getComputedStyle(e).display") == "flex"
    assert tags.locator("li").first.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    a, b = _box(tags.locator("li").nth(0)), _box(tags.locator("li").nth(1))
    assert a["y"] == b["y"], "tags sit side by side"


def _fits(select) -> bool:
    """Whether the chosen option's text fits into the closed select (not cut off)."""
    return select.evaluate(
        """select => {
            const style = getComputedStyle(select);
            const canvas = document.createElement("canvas").getContext("2d");
            canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const text = select.options[select.selectedIndex].text;
            const room = select.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight) - 20;  // the arrow
            return canvas.measureText(text).width <= room;
        }"""
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_gallery_checkboxes_beside_their_labels_and_sort_select_not_cut_off(
    page, live_server, catalogue, language
):
    page.set_viewport_size(LAPTOP)
    page.context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/projects/?event={catalogue.slug}")

    form = page.locator("[data-testid=project-filter]")
    for checkbox in form.locator("input[type=checkbox]").all():
        label = form.locator(f"label[for='{checkbox.get_attribute('id')}']")
        box, text = _box(checkbox), _box(label)
        assert box["x"] + box["width"] <= text["x"], "the checkbox stands before its label"
        assert abs((box["y"] + box["height"] / 2) - (text["y"] + text["height"] / 2)) < 6
    assert _fits(form.locator("select[name=sort]"))

    page.goto(f"{live_server.url}/challenges/?event={catalogue.slug}")
    assert _fits(page.locator("select[name=sort]"))


def test_team_finder_filters_fold_away_on_a_phone(page, live_server, catalogue):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/teams/?event={catalogue.slug}")

    form = page.locator("[data-testid=team-filter]")
    first_team = page.locator("[data-testid=team-card]").first
    assert not form.is_visible()
    assert _box(first_team)["y"] < PHONE["height"], "the first team is on the first screen"

    page.locator(".filter-panel > summary").click()
    assert form.is_visible()
    assert form.locator("select[name=skill]").is_visible()


def test_team_finder_filters_are_open_on_a_laptop(page, live_server, catalogue):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/teams/?event={catalogue.slug}")

    assert page.locator("[data-testid=team-filter] select[name=skill]").is_visible()
    assert not page.locator(".filter-panel > summary").is_visible()
    assert page.locator("#team-filter-heading").is_visible()


# --- the countdown -----------------------------------------------------------------------


@pytest.mark.parametrize(("language", "expected"), [("de", "1 Tag "), ("en", "1 day ")])
def test_countdown_says_one_day_in_the_singular(page, live_server, catalogue, language, expected):
    page.context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + catalogue.get_absolute_url())

    countdown = page.locator("[data-countdown-target]").first
    page.wait_for_function(
        "e => /\\d\\d:\\d\\d:\\d\\d/.test(e.textContent)", arg=countdown.element_handle()
    )

    assert countdown.inner_text().startswith(expected)
