from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.csv_io import challenges_import_csv
from events.models import Event


class Command(BaseCommand):
    help = (
        "Imports challenges from a CSV file (UTF-8, comma or semicolon) into an event. "
        "All rows or none; a re-run updates rows with the same external_id."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--event", required=True, help="slug of the event")

    def handle(self, *args, file: Path, event: str, **options) -> None:
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        result = challenges_import_csv(event=found, raw=raw)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Nothing was imported: {len(result.errors)} problem(s), first: {result.errors[0]}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} created, {result.updated} updated.")
        )
