"""Reads of projects: deadlines, what jurors see, the editor's data.

The deadline of a team is the later of the event's submission phase end and the
team's own extension. A team may change its project while `now < deadline`; at the
deadline itself (to the second) it may not any more. What jurors see is the latest
version submitted at or before that deadline, whatever happened to the living page since.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from challenges.models import Challenge
from events.enums import PhaseKind
from events.models import Event, Phase
from events.selectors import events_visible_to
from projects.enums import Licence, ProjectCategory, ProjectStatus
from projects.fields import TEXT_FIELDS
from projects.models import Project, ProjectImage, ProjectVersion, SubmissionExtension
from teams.models import Membership, Team

# What `project_submit` requires. Of the links, at least one of REQUIRED_ONE_OF_LINKS.
REQUIRED_TEXT_FIELDS = ("title", "pitch", "problem", "solution", "target_group", "category")
REQUIRED_ONE_OF_LINKS = ("repository_url", "demo_url")


def submission_phase_end(*, event_id: int) -> datetime | None:
    """When the event's submission phase ends; None when the schedule has none."""
    return (
        Phase.objects.filter(event_id=event_id, kind=PhaseKind.SUBMISSION)
        .values_list("ends_at", flat=True)
        .first()
    )


def deadline_for_team(*, team: Team) -> datetime | None:
    """The team's submission deadline: the later of the event's submission phase end and
    the team's extension. None when the event has no submission phase (no deadline yet).
    """
    phase_end = submission_phase_end(event_id=team.event_id)
    if phase_end is None:
        return None
    extension_end = (
        SubmissionExtension.objects.filter(team_id=team.pk)
        .values_list("ends_at", flat=True)
        .first()
    )
    if extension_end is not None and extension_end > phase_end:
        return extension_end
    return phase_end


def programme_open_for(*, team: Team, now: datetime | None = None) -> bool:
    """Whether the team may improve its public page again: the event's implementation
    programme has started and the team's project was submitted. The frozen versions are
    not touched by this, so jurors keep seeing what was submitted at the deadline."""
    now = now or timezone.now()
    in_programme = Phase.objects.filter(
        event_id=team.event_id,
        kind=PhaseKind.PROGRAMME,
        starts_at__lte=now,
        ends_at__gt=now,
    ).exists()
    return (
        in_programme
        and Project.objects.filter(team_id=team.pk, status=ProjectStatus.SUBMITTED).exists()
    )


def project_version_for_jurors(*, project: Project) -> ProjectVersion | None:
    """The version jurors judge: the latest one created at or before the team's deadline.

    None when the project is not submitted (a draft, or withdrawn before the deadline),
    or when no version was submitted in time. Without a deadline (the event has no
    submission phase) it is the latest version. Edits after the deadline (organisers)
    change the living page only, never this.
    """
    if project.status != ProjectStatus.SUBMITTED:
        return None
    versions = ProjectVersion.objects.filter(project_id=project.pk)
    deadline = deadline_for_team(team=project.team)
    if deadline is not None:
        versions = versions.filter(created_at__lte=deadline)
    return versions.order_by("-number").first()


def attached_images() -> QuerySet[ProjectImage]:
    """The images shown on living pages; detached ones are kept only for versions."""
    return ProjectImage.objects.filter(detached_at__isnull=True).order_by("position", "pk")


def project_missing_fields(*, project: Project) -> list[str]:
    """The fields a submission still needs, in the order of the form.

    Required: title, pitch, problem, solution, target group, category, at least one
    challenge, and a code repository or a demo link (a project without code can show a
    demo; most have both). Reads the project's challenges (one query unless prefetched).
    """
    missing = [field for field in REQUIRED_TEXT_FIELDS if not str(getattr(project, field)).strip()]
    if project.pk is None or not project.challenges.all():
        missing.append("challenges")
    if not any(getattr(project, field) for field in REQUIRED_ONE_OF_LINKS):
        missing.append("repository_url")
    return missing


