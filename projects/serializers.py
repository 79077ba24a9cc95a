"""The projects API's serializers; projects/api.py has the viewset and the rules it applies.

Writes are validated by the editor's form (projects.forms.ProjectForm), so the web and the
API accept and refuse the same input.
"""

from __future__ import annotations

import copy
import re
from types import SimpleNamespace

from django.core.files.storage import FileSystemStorage
from django.db.models import BigIntegerField
from django.utils.encoding import filepath_to_uri, iri_to_uri
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.models import User
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, Tag, Topic
from events.models import Event
from hackathon.serializers import (
    FilterSerializer,
    Serializer,
    datetime_representation,
    model_field,
)
from projects.fields import EDITABLE_FIELDS, RELATION_FIELDS, TEXT_FIELDS
from projects.forms import ProjectForm
from projects.models import Project, ProjectImage, ProjectVersion
from projects.selectors import GALLERY_SORTS, LISTED_TIMES, projects_listed, team_member_users
from teams.models import Team

# The form looks lists of ids and numbers up with `__in`, which fails (a 500) for a number
# past 64 bits: no database column holds one.
LARGEST_ID = BigIntegerField.MAX_BIGINT


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


# --- reading ----------------------------------------------------------------------------------


class ProjectFilterSerializer(FilterSerializer):
    """The list's query parameters, as in the gallery; a bad value is a 400 naming it."""

    event = model_field(
        Event, "slug", required=False, help_text="Slug of the event (default: every public one)."
    )
    search = serializers.CharField(
        required=False, max_length=200, help_text="Full-text search (German)."
    )
    challenge = serializers.IntegerField(
        required=False, min_value=1, help_text="Public number of a challenge the project answers."
    )
    topic = model_field(
        Topic, "slug", required=False, help_text="Slug of the topic field of its challenge."
    )
    category = model_field(Project, "category", allow_blank=False)
    has_video = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="With (true) or without a video."
    )
    has_code = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="With (true) or without a code repository link.",
    )
    sort = serializers.ChoiceField(
        choices=list(GALLERY_SORTS),
        required=False,
        help_text="Default: best match when searching, newest otherwise.",
    )
    mine = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only the projects of your own teams, in every state (drafts too).",
    )

    def validate_mine(self, value: bool) -> bool:
        request = self.context.get("request")
        if value and not (request and request.user.is_authenticated):
            raise ValidationError(_("Log in to list the projects of your teams."))
        return value

    def selector_params(self) -> dict:
        params = {k: v for k, v in self.validated_data.items() if k not in ("event", "mine")}
        params["q"] = params.pop("search", "")
        return params


class ProjectTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The team's page on the site.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, team) -> str:
        return _absolute(self.context.get("request"), team.get_absolute_url())


class ProjectChallengeSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Challenge
        fields = ["number", "title", "topic"]
        read_only_fields = fields


class CreditedMemberSerializer(serializers.Serializer):
    """A credited person as others see them: the public name, never the e-mail address."""

    id = serializers.IntegerField(read_only=True, help_text="Use it to change the credits.")
    name = serializers.CharField(source="public_name", read_only=True)


class ProjectImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectImage
        fields = ["url", "thumbnail_url", "alt_text", "width", "height", "position"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, image: ProjectImage) -> str:
        return _absolute(self.context.get("request"), image.image.url)

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, image: ProjectImage) -> str:
        return _absolute(self.context.get("request"), image.thumbnail.url)


_LINK_HELP = "An http(s) URL, or empty when the project has none."


class ProjectListSerializer(serializers.ListSerializer):
    """ProjectSerializer(many=True), written from plain values (projects_listed) instead of
    one serializer per project and field: a page of 50 costs a few milliseconds instead of
    80. The same JSON as ProjectSerializer gives (tests/projects/test_api_list.py). Give it
    projects with their primary keys: it loads the rest itself."""

    def to_representation(self, data) -> list[dict]:
        projects = list(data.all() if hasattr(data, "all") else data)
        rows = projects_listed(ids=[project.pk for project in projects])
        absolute = _absolutizer(self.context.get("request"))
        image_url = _file_url(ProjectImage._meta.get_field("image").storage)
        thumbnail_url = _file_url(ProjectImage._meta.get_field("thumbnail").storage)
        when = datetime_representation()
        # The models' own methods, on the values (they read only these attributes), each
        # called once: the pages' addresses differ only in the number.
        project_url = _by_pk(Project.get_absolute_url)
        team_url = _by_pk(Team.get_absolute_url)
        public_name = User.public_name.fget

        def item(row: dict) -> dict:
            return {
                "id": row["id"],
                "url": absolute(project_url(row["id"])),
                "event": row["event__slug"],
                "team": {
                    "id": row["team_id"],
                    "name": row["team__name"],
                    "url": absolute(team_url(row["team_id"])),
                },
                **{field: row[field] for field in _LISTED_TEXTS},
                "challenges": [
                    {"number": number, "title": title, "topic": topic}
                    for number, title, topic in row["challenges"]
                ],
                **{field: row[field] for field in _LISTED_LINKS},
                "tags": row["tags"],
                "credited_members": [
                    {"id": pk, "name": str(public_name(SimpleNamespace(display_name=name)))}
                    for pk, name in row["credited_members"]
                ],
                "images": [
                    {
                        "url": absolute(image_url(image)),
                        "thumbnail_url": absolute(thumbnail_url(thumbnail)),
                        "alt_text": alt_text,
                        "width": width,
                        "height": height,
                        "position": position,
                    }
                    for image, thumbnail, alt_text, width, height, position in row["images"]
                ],
                **{field: row[field] and when(row[field]) for field in LISTED_TIMES},
            }

        return [item(rows[project.pk]) for project in projects if project.pk in rows]


