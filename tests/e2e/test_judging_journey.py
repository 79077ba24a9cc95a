"""Issue 10's "done when", in a real browser on the demo data itself (`seed_demo`), in
German and in English: the organiser opens the running edition's round, runs the
assignment and sees its progress and result; juror@example.org opens their queue, scores
a project with the keyboard alone and submits it; the organiser closes the round,
shortlists the top projects and publishes; every judged team is told; the public
results page shows the shortlisted projects.

Selectors are ids, names, roles and data-testids, never texts (the German catalogue may
not have every judging string yet); the language is asserted through <html lang>.
Tasks run eagerly here, as in every test but the integration tests, so a run is carried
out in the request's commit and its page shows it finished. Every page of the journey
passes axe without a serious or critical violation; the `page` fixture also asserts that
nothing broke the Content Security Policy and that no request left the site.
"""

from __future__ import annotations

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from accounts.models import User
from events.demo import DEMO_EVENT_SLUG, DEMO_PASSWORD, ORGANISER
from events.models import Event
from judging.demo import JUROR, ROUND_NAME
from judging.enums import ReviewStatus, RoundStatus, RunStatus
from judging.models import (
    Assignment,
    AssignmentRun,
    JudgingRound,
    Review,
    ShortlistEntry,
    TeamOutcomeNotice,
)
from judging.tasks import run_assignment
from notifications.models import Notification
from teams.models import Membership
from tests.e2e.helpers import log_in, own_browser, submit

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}
SHORTLIST = 2
FEEDBACK = "Sprecht früh mit denen, die es nutzen sollen."
SCORE_STEPS = 3  # from the lowest value, three arrow presses: 4 on a 1–5 scale


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    event = Event.objects.get(slug=DEMO_EVENT_SLUG)
    round = JudgingRound.objects.get(event=event, name=ROUND_NAME)
    assert round.status == RoundStatus.OPEN, "the demo's running round is open"
    return {"event": event, "round": round, "juror": User.objects.get(email=JUROR[0])}


def _speak(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])