def project_snapshot(*, project: Project) -> dict:
    """The frozen copy a submission stores (and the editor compares with the last one)."""
    images = list(attached_images().filter(project=project))
    return {
        "title": project.title,
        "pitch": project.pitch,
        "problem": project.problem,
        "solution": project.solution,
        "target_group": project.target_group,
        "how_it_works": project.how_it_works,
        "next_steps": project.next_steps,
        "category": project.category,
        "repository_url": project.repository_url,
        "video_url": project.video_url,
        "demo_url": project.demo_url,
        "slides_url": project.slides_url,
        "licence": project.licence,
        "team": {"id": project.team_id, "name": project.team.name},
        "challenges": [
            {"id": challenge.pk, "number": challenge.number, "title": challenge.title}
            for challenge in project.challenges.order_by("number")
        ],
        "tags": [tag.name for tag in project.tags.order_by("name")],
        "credited_members": [
            {"id": user.pk, "name": str(user.public_name)}
            for user in project.credited_members.order_by("display_name", "pk")
        ],
        "images": [
            {
                "token": image.token,
                "image": image.image.name,
                "thumbnail": image.thumbnail.name,
                "alt_text": image.alt_text,
                "width": image.width,
                "height": image.height,
            }
            for image in images
        ],
    }


def version_display(snapshot: dict) -> dict:
    """A version's snapshot with what a template needs: labels and the images' URLs (the
    versions page and the jurors' review page)."""
    display = dict(snapshot)
    category = snapshot.get("category") or ""
    licence = snapshot.get("licence") or ""
    display["category_label"] = (
        ProjectCategory(category).label if category in ProjectCategory.values else category
    )
    display["licence_label"] = Licence(licence).label if licence in Licence.values else licence
    display["images"] = [
        {
            **image,
            "image_url": default_storage.url(image["image"]),
            "thumbnail_url": default_storage.url(image["thumbnail"]),
        }
        for image in snapshot.get("images", [])
    ]
    return display


def missing_field_label(field: str) -> str:
    """How the editor and the error message name a missing field."""
    if field == "challenges":
        return _("challenges answered")
    if field == "repository_url":
        return _("code repository or demo")
    return Project._meta.get_field(field).verbose_name


def team_for_editor(*, team_pk: int, user) -> Team:
    """The team if the person is one of its members or an organiser; 404 for anyone else."""
    from projects.rules import is_project_member_or_organiser

    team = Team.objects.select_related("event", "challenge").filter(pk=team_pk).first()
    if team is None or not is_project_member_or_organiser(user, team):
        raise Http404("No such team.")
    return team


def project_for_editor(*, team: Team) -> Project | None:
    """The team's project with what the editor shows, or None before it is created."""
    return (
        Project.objects.filter(team=team)
        .select_related("event", "team")
        .prefetch_related(
            "challenges",
            "tags",
            "credited_members",
            Prefetch("images", queryset=attached_images(), to_attr="attached_images"),
        )
        .first()
    )


def project_for_member(*, pk: int, user) -> Project:
    """The project if the person is a member of its team or an organiser; 404 otherwise."""
    from projects.rules import is_project_member_or_organiser

    project = Project.objects.select_related("event", "team").filter(pk=pk).first()
    if project is None or not is_project_member_or_organiser(user, project):
        raise Http404("No such project.")
    return project


def team_for_new_project(*, pk: int, user) -> Team | None:
    """The team of an event this person may see, for creating its project (the API); None
    when there is none. Whether they may is rules.is_project_member_or_organiser."""
    return (
        Team.objects.filter(pk=pk, event__in=events_visible_to(user=user))
        .select_related("event", "challenge")
        .first()
    )


def event_to_filter_by(*, slug: str, user) -> Event | None:
    """The event a list of projects is filtered by, if this person may see it; without
    its schedule (a filter only, not shown)."""
    return events_visible_to(user=user).filter(slug=slug).prefetch_related(None).first()


