import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from challenges import services
from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from notifications.models import Notification
from tests.challenges.test_csv_io import HEADER, ROW_1, ROW_2
from tests.factories import ChallengeFactory, TopicFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:challenges_challenge_changelist")


@pytest.fixture
def admin_client(client, organiser):
    from django.contrib.auth.models import Permission

    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(organiser)
    return client


def _action(client, action, challenges, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in challenges], **extra},
        follow=True,
    )


def test_changelist_shows_counts_per_status(admin_client, event):
    ChallengeFactory.create_batch(2, event=event)
    ChallengeFactory(event=event, status=ChallengeStatus.SUBMITTED)
    response = admin_client.get(CHANGELIST, {"status__exact": "published"})
    assert response.status_code == 200
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts["published"] == 2 and counts["submitted"] == 1


def test_changelist_search_and_filters(admin_client, event):
    ChallengeFactory(event=event, title="Pflegekräfte entlasten", state="BY")
    ChallengeFactory(event=event, title="Radwege planen", state="BE")
    response = admin_client.get(CHANGELIST, {"q": "Pflege"})
    assert [c.title for c in response.context["cl"].result_list] == ["Pflegekräfte entlasten"]
    response = admin_client.get(CHANGELIST, {"state__exact": "BE"})
    assert [c.title for c in response.context["cl"].result_list] == ["Radwege planen"]


def test_bulk_publish(admin_client, event):
    challenges = ChallengeFactory.create_batch(3, event=event, status=ChallengeStatus.SUBMITTED)
    _action(admin_client, "action_publish", challenges)
    assert Challenge.objects.filter(status=ChallengeStatus.PUBLISHED).count() == 3
    assert Notification.objects.filter(kind="challenge.published").count() == 3


def test_bulk_reject_asks_for_reason_then_rejects(admin_client, event):
    challenges = ChallengeFactory.create_batch(2, event=event, status=ChallengeStatus.IN_REVIEW)
    response = _action(admin_client, "action_reject", challenges)
    assert "reason" in response.content.decode()
    assert Challenge.objects.filter(status=ChallengeStatus.REJECTED).count() == 0
    _action(admin_client, "action_reject", challenges, apply="1", reason="Außerhalb des Themas")
    rejected = Challenge.objects.filter(status=ChallengeStatus.REJECTED)
    assert rejected.count() == 2
    assert {c.rejection_reason for c in rejected} == {"Außerhalb des Themas"}


def test_bulk_assign_topic(admin_client, event):
    challenges = ChallengeFactory.create_batch(2, event=event)
    topic = TopicFactory(event=event)
    _action(admin_client, "action_assign_topic", challenges, apply="1", topic=topic.pk)
    assert Challenge.objects.filter(topic=topic).count() == 2


def test_bulk_merge_into_chosen(admin_client, event):
    keep, *others = ChallengeFactory.create_batch(3, event=event)
    _action(admin_client, "action_merge", [keep, *others], apply="1", into=keep.pk)
    assert Challenge.objects.filter(status=ChallengeStatus.MERGED, merged_into=keep).count() == 2


def test_change_form_lists_likely_duplicates_and_merges_in_one_step(admin_client, event):
    original = ChallengeFactory(
        event=event,
        title="Maskenpflicht verständlich erklären",
        problem="Die Regeln zur Maskenpflicht sind für viele Menschen schwer verständlich.",
    )
    duplicate = ChallengeFactory(
        event=event,
        title="Maskenpflicht verständlich erklären!",
        problem="Die Regeln zur Maskenpflicht sind für viele Menschen kaum verständlich.",
    )
    ChallengeFactory(
        event=event,
        title="Radwege in Städten",
        problem="Es fehlen sichere Radwege für Pendlerinnen und Pendler in Städten.",
    )
    url = reverse("admin:challenges_challenge_change", args=[duplicate.pk])
    response = admin_client.get(url)
    assert [c.pk for c in response.context["similar_challenges"]] == [original.pk]
    merge_url = reverse("admin:challenges_challenge_merge_into", args=[duplicate.pk, original.pk])
    assert merge_url in response.content.decode()
    admin_client.post(merge_url)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original


