"""The admin in a real browser: the event's and a challenge's change pages and two change
lists have no serious or critical accessibility violation (axe) and break nothing of
the Content Security Policy.

The tabular inlines' inputs are named by hackathon/admin_a11y.py, select2's search field
and list by static/js/admin-a11y.js, the breadcrumbs by static/css/admin.css.

axe runs with `preload: False`: its CSSOM preload (used only by the css-orientation-lock
rule) re-inserts the `@import url('widgets.css')` of Django's forms.css as an inline
<style> into the page, which our CSP rightly blocks; those two reports were axe's own,
not the admin's (a page loaded without axe reports nothing, as asserted below).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from challenges.enums import ChallengeStatus
from challenges.models import ChallengeOwner, Tag
from tests.e2e.helpers import log_in
from tests.events.conftest import add_full_schedule
from tests.factories import DEFAULT_PASSWORD, ChallengeFactory, EventFactory, UserFactory

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}

# Reports the page's CSP violations to the test, whoever causes them.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
}, true);
"""


@pytest.fixture
def admin_pages(db):
    """The paths of an event's and a challenge's change pages and of two change lists."""
    event = EventFactory(slug="admin-a11y", name="Barrierefrei-Hackathon", is_public=True)
    add_full_schedule(event, hacking_starts=timezone.now() + timedelta(days=10))
    challenge = ChallengeFactory(event=event, status=ChallengeStatus.PUBLISHED)
    challenge.tags.set([Tag.objects.create(name="Pflege"), Tag.objects.create(name="Daten")])
    ChallengeOwner.objects.create(challenge=challenge, user=UserFactory(display_name="Pat Pate"))
    return {
        "event": f"/admin/events/event/{event.pk}/change/",
        "challenge": f"/admin/challenges/challenge/{challenge.pk}/change/",
        "challenges": "/admin/challenges/challenge/",
        "skills": "/admin/participants/skill/",
    }


@pytest.fixture
def superuser(db):
    user = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("which", ["event", "challenge", "challenges", "skills"])
def test_admin_page_has_no_serious_violation_and_no_csp_report(
    page, live_server, traffic, superuser, admin_pages, which
):
    page.add_init_script(LISTEN)
    log_in(page, live_server, superuser.email, DEFAULT_PASSWORD)
    page.goto(live_server.url + admin_pages[which])
    page.wait_for_load_state("networkidle")
    if which == "challenge":
        page.locator(".select2-search__field").first.wait_for(state="attached")

    assert page.evaluate("window.__cspViolations") == [], "the admin itself breaks no CSP rule"
    results = Axe().run(page, options={"preload": False})

    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == []
    assert page.evaluate("window.__cspViolations") == []
    assert [e for e in traffic.console_errors if "Content Security Policy" in e] == []


def test_schedule_inputs_are_named_after_their_columns(page, live_server, superuser, admin_pages):
    page.add_init_script(LISTEN)
    log_in(page, live_server, superuser.email, DEFAULT_PASSWORD)
    page.goto(live_server.url + admin_pages["event"])

    first_row = page.locator("#id_phases-0-kind")
    assert first_row.get_attribute("aria-label").startswith("Phase")
    assert (
        page.locator("#id_phases-0-starts_at_0")
        .get_attribute("aria-label")
        .startswith("Beginn: Datum")
    )
    assert page.locator("#id_phases-0-DELETE").get_attribute("aria-label").startswith("Löschen")


def test_select2_search_field_is_named_after_its_field(page, live_server, superuser, admin_pages):
    log_in(page, live_server, superuser.email, DEFAULT_PASSWORD)
    page.goto(live_server.url + admin_pages["challenge"])

    search = page.locator("#id_tags ~ .select2-container .select2-search__field")
    search.wait_for(state="attached")
    page.wait_for_function(
        "e => e.hasAttribute('aria-label')", arg=search.element_handle(), timeout=5_000
    )
    assert search.get_attribute("aria-label") == page.locator(
        "label[for=id_tags]"
    ).inner_text().rstrip(":")
