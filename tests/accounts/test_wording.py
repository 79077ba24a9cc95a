"""One word per action, in both languages (accounts/wording.py):

    log in: "Anmelden" / "Log in"    sign up: "Registrieren" / "Sign up"
    log out: "Abmelden" / "Log out"  take part in an event: "Teilnehmen" / "Register"

allauth's pages say "Anmeldung" and "Sign In"; our catalogues override them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import EventFactory, UserFactory
from tests.participants.conftest import open_registration

pytestmark = pytest.mark.django_db

EN_PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _page(client, url: str, language: str) -> str:
    client.cookies["language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _texts(html: str) -> str:
    """The visible words of the page's <main>, tags stripped."""
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize(
    ("language", "log_in", "sign_up", "never"),
    [
        ("de", "Anmelden", "Registrieren", ["Anmeldung"]),
        ("en", "Log in", "Sign up", ["Sign In", "Sign Up", "sign in", "Log In"]),
    ],
)
def test_login_and_signup_pages_use_one_word_per_action(client, language, log_in, sign_up, never):
    login = _page(client, reverse("account_login"), language)
    signup = _page(client, reverse("account_signup"), language)

    assert re.search(rf"<h1>\s*{log_in}\s*</h1>", login)
    assert re.search(rf"<button[^>]*>\s*{log_in}\s*</button>", login)
    assert re.search(rf"<h1>\s*{sign_up}\s*</h1>", signup)
    assert re.search(rf"<button[^>]*>\s*{sign_up}\s*</button>", signup)
    # The header says the same words.
    assert f">{log_in}</a>" in login and f">{sign_up}</a>" in login
    for word in never:
        assert word not in _texts(login) and word not in _texts(signup)


def test_signup_page_links_to_log_in_with_its_words(client):
    assert "Dann <a" in _page(client, reverse("account_signup"), "de")
    assert "melde dich an</a>" in _page(client, reverse("account_signup"), "de")
    assert "log in</a>" in _page(client, reverse("account_signup"), "en")
    assert "registriere dich</a>" in _page(client, reverse("account_login"), "de")


@pytest.mark.parametrize(("language", "log_out"), [("de", "Abmelden"), ("en", "Log out")])
def test_logout_page_says_log_out(client, language, log_out):
    client.force_login(UserFactory())

    page = _page(client, reverse("account_logout"), language)

    assert re.search(rf"<h1>\s*{log_out}\s*</h1>", page)
    assert "Sign Out" not in page


@pytest.mark.parametrize(
    ("language", "take_part", "button", "forbidden"),
    [
        ("de", "An diesem Event teilnehmen", "Teilnehmen", "anmelden"),
        ("en", "Register for this event", "Register", "Sign up"),
    ],
)
def test_event_registration_is_not_called_log_in(client, language, take_part, button, forbidden):
    event = EventFactory(slug="mitmachen", name="Mitmach-Hackathon", code_of_conduct="Sei nett.")
    open_registration(event)
    client.force_login(UserFactory())

    event_page = _page(client, reverse("events:detail", args=[event.slug]), language)
    form_page = _page(client, reverse("participants:register", args=[event.slug]), language)

    assert f">{take_part}</a>" in event_page
    assert re.search(rf"<button[^>]*>\s*{button}\s*</button>", form_page)
    assert forbidden not in _texts(event_page).replace("Abmelden", "")
    assert forbidden not in _texts(form_page)


def test_english_catalogue_is_compiled_and_only_rewords(tmp_path):
    """locale/en is written by hand: every entry says something else than its msgid."""
    po = polib.pofile(str(EN_PO))
    assert po.metadata["Language"] == "en"
    assert all(entry.msgstr and entry.msgstr != entry.msgid for entry in po)
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(EN_PO)], check=True)
    assert fresh.read_bytes() == EN_PO.with_suffix(".mo").read_bytes(), (
        "locale/en/LC_MESSAGES/django.mo is stale: run manage.py compilemessages --locale en"
    )
