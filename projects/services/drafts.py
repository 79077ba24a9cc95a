"""The team's project: creating and editing the draft, submitting, withdrawing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, Tag
from notifications.services import notify_many
from projects import selectors
from projects.enums import ProjectStatus
from projects.fields import TEXT_FIELDS
from projects.models import Project, ProjectVersion
from projects.notification_kinds import PROJECT_SUBMITTED
from projects.services._base import (
    MAX_TAGS,
    ProjectError,
    _editor_url,
    _lock,
    _member_users,
    _require_editor,
    _require_submitter,
    _user_or_none,
)
from projects.services.images import video_thumbnail_enqueue
from teams.models import Membership, Team


def _challenges(*, event_id: int, values: Iterable) -> list[Challenge]:
    pks = {value.pk if isinstance(value, Challenge) else value for value in values}
    try:
        found = list(
            Challenge.objects.filter(
                pk__in=pks, event_id=event_id, status=ChallengeStatus.PUBLISHED
            )
        )
    except (TypeError, ValueError):
        raise ProjectError(_("Unknown challenge."), field="challenges") from None
    if len(found) != len(pks):
        raise ProjectError(_("Choose published challenges of this event."), field="challenges")
    return found


def _tags(values: Iterable) -> list[Tag]:
    names = sorted(
        {
            (value.name if isinstance(value, Tag) else str(value)).strip()[:60]
            for value in values
            if value and (value.name if isinstance(value, Tag) else str(value)).strip()
        }
    )
    if len(names) > MAX_TAGS:
        raise ProjectError(_("At most %(max)d tags, please.") % {"max": MAX_TAGS}, field="tags")
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    if len(existing) < len(names):
        # The same way challenges.services.set_tags makes tags: race-safe by the unique name.
        Tag.objects.bulk_create(
            [Tag(name=name) for name in names if name not in existing], ignore_conflicts=True
        )
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return list(existing.values())


def _credited(*, team: Team, values: Iterable) -> list:
    pks = {getattr(value, "pk", value) for value in values}
    member_ids = set(Membership.objects.filter(team_id=team.pk).values_list("user_id", flat=True))
    if not pks <= member_ids:
        raise ProjectError(_("Only members of the team can be credited."), field="credited_members")
    return list(get_user_model().objects.filter(pk__in=pks))


def _apply(project: Project, data: dict, *, team: Team) -> list[str]:
    """Validates `data` completely, then writes it; returns the names of the fields changed.

    Nothing is written when anything is invalid.
    """
    previous_video_url = project.video_url
    changed = [field for field in TEXT_FIELDS if field in data]
    for field in changed:
        value = data[field]
        setattr(project, field, str(value).strip() if value is not None else "")
    try:
        project.full_clean(
            exclude=["event", "team", "status", "search_document"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ProjectError(messages[0], field=None if field == "__all__" else field) from None
    relations = {}
    if data.get("challenges") is not None:
        relations["challenges"] = _challenges(event_id=team.event_id, values=data["challenges"])
    if data.get("tags") is not None:
        relations["tags"] = _tags(data["tags"])
    if data.get("credited_members") is not None:
        relations["credited_members"] = _credited(team=team, values=data["credited_members"])
    if project.pk is None:
        project.save()
    else:
        project.save(update_fields=[*changed, "updated_at"])
    for field, objects in relations.items():
        getattr(project, field).set(objects)
    if project.video_url != previous_video_url:
        video_thumbnail_enqueue(project)
    return changed + list(relations)


def _create(*, team: Team, actor, data: dict, now: datetime) -> Project:
    _require_editor(team, actor, now)
    project = Project(event_id=team.event_id, team=team, title=team.name[:120])
    project.event = team.event
    try:
        with transaction.atomic():
            changed = _apply(project, data, team=team)
    except IntegrityError:
        # Another request created the team's project meanwhile (Project.team is unique).
        raise ProjectError(_("This team already has a project."), field="team") from None
    audit_log(actor=actor, action="project.create", target=project, data={"fields": changed})
    return project


# --- the draft ------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, team: Team, actor, data: dict, now: datetime | None = None) -> Project:
    """Creates the team's project as a draft. Members before the deadline, and organisers.

    `data`: the fields (see TEXT_FIELDS and RELATION_FIELDS); the title defaults to the
    team's name. Raises ProjectError (field "team") when the team already has a project.
    Side effects: the project, an audit entry.
    """
    now = now or timezone.now()
    if Project.objects.filter(team_id=team.pk).exists():
        _require_editor(team, actor, now)
        raise ProjectError(_("This team already has a project."), field="team")
    return _create(team=team, actor=actor, data=data, now=now)


@transaction.atomic
def project_create_or_get(
    *, team: Team, actor, data: dict | None = None, now: datetime | None = None
) -> Project:
    """The team's project, created as a draft when it has none; with `data` applied.

    Members before the deadline, and organisers. With `data` this is "save the editor":
    the changes are applied exactly as by project_update, in the same transaction, so a
    refused request creates nothing and changes nothing.
    Side effects: maybe the project; the changes; audit entries.
    """
    now = now or timezone.now()
    project = Project.objects.filter(team_id=team.pk).first()
    if project is None:
        try:
            return _create(team=team, actor=actor, data=data or {}, now=now)
        except ProjectError as error:
            if error.field != "team":
                raise
            project = Project.objects.get(team_id=team.pk)
    if data:
        return project_update(project=project, actor=actor, data=data, now=now)
    _require_editor(team, actor, now)
    return project


@transaction.atomic
def project_update(*, project: Project, actor, data: dict, now: datetime | None = None) -> Project:
    """Changes the project's living page. Members before the deadline; organisers always.

    `data`: any of TEXT_FIELDS and RELATION_FIELDS (challenges: published challenges of
    the event; tags: names; credited_members: current members). A submitted project stays
    submitted: the jury sees the last submitted version until the team submits again.
    Side effects: saves the project; an audit entry naming the changed fields.
    """
    now = now or timezone.now()
    project = _lock(project)
    _require_editor(project.team, actor, now)
    changed = _apply(project, data, team=project.team)
    audit_log(actor=actor, action="project.update", target=project, data={"fields": changed})
    return project


# --- submitting -----------------------------------------------------------------------------


@transaction.atomic
def project_submit(*, project: Project, actor, now: datetime | None = None) -> ProjectVersion:
    """Submits the project as it is now: a new frozen version. Before the deadline only.

    Raises ProjectError naming every missing required field (`missing`; see
    selectors.project_missing_fields). Side effects: a ProjectVersion with a JSON copy of
    the texts, links, challenges (numbers and titles), tags, credited members (names) and
    images (tokens and file names); status submitted, submitted_at; an audit entry; the
    team's members are notified (a receipt).
    """
    now = now or timezone.now()
    project = _lock(project)
    _require_submitter(project.team, actor, now)
    missing = selectors.project_missing_fields(project=project)
    if missing:
        labels = [str(selectors.missing_field_label(field)) for field in missing]
        raise ProjectError(
            _("Before submitting, please fill in: %(fields)s.") % {"fields": ", ".join(labels)},
            field=missing[0],
            missing=missing,
        )
    number = (project.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ProjectVersion.objects.create(
        project=project,
        number=number,
        snapshot=selectors.project_snapshot(project=project),
        created_by=_user_or_none(actor),
    )
    # created_at is auto_now_add; the version counts from the moment the request arrived.
    ProjectVersion.objects.filter(pk=version.pk).update(created_at=now)
    version.created_at = now
    project.status = ProjectStatus.SUBMITTED
    project.submitted_at = now
    project.withdrawn_at = None
    project.save(update_fields=["status", "submitted_at", "withdrawn_at", "updated_at"])
    audit_log(actor=actor, action="project.submit", target=project, data={"version": number})
    local = project.event.localtime(now)
    notify_many(
        recipients=_member_users(project.team),
        kind=PROJECT_SUBMITTED,
        context={
            "project_title": project.title,
            "team_name": project.team.name,
            "version": number,
            "submitted_local": f"{local:%Y-%m-%d %H:%M:%S} ({project.event.time_zone})",
            "url": _editor_url(project.team),
        },
    )
    return version


@transaction.atomic
def project_withdraw(*, project: Project, actor, now: datetime | None = None) -> Project:
    """Withdraws the submission: it takes no part in the judging. Before the deadline only;
    the team may submit again before the deadline. Versions are kept.

    Side effects: status withdrawn, withdrawn_at; an audit entry.
    """
    now = now or timezone.now()
    project = _lock(project)
    _require_submitter(project.team, actor, now)
    if project.status != ProjectStatus.SUBMITTED:
        raise ProjectError(_("The project is not submitted."))
    project.status = ProjectStatus.WITHDRAWN
    project.withdrawn_at = now
    project.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_log(actor=actor, action="project.withdraw", target=project)
    return project
