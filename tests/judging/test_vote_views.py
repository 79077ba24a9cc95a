"""The public vote's pages (judging.views.votes): who sees the vote and its buttons, voting,
moving and withdrawing one's vote through the pages, the counts apart from the jury's
result (public only once the round is published), 404s, and constant query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from judging.enums import RoundStatus
from judging.models import JudgingRound, PublicVote
from tests.conftest import english_client
from tests.factories import EventFactory, ProjectFactory, UserFactory, add_member
from tests.judging.conftest import JudgingRoundFactory
from tests.judging.test_votes import open_vote, submitted_project, verified_person
from tests.source_scan import orm_calls_in

pytestmark = pytest.mark.django_db

client = pytest.fixture(english_client)


def vote_url(round) -> str:
    return reverse("judging:vote", args=[round.pk])


def results_url(round) -> str:
    return reverse("judging:vote_results", args=[round.pk])


@pytest.fixture
def vote_round(event):
    return open_vote(event)


@pytest.fixture
def voter(db):
    return verified_person(language="en")


@pytest.fixture
def project(event):
    return submitted_project(event, title="Nachbarschaftskarte")


def buttons(response) -> int:
    return response.content.decode().count('data-testid="vote-button"')


def set_status(round, status) -> None:
    JudgingRound.objects.filter(pk=round.pk).update(status=status)


# --- the vote page: who sees what ---------------------------------------------------------


def test_vote_page_is_404_when_the_round_has_no_public_vote(client, event, voter):
    round = JudgingRoundFactory(event=event, status=RoundStatus.OPEN)  # public_vote off
    client.force_login(voter)

    assert client.get(vote_url(round)).status_code == 404
    assert client.post(vote_url(round), {"project": 1}).status_code == 404
    assert client.get(results_url(round)).status_code == 404


def test_vote_page_is_404_for_an_unknown_round(client):
    assert client.get(reverse("judging:vote", args=[999999])).status_code == 404


def test_vote_page_of_a_draft_round_is_the_organisers_only(client, event, organiser, voter):
    round = JudgingRoundFactory(event=event, public_vote=True)  # a draft
    client.force_login(voter)
    assert client.get(vote_url(round)).status_code == 404

    client.force_login(organiser)
    response = client.get(vote_url(round))
    assert response.status_code == 200
    assert "The public vote is closed" in response.content.decode()
    assert buttons(response) == 0


def test_vote_page_is_404_in_an_unpublished_event(client, voter):
    round = open_vote(EventFactory(is_public=False))
    client.force_login(voter)

    assert client.get(vote_url(round)).status_code == 404


def test_signed_out_people_see_the_projects_and_why_they_cannot_vote(client, vote_round, project):
    response = client.get(vote_url(vote_round))

    body = response.content.decode()
    assert response.status_code == 200
    assert project.title in body
    assert project.get_absolute_url() in body
    assert project.pitch in body
    assert "Log in to vote." in body
    assert reverse("account_login") in body
    assert buttons(response) == 0


def test_unverified_people_see_why_they_cannot_vote(client, vote_round, project):
    client.force_login(UserFactory(language="en"))

    response = client.get(vote_url(vote_round))

    assert "Confirm your e-mail address to vote" in response.content.decode()
    assert buttons(response) == 0


def test_verified_people_get_a_button_per_project_but_not_for_their_own_team(
    client, vote_round, voter, project, event
):
    own = submitted_project(event, title="Eigenes Projekt")
    add_member(own.team, voter)
    client.force_login(voter)

    response = client.get(vote_url(vote_round))

    body = response.content.decode()
    assert buttons(response) == 1
    assert f'name="project" value="{project.pk}"' in body
    assert f'name="project" value="{own.pk}"' not in body
    assert "Your team's project: you cannot vote for it." in body
    assert "You have not voted yet." in body


def test_vote_page_lists_only_the_projects_entering_the_round(client, vote_round, project, event):
    ProjectFactory(event=event, status="draft", title="Entwurf ohne Einreichung")
    submitted_project(EventFactory(), title="Projekt anderswo")

    body = client.get(vote_url(vote_round)).content.decode()

    assert project.title in body
    assert "Entwurf ohne Einreichung" not in body
    assert "Projekt anderswo" not in body


def test_vote_page_searches_and_paginates(client, vote_round, event):
    for index in range(25):
        submitted_project(event, title=f"Lernplattform {index}")
    submitted_project(event, title="Nachbarschaftskarte")

    first = client.get(vote_url(vote_round))
    second = client.get(vote_url(vote_round), {"page": 2})
    found = client.get(vote_url(vote_round), {"q": "Nachbarschaftskarte"})

    assert first.content.decode().count('data-testid="vote-card"') == 20
    assert second.content.decode().count('data-testid="vote-card"') == 6
    assert "Page 1 of 2" in first.content.decode()
    assert found.content.decode().count('data-testid="vote-card"') == 1
    assert "Nachbarschaftskarte" in found.content.decode()


# --- voting through the page ----------------------------------------------------------------


def test_voting_saves_the_vote_and_comes_back_to_the_same_place(client, vote_round, voter, project):
    client.force_login(voter)

    response = client.post(vote_url(vote_round), {"project": project.pk, "q": "karte", "page": 2})

    assert response.status_code == 302
    assert response.url == vote_url(vote_round) + "?q=karte&page=2"
    assert PublicVote.objects.get(user=voter).project == project
    page = client.get(vote_url(vote_round)).content.decode()
    assert "Your vote for “Nachbarschaftskarte” is counted." in page
    assert "You voted for “Nachbarschaftskarte”." in page
    assert 'data-testid="voted-here"' in page
    assert 'data-testid="withdraw"' in page


def test_a_second_vote_through_the_page_is_refused(client, vote_round, voter, project, event):
    other = submitted_project(event)
    client.force_login(voter)
    client.post(vote_url(vote_round), {"project": project.pk})

    response = client.post(vote_url(vote_round), {"project": other.pk}, follow=True)

    assert "You have voted already." in response.content.decode()
    assert PublicVote.objects.get(user=voter).project == project


def test_moving_ones_vote_through_the_page(client, vote_round, voter, project, event):
    other = submitted_project(event, title="Einkaufshilfe")
    client.force_login(voter)
    client.post(vote_url(vote_round), {"project": project.pk})
    page = client.get(vote_url(vote_round)).content.decode()
    assert "Move my vote here" in page
    assert 'name="change" value="1"' in page

    client.post(vote_url(vote_round), {"project": other.pk, "change": "1"})

    assert PublicVote.objects.get(user=voter).project == other


def test_withdrawing_through_the_page(client, vote_round, voter, project):
    client.force_login(voter)
    client.post(vote_url(vote_round), {"project": project.pk})

    response = client.post(reverse("judging:vote_withdraw", args=[vote_round.pk]), follow=True)

    assert "Your vote is withdrawn. You can vote again." in response.content.decode()
    assert not PublicVote.objects.filter(user=voter).exists()


def test_the_server_refuses_a_vote_for_ones_own_team(client, vote_round, voter, project):
    add_member(project.team, voter)
    client.force_login(voter)

    response = client.post(vote_url(vote_round), {"project": project.pk}, follow=True)

    assert "You cannot vote for your own team&#x27;s project." in response.content.decode()
    assert not PublicVote.objects.exists()


def test_the_server_refuses_the_signed_out(client, vote_round, project):
    response = client.post(vote_url(vote_round), {"project": project.pk}, follow=True)

    assert "Log in to vote." in response.content.decode()
    assert not PublicVote.objects.exists()


def test_a_closed_round_shows_no_buttons_and_refuses_votes(client, vote_round, voter, project):
    set_status(vote_round, RoundStatus.CLOSED)
    client.force_login(voter)

    page = client.get(vote_url(vote_round))
    response = client.post(vote_url(vote_round), {"project": project.pk}, follow=True)

    assert buttons(page) == 0
    assert "The public vote is closed" in page.content.decode()
    assert "The public vote is closed" in response.content.decode()
    assert not PublicVote.objects.exists()


@pytest.mark.parametrize("data", [{}, {"project": "abc"}, {"project": "999999"}, {"project": "-1"}])
def test_bad_input_gets_a_message_not_an_error(client, vote_round, voter, data):
    client.force_login(voter)

    response = client.post(vote_url(vote_round), data, follow=True)

    assert response.status_code == 200
    assert "Choose one of the projects in the list." in response.content.decode()
    assert not PublicVote.objects.exists()


def test_a_project_of_another_event_is_refused(client, vote_round, voter):
    elsewhere = submitted_project(EventFactory())
    client.force_login(voter)

    response = client.post(vote_url(vote_round), {"project": elsewhere.pk}, follow=True)

    assert "This project is not part of the event&#x27;s vote." in response.content.decode()
    assert not PublicVote.objects.exists()


def test_the_vote_page_only_takes_get_and_post(client, vote_round):
    assert client.put(vote_url(vote_round)).status_code == 405
    assert client.get(reverse("judging:vote_withdraw", args=[vote_round.pk])).status_code == 405


@pytest.mark.parametrize("projects", [5, 50])
def test_vote_page_costs_the_same_queries_for_5_and_50_projects(
    client, vote_round, voter, event, projects, django_assert_max_num_queries
):
    for _ in range(projects):
        submitted_project(event)
    add_member(submitted_project(event).team, voter)
    client.force_login(voter)
    client.post(vote_url(vote_round), {"project": submitted_project(event).pk})

    with django_assert_max_num_queries(12):
        response = client.get(vote_url(vote_round))
    assert response.content.decode().count('data-testid="vote-card"') == min(projects + 2, 20)


# --- the counts ------------------------------------------------------------------------------


def _vote(round, project, n):
    for _ in range(n):
        PublicVote.objects.create(
            round=round, event_id=round.event_id, user=UserFactory(), project=project
        )


def test_counts_are_not_public_before_the_round_is_published(client, vote_round, voter, project):
    _vote(vote_round, project, 2)
    for status in (RoundStatus.OPEN, RoundStatus.CLOSED):
        set_status(vote_round, status)
        assert client.get(results_url(vote_round)).status_code == 404
        client.force_login(voter)
        assert client.get(results_url(vote_round)).status_code == 404
        client.logout()


def test_organisers_see_the_counts_while_the_round_runs(client, vote_round, organiser, project):
    _vote(vote_round, project, 2)
    client.force_login(organiser)

    response = client.get(results_url(vote_round))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Public vote, not part of the jury's result." in body
    assert "Only organisers see these counts" in body
    assert project.title in body
    assert "Counts of the public vote" in client.get(vote_url(vote_round)).content.decode()


def test_everyone_sees_the_counts_once_published_with_ties_as_ties(client, vote_round, event):
    alpha = submitted_project(event, title="Alpha")
    beta = submitted_project(event, title="Beta")
    gamma = submitted_project(event, title="Gamma")
    _vote(vote_round, alpha, 2)
    _vote(vote_round, beta, 2)
    _vote(vote_round, gamma, 1)
    set_status(vote_round, RoundStatus.PUBLISHED)

    response = client.get(results_url(vote_round))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Public vote, not part of the jury's result." in body
    assert "Only organisers see these counts" not in body
    assert "5 votes in this round." in body
    assert body.count("1 (tie)") == 2
    assert body.index("Alpha") < body.index("Beta") < body.index("Gamma")
    assert "<td>3</td>" in body  # Gamma's rank after two sharing the first
    assert "Counts of the public vote" in client.get(vote_url(vote_round)).content.decode()


def test_counts_page_of_a_published_round_in_an_unpublished_event_is_404(client):
    round = open_vote(EventFactory(is_public=False))
    set_status(round, RoundStatus.PUBLISHED)

    assert client.get(results_url(round)).status_code == 404


@pytest.mark.parametrize("projects", [5, 50])
def test_counts_page_costs_the_same_queries_for_5_and_50_projects(
    client, vote_round, event, projects, django_assert_max_num_queries
):
    for index in range(projects):
        _vote(vote_round, submitted_project(event), index % 4 + 1)
    set_status(vote_round, RoundStatus.PUBLISHED)

    with django_assert_max_num_queries(3):
        response = client.get(results_url(vote_round))
    assert response.content.decode().count('data-testid="vote-row"') == projects


def test_the_vote_views_read_only_through_selectors():
    assert orm_calls_in("judging/views/votes.py") == []


def test_the_organiser_round_page_and_the_public_results_link_to_the_public_vote(
    client, organiser, event
):
    from django.urls import reverse
    from django.utils import timezone

    from judging.enums import RoundStatus
    from judging.models import JudgingRound
    from tests.judging.conftest import JudgingRoundFactory

    round = JudgingRoundFactory(event=event, public_vote=True)
    client.force_login(organiser)
    page = client.get(reverse("judging:round", args=[round.pk])).content.decode()
    assert reverse("judging:vote", args=[round.pk]) in page
    assert reverse("judging:vote_results", args=[round.pk]) in page
    JudgingRound.objects.filter(pk=round.pk).update(
        status=RoundStatus.PUBLISHED, published_at=timezone.now()
    )
    client.logout()
    public = client.get(reverse("judging:public_results", args=[event.slug]))
    assert reverse("judging:vote_results", args=[round.pk]) in public.content.decode()
