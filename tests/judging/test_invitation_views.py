"""The invitation pages: organisers invite (judging:invite), the invited open the signed
link and accept through allauth's sign-up or sign-in (judging:invitation), and a juror
keeps their expertise and conflicts (judging:juror_profile)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.test import TestCase
from django.urls import reverse

from audit.models import AuditEntry
from judging.enums import RoundStatus
from judging.models import JudgingRound, Juror, JurorInvitation
from judging.services.invitations import invitation_from_token, invitation_path, juror_invite
from notifications.models import Notification
from tests.accounts.conftest import assert_our_page, link_in_mail
from tests.conftest import english_client
from tests.factories import TeamFactory, TopicFactory, UserFactory, add_member
from tests.judging.conftest import JurorFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-fresh-long-passphrase-7"

# The pages in English (the site's default is German, and the catalogue has them now).
client = pytest.fixture(english_client)


@pytest.fixture(autouse=True)
def _mails_leave_at_commit(on_commit_per_request):
    """Each request's mails are delivered (eager Celery) when the request commits."""


_INVITATION_LINK = re.compile(r"https?://[^/\s]+(/judging/invitations/\S+/)")


def _invitation_link(message) -> str:
    """The path of the invitation link in a mail (mails use SITE_URL's host)."""
    match = _INVITATION_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def _invite(judging_round, organiser, email="jana@example.org", **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return juror_invite(round=judging_round, actor=organiser, email=email, **kwargs)


# --- the organisers' page ---------------------------------------------------------------------


def test_invite_page_is_for_organisers_only(client, judging_round):
    url = reverse("judging:invite", args=[judging_round.pk])
    participant = UserFactory()
    client.force_login(participant)

    assert client.get(url).status_code == 404
    assert client.post(url, {"addresses": "x@example.org", "language": "en"}).status_code == 404
    assert not JurorInvitation.objects.exists()


def test_invite_page_needs_sign_in(client, judging_round):
    response = client.get(reverse("judging:invite", args=[judging_round.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_organiser_invites_several_addresses_with_expertise(
    client, judging_round, organiser, event, mailoutbox
):
    topic = TopicFactory(event=event, name="Gesundheit")
    client.force_login(organiser)
    url = reverse("judging:invite", args=[judging_round.pk])

    response = client.post(
        url,
        {
            "addresses": "Jana@example.org\nkai@example.org, jana@example.org",
            "expertise": [topic.pk],
            "language": "en",
        },
    )

    assert response.status_code == 302
    invitations = JurorInvitation.objects.order_by("email")
    assert [i.email for i in invitations] == ["jana@example.org", "kai@example.org"]
    assert all(list(i.expertise.all()) == [topic] for i in invitations)
    assert sorted(m.to[0] for m in mailoutbox) == ["jana@example.org", "kai@example.org"]
    page = client.get(url)
    assert_our_page(page)
    content = page.content.decode()
    assert "jana@example.org" in content and "not yet" in content and "Gesundheit" in content


def test_invite_page_keeps_bad_input_and_sends_nothing(client, judging_round, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("judging:invite", args=[judging_round.pk]),
        {"addresses": "ok@example.org\nnot-an-address", "language": "en"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "These are not e-mail addresses: not-an-address" in content
    assert "ok@example.org" in content  # what was typed stays in the form
    assert not JurorInvitation.objects.exists()


def test_invite_page_shows_who_accepted(client, judging_round, organiser):
    invitation = _invite(judging_round, organiser)
    person = _verified(UserFactory(email="jana@example.org", display_name="Jana Jurorin"))
    client.force_login(person)
    client.post(invitation_path(invitation))
    client.force_login(organiser)

    content = client.get(reverse("judging:invite", args=[judging_round.pk])).content.decode()

    assert "accepted" in content and "Jana Jurorin" in content


def test_invite_page_query_count_does_not_grow_with_invitations(
    client, judging_round, organiser, event, django_assert_max_num_queries
):
    topics = [TopicFactory(event=event) for _ in range(3)]
    url = reverse("judging:invite", args=[judging_round.pk])
    client.force_login(organiser)
    for n in range(5):
        _invite(judging_round, organiser, email=f"p{n}@example.org", expertise=topics)
    client.get(url)  # warm the session and content types
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for n in range(5, 55):
        _invite(judging_round, organiser, email=f"p{n}@example.org", expertise=topics)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("@example.org</td>") == 55


# --- the signed link ----------------------------------------------------------------------------


def test_new_person_signs_up_confirms_and_accepts(
    client, judging_round, organiser, event, mailoutbox
):
    topic = TopicFactory(event=event)
    _invite(judging_round, organiser, email="neu@example.org", expertise=[topic], language="en")
    link = _invitation_link(mailoutbox[0])
    client.cookies["language"] = "en"

    page = client.get(link)
    assert_our_page(page)
    content = page.content.decode()
    assert "Vorauswahl" in content and "#WirVsVirus" in content
    signup_url = f"{reverse('account_signup')}?{urlencode({'next': link})}"
    assert f'href="{signup_url}"' in content
    assert f"{reverse('account_login')}?{urlencode({'next': link})}" in content

    response = client.post(
        signup_url, {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    confirm = link_in_mail(mailoutbox[-1], containing="/accounts/confirm-email/")
    response = client.post(confirm)
    assert response.status_code == 302
    # allauth carried ?next= through sign-up and confirmation back to the invitation.
    assert response["Location"] == link

    page = client.get(link)
    assert 'data-testid="accept-form"' in page.content.decode()
    response = client.post(link)

    juror = Juror.objects.get(round=judging_round, user__email="neu@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:juror_profile", args=[judging_round.pk])
    assert list(juror.expertise.all()) == [topic]


def test_existing_verified_account_signs_in_and_accepts(
    client, judging_round, organiser, mailoutbox
):
    person = _verified(UserFactory(email="bekannt@example.org", language="en"))
    invitation = _invite(judging_round, organiser, email="bekannt@example.org")
    link = _invitation_link(mailoutbox[0])
    assert invitation_from_token(link.rstrip("/").rsplit("/", 1)[-1]) == invitation

    response = client.post(
        f"{reverse('account_login')}?next={link}",
        {"login": "bekannt@example.org", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302 and response["Location"] == link
    response = client.post(link)

    assert response.status_code == 302
    assert Juror.objects.filter(round=judging_round, user=person).exists()
    follow = client.get(link)
    assert "You are a juror of this round." in follow.content.decode()


def test_signed_in_without_a_confirmed_address_is_told_so(client, judging_round, organiser):
    invitation = _invite(judging_round, organiser)
    person = UserFactory(email="jana@example.org")
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)
    client.force_login(person)

    page = client.get(invitation_path(invitation))
    content = page.content.decode()
    assert "not confirmed yet" in content
    assert reverse("account_email") in content
    assert 'data-testid="accept-form"' not in content

    client.post(invitation_path(invitation))
    assert not Juror.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "eyJpbnZpdGF0aW9uIjoxfQ:1tXXXX:forged"])
def test_bad_link_says_so(client, token):
    response = client.get(reverse("judging:invitation", args=[token]))

    assert response.status_code == 400
    assert "This invitation link is not valid" in response.content.decode()


def test_anonymous_accept_goes_to_sign_in(client, judging_round, organiser):
    path = invitation_path(_invite(judging_round, organiser))

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Juror.objects.exists()


def test_another_verified_account_is_sent_to_the_email_settings(
    client, judging_round, organiser, mailoutbox
):
    path = invitation_path(_invite(judging_round, organiser, email="jana@example.org"))
    other = _verified(UserFactory(email="kai@example.org"))
    client.force_login(other)

    page = client.get(path).content.decode()
    assert 'data-testid="accept-form"' not in page
    assert "This invitation went to jana@example.org" in page
    assert reverse("account_email") in page
    response = client.post(path, follow=True)

    assert "sign in with the account of that address" in response.content.decode()
    assert not Juror.objects.exists()
    assert JurorInvitation.objects.get().accepted_at is None


def test_the_invited_address_added_to_an_account_accepts(client, judging_round, organiser):
    path = invitation_path(_invite(judging_round, organiser, email="jana@example.org"))
    person = _verified(UserFactory(email="jana.work@example.org"))
    EmailAddress.objects.create(user=person, email="jana@example.org", verified=True)
    client.force_login(person)

    assert 'data-testid="accept-form"' in client.get(path).content.decode()
    response = client.post(path)

    assert response.status_code == 302
    assert Juror.objects.get(round=judging_round).user == person


def test_another_person_with_the_same_link_is_refused(client, judging_round, organiser):
    path = invitation_path(_invite(judging_round, organiser))
    first = _verified(UserFactory(email="jana@example.org"))
    client.force_login(first)
    client.post(path)
    second = _verified(UserFactory())
    client.force_login(second)

    page = client.get(path)
    assert "was accepted already" in page.content.decode()
    response = client.post(path, follow=True)

    assert "accepted by someone else" in response.content.decode()
    assert list(judging_round.jurors.values_list("user_id", flat=True)) == [first.pk]


# --- the juror's profile -------------------------------------------------------------------------


@pytest.fixture
def juror(judging_round):
    return JurorFactory(round=judging_round, user=_verified(UserFactory()))


def test_profile_page_is_the_jurors_only(client, judging_round, juror, organiser):
    url = reverse("judging:juror_profile", args=[judging_round.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(organiser)  # an organiser is not this juror either
    assert client.get(url).status_code == 404
    client.force_login(juror.user)

    page = client.get(url)

    assert_our_page(page)
    assert "found by the platform itself" in page.content.decode()


def test_profile_saves_expertise_teams_and_organisations(client, judging_round, juror, event):
    topic = TopicFactory(event=event, name="Bildung")
    team = TeamFactory(event=event, name="Lernhelden")
    client.force_login(juror.user)
    url = reverse("judging:juror_profile", args=[judging_round.pk])

    response = client.post(
        url,
        {
            "expertise": [topic.pk],
            "conflict_teams": [team.pk],
            "conflict_organisations": "Stiftung Beispiel\n\nVerein X",
        },
    )

    assert response.status_code == 302
    juror.refresh_from_db()
    assert list(juror.expertise.all()) == [topic]
    assert list(juror.conflict_teams.all()) == [team]
    assert juror.organisation_names == ["Stiftung Beispiel", "Verein X"]
    entry = AuditEntry.objects.get(action="judging.juror_profile_updated")
    assert entry.actor == juror.user and entry.data["conflict_teams"] == [team.pk]
    content = client.get(url).content.decode()
    declared = re.search(r'data-testid="declared-teams".*?</ul>', content, re.S).group(0)
    assert "Lernhelden" in declared and "<input" not in declared


def test_profile_refuses_a_team_of_another_event(client, judging_round, juror):
    other = TeamFactory()
    client.force_login(juror.user)

    response = client.post(
        reverse("judging:juror_profile", args=[judging_round.pk]),
        {"conflict_teams": [other.pk], "conflict_organisations": "Verein X"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "not one of this event" in content
    assert "Verein X" in content  # nothing typed is lost
    assert not juror.conflict_teams.exists()


def test_team_search_without_javascript_keeps_the_form(client, judging_round, juror, event):
    wanted = TeamFactory(event=event, name="Pflegebrücke")
    TeamFactory(event=event, name="Anderes Team")
    TeamFactory(name="Pflege woanders")  # another event
    client.force_login(juror.user)

    response = client.post(
        reverse("judging:juror_profile", args=[judging_round.pk]),
        {"team_search": "pflege", "search": "1", "conflict_organisations": "Verein X"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert f'value="{wanted.pk}"' in content
    assert "Anderes Team" not in content and "Pflege woanders" not in content
    assert "Verein X" in content
    assert not AuditEntry.objects.filter(action="judging.juror_profile_updated").exists()


def test_team_search_with_htmx_answers_a_fragment(client, judging_round, juror, event):
    saved = TeamFactory(event=event, name="Pflege Eins")
    juror.conflict_teams.add(saved)
    ticked = TeamFactory(event=event, name="Zebra")
    found = TeamFactory(event=event, name="Pflege Zwei")
    client.force_login(juror.user)

    response = client.get(
        reverse("judging:juror_team_search", args=[judging_round.pk]),
        {"team_search": "pflege", "conflict_teams": [saved.pk, ticked.pk]},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert re.search(rf'value="{ticked.pk}"[^>]*checked', content)  # ticked before: kept
    assert f'value="{found.pk}"' in content
    assert f'value="{saved.pk}"' not in content  # listed above the search already


def test_platform_conflicts_need_no_declaration(client, judging_round, juror, event):
    team = TeamFactory(event=event, name="Eigenes Team")
    add_member(team, juror.user)
    client.force_login(juror.user)

    content = client.get(reverse("judging:juror_profile", args=[judging_round.pk])).content.decode()

    assert "Teams you are a member of and teams you mentored" in content
    assert "Eigenes Team" not in content  # not offered as a declaration


def test_an_invited_account_sees_the_invitation_in_its_notification_centre(
    client, judging_round, organiser
):
    person = _verified(UserFactory(language="en"))
    _invite(judging_round, organiser, email=person.email)
    client.force_login(person)

    content = client.get(reverse("notifications:list")).content.decode()

    assert "You are invited to the jury of" in content
    notification = Notification.objects.get(recipient=person)
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == notification.context["url"]
    assert client.get(opened["Location"]).status_code == 200


def test_invite_page_of_a_closed_round_offers_no_form(client, judging_round, organiser):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=RoundStatus.CLOSED)
    client.force_login(organiser)
    url = reverse("judging:invite", args=[judging_round.pk])

    page = client.get(url)
    response = client.post(url, {"addresses": "a@example.org\nb@example.org", "language": "en"})

    assert 'data-testid="invite-form"' not in page.content.decode()
    assert "jurors can no longer join" in page.content.decode()
    assert response.status_code == 200
    assert not JurorInvitation.objects.exists()


def test_profile_page_query_count_does_not_grow_with_declared_teams(
    client, judging_round, juror, event, django_assert_max_num_queries
):
    for _ in range(3):
        TopicFactory(event=event)
    url = reverse("judging:juror_profile", args=[judging_round.pk])
    client.force_login(juror.user)
    juror.conflict_teams.add(*[TeamFactory(event=event) for _ in range(5)])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    juror.conflict_teams.add(*[TeamFactory(event=event) for _ in range(50)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    declared = re.search(
        r'data-testid="declared-teams".*?</ul>', response.content.decode(), re.S
    ).group(0)
    assert declared.count("<li>") == 55


# --- the profile: conflicts add up, a closed round is read-only, ids are bounded --------------


def test_juror_sees_declared_teams_without_untick_and_keeps_them(
    client, judging_round, juror, event, organiser
):
    declared = TeamFactory(event=event, name="Nachbarschaftshilfe")
    juror.conflict_teams.add(declared)
    juror.conflict_organisations = "Stiftung Alt"
    juror.save(update_fields=["conflict_organisations"])
    added = TeamFactory(event=event, name="Neues Team")
    client.force_login(juror.user)
    url = reverse("judging:juror_profile", args=[judging_round.pk])

    content = client.get(url).content.decode()
    assert "To withdraw a declared conflict, ask the organisers." in content
    box = f'name="conflict_teams" value="{declared.pk}"'
    assert box not in content  # listed, not a box to untick
    assert "Nachbarschaftshilfe" in content and "Stiftung Alt" in content
    assert "Stiftung Alt</textarea>" not in content  # the field adds to the declared ones
    response = client.post(url, {"conflict_teams": [added.pk], "conflict_organisations": ""})

    assert response.status_code == 302
    assert set(juror.conflict_teams.all()) == {declared, added}
    juror.refresh_from_db()
    assert juror.organisation_names == ["Stiftung Alt"]


def test_a_search_does_not_offer_a_declared_team_again(client, judging_round, juror, event):
    declared = TeamFactory(event=event, name="Pflege Eins")
    juror.conflict_teams.add(declared)
    client.force_login(juror.user)

    page = client.post(
        reverse("judging:juror_profile", args=[judging_round.pk]),
        {"team_search": "pflege", "search": "1"},
    ).content.decode()
    fragment = client.get(
        reverse("judging:juror_team_search", args=[judging_round.pk]),
        {"team_search": "pflege"},
        headers={"HX-Request": "true"},
    ).content.decode()

    box = f'name="conflict_teams" value="{declared.pk}"'
    assert "Pflege Eins" in page  # listed as declared
    assert box not in page and box not in fragment


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_profile_of_a_closed_round_is_read_only(client, judging_round, juror, event, status):
    topic = TopicFactory(event=event, name="Umwelt")
    juror.expertise.add(topic)
    juror.conflict_teams.add(TeamFactory(event=event, name="Erklärt"))
    juror.conflict_organisations = "Verein X"
    juror.save(update_fields=["conflict_organisations"])
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=status)
    client.force_login(juror.user)
    url = reverse("judging:juror_profile", args=[judging_round.pk])

    page = client.get(url)
    response = client.post(url, {"expertise": [], "conflict_organisations": ""})

    content = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="juror-profile-form"' not in content and "<textarea" not in content
    assert "can no longer be changed" in content
    assert "Umwelt" in content and "Erklärt" in content and "Verein X" in content
    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
    assert list(juror.expertise.all()) == [topic]
    juror.refresh_from_db()
    assert juror.conflict_organisations == "Verein X"


@pytest.mark.parametrize(
    "data",
    [
        {"conflict_teams": ["999999999999999999999"]},
        {"conflict_teams": [str(2**63)]},
        {"conflict_teams": ["²"]},
        {"expertise": ["999999999999999999999"]},
    ],
)
def test_profile_refuses_ids_no_database_holds(client, judging_round, juror, data):
    """SQLite raised OverflowError (a 500) for an integer past 64 bits."""
    client.force_login(juror.user)

    response = client.post(
        reverse("judging:juror_profile", args=[judging_round.pk]),
        {**data, "conflict_organisations": "Verein X"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "not one of this event" in content or "is not a valid value" in content
    assert "Verein X" in content
    assert not AuditEntry.objects.filter(action="judging.juror_profile_updated").exists()


def test_team_search_ignores_ids_no_database_holds(client, judging_round, juror, event):
    TeamFactory(event=event, name="Pflege Eins")
    client.force_login(juror.user)

    response = client.get(
        reverse("judging:juror_team_search", args=[judging_round.pk]),
        {"team_search": "pflege", "conflict_teams": ["999999999999999999999", "²"]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Pflege Eins" in response.content.decode()


def test_invite_page_refuses_an_expertise_id_no_database_holds(client, judging_round, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("judging:invite", args=[judging_round.pk]),
        {"addresses": "a@example.org", "expertise": ["999999999999999999999"], "language": "en"},
    )

    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert not JurorInvitation.objects.exists()


def test_an_organiser_who_is_a_juror_may_untick_a_declared_team(client, judging_round, event):
    from tests.factories import OrganiserFactory

    seat = JurorFactory(round=judging_round, user=_verified(OrganiserFactory()))
    declared = TeamFactory(event=event, name="Erklärt")
    seat.conflict_teams.add(declared)
    client.force_login(seat.user)
    url = reverse("judging:juror_profile", args=[judging_round.pk])

    content = client.get(url).content.decode()
    assert re.search(rf'name="conflict_teams" value="{declared.pk}"[^>]*checked', content)
    assert "ask the organisers" not in content
    response = client.post(url, {"conflict_organisations": ""})

    assert response.status_code == 302
    assert not seat.conflict_teams.exists()