def test_import_in_admin_reports_errors_and_imports(admin_client, event):
    url = reverse("admin:challenges_challenge_import")
    admin_client.cookies["language"] = "en"
    bad = SimpleUploadedFile(
        "c.csv", f"{HEADER}\n{ROW_1}\n{ROW_2.replace('eva@example.org', 'eva')}\n".encode()
    )
    response = admin_client.post(url, {"event": event.pk, "file": bad})
    assert "line 3, contact_email" in response.content.decode()
    assert not Challenge.objects.exists()
    good = SimpleUploadedFile("c.csv", f"{HEADER}\n{ROW_1}\n{ROW_2}\n".encode())
    admin_client.post(url, {"event": event.pk, "file": good})
    assert Challenge.objects.count() == 2


def test_export_follows_the_filtered_list(admin_client, event):
    ChallengeFactory(event=event, title="Bayerische Herausforderung", state="BY")
    ChallengeFactory(event=event, title="Berliner Herausforderung", state="BE")
    response = admin_client.get(
        reverse("admin:challenges_challenge_export"), {"state__exact": "BY"}
    )
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert "Bayerische Herausforderung" in body
    assert "Berliner Herausforderung" not in body


def test_admin_refuses_participants(client, event, stranger):
    client.force_login(stranger)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- saving writes through the services ---------------------------------------------------


def _change_form(challenge, **overrides) -> dict:
    data = {
        "title": challenge.title,
        "problem": challenge.problem,
        "affected": challenge.affected,
        "desired_outcome": challenge.desired_outcome,
        "giver_type": challenge.giver_type,
        "contact_name": challenge.contact_name,
        "contact_email": challenge.contact_email,
        "external_id": challenge.external_id,
        "ownerships-TOTAL_FORMS": "0",
        "ownerships-INITIAL_FORMS": "0",
        "ownerships-MIN_NUM_FORMS": "0",
        "ownerships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def _entries(challenge, action: str) -> list:
    from audit.services import audit_entries_for

    return list(audit_entries_for(target=challenge).filter(action=action))


def test_admin_change_goes_through_challenge_update(admin_client, event, organiser):
    challenge = ChallengeFactory(event=event)
    url = reverse("admin:challenges_challenge_change", args=[challenge.pk])

    response = admin_client.post(
        url, _change_form(challenge, title="Ein neuer Titel", external_id="ext-7")
    )

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.title, challenge.external_id) == ("Ein neuer Titel", "ext-7")
    [entry] = _entries(challenge, "challenge.update")
    assert entry.actor == organiser
    assert sorted(entry.data["fields"]) == ["external_id", "title"]


def test_admin_change_keeps_the_event(admin_client, event):
    from tests.factories import EventFactory

    challenge = ChallengeFactory(event=event)
    other = EventFactory()
    url = reverse("admin:challenges_challenge_change", args=[challenge.pk])

    response = admin_client.post(url, _change_form(challenge, event=other.pk))

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.event == event


def test_admin_change_by_staff_outside_the_organisers_is_refused(client, event):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(staff)
    client.cookies["language"] = "en"
    challenge = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW, title="Alt")
    url = reverse("admin:challenges_challenge_change", args=[challenge.pk])

    response = client.post(url, _change_form(challenge, title="Neu und anders"))

    assert response.status_code == 200
    assert "This challenge can no longer be edited." in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.title == "Alt"
    assert _entries(challenge, "challenge.update") == []


# --- the admin in German and English (issue 9) -----------------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("de", "1 Challenge veröffentlicht.", "2 Challenges veröffentlicht."),
        ("en", "1 challenge published.", "2 challenges published."),
    ],
)
def test_bulk_publish_message_counts_in_singular_and_plural(
    admin_client, event, language, one, two
):
    admin_client.cookies["language"] = language
    single = ChallengeFactory.create_batch(1, event=event, status=ChallengeStatus.SUBMITTED)
    pair = ChallengeFactory.create_batch(2, event=event, status=ChallengeStatus.SUBMITTED)

    assert one in _action(admin_client, "action_publish", single).content.decode()
    assert two in _action(admin_client, "action_publish", pair).content.decode()


def test_change_page_owner_inline_headers_are_german(admin_client, event):
    challenge = ChallengeFactory(event=event)
    admin_client.cookies["language"] = "de"

    page = admin_client.get(
        reverse("admin:challenges_challenge_change", args=[challenge.pk])
    ).content.decode()

    assert "Person" in page and "Hinzugefügt" in page
    for english in (">User<", ">Added at<", "User\n", "Added at"):
        assert english not in page


