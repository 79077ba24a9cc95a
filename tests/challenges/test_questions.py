"""Challenge owners (Pat:innen) answer the questions people ask about a challenge, in public."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from audit.models import AuditEntry
from challenges import services
from challenges.enums import ChallengeStatus
from challenges.models import ChallengeOwner, ChallengeQuestion
from notifications.models import Notification
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTION = "Gibt es schon Daten zu freien Betten in den Kliniken?"


@pytest.fixture(autouse=True)
def _english(client, admin_client):
    """The messages asserted here are the English msgids; German is the default language."""
    client.cookies["language"] = "en"
    admin_client.cookies["language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def challenge(event):
    return ChallengeFactory(event=event, title="Freie Intensivbetten finden")


@pytest.fixture
def owner(challenge, organiser):
    person = UserFactory(display_name="Patin Petra")
    services.challenge_owner_add(challenge=challenge, user=person, actor=organiser)
    return person


@pytest.fixture
def asker(db):
    return UserFactory(display_name="Teamerin Tara")


# ---------------------------------------------------------------- services


def test_owner_add_notifies_the_owner_once_and_audits(challenge, organiser):
    person = UserFactory()

    services.challenge_owner_add(challenge=challenge, user=person, actor=organiser)
    services.challenge_owner_add(challenge=challenge, user=person, actor=organiser)

    assert ChallengeOwner.objects.filter(challenge=challenge, user=person).count() == 1
    assert Notification.objects.filter(recipient=person, kind="challenge.owner_added").count() == 1
    assert AuditEntry.objects.filter(action="challenge.owner_add", actor=organiser).count() == 1


def test_owner_remove_by_organisers_only(challenge, owner, organiser, asker):
    with pytest.raises(services.ChallengeError, match="Only organisers"):
        services.challenge_owner_remove(challenge=challenge, user=owner, actor=asker)

    assert services.challenge_owner_remove(challenge=challenge, user=owner, actor=organiser)
    assert not ChallengeOwner.objects.filter(challenge=challenge).exists()
    assert AuditEntry.objects.filter(action="challenge.owner_remove").exists()


def test_question_ask_tells_each_owner(challenge, owner, asker, organiser):
    second_owner = UserFactory()
    services.challenge_owner_add(challenge=challenge, user=second_owner, actor=organiser)

    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)

    assert question.text == QUESTION and question.asked_by == asker
    told = Notification.objects.filter(kind="challenge.question_asked")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [owner.pk, second_owner.pk]
    )
    assert told.first().context["url"].endswith(f"#question-{question.pk}")


@pytest.mark.parametrize(
    ("text", "message"),
    [("Warum?", "at least 10 characters"), ("x" * 2001, "under 2000 characters")],
)
def test_question_ask_refuses_too_short_or_long(challenge, asker, text, message):
    with pytest.raises(services.ChallengeError, match=message) as excinfo:
        services.challenge_question_ask(challenge=challenge, user=asker, text=text)
    assert excinfo.value.field == "text"
    assert not ChallengeQuestion.objects.exists()


@pytest.mark.parametrize("status", [ChallengeStatus.IN_REVIEW, ChallengeStatus.REJECTED])
def test_question_ask_refused_for_unpublished(event, asker, status):
    hidden = ChallengeFactory(event=event, status=status)
    with pytest.raises(services.ChallengeError, match="published"):
        services.challenge_question_ask(challenge=hidden, user=asker, text=QUESTION)


def test_question_ask_limits_unanswered_questions_per_person(challenge, owner, asker):
    for number in range(services.owners.OPEN_QUESTIONS_PER_PERSON):
        services.challenge_question_ask(
            challenge=challenge, user=asker, text=f"{QUESTION} {number}"
        )

    with pytest.raises(services.ChallengeError, match="unanswered questions"):
        services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)

    first = ChallengeQuestion.objects.first()
    services.challenge_question_answer(question=first, actor=owner, text="Ja, beim DIVI.")
    services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)  # room again


def test_question_answer_by_owner_tells_the_asker_once(challenge, owner, asker):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)

    services.challenge_question_answer(
        question=question, actor=owner, text="Ja, das DIVI-Register."
    )
    services.challenge_question_answer(
        question=question, actor=owner, text="Ja, das DIVI-Intensivregister."
    )

    question.refresh_from_db()
    assert question.answer == "Ja, das DIVI-Intensivregister."
    assert question.answered_by == owner and question.is_answered
    (told,) = Notification.objects.filter(recipient=asker, kind="challenge.question_answered")
    assert told.context["answer"] == "Ja, das DIVI-Register."
    assert AuditEntry.objects.filter(action="challenge.question_answer", actor=owner).count() == 2


def test_question_answer_refused_for_everyone_but_owners_and_organisers(
    challenge, owner, asker, organiser, giver
):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)

    for person in (asker, giver, UserFactory()):
        with pytest.raises(services.ChallengeError, match="Only the owners"):
            services.challenge_question_answer(question=question, actor=person, text="Nein.")
    services.challenge_question_answer(question=question, actor=organiser, text="Ja.")
    question.refresh_from_db()
    assert question.answer == "Ja."


def test_question_answer_must_not_be_empty(challenge, owner, asker):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    with pytest.raises(services.ChallengeError, match="write an answer"):
        services.challenge_question_answer(question=question, actor=owner, text="   ")
    question.refresh_from_db()
    assert not question.is_answered


def test_question_hide_by_organisers_only_and_no_answer_after(challenge, owner, asker, organiser):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    with pytest.raises(services.ChallengeError, match="Only organisers"):
        services.challenge_question_hide(question=question, actor=owner)

    services.challenge_question_hide(question=question, actor=organiser)

    with pytest.raises(services.ChallengeError, match="hidden"):
        services.challenge_question_answer(question=question, actor=owner, text="Ja.")
    assert AuditEntry.objects.filter(action="challenge.question_hide", actor=organiser).exists()


# ---------------------------------------------------------------- web


def test_page_shows_questions_and_answers_to_everyone(client, challenge, owner, asker):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    services.challenge_question_answer(question=question, actor=owner, text="Ja, beim DIVI.")

    body = client.get(challenge.get_absolute_url()).content.decode()

    assert QUESTION in body and "Ja, beim DIVI." in body
    assert "Teamerin Tara" in body and "Patin Petra" in body
    assert asker.email not in body
    assert reverse("challenges:question_answer", args=[question.pk]) not in body  # no form
    assert "Log in to ask a question." in body


def test_asking_through_the_page(client, challenge, owner, asker):
    client.force_login(asker)

    response = client.post(
        reverse("challenges:question_ask", args=[challenge.number]), {"text": QUESTION}
    )

    question = ChallengeQuestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{challenge.get_absolute_url()}#question-{question.pk}"


def test_asking_too_short_keeps_the_text_and_says_why(client, challenge, asker):
    client.force_login(asker)

    response = client.post(
        reverse("challenges:question_ask", args=[challenge.number]), {"text": "Warum?"}
    )

    assert response.status_code == 200
    assert "Ensure this value has at least 10 characters" in response.text
    assert "Warum?" in response.text
    assert not ChallengeQuestion.objects.exists()


def test_asking_needs_login(client, challenge):
    response = client.post(
        reverse("challenges:question_ask", args=[challenge.number]), {"text": QUESTION}
    )

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not ChallengeQuestion.objects.exists()


def test_owner_answers_through_the_page(client, challenge, owner, asker):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    client.force_login(owner)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert reverse("challenges:question_answer", args=[question.pk]) in page

    response = client.post(
        reverse("challenges:question_answer", args=[question.pk]),
        {f"q{question.pk}-answer": "Ja, beim DIVI."},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Ja, beim DIVI."


def test_answer_by_someone_else_is_404_and_changes_nothing(client, challenge, owner, asker):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    client.force_login(asker)

    response = client.post(
        reverse("challenges:question_answer", args=[question.pk]),
        {f"q{question.pk}-answer": "Selbst beantwortet."},
    )

    assert response.status_code == 404
    question.refresh_from_db()
    assert not question.is_answered


def test_hidden_question_leaves_the_page_and_is_404_for_others(
    client, challenge, owner, asker, organiser
):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    client.force_login(asker)
    assert client.post(reverse("challenges:question_hide", args=[question.pk])).status_code == 404

    client.force_login(organiser)
    client.post(reverse("challenges:question_hide", args=[question.pk]))

    question.refresh_from_db()
    assert question.is_hidden
    client.force_login(owner)
    assert QUESTION not in client.get(challenge.get_absolute_url()).content.decode()
    response = client.post(
        reverse("challenges:question_answer", args=[question.pk]), {f"q{question.pk}-answer": "x"}
    )
    assert response.status_code == 404


def test_my_challenges_lists_those_i_look_after_with_open_questions(
    client, challenge, owner, asker
):
    services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    client.force_login(owner)

    body = client.get(reverse("challenges:mine")).content.decode()

    assert challenge.title in body
    assert "1 unanswered question" in body


def test_challenge_page_query_count_does_not_grow_with_questions(client, challenge, owner):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(challenge.get_absolute_url()).status_code == 200
        return len(queries)

    client.force_login(owner)
    services.challenge_question_ask(challenge=challenge, user=UserFactory(), text=QUESTION)
    few = count()
    for _number in range(20):
        question = services.challenge_question_ask(
            challenge=challenge, user=UserFactory(), text=QUESTION
        )
        services.challenge_question_answer(question=question, actor=owner, text="Ja.")
    assert count() == few


# ---------------------------------------------------------------- admin


def _change_form_data(challenge, owners: list[tuple[int | None, int]], deleted=()) -> dict:
    data = {
        "event": challenge.event_id,
        "title": challenge.title,
        "problem": challenge.problem,
        "affected": challenge.affected,
        "desired_outcome": challenge.desired_outcome,
        "giver_type": challenge.giver_type,
        "contact_name": challenge.contact_name,
        "contact_email": challenge.contact_email,
        "external_id": "",
        "ownerships-TOTAL_FORMS": str(len(owners)),
        "ownerships-INITIAL_FORMS": str(sum(1 for pk, _user in owners if pk)),
        "ownerships-MIN_NUM_FORMS": "0",
        "ownerships-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, user_id) in enumerate(owners):
        data[f"ownerships-{index}-id"] = pk or ""
        data[f"ownerships-{index}-challenge"] = challenge.pk
        data[f"ownerships-{index}-user"] = user_id
        if pk in deleted:
            data[f"ownerships-{index}-DELETE"] = "on"
    return data


def test_admin_owner_inline_goes_through_the_services(admin_client, challenge, admin_user):
    person = UserFactory()
    url = reverse("admin:challenges_challenge_change", args=[challenge.pk])

    response = admin_client.post(url, _change_form_data(challenge, [(None, person.pk)]))

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    ownership = ChallengeOwner.objects.get(challenge=challenge)
    assert ownership.user == person
    assert Notification.objects.filter(recipient=person, kind="challenge.owner_added").exists()
    assert AuditEntry.objects.filter(action="challenge.owner_add", actor=admin_user).exists()

    admin_client.post(
        url, _change_form_data(challenge, [(ownership.pk, person.pk)], deleted={ownership.pk})
    )
    assert not ChallengeOwner.objects.filter(challenge=challenge).exists()
    assert AuditEntry.objects.filter(action="challenge.owner_remove", actor=admin_user).exists()


def test_admin_owner_inline_refuses_owners_for_unpublished(admin_client, event):
    unpublished = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    url = reverse("admin:challenges_challenge_change", args=[unpublished.pk])

    response = admin_client.post(url, _change_form_data(unpublished, [(None, UserFactory().pk)]))

    assert response.status_code == 200
    assert "Owners can only be named for published challenges." in response.text
    assert not ChallengeOwner.objects.exists()


# ---------------------------------------------------------------- API


def _questions_url(challenge) -> str:
    return f"/api/v1/challenges/{challenge.number}/questions/"


def test_api_lists_asks_and_answers_questions(challenge, owner, asker):
    api = APIClient()
    api.force_authenticate(asker)

    created = api.post(_questions_url(challenge), {"text": QUESTION}, format="json")

    assert created.status_code == 201
    question_id = created.json()["id"]
    assert created.json()["asked_by"] == "Teamerin Tara"
    api.force_authenticate(owner)
    answered = api.post(
        f"{_questions_url(challenge)}{question_id}/answer/", {"answer": "Ja."}, format="json"
    )
    assert answered.status_code == 200
    assert answered.json()["answer"] == "Ja." and answered.json()["answered_by"] == "Patin Petra"
    public = APIClient().get(_questions_url(challenge)).json()
    assert [(q["text"], q["answer"]) for q in public["results"]] == [(QUESTION, "Ja.")]


def test_api_question_errors_name_the_field(challenge, asker):
    api = APIClient()
    assert api.post(_questions_url(challenge), {"text": QUESTION}).status_code == 401
    api.force_authenticate(asker)

    response = api.post(_questions_url(challenge), {"text": "Warum?"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "text"


def test_api_answer_by_someone_else_is_403_and_unpublished_is_404(challenge, owner, asker, event):
    question = services.challenge_question_ask(challenge=challenge, user=asker, text=QUESTION)
    api = APIClient()
    api.force_authenticate(asker)

    response = api.post(
        f"{_questions_url(challenge)}{question.pk}/answer/", {"answer": "Ich selbst."}
    )

    assert response.status_code == 403
    question.refresh_from_db()
    assert not question.is_answered
    hidden = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    assert api.get(_questions_url(hidden)).status_code == 404
    other = ChallengeFactory(event=event)
    wrong_pair = api.post(f"{_questions_url(other)}{question.pk}/answer/", {"answer": "x"})
    assert wrong_pair.status_code == 404
