"""German full-text search and trigram similarity, on PostgreSQL only."""

import pytest
from django.db import connection

from challenges.selectors import challenges_published, challenges_similar
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_search_finds_german_word_by_stem(event):
    schule = ChallengeFactory(
        event=event,
        title="Digitale Schule",
        problem="Der Unterricht in der Schule fällt aus, weil es keine digitalen Werkzeuge gibt.",
    )
    ChallengeFactory(
        event=event,
        title="Einkaufshilfe",
        problem="Risikogruppen brauchen Hilfe beim Einkaufen in der Nachbarschaft.",
    )
    found = list(challenges_published(event=event, search="Schulen"))
    assert found == [schule]


def test_search_ranks_title_hits_above_body_hits(event):
    in_body = ChallengeFactory(
        event=event,
        title="Lernen zu Hause",
        problem="Viele Kinder haben zu Hause kein Tablet für den Unterricht der Schule.",
    )
    in_title = ChallengeFactory(
        event=event,
        title="Schule digital denken",
        problem="Der Unterricht braucht neue Werkzeuge für den Fernunterricht.",
    )
    assert list(challenges_published(event=event, search="Schule")) == [in_title, in_body]


def test_search_document_follows_every_write(event):
    """The trigger keeps the stored vector current, also for bulk updates."""
    from challenges.models import Challenge

    challenge = ChallengeFactory(event=event, title="Radwege planen")
    assert list(challenges_published(event=event, search="Radwege")) == [challenge]
    Challenge.objects.filter(pk=challenge.pk).update(title="Spielplätze sanieren")
    assert list(challenges_published(event=event, search="Radwege")) == []
    assert list(challenges_published(event=event, search="Spielplatz")) == [challenge]


def test_search_document_has_a_usable_gin_index(event):
    from django.contrib.postgres.search import SearchQuery

    from challenges.models import Challenge

    ChallengeFactory.create_batch(3, event=event)
    queryset = Challenge.objects.filter(
        search_document=SearchQuery("Schule", config="german", search_type="websearch")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "challenge_search_document_idx" in plan


def test_similar_uses_trigrams(event):
    a = ChallengeFactory(
        event=event,
        title="Impftermine einfacher vergeben",
        problem="Die Vergabe von Impfterminen ist unübersichtlich und überlastet die Hotlines.",
    )
    b = ChallengeFactory(
        event=event,
        title="Impftermine einfach vergeben",
        problem="Die Vergabe der Impftermine ist unübersichtlich, die Hotlines sind überlastet.",
    )
    ChallengeFactory(
        event=event,
        title="Spielplätze sanieren",
        problem="Viele Spielplätze in der Stadt sind marode und müssen saniert werden.",
    )
    assert challenges_similar(challenge=a) == [b]


def test_search_sorted_by_support_keeps_only_matches(event):
    ranked_low = ChallengeFactory(event=event, title="Schule", support_count=1)
    ranked_high = ChallengeFactory(
        event=event, title="Lernen", problem="Die Schulen brauchen Tablets.", support_count=7
    )
    ChallengeFactory(event=event, title="Einkaufshilfe", support_count=99)

    assert list(challenges_published(event=event, search="Schule")) == [ranked_low, ranked_high]
    assert list(challenges_published(event=event, search="Schule", sort="supported")) == [
        ranked_high,
        ranked_low,
    ]
