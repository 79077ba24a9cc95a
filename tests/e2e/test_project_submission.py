"""The issue's "done when", in a real browser: a team member logs in, opens the project
editor from the team page, writes the project, attaches an image and links, submits, and
then finds the project in the public gallery, with its image, as a visitor would.

Selectors are names, ids and data-testids rather than texts: the site speaks German by
default. The `page` fixture also asserts that nothing broke the Content Security Policy
and that no request left the site (the pitch video is a link, never an embed).
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from PIL import Image, ImageDraw

from events.enums import PhaseKind
from projects.enums import ProjectStatus
from projects.models import Project
from projects.selectors import project_version_for_jurors
from tests.e2e.helpers import log_in, submit
from tests.factories import (
    DEFAULT_PASSWORD,
    ChallengeFactory,
    EventFactory,
    PhaseFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.e2e

TITLE = "Bettenradar – freie Intensivbetten auf einen Blick"
REPOSITORY = "https://github.com/example/bettenradar"
VIDEO = "https://www.youtube.com/watch?v=bettenradar"


@pytest.fixture
def hackathon(db):
    """An event in its submission phase; a team of two working on a published challenge."""
    now = timezone.now()
    event = EventFactory(slug="e2e-projekte", name="E2E-Projekthackathon", is_public=True)
    PhaseFactory(
        event=event,
        kind=PhaseKind.SUBMISSION,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    challenge = ChallengeFactory(
        event=event, title="Freie Intensivbetten finden", topic=TopicFactory(event=event)
    )
    member = UserFactory(email="lena@example.org", display_name="Lena Leitstelle")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    team = TeamFactory(event=event, challenge=challenge, name="Bettenradar")
    add_member(team, member, role="admin")
    add_member(team, UserFactory(display_name="Jonas Karte"))
    return {"event": event, "team": team, "member": member, "challenge": challenge}


def _png() -> bytes:
    """A small picture, drawn in memory (no file in the repository)."""
    image = Image.new("RGB", (320, 200), (226, 236, 243))
    draw = ImageDraw.Draw(image)
    draw.ellipse([(140, 80), (180, 120)], fill=(26, 127, 55))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _image_loaded(page, selector: str) -> bool:
    """Whether the first image matching `selector` arrived and decoded.

    Our images load lazily, so they may still be on their way when the page's load
    event fires: scroll to the image and wait until the browser is done with it.
    """
    page.locator(selector).first.scroll_into_view_if_needed()
    page.wait_for_function("selector => document.querySelector(selector).complete", arg=selector)
    return page.eval_on_selector(selector, "img => img.naturalWidth > 0")


def test_team_writes_submits_and_finds_its_project_in_the_gallery(page, live_server, hackathon):
    event, team, member = hackathon["event"], hackathon["team"], hackathon["member"]

    # 1. A member logs in and opens the editor from the team page.
    log_in(page, live_server, member.email, DEFAULT_PASSWORD)
    page.goto(live_server.url + team.get_absolute_url())
    with page.expect_navigation():
        page.locator("[data-testid=team-project-link]").click()
    assert page.url.endswith(f"/projects/team/{team.pk}/")

    # 2. They write the project; the team's challenge is already filled in.
    form = page.locator("#about form")
    assert hackathon["challenge"].public_number in form.locator("[name=challenges]").input_value()
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=pitch]").fill(
        "Kliniken melden freie Intensivbetten mit zwei Klicks, Leitstellen sehen sie sofort."
    )
    form.locator("[name=problem]").fill("Leitstellen telefonieren Kliniken einzeln ab.")
    form.locator("[name=solution]").fill("Eine Meldeseite für Kliniken und eine Live-Karte.")
    form.locator("[name=target_group]").fill("Leitstellen und Kliniken.")
    form.locator("[name=category][value=new_build]").check()
    form.locator("[name=licence]").select_option("MIT")
    form.locator("[name=repository_url]").fill(REPOSITORY)
    form.locator("[name=video_url]").fill(VIDEO)
    form.locator("[name=tags]").fill("Gesundheit, Karte")
    submit(page, form)
    project = Project.objects.get(team=team)
    assert project.title == TITLE and project.status == ProjectStatus.DRAFT

    # 3. They attach an image with a description.
    upload = page.locator("#images form").filter(has=page.locator("input[name=image]"))
    upload.locator("input[name=image]").set_input_files(
        {"name": "karte.png", "mimeType": "image/png", "buffer": _png()}
    )
    upload.locator("[name=alt_text]").fill("Karte mit einem freien Bett")
    submit(page, upload)
    images = page.locator("[data-testid=project-images] img")
    assert images.count() == 1
    assert images.first.get_attribute("alt") == "Karte mit einem freien Bett"
    assert _image_loaded(page, "[data-testid=project-images] img")

    # 4. Nothing is missing any more: they submit.
    assert page.locator("[data-testid=missing-fields]").count() == 0
    submit(page, page.locator("#submission form[action$='/submit/']"))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    version = project_version_for_jurors(project=project)
    assert version.number == 1 and version.snapshot["title"] == TITLE
    assert len(version.snapshot["images"]) == 1

    # 5. The project is in the public gallery (main navigation), with its image ...
    with page.expect_navigation():
        page.locator("nav.main-nav a[href='/projects/']").click()
    assert event.name in page.locator("main h1").inner_text()
    card = page.locator("[data-testid=project-card]").filter(has_text=TITLE)
    assert card.count() == 1
    assert _image_loaded(page, "[data-testid=project-card] img")

    # 6. ... and its page shows the links; the video is a link, nothing embedded.
    with page.expect_navigation():
        card.locator(f"a[href='{project.get_absolute_url()}']").click()
    article = page.locator("[data-testid=project]")
    assert TITLE in article.locator("h1").inner_text()
    assert article.locator(f"a[href='{REPOSITORY}']").count() == 1
    assert page.locator("[data-testid=video-link]").get_attribute("href") == VIDEO
    assert page.locator("iframe").count() == 0
    assert _image_loaded(page, "[data-testid=project] img[alt='Karte mit einem freien Bett']")
    assert (
        page.locator("meta[property='og:title']").get_attribute("content").startswith("Bettenradar")
    )