def test_changelist_filter_titles_are_german(admin_client, event):
    from tests.factories import EventFactory

    ChallengeFactory(event=EventFactory(slug="zweites", name="Zweites Event"))
    admin_client.cookies["language"] = "de"

    page = admin_client.get(CHANGELIST).content.decode()

    assert "Nach Event" in page
    assert "Nach event" not in page


def test_admin_added_challenge_is_submitted_with_number(client, organiser, event):
    from django.contrib.auth.models import Permission

    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(organiser)
    response = client.post(
        reverse("admin:challenges_challenge_add"),
        {
            "event": event.pk,
            "title": "Telefonisch eingegangene Challenge",
            "problem": "Eine Bürgerin hat angerufen und ein Problem mit der Terminvergabe geschildert.",
            "affected": "Ältere Menschen ohne Internet",
            "desired_outcome": "Termine auch telefonisch buchen können.",
            "giver_type": "citizen",
            "contact_name": "Anruferin",
            "contact_email": "anruf@example.org",
            "ownerships-TOTAL_FORMS": "0",
            "ownerships-INITIAL_FORMS": "0",
            "ownerships-MIN_NUM_FORMS": "0",
            "ownerships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = Challenge.objects.get()
    assert challenge.status == ChallengeStatus.SUBMITTED
    assert challenge.number == 100_000 + challenge.pk
    services.challenge_publish(challenge=challenge, actor=organiser)


def test_admin_export_with_unknown_parameter_redirects(client, organiser):
    from django.contrib.auth.models import Permission

    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(organiser)
    response = client.get(reverse("admin:challenges_challenge_export"), {"bogus": "1"})
    assert response.status_code == 302
    assert "e=1" in response["Location"]


# --- topic fields, tags and questions go through the services -------------------------------


@pytest.fixture
def english(admin_client):
    admin_client.cookies["language"] = "en"
    return admin_client


@pytest.fixture
def anonymous():
    from django.test import Client

    return Client()


def _catalogue(client, event) -> str:
    return client.get(reverse("challenges:list"), {"event": event.slug}).content.decode()


def test_topic_rename_in_admin_is_audited_and_the_cached_catalogue_follows(
    admin_client, anonymous, event, settings, django_capture_on_commit_callbacks
):
    from audit.models import AuditEntry

    settings.PAGE_CACHE = True
    settings.CACHED_LISTS = True
    topic = TopicFactory(event=event, name="Gesundheit", slug="gesundheit")
    ChallengeFactory(event=event, topic=topic, status=ChallengeStatus.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        pass
    assert "Gesundheit" in _catalogue(anonymous, event)
    assert "Gesundheit" in _catalogue(anonymous, event)  # now from the cache

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:challenges_topic_change", args=[topic.pk]),
            {"name": "Pflege", "slug": "gesundheit", "description": "", "position": "0"},
        )

    assert response.status_code == 302
    page = _catalogue(anonymous, event)
    assert "Pflege" in page and "Gesundheit" not in page
    [entry] = AuditEntry.objects.filter(action="challenge.topic_update")
    assert entry.target_id == topic.pk
    assert entry.data["fields"] == ["name"] and entry.data["previous_name"] == "Gesundheit"


def test_topic_added_in_admin_is_audited(admin_client, event):
    from audit.models import AuditEntry
    from challenges.models import Topic

    response = admin_client.post(
        reverse("admin:challenges_topic_add"),
        {"event": event.pk, "name": "Bildung", "slug": "bildung", "description": "", "position": 2},
    )

    assert response.status_code == 302
    topic = Topic.objects.get(slug="bildung")
    assert (topic.event, topic.name, topic.position) == (event, "Bildung", 2)
    [entry] = AuditEntry.objects.filter(action="challenge.topic_create")
    assert entry.target_id == topic.pk


def test_topic_deleted_in_admin_keeps_its_challenges_and_is_audited(admin_client, event):
    from audit.models import AuditEntry
    from challenges.models import Topic

    topic = TopicFactory(event=event, name="Gesundheit", slug="gesundheit")
    challenge = ChallengeFactory(event=event, topic=topic)

    response = admin_client.post(
        reverse("admin:challenges_topic_delete", args=[topic.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    challenge.refresh_from_db()
    assert challenge.topic is None
    [entry] = AuditEntry.objects.filter(action="challenge.topic_delete")
    assert entry.data["challenges"] == [challenge.number]
    assert entry.data["name"] == "Gesundheit"


def test_topic_slug_taken_in_the_event_is_refused_on_the_field(english, admin_client, event):
    TopicFactory(event=event, name="Gesundheit", slug="gesundheit")
    other = TopicFactory(event=event, name="Bildung", slug="bildung")

    response = admin_client.post(
        reverse("admin:challenges_topic_change", args=[other.pk]),
        {"name": "Bildung", "slug": "gesundheit", "description": "", "position": "0"},
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["slug"] == ["This event already has a topic field with this slug."]
    other.refresh_from_db()
    assert other.slug == "bildung"


def test_tag_rename_in_admin_is_audited(admin_client):
    from audit.models import AuditEntry
    from challenges.models import Tag

    tag = Tag.objects.create(name="Schule")

    response = admin_client.post(
        reverse("admin:challenges_tag_change", args=[tag.pk]), {"name": "Schulen"}
    )

    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "Schulen"
    [entry] = AuditEntry.objects.filter(action="challenge.tag_rename")
    assert entry.data == {"name": "Schulen", "previous_name": "Schule"}


def test_tag_rename_to_a_name_taken_in_another_case_is_refused(english, admin_client):
    from challenges.models import Tag

    Tag.objects.create(name="Bildung")
    tag = Tag.objects.create(name="Schule")

    response = admin_client.post(
        reverse("admin:challenges_tag_change", args=[tag.pk]), {"name": "bildung"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "A tag with this name already exists."
    ]
    tag.refresh_from_db()
    assert tag.name == "Schule"


def test_tag_added_in_admin_is_audited_and_tags_are_not_deleted_there(admin_client):
    from audit.models import AuditEntry
    from challenges.models import Tag

    response = admin_client.post(reverse("admin:challenges_tag_add"), {"name": "Mobilität"})

    assert response.status_code == 302
    tag = Tag.objects.get(name="Mobilität")
    assert AuditEntry.objects.filter(action="challenge.tag_create", target_id=tag.pk).count() == 1
    delete = reverse("admin:challenges_tag_delete", args=[tag.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_question_hide_action_hides_each_through_the_service(
    english, admin_client, event, organiser
):
    from audit.models import AuditEntry
    from challenges.models import ChallengeQuestion

    challenge = ChallengeFactory(event=event)
    first = ChallengeQuestion.objects.create(challenge=challenge, text="Gibt es Daten dazu?")
    second = ChallengeQuestion.objects.create(challenge=challenge, text="Wer nutzt das?")
    hidden = ChallengeQuestion.objects.create(challenge=challenge, text="Alt.", is_hidden=True)

    response = admin_client.post(
        reverse("admin:challenges_challengequestion_changelist"),
        {"action": "action_hide", ACTION_CHECKBOX_NAME: [first.pk, second.pk, hidden.pk]},
        follow=True,
    )

    assert "2 questions were hidden." in response.content.decode()
    assert ChallengeQuestion.objects.filter(is_hidden=True).count() == 3
    entries = AuditEntry.objects.filter(action="challenge.question_hide")
    assert sorted(entry.data["question"] for entry in entries) == sorted([first.pk, second.pk])
    assert all(entry.actor == organiser for entry in entries)


def test_questions_and_challenges_are_not_deleted_or_edited_in_admin(admin_client, event):
    from challenges.models import ChallengeQuestion

    challenge = ChallengeFactory(event=event)
    question = ChallengeQuestion.objects.create(challenge=challenge, text="Gibt es Daten dazu?")
    question_change = reverse("admin:challenges_challengequestion_change", args=[question.pk])
    question_delete = reverse("admin:challenges_challengequestion_delete", args=[question.pk])
    challenge_delete = reverse("admin:challenges_challenge_delete", args=[challenge.pk])

    assert admin_client.post(question_change, {"text": "Anders."}).status_code == 403
    assert admin_client.post(question_delete, {"post": "yes"}).status_code == 403
    assert admin_client.post(challenge_delete, {"post": "yes"}).status_code == 403
    question.refresh_from_db()
    assert question.text == "Gibt es Daten dazu?"
    assert Challenge.objects.filter(pk=challenge.pk).exists()
