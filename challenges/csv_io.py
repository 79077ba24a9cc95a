"""CSV import and export of challenges.

The import is all-or-nothing: every row is validated first (with the same form as
the web intake), and only a file without errors is written, in one transaction, by
the service challenges.services.challenges_import. Rows are matched by `external_id`,
so running the same file again updates rather than duplicates. Columns are documented
in the README.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from challenges.enums import ChallengeStatus, GiverType, State
from challenges.fields import CONTENT_FIELDS, EDITABLE_FIELDS, GIVER_FIELDS, ORGANISER_FIELDS
from challenges.forms import ChallengeForm
from challenges.models import Challenge, Topic
from challenges.services import ImportRow, challenges_import
from events.models import Event

# The key rows are matched by, and the fields the intake form requires: a file without one
# of them is refused at its header rather than on every row.
REQUIRED_COLUMNS = (
    *ORGANISER_FIELDS,
    *(name for name in EDITABLE_FIELDS if ChallengeForm.base_fields[name].required),
)
# The rest of what a giver writes, and the status the import may move a challenge on to.
OPTIONAL_COLUMNS = (
    *(name for name in EDITABLE_FIELDS if name not in REQUIRED_COLUMNS),
    "tags",
    "status",
)
# Written by the export for reference; the import reads past them.
EXPORT_ONLY_COLUMNS = ("number", "support_count", "merged_into", "created_at", "published_at")
IMPORTABLE_STATUSES = (
    ChallengeStatus.SUBMITTED,
    ChallengeStatus.IN_REVIEW,
    ChallengeStatus.PUBLISHED,
)
# The number and key, the status, what the challenge says with its tags, who gives it, and
# the other columns for reference.
EXPORT_COLUMNS = (
    "number",
    *ORGANISER_FIELDS,
    "status",
    *CONTENT_FIELDS,
    "tags",
    *GIVER_FIELDS,
    *(name for name in EXPORT_ONLY_COLUMNS if name != "number"),
)
# How the export writes the columns that are not a challenge's attribute as it is.
_EXPORT_VALUES = {
    "topic": lambda c: c.topic.slug if c.topic else "",
    "tags": lambda c: "|".join(tag.name for tag in c.tags.all()),
    "merged_into": lambda c: c.merged_into.number if c.merged_into_id and c.merged_into else "",
    "created_at": lambda c: c.created_at.isoformat() if c.created_at else "",
    "published_at": lambda c: c.published_at.isoformat() if c.published_at else "",
}
MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("The file is not UTF-8 encoded (byte %(position)d). Save it as UTF-8 and try again.")
            % {"position": exc.start}
        ) from None


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _lookup_choice(value: str, choices) -> str | None:
    value = value.strip()
    for code, label in choices:
        if value.lower() in (str(code).lower(), str(label).lower()):
            return code
    return None


_STATUS_ORDER = {
    ChallengeStatus.SUBMITTED: 1,
    ChallengeStatus.IN_REVIEW: 2,
    ChallengeStatus.PUBLISHED: 3,
}
# A spreadsheet runs a cell starting with one of these as a formula; the export quotes them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def _validate_row(
    *, line, values, event, topics, topics_by_name, by_external_id, by_number, seen
) -> ImportRow | list[RowError]:
    """One row checked with the intake form's rules: the row to write, or its errors."""
    external_id = values.get("external_id", "")
    number = values.get("number", "")
    instance = None
    if external_id:
        key = f"external_id {external_id}"
        instance = by_external_id.get(external_id)
    elif number:
        key = f"number {number}"
        instance = by_number.get(int(number)) if number.isdigit() else None
        if instance is None:
            return [
                RowError(
                    line,
                    "number",
                    _("no challenge #%(number)s in this event; give an external_id to add one")
                    % {"number": number},
                )
            ]
    else:
        return [RowError(line, "external_id", _("This field is required."))]
    if key in seen:
        return [
            RowError(
                line,
                "external_id" if external_id else "number",
                _("%(id)s appears again (first on line %(first)d)")
                % {"id": external_id or number, "first": seen[key]},
            )
        ]
    seen[key] = line
    data = {name: values.get(name, "") for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    errors: list[RowError] = []
    giver_type = _lookup_choice(data["giver_type"], GiverType.choices)
    if giver_type is None:
        errors.append(
            RowError(
                line,
                "giver_type",
                _("unknown giver type %(value)r; use one of %(choices)s")
                % {"value": data["giver_type"], "choices": ", ".join(GiverType.values)},
            )
        )
    state = ""
    if data["state"]:
        state = _lookup_choice(data["state"], State.choices) or ""
        if not state:
            errors.append(
                RowError(
                    line,
                    "state",
                    _("unknown federal state %(value)r; use a code such as BY or BE")
                    % {"value": data["state"]},
                )
            )
    status = _row_status(data["status"], instance)
    if status is False:
        errors.append(
            RowError(
                line,
                "status",
                _("status must be one of %(choices)s")
                % {"choices": ", ".join(s.value for s in IMPORTABLE_STATUSES)},
            )
        )
    topic_name = None
    topic_pk = None
    if data["topic"]:
        topic = topics.get(data["topic"]) or topics_by_name.get(data["topic"].lower())
        if topic is None:
            topic_name = data["topic"]
        else:
            topic_pk = topic.pk
    form = ChallengeForm(
        data={**data, "giver_type": giver_type or "", "state": state, "topic": topic_pk or ""},
        event=event,
        instance=instance,
    )
    if not form.is_valid():
        for field_name, messages in form.errors.items():
            errors.extend(RowError(line, field_name, message) for message in messages)
    if errors:
        return errors
    fields = form.service_data()
    if external_id:
        fields["external_id"] = external_id
    return ImportRow(fields, form.cleaned_data["tags"], topic_name, status, instance)


def _row_status(raw: str, instance: Challenge | None) -> str | bool | None:
    """The status to write: None keeps the current one, False means the value is not allowed.

    A new row starts as submitted unless the file says in_review or published. An existing
    row only moves forward (submitted → in review → published); anything else in the file,
    such as the status an export wrote, leaves the curation as it is.
    """
    value = _lookup_choice(raw, ChallengeStatus.choices) if raw else None
    if instance is None:
        if not raw:
            return ChallengeStatus.SUBMITTED
        return value if value in _STATUS_ORDER else False
    if raw and value is None:
        return False
    current = _STATUS_ORDER.get(instance.status)
    wanted = _STATUS_ORDER.get(value)
    if current is not None and wanted is not None and wanted > current:
        return value
    return None


def challenges_import_csv(*, event: Event, raw: bytes | str, actor=None) -> ImportResult:
    """Validates every row, then creates or updates all of them, or nothing at all.

    Side effects when the file is valid: those of challenges.services.challenges_import.
    """
    result = ImportResult()
    if isinstance(raw, bytes) and len(raw) > MAX_IMPORT_BYTES:
        result.errors.append(RowError(0, "file", _("The file is larger than 20 MB.")))
        return result
    try:
        text = _decode(raw)
    except ValueError as exc:
        result.errors.append(RowError(0, "file", str(exc)))
        return result
    first_line = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        result.errors.append(
            RowError(1, ", ".join(missing), _("required column missing from the header"))
        )
        return result
    unknown = [
        c
        for c in header
        if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS + EXPORT_ONLY_COLUMNS
    ]
    if unknown:
        result.errors.append(RowError(1, ", ".join(unknown), _("unknown column")))
        return result

    topics = {t.slug: t for t in Topic.objects.filter(event=event)}
    topics_by_name = {t.name.lower(): t for t in topics.values()}
    in_event = Challenge.objects.filter(event=event)
    by_external_id = {c.external_id: c for c in in_event.exclude(external_id="")}
    by_number = {c.number: c for c in in_event.exclude(number=None)}
    seen: dict[str, int] = {}
    valid_rows: list[ImportRow] = []
    record_start = reader.line_num + 1
    try:
        for row in reader:
            line, record_start = record_start, reader.line_num + 1
            values = {key: _unescape((value or "").strip()) for key, value in row.items() if key}
            if None in row:
                result.errors.append(RowError(line, "row", _("more values than columns")))
                continue
            if not any(values.values()):
                continue
            outcome = _validate_row(
                line=line,
                values=values,
                event=event,
                topics=topics,
                topics_by_name=topics_by_name,
                by_external_id=by_external_id,
                by_number=by_number,
                seen=seen,
            )
            if isinstance(outcome, list):
                result.errors.extend(outcome)
            else:
                valid_rows.append(outcome)
    except csv.Error as exc:
        result.errors.append(
            RowError(
                record_start, "file", _("The file is not valid CSV: %(error)s") % {"error": exc}
            )
        )

    if result.errors:
        return result
    counts = challenges_import(event=event, rows=valid_rows, actor=actor)
    result.created, result.updated = counts.created, counts.updated
    return result


def challenges_export_csv(challenges: Iterable[Challenge], out: io.TextIOBase) -> None:
    """Writes the challenges as CSV (UTF-8 with BOM for spreadsheet programs), import-compatible."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for c in challenges:
        writer.writerow(
            _escape(_EXPORT_VALUES[column](c) if column in _EXPORT_VALUES else getattr(c, column))
            for column in EXPORT_COLUMNS
        )