def only_keys(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects' keys only: a list serializer loads what it shows by them."""
    return projects.select_related(None).prefetch_related(None).only("pk")


def no_projects() -> QuerySet[Project]:
    """An empty list (the API schema is generated without a request)."""
    return Project.objects.none()


def team_member_users(*, team: Team) -> QuerySet:
    """The team's current members as users, in the order they joined."""
    from accounts.models import User

    return User.objects.filter(
        pk__in=Membership.objects.filter(team_id=team.pk).values("user_id")
    ).order_by("display_name", "pk")


def versions_of(*, project: Project) -> QuerySet[ProjectVersion]:
    """The project's versions, newest first, with who submitted them."""
    return (
        ProjectVersion.objects.filter(project=project)
        .select_related("created_by")
        .order_by("-number")
    )


# --- the public gallery and project page (helper B) ------------------------------------------
#
# `projects_for_gallery` is the contract shared by the web gallery (/projects/) and
# GET /api/v1/projects/: both validate the request's query parameters first and pass the
# cleaned values, so both show the same projects.

GALLERY_SORTS = {
    # Drafts (never submitted) last, on every database: only "mine" lists them.
    "newest": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "title": (Lower("title"), "pk"),
}
_GALLERY_WORD = re.compile(r"\w+", re.UNICODE)
GALLERY_MAX_QUERY_LENGTH = 200


def projects_for_gallery(*, event: Event | None, params: Mapping[str, Any]) -> QuerySet[Project]:
    """Submitted projects of `event` (of every public event when None), filtered by
    `params`; newest first, best match first when searching. Drafts and withdrawn
    projects are never listed. A fixed number of queries however many rows: a page costs
    its rows, their challenges (with topic fields) and their images on the page.

    Filters, each optional and combined with AND (blank or None values are ignored):
    - `q`: German full-text search in title (weighted most), pitch, problem, solution and
      how it works on PostgreSQL; case-insensitive containment of every word elsewhere;
    - `challenge`: the public number of a challenge the project answers;
    - `topic`: slug of the topic field of a challenge the project answers;
    - `category`: a ProjectCategory value;
    - `has_video`, `has_code`: True for projects with (False: without) a pitch video or a
      code repository link;
    - `sort`: "newest" or "title"; blank is best match when searching, newest otherwise.
    The caller decides whether the person may see `event` (events_visible_to).
    """
    projects = Project.objects.filter(status=ProjectStatus.SUBMITTED)
    if event is not None:
        projects = projects.filter(event=event)
    else:
        projects = projects.filter(event__is_public=True)
    return _gallery_filtered(projects, params)


def projects_of_member(
    *, user, event: Event | None, params: Mapping[str, Any]
) -> QuerySet[Project]:
    """The projects of the person's teams in every state (GET /api/v1/projects/?mine=true),
    filtered and sorted like the gallery; "newest" puts drafts (never submitted) last."""
    if not user.is_authenticated:
        return Project.objects.none()
    projects = Project.objects.filter(
        team_id__in=Membership.objects.filter(user_id=user.pk).values("team_id")
    )
    if event is not None:
        projects = projects.filter(event=event)
    return _gallery_filtered(projects, params)


def _gallery_prefetch() -> tuple[Prefetch, ...]:
    """What a gallery card (and an item of the API's list) shows besides the project's row."""
    return (
        Prefetch(
            "challenges",
            queryset=Challenge.objects.select_related("topic").order_by("number"),
        ),
        Prefetch("images", queryset=attached_images(), to_attr="public_images"),
    )


def _gallery_filtered(projects: QuerySet[Project], params: Mapping[str, Any]) -> QuerySet[Project]:
    challenge = _gallery_param(params, "challenge")
    if challenge not in (None, ""):
        try:
            number = int(str(challenge).lstrip("#").strip())
        except ValueError:
            return projects.none()
        # EXISTS, not a join: a project answering two matching challenges appears once.
        answers = Project.challenges.through.objects.filter(
            project=OuterRef("pk"), challenge__number=number
        )
        projects = projects.filter(Exists(answers))

    topic = _gallery_param(params, "topic")
    if topic:
        in_topic = Project.challenges.through.objects.filter(
            project=OuterRef("pk"), challenge__topic__slug=topic
        )
        projects = projects.filter(Exists(in_topic))

    category = _gallery_param(params, "category")
    if category:
        projects = projects.filter(category=category)

    for name, field in (("has_video", "video_url"), ("has_code", "repository_url")):
        wanted = _gallery_param(params, name)
        if wanted is True:
            projects = projects.exclude(**{field: ""})
        elif wanted is False:
            projects = projects.filter(**{field: ""})

    projects = projects.select_related("team", "event").prefetch_related(*_gallery_prefetch())

    sort = _gallery_param(params, "sort") or ""
    text = str(_gallery_param(params, "q") or "").strip()[:GALLERY_MAX_QUERY_LENGTH]
    if text:
        projects = _gallery_search(projects, text)
        if sort not in GALLERY_SORTS:
            return projects  # ordered by rank
    return projects.order_by(*GALLERY_SORTS.get(sort, GALLERY_SORTS["newest"]))


# When a project was created, last changed, submitted and withdrawn (the services set them).
LISTED_TIMES = ("created_at", "updated_at", "submitted_at", "withdrawn_at")
# The columns of a project that an item of GET /api/v1/projects/ shows: whose it is, its
# status, its own columns among what the team writes (projects.fields) and its times.
LISTED_FIELDS = ("id", "team_id", "status", *TEXT_FIELDS, *LISTED_TIMES)


def projects_listed(*, ids: list[int]) -> dict[int, dict]:
    """What a page of the API's project list shows, as plain values in five queries: each
    project's columns (with `team__name`, `event__slug`) and its `challenges` (number,
    title, topic slug; by number), `tags` (by name), `credited_members` (id, display name;
    by name) and `images` (attached ones: file names, alt text, size, position; in order).
    No model instances and related managers: 50 projects cost a few milliseconds."""
    rows = {
        row["id"]: {**row, "challenges": [], "tags": [], "credited_members": [], "images": []}
        for row in Project.objects.filter(pk__in=ids).values(
            *LISTED_FIELDS, "team__name", "event__slug"
        )
    }
    through = Project.challenges.through.objects.filter(project_id__in=ids)
    for project_id, *challenge in through.order_by("challenge__number").values_list(
        "project_id", "challenge__number", "challenge__title", "challenge__topic__slug"
    ):
        rows[project_id]["challenges"].append(challenge)
    tags = Project.tags.through.objects.filter(project_id__in=ids).order_by("tag__name")
    for project_id, name in tags.values_list("project_id", "tag__name"):
        rows[project_id]["tags"].append(name)
    credited = Project.credited_members.through.objects.filter(project_id__in=ids)
    for project_id, *person in credited.order_by("user__display_name", "user_id").values_list(
        "project_id", "user_id", "user__display_name"
    ):
        rows[project_id]["credited_members"].append(person)
    for project_id, *image in (
        attached_images()
        .filter(project_id__in=ids)
        .values_list("project_id", "image", "thumbnail", "alt_text", "width", "height", "position")
    ):
        rows[project_id]["images"].append(image)
    return rows


def project_cards(projects: list[Project]) -> list[Project]:
    """Loads what a gallery card shows onto projects fetched without it: their challenges
    (with topic fields) and images, as the gallery's prefetch would (two queries)."""
    prefetch_related_objects(projects, *_gallery_prefetch())
    return projects


def _gallery_param(params: Mapping[str, Any] | None, name: str) -> Any:
    value = params.get(name) if params else None
    return value.strip() if isinstance(value, str) else value


def _gallery_search(projects: QuerySet[Project], text: str) -> QuerySet[Project]:
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # search_document is kept current by a trigger (migration 0002), GIN-indexed.
        query = SearchQuery(text, config="german", search_type="websearch")
        return (
            projects.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", *GALLERY_SORTS["newest"])
        )
    for word in _GALLERY_WORD.findall(text)[:10]:
        projects = projects.filter(
            Q(title__icontains=word)
            | Q(pitch__icontains=word)
            | Q(problem__icontains=word)
            | Q(solution__icontains=word)
            | Q(how_it_works__icontains=word)
        )
    return projects.order_by(*GALLERY_SORTS["newest"])


def project_for_public(*, pk: int, user) -> Project:
    """The project for its public page (and GET /api/v1/projects/{id}/), with everything
    the page shows loaded; 404 unless this person may see it (rules.can_view_project).

    Submitted projects of public events are public. Drafts, withdrawn projects and those
    of unpublished events are seen only by the team's members and organisers.
    """
    from projects.rules import can_view_project

    project = (
        Project.objects.filter(pk=pk)
        .select_related("event", "team")
        .prefetch_related(
            Prefetch(
                "challenges",
                queryset=Challenge.objects.select_related("topic").order_by("number"),
            ),
            "tags",
            Prefetch("credited_members", queryset=User.objects.order_by("display_name", "pk")),
            Prefetch("images", queryset=attached_images(), to_attr="public_images"),
            Prefetch(
                "team__memberships",
                queryset=Membership.objects.select_related("user").order_by("joined_at", "pk"),
            ),
        )
        .first()
    )
    if project is None or not can_view_project(user, project):
        raise Http404("No such project.")
    return project
