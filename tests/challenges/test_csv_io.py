import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from audit.models import AuditEntry
from challenges import services
from challenges.csv_io import challenges_export_csv, challenges_import_csv
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, Topic
from notifications.models import Notification
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English msgids; German is the default language."""
    with translation.override("en"):
        yield


HEADER = "external_id,title,problem,affected,desired_outcome,giver_type,organisation_name,state,municipality_key,contact_name,contact_email,topic,tags,status"
ROW_1 = 'bmi-1,Digitale Behördengänge,"Viele Anträge gehen nur auf Papier, das kostet in der Krise Zeit.",Bürgerinnen und Bürger,Online-Anträge für alle Leistungen,federal_body,Bundesministerium des Innern,BE,11000000,Max Muster,max@example.org,Verwaltung,digital|verwaltung,published'
ROW_2 = 'nrw-7,Schulen vernetzen,"Schulen in NRW haben keinen gemeinsamen Kanal für Lehrmaterial.",Lehrkräfte,Eine gemeinsame Plattform für Lehrmaterial,state_government,Land NRW,NW,05111000,Eva Beispiel,eva@example.org,Bildung,,submitted'


def _csv(*rows, header=HEADER, sep=","):
    text = "\n".join([header, *rows]) + "\n"
    return text.replace(",", sep) if sep != "," else text


def test_import_creates_and_is_idempotent(event):
    raw = _csv(ROW_1, ROW_2).encode()
    first = challenges_import_csv(event=event, raw=raw)
    assert first.ok, first.errors
    assert (first.created, first.updated) == (2, 0)
    second = challenges_import_csv(event=event, raw=raw)
    assert (second.created, second.updated) == (0, 2)
    assert Challenge.objects.count() == 2
    published = Challenge.objects.get(external_id="bmi-1")
    assert published.status == ChallengeStatus.PUBLISHED
    assert published.topic.name == "Verwaltung"
    assert sorted(t.name for t in published.tags.all()) == ["digital", "verwaltung"]
    assert Topic.objects.filter(event=event).count() == 2


def test_import_updates_changed_row(event):
    challenges_import_csv(event=event, raw=_csv(ROW_1).encode())
    changed = ROW_1.replace("Digitale Behördengänge", "Digitale Behördengänge für alle")
    result = challenges_import_csv(event=event, raw=_csv(changed).encode())
    assert result.updated == 1
    assert Challenge.objects.get().title == "Digitale Behördengänge für alle"


def test_import_is_all_or_nothing_and_names_line_and_field(event):
    bad = ROW_2.replace("05111000", "0511").replace("state_government", "ministry")
    result = challenges_import_csv(event=event, raw=_csv(ROW_1, bad).encode())
    assert not result.ok
    assert Challenge.objects.count() == 0
    described = {(e.line, e.field) for e in result.errors}
    assert (3, "municipality_key") in described
    assert (3, "giver_type") in described
    assert "line 3" in str(result.errors[0])


def test_import_accepts_bom_and_semicolons(event):
    text = "\ufeff" + "\n".join(
        [
            HEADER.replace(",", ";"),
            ROW_1.replace(",", ";").replace(
                '"Viele Anträge gehen nur auf Papier; das kostet in der Krise Zeit."',
                '"Viele Anträge gehen nur auf Papier, das kostet in der Krise Zeit."',
            ),
        ]
    )
    result = challenges_import_csv(event=event, raw=text.encode("utf-8"))
    assert result.ok, result.errors
    assert Challenge.objects.get().title == "Digitale Behördengänge"


def test_import_reports_missing_columns_and_bad_encoding(event):
    result = challenges_import_csv(event=event, raw=b"external_id,title\nx,y\n")
    assert not result.ok and "problem" in result.errors[0].field
    result = challenges_import_csv(
        event=event,
        raw=_csv(ROW_1).encode("latin-1", errors="replace").replace(b"\xe4", b"\xe4\xff"),
    )
    assert not result.ok and result.errors[0].field == "file"


def test_import_reports_duplicate_external_ids(event):
    result = challenges_import_csv(event=event, raw=_csv(ROW_1, ROW_1).encode())
    assert not result.ok
    assert result.errors[0].line == 3 and result.errors[0].field == "external_id"


def test_import_command(event, tmp_path):
    path = tmp_path / "challenges.csv"
    path.write_text(_csv(ROW_1, ROW_2), encoding="utf-8")
    out = io.StringIO()
    call_command("import_challenges", str(path), "--event", event.slug, stdout=out)
    assert "2 created" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(_csv(ROW_1.replace("max@example.org", "kein-email")), encoding="utf-8")
    with pytest.raises(CommandError, match="contact_email"):
        call_command("import_challenges", str(bad), "--event", event.slug, stdout=io.StringIO())


def test_export_round_trips_through_import(event):
    challenges_import_csv(event=event, raw=_csv(ROW_1, ROW_2).encode())
    buffer = io.StringIO()
    challenges_export_csv(Challenge.objects.order_by("pk"), buffer)
    exported = buffer.getvalue()
    assert exported.startswith("\ufeffnumber,external_id")
    assert "Digitale Behördengänge" in exported
    again = challenges_import_csv(event=event, raw=exported.encode("utf-8"))
    assert again.ok, again.errors
    assert (again.created, again.updated) == (0, 2)


def test_import_that_publishes_a_web_submission_tells_its_giver_and_audits_it(
    event, giver, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    submitted = ChallengeFactory(
        event=event, status=ChallengeStatus.SUBMITTED, submitted_by=giver, external_id="web-1"
    )
    row = ROW_2.replace("nrw-7", "web-1").replace(",submitted", ",published")

    with django_capture_on_commit_callbacks(execute=True):
        result = challenges_import_csv(event=event, raw=_csv(row).encode(), actor=organiser)

    assert result.ok, result.errors
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.PUBLISHED
    assert submitted.published_at is not None
    (notice,) = Notification.objects.filter(recipient=giver)
    assert notice.kind == "challenge.published"
    assert notice.context["number"] == submitted.number
    assert [m.to for m in mailoutbox] == [[giver.email]]
    actions = list(
        AuditEntry.objects.filter(target_id=submitted.pk, action__startswith="challenge.")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [("challenge.import", organiser.pk), ("challenge.publish", organiser.pk)]


def test_import_that_changes_no_status_notifies_nobody(event, giver):
    ChallengeFactory(
        event=event, status=ChallengeStatus.PUBLISHED, submitted_by=giver, external_id="web-1"
    )
    row = ROW_2.replace("nrw-7", "web-1").replace(",submitted", ",published")

    result = challenges_import_csv(event=event, raw=_csv(row).encode())

    assert result.ok, result.errors
    assert not Notification.objects.filter(recipient=giver).exists()


def test_reimport_keeps_curation_and_only_moves_forward(event, organiser):
    raw = _csv(ROW_1.replace(",published", ","), ROW_2.replace(",submitted", ",")).encode()
    challenges_import_csv(event=event, raw=raw)
    first = Challenge.objects.get(external_id="bmi-1")
    second = Challenge.objects.get(external_id="nrw-7")
    services.challenge_publish(challenge=first, actor=organiser)
    services.challenge_reject(challenge=second, actor=organiser, reason="Doppelt")

    result = challenges_import_csv(event=event, raw=raw)
    assert result.ok, result.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ChallengeStatus.PUBLISHED
    assert second.status == ChallengeStatus.REJECTED
    assert second.rejection_reason == "Doppelt"

    third_raw = _csv(ROW_2.replace(",submitted", ",published")).encode()
    challenges_import_csv(event=event, raw=third_raw)
    second.refresh_from_db()
    assert second.status == ChallengeStatus.REJECTED  # no way back from a rejection by file


def test_reimport_moves_submitted_forward(event):
    challenges_import_csv(event=event, raw=_csv(ROW_2).encode())
    challenges_import_csv(event=event, raw=_csv(ROW_2.replace(",submitted", ",published")).encode())
    challenge = Challenge.objects.get(external_id="nrw-7")
    assert challenge.status == ChallengeStatus.PUBLISHED
    assert challenge.published_at is not None


def test_export_of_curated_and_web_challenges_imports_again(event, organiser):
    rejected = ChallengeFactory(event=event, status=ChallengeStatus.REJECTED, external_id="")
    web = ChallengeFactory(event=event, external_id="", title='=HYPERLINK("x") Formel')
    buffer = io.StringIO()
    challenges_export_csv(Challenge.objects.order_by("pk"), buffer)
    assert "'=HYPERLINK" in buffer.getvalue()

    edited = buffer.getvalue().replace("Formel", "Formel geändert")
    result = challenges_import_csv(event=event, raw=edited.encode())
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 2)
    web.refresh_from_db()
    rejected.refresh_from_db()
    assert web.title == '=HYPERLINK("x") Formel geändert'
    assert rejected.status == ChallengeStatus.REJECTED


def test_import_number_of_another_event_is_an_error(event):
    other = ChallengeFactory()
    row = f"{HEADER},number\n" + ROW_1.replace("bmi-1", "") + f",{other.number}\n"
    result = challenges_import_csv(event=event, raw=row.encode())
    assert not result.ok
    assert result.errors[0].field == "number"


def test_import_with_huge_field_reports_instead_of_crashing(event):
    raw = _csv(ROW_1.replace("Bürgerinnen und Bürger", '"' + "x" * 200_000 + '"')).encode()
    result = challenges_import_csv(event=event, raw=raw)
    assert not result.ok
    assert result.errors[-1].field == "file"  # longer than the csv module reads
    assert not Challenge.objects.exists()


def test_import_names_first_line_of_multiline_record(event):
    multiline = ROW_2.replace(
        '"Schulen in NRW haben keinen gemeinsamen Kanal für Lehrmaterial."',
        '"Schulen in NRW haben\nkeinen gemeinsamen\nKanal für Lehrmaterial."',
    )
    bad = ROW_1.replace("max@example.org", "kaputt")
    result = challenges_import_csv(event=event, raw=_csv(multiline, bad).encode())
    assert [(e.line, e.field) for e in result.errors] == [(5, "contact_email")]