# A placeholder primary key for _by_pk (digits no route has in its fixed parts).
_PK_PLACEHOLDER = 9081726354


def _by_pk(get_absolute_url):
    """`get_absolute_url` of an object with this primary key, for many keys: reversed once."""
    template = get_absolute_url(SimpleNamespace(pk=_PK_PLACEHOLDER))
    placeholder = str(_PK_PLACEHOLDER)
    if template.count(placeholder) != 1:
        return lambda pk: get_absolute_url(SimpleNamespace(pk=pk))
    return lambda pk: template.replace(placeholder, str(int(pk)))


# What iri_to_uri() and filepath_to_uri() leave as it is (plain ASCII, no character they
# quote): such URLs and names are taken as they are, without quoting them character by
# character.
_URI_AS_IS = re.compile(r"[A-Za-z0-9/#%\[\]=:;$&()+,!?*@'~_.\-]*")
_FILEPATH_AS_IS = re.compile(r"[A-Za-z0-9/~!*()'_.\-]*")


def _file_url(storage):
    """`storage.url` for many files. The local storage's joins its base URL with urljoin();
    for the plain names the images have (projects/<id>/<token>.jpg) that is putting the
    two together."""
    if not (isinstance(storage, FileSystemStorage) and (storage.base_url or "").endswith("/")):
        return storage.url
    base = storage.base_url

    def url(name: str) -> str:
        path = (name if _FILEPATH_AS_IS.fullmatch(name) else filepath_to_uri(name)).lstrip("/")
        if path.startswith(".") or "/." in path or ":" in path:
            return storage.url(name)
        return base + path

    return url


def _absolutizer(request):
    """`_absolute(request, url)` for many URLs: build_absolute_uri() parses each one; a
    path of this site only needs the scheme and host in front (which is what it does)."""
    if request is None:
        return lambda url: url
    site = request.build_absolute_uri("/")[:-1]

    def absolute(url: str) -> str:
        if (
            url.startswith("/")
            and not url.startswith("//")
            and "/./" not in url
            and "/../" not in url
        ):
            url = site + url
            return url if _URI_AS_IS.fullmatch(url) else iri_to_uri(url)
        return request.build_absolute_uri(url)

    return absolute


# The project's own columns (projects.fields) before and after `challenges`, its first
# relation, where ProjectSerializer's Meta.fields shows them; the list writes its items so.
_FIRST_RELATION = EDITABLE_FIELDS.index("challenges")
_LISTED_TEXTS = ("status", *EDITABLE_FIELDS[:_FIRST_RELATION])
_LISTED_LINKS = tuple(name for name in EDITABLE_FIELDS[_FIRST_RELATION:] if name in TEXT_FIELDS)


class ProjectSerializer(serializers.ModelSerializer):
    """A project as its page shows it. Drafts and withdrawn projects only ever reach the
    team's members and organisers."""

    url = serializers.SerializerMethodField(help_text="The project's page on the site.")
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    team = ProjectTeamSerializer(read_only=True)
    challenges = ProjectChallengeSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    credited_members = CreditedMemberSerializer(many=True, read_only=True)
    images = ProjectImageSerializer(source="public_images", many=True, read_only=True)
    # The links are optional: "" when there is none, which `format: uri` would forbid.
    repository_url = serializers.CharField(read_only=True, help_text=_LINK_HELP)
    video_url = serializers.CharField(read_only=True, help_text=_LINK_HELP)
    demo_url = serializers.CharField(read_only=True, help_text=_LINK_HELP)
    slides_url = serializers.CharField(read_only=True, help_text=_LINK_HELP)

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "event",
            "team",
            "status",
            # What the team writes (projects.fields), then what only the page shows.
            *EDITABLE_FIELDS,
            "images",
            *LISTED_TIMES,
        ]
        read_only_fields = fields
        list_serializer_class = ProjectListSerializer

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, project: Project) -> str:
        return _absolute(self.context.get("request"), project.get_absolute_url())


class ProjectVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField(help_text="Who submitted it (public name).")
    for_jurors = serializers.SerializerMethodField(
        help_text="This is the version jurors see: the last one submitted by the deadline."
    )
    snapshot = serializers.JSONField(
        read_only=True, help_text="The project as it was submitted: texts, links, images."
    )

    class Meta:
        model = ProjectVersion
        fields = ["number", "created_at", "created_by", "for_jurors", "snapshot"]
        read_only_fields = fields

    def get_created_by(self, version: ProjectVersion) -> str | None:
        return str(version.created_by.public_name) if version.created_by else None

    def get_for_jurors(self, version: ProjectVersion) -> bool:
        return version.pk == self.context.get("jurors_version_id")


# --- writing ----------------------------------------------------------------------------------

# The writes take each of the project's columns as the column is (model_field), with these
# options on top.
_TEXT_FIELD_OPTIONS = {
    "title": {"required": False, "help_text": "Default: the team's name."},
    "licence": {"help_text": "SPDX identifier."},
}
_TEXT_WRITE_FIELDS = {
    name: model_field(Project, name, **_TEXT_FIELD_OPTIONS.get(name, {})) for name in TEXT_FIELDS
}


class ProjectWriteSerializer(Serializer):
    """Creating the team's draft (POST, with `team`) or changing it (PATCH, every field
    optional; only the fields sent change). Submitting checks the required fields."""

    team = serializers.IntegerField(help_text="Id of your team (only when creating).")
    # Then the TEXT_FIELDS (get_fields), then the relations.
    challenges = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=LARGEST_ID),
        required=False,
        max_length=20,
        help_text="Public numbers of published challenges of the event. "
        "Default when creating: the team's challenge.",
    )
    tags = serializers.ListField(child=model_field(Tag, "name"), required=False, max_length=20)
    credited_members = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=LARGEST_ID),
        required=False,
        max_length=100,
        help_text="Ids of team members. Default when creating: every member.",
    )

    def get_fields(self) -> dict:
        declared = super().get_fields()
        texts = copy.deepcopy(_TEXT_WRITE_FIELDS)
        return {"team": declared.pop("team"), **texts, **declared}

    def __init__(self, *args, team=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        if self.instance is not None:
            # A project stays with its team: naming one is an error.
            self.fields["team"].read_only = True
            self.fields["team"].required = False

    def validate(self, attrs: dict) -> dict:
        """Runs the editor's form on the project as it would become, then keeps the
        fields that were sent (PATCH) or all of them (POST)."""
        project: Project | None = self.instance
        team = project.team if project is not None else self.team
        sent = [name for name in (*TEXT_FIELDS, *RELATION_FIELDS) if name in attrs]
        # The form writes the cleaned values onto its instance: give it a copy.
        form = ProjectForm(
            data=self._form_data(attrs, project, team),
            instance=copy.copy(project) if project is not None else None,
            team=team,
        )
        if not form.is_valid():
            raise ValidationError(
                {
                    ("non_field_errors" if field == "__all__" else field): list(errors)
                    for field, errors in form.errors.items()
                }
            )
        data = form.service_data()
        if project is not None:
            data = {name: value for name, value in data.items() if name in sent}
        return {"_data": data}

    @staticmethod
    def _form_data(attrs: dict, project: Project | None, team) -> dict:
        data = {}
        for name in TEXT_FIELDS:
            if name in attrs:
                data[name] = attrs[name]
            elif project is not None:
                data[name] = getattr(project, name)
        if project is None:
            data.setdefault("title", team.name[: Project._meta.get_field("title").max_length])
        if "challenges" in attrs:
            data["challenges"] = attrs["challenges"]
        elif project is not None:
            data["challenges"] = [c.number for c in project.challenges.all()]
        elif team.challenge.status == ChallengeStatus.PUBLISHED:
            data["challenges"] = [team.challenge.number]
        if "tags" in attrs:
            data["tags"] = attrs["tags"]
        elif project is not None:
            data["tags"] = [tag.name for tag in project.tags.all()]
        if "credited_members" in attrs:
            data["credited_members"] = attrs["credited_members"]
        elif project is not None:
            data["credited_members"] = [user.pk for user in project.credited_members.all()]
        else:
            # As in the web editor: a new project credits every member.
            data["credited_members"] = list(
                team_member_users(team=team).values_list("pk", flat=True)
            )
        return data