def _assert_language(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language


def _assert_accessible(page) -> None:
    results = Axe().run(page, options={"preload": False})
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == [], page.url


def _focused_name(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.name")


def _organiser_runs_the_assignment(page, live_server, round, language) -> AssignmentRun:
    page.goto(f"{live_server.url}/judging/events/{round.event.slug}/")
    _assert_language(page, language)
    with page.expect_navigation():
        page.locator(f"[data-testid=rounds] a[href='/judging/rounds/{round.pk}/']").click()
    _assert_language(page, language)
    _assert_accessible(page)

    # The broker holds the task until the test, as the worker, takes it: so the page is
    # seen waiting, then updating itself with the result.
    held = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run_assignment, "apply_async", lambda kwargs, **_options: held.append(kwargs))
        submit(page, page.locator("[data-testid=run-form]"))
    run = AssignmentRun.objects.filter(round=round).order_by("-created_at", "-pk").first()
    assert held == [{"run_id": run.pk}]
    run_url = f"{live_server.url}/judging/runs/{run.pk}/"
    assert page.url == run_url
    progress = page.locator("[data-testid=run-progress]")
    assert progress.get_attribute("aria-live") == "polite"
    assert progress.get_attribute("hx-get"), "the progress polls while the run waits"
    assert progress.locator("progress").get_attribute("value") == "0"
    _assert_accessible(page)

    assert run_assignment.apply(kwargs=held[0]).get() == RunStatus.DONE
    result = page.locator("[data-testid=run-result]")
    result.wait_for()  # swapped in by the page's own polling, no reload
    assert page.url == run_url
    assert progress.locator("progress").count() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    # The result: the load per juror (one row each), within one; started reviews kept.
    assert result.locator("[data-testid=load-per-juror] tbody tr").count() == round.jurors.count()
    assert run.result["spread"] <= 1
    assert run.result["kept"] >= 1, "the reviews the demo's jurors started are kept"
    _assert_language(page, language)
    _assert_accessible(page)
    return run


def _juror_scores_with_the_keyboard(browser, live_server, round, juror, language) -> Assignment:
    with own_browser(browser, live_server, juror.email, DEMO_PASSWORD) as (juror_page, errors):
        _speak(juror_page, live_server, language)
        juror_page.goto(f"{live_server.url}/judging/reviews/")
        _assert_language(juror_page, language)
        with juror_page.expect_navigation():
            juror_page.locator(f"main a[href='/judging/rounds/{round.pk}/queue/']").first.click()
        _assert_language(juror_page, language)
        _assert_accessible(juror_page)

        to_do = juror_page.locator(
            "section[aria-labelledby=to-do-heading] a[href^='/judging/assignments/']"
        )
        href = to_do.first.get_attribute("href")
        assignment = Assignment.objects.select_related("project").get(
            pk=int(re.search(r"/assignments/(\d+)/", href).group(1))
        )
        assert assignment.juror.user_id == juror.pk
        with juror_page.expect_navigation():
            to_do.first.click()
        _assert_language(juror_page, language)
        _assert_accessible(juror_page)

        # The keyboard alone: into the first criterion's radio group, Space chooses the
        # lowest value and the arrows move up; Tab goes on to the next criterion.
        criteria = list(round.criteria.order_by("position", "pk"))
        names = [f"score_{criterion.pk}" for criterion in criteria]
        juror_page.locator(f"input[name={names[0]}]").first.focus()
        for name in names:
            assert _focused_name(juror_page) == name
            juror_page.keyboard.press("Space")
            for _step in range(SCORE_STEPS):
                juror_page.keyboard.press("ArrowRight")
            juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "comment_for_organisers"
        juror_page.keyboard.type("Solide umgesetzt; der Betrieb ist noch offen.")
        juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "feedback_for_team"
        juror_page.keyboard.type(FEEDBACK)
        juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "draft"
        juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "submit"
        with juror_page.expect_navigation():
            juror_page.keyboard.press("Enter")

        review = Review.objects.get(assignment=assignment)
        assert review.status == ReviewStatus.SUBMITTED
        expected = criteria[0].scale_min + SCORE_STEPS
        assert sorted(review.scores.values_list("criterion_id", "value")) == sorted(
            (criterion.pk, expected) for criterion in criteria
        )
        assert review.feedback_for_team == FEEDBACK

        juror_page.goto(f"{live_server.url}/judging/rounds/{round.pk}/queue/")
        done = juror_page.locator("section[aria-labelledby=done-heading]")
        assert done.locator(f"a[href='/judging/assignments/{assignment.pk}/']").count() == 1
        assert errors == []
    return assignment


def _organiser_closes_shortlists_and_publishes(page, live_server, round, language) -> list:
    page.goto(f"{live_server.url}/judging/rounds/{round.pk}/")
    submit(page, page.locator("[data-testid=close-form]"))
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED

    page.goto(f"{live_server.url}/judging/rounds/{round.pk}/results/")
    _assert_language(page, language)
    form = page.locator("[data-testid=shortlist-top-form]")
    form.locator("input[name=n]").fill(str(SHORTLIST))
    submit(page, form)
    shortlisted = list(ShortlistEntry.objects.filter(round=round).select_related("project__team"))
    assert len(shortlisted) >= SHORTLIST
    assert page.locator("[data-testid=ranking-overall] [data-testid=shortlisted]").count() == len(
        shortlisted
    )
    _assert_accessible(page)

    with page.expect_navigation():
        page.locator("[data-testid=publish-link]").click()
    _assert_language(page, language)
    with page.expect_navigation():
        page.locator("[data-testid=publish]").click()
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    return [entry.project for entry in shortlisted]


@pytest.mark.parametrize("language", ["de", "en"])
def test_demo_round_from_assignment_to_published_results(
    page, browser, live_server, mailoutbox, demo, language
):
    round, juror = demo["round"], demo["juror"]

    log_in(page, live_server, ORGANISER[0], DEMO_PASSWORD)
    _speak(page, live_server, language)
    _organiser_runs_the_assignment(page, live_server, round, language)

    scored = _juror_scores_with_the_keyboard(browser, live_server, round, juror, language)

    winners = _organiser_closes_shortlists_and_publishes(page, live_server, round, language)

    # The teams are told: each judged team once, every member a notification and a mail.
    judged_teams = set(
        Assignment.objects.filter(round=round).values_list("project__team_id", flat=True)
    )
    notices = TeamOutcomeNotice.objects.filter(round=round)
    assert set(notices.values_list("team_id", flat=True)) == judged_teams
    assert not notices.filter(sent_at__isnull=True).exists()
    members = set(
        Membership.objects.filter(team_id__in=judged_teams).values_list("user__email", flat=True)
    )
    told = Notification.objects.filter(kind="judging.outcome", recipient__email__in=members)
    assert set(told.values_list("recipient__email", flat=True)) == members
    mailed = {address for message in mailoutbox for address in message.to}
    assert members <= mailed

    # A member of the scored project's team opens the news and reads the jurors'
    # feedback, without names.
    team = scored.project.team
    member = Membership.objects.filter(team=team).select_related("user").first().user
    notification = told.get(recipient=member)
    with own_browser(browser, live_server, member.email, DEMO_PASSWORD) as (team_page, errors):
        _speak(team_page, live_server, language)
        team_page.goto(f"{live_server.url}/notifications/")
        _assert_language(team_page, language)
        item = team_page.locator(f"#notification-{notification.pk}")
        with team_page.expect_navigation():
            item.locator(f"form[action='/notifications/{notification.pk}/open/'] button").click()
        assert team_page.url == f"{live_server.url}/judging/projects/{scored.project.pk}/feedback/"
        _assert_language(team_page, language)
        assert FEEDBACK in team_page.locator("main").inner_text()
        assert juror.public_name not in team_page.locator("main").inner_text()
        _assert_accessible(team_page)
        assert errors == []

    # The public results page, for anyone: the shortlisted projects (the winners, as
    # this is the edition's only round).
    visitor = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    try:
        public = visitor.new_page()
        _speak(public, live_server, language)
        public.goto(f"{live_server.url}/judging/events/{round.event.slug}/results/")
        _assert_language(public, language)
        outcomes = public.locator("[data-testid=published-round] [data-testid=outcome-list]")
        listed = " ".join(outcomes.all_inner_texts())
        for project in winners:
            assert project.title in listed
        _assert_accessible(public)
    finally:
        visitor.close()
