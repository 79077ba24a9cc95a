"""Issue 3's "done when", in a real browser: a giver submits a challenge (after a form
error that keeps what they wrote), an organiser publishes it in the Django admin, and then
a visitor finds it by a German word stem, supports it without a page reload and asks its
owner a question, which the owner answers on the page.

Selectors are names, ids and data-testids rather than texts: the site speaks German by
default. The `page` fixture also asserts that nothing broke the Content Security Policy
and that no request left the site.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from challenges import services
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, ChallengeQuestion
from tests.e2e.helpers import log_in, submit
from tests.factories import (
    DEFAULT_PASSWORD,
    EventFactory,
    OrganiserFactory,
    UserFactory,
    open_intake,
)

pytestmark = pytest.mark.e2e

TITLE = "Digitale Schule für alle Kinder"
PROBLEM = "Viele Schulen haben keine gemeinsame Lernplattform, der Fernunterricht fällt aus."
QUESTION = "Gibt es schon Zahlen, wie viele Kinder kein Gerät zu Hause haben?"


def _verified(factory=UserFactory, **fields):
    person = factory(**fields)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


@pytest.fixture
def intake(db):
    event = EventFactory(slug="e2e-intake", name="E2E-Intake", is_public=True)
    open_intake(event)
    return {
        "event": event,
        "giver": _verified(email="giver@example.org", display_name="Gabi Geberin"),
        "organiser": _verified(
            OrganiserFactory, email="orga@example.org", display_name="Olli Orga"
        ),
        "visitor": _verified(email="vera@example.org", display_name="Vera Besucherin"),
    }


def _fill_challenge(form, *, municipality_key: str) -> None:
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=problem]").fill(PROBLEM)
    form.locator("[name=affected]").fill("Schülerinnen, Schüler und Lehrkräfte")
    form.locator("[name=desired_outcome]").fill("Eine offene Lernplattform für alle Schulen.")
    form.locator("[name=giver_type]").select_option("citizen")
    form.locator("[name=state]").select_option("BE")
    form.locator("[name=municipality_key]").fill(municipality_key)
    form.locator("[name=contact_name]").fill("Gabi Geberin")
    form.locator("[name=contact_email]").fill("gabi@example.org")
    form.locator("[name=tags]").fill("Bildung, Schule")


def test_challenge_goes_from_intake_to_the_catalogue_and_gets_support_and_answers(
    page, browser, live_server, intake
):
    event, giver = intake["event"], intake["giver"]

    # 1. The giver writes the challenge; a wrong municipality key is a form error that
    #    keeps everything else they typed.
    log_in(page, live_server, giver.email, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/challenges/new/{event.slug}/")
    form = page.locator("main form").filter(has=page.locator("[name=title]"))
    _fill_challenge(form, municipality_key="123")
    with page.expect_navigation():
        form.locator("button[name=submit]").click()
    assert page.locator("main .errorlist").count() >= 1
    assert page.locator("[name=title]").input_value() == TITLE
    assert not Challenge.objects.exists()
    page.locator("[name=municipality_key]").fill("11000000")
    with page.expect_navigation():
        page.locator("main form button[name=submit]").click()
    challenge = Challenge.objects.get(title=TITLE)
    assert challenge.status == ChallengeStatus.SUBMITTED
    assert challenge.submitted_by == giver
    assert page.url.endswith(challenge.get_absolute_url())

    # 2. An organiser publishes it with the bulk action in the Django admin.
    admin = browser.new_context(locale="de-DE")
    organiser_page = admin.new_page()
    try:
        log_in(organiser_page, live_server, intake["organiser"].email, DEFAULT_PASSWORD)
        organiser_page.goto(f"{live_server.url}/admin/challenges/challenge/")
        organiser_page.locator(f"input[name=_selected_action][value='{challenge.pk}']").check()
        organiser_page.locator("select[name=action]").select_option("action_publish")
        with organiser_page.expect_navigation():
            organiser_page.locator("button[name=index]").click()
    finally:
        admin.close()
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PUBLISHED
    services.challenge_owner_add(challenge=challenge, user=giver, actor=intake["organiser"])

    # 3. A visitor finds it by another form of the word ("Schulen" → "Schule").
    page.context.clear_cookies()
    log_in(page, live_server, intake["visitor"].email, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/challenges/?event={event.slug}&q=Schulen")
    result = page.locator(f"main a[href='{challenge.get_absolute_url()}']").first
    assert TITLE in result.inner_text()
    with page.expect_navigation():
        result.click()

    # 4. Support goes through htmx: the count changes, the page stays.
    url_before = page.url
    page.locator(".support-form button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('.support-form input[name=action]').value === 'withdraw'"
    )
    assert "1" in page.locator(".support-count").inner_text()
    assert page.url == url_before
    challenge.refresh_from_db()
    assert challenge.support_count == 1

    # 5. They ask the owner a question ...
    ask = page.locator("[data-testid=question-form]")
    ask.locator("[name=text]").fill(QUESTION)
    submit(page, ask)
    question = ChallengeQuestion.objects.get(challenge=challenge)
    assert page.url.endswith(f"#question-{question.pk}")
    assert QUESTION in page.locator("[data-testid=question]").inner_text()

    # 6. ... which the owner answers on the same page, for everyone to read.
    page.context.clear_cookies()
    log_in(page, live_server, giver.email, DEFAULT_PASSWORD)
    page.goto(live_server.url + challenge.get_absolute_url() + "#questions")
    answer = page.locator(f"form[action$='/questions/{question.pk}/answer/']")
    answer.locator("textarea").fill("Laut Schulamt etwa jedes fünfte Kind.")
    submit(page, answer)
    assert "jedes fünfte Kind" in page.locator("[data-testid=answer]").inner_text()
    question.refresh_from_db()
    assert question.answered_by == giver
