"""The teams API's serializers; the teams/api package has the viewsets and the rules they apply."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from challenges.enums import ChallengeStatus, State
from challenges.models import Challenge, Topic
from events.models import Event
from events.selectors import events_visible_to
from hackathon.serializers import FilterSerializer, Serializer, model_field
from participants.models import Language, Skill
from teams import rules
from teams.enums import MemberRole
from teams.forms import TeamForm
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team
from teams.selectors import teams_listed


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class OpenRoleSerializer(serializers.ModelSerializer):
    skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = OpenRole
        fields = ["id", "title", "description", "skills"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    """A member as others see them: the public name, never the e-mail address."""

    user = serializers.IntegerField(
        source="user_id", read_only=True, help_text="Their participant id (profile, admin actions)."
    )
    name = serializers.CharField(source="user.public_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "name", "role", "joined_at"]
        read_only_fields = fields


class TeamListSerializer(serializers.ListSerializer):
    """TeamSerializer(many=True), written from plain values (teams_listed) instead of one
    serializer per team, role and field: the same JSON as TeamSerializer gives
    (tests/teams/test_api_list.py). Give it teams with their primary keys."""

    _datetime = serializers.DateTimeField()

    def to_representation(self, data) -> list[dict]:
        teams = list(data.all() if hasattr(data, "all") else data)
        rows = teams_listed(ids=[team.pk for team in teams])
        request = self.context.get("request")
        site = request.build_absolute_uri("/")[:-1] if request is not None else ""
        when = self._datetime.to_representation
        # The model's own method, on the values (it reads only the primary key).
        team_url = Team.get_absolute_url

        def item(row: dict) -> dict:
            return {
                "id": row["id"],
                "url": site + team_url(SimpleNamespace(pk=row["id"])),
                "event": row["event__slug"],
                "challenge": row["challenge__number"],
                "challenge_title": row["challenge__title"],
                "name": row["name"],
                "pitch": row["pitch"],
                "languages": row["languages"],
                "max_size": row["max_size"],
                "member_count": row["member_count"],
                "open_places": max(row["max_size"] - row["member_count"], 0),
                "status": row["status"],
                "open_roles": [
                    {key: role[key] for key in ("id", "title", "description", "skills")}
                    for role in row["open_roles"]
                ],
                "created_at": when(row["created_at"]),
                "closed_at": row["closed_at"] and when(row["closed_at"]),
            }

        return [item(rows[team.pk]) for team in teams if team.pk in rows]


class TeamSerializer(serializers.ModelSerializer):
    """A team as the finder lists it."""

    url = serializers.SerializerMethodField(help_text="The team's page on the site.")
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    challenge = serializers.SlugRelatedField(slug_field="number", read_only=True)
    challenge_title = serializers.CharField(source="challenge.title", read_only=True)
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    open_roles = OpenRoleSerializer(many=True, read_only=True)
    open_places = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "url",
            "event",
            "challenge",
            "challenge_title",
            "name",
            "pitch",
            "languages",
            "max_size",
            "member_count",
            "open_places",
            "status",
            "open_roles",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields
        list_serializer_class = TeamListSerializer

    def get_url(self, team: Team) -> str:
        return _absolute(self.context.get("request"), team.get_absolute_url())


class TeamDetailSerializer(TeamSerializer):
    """A team with its members; the chat link only for its members and organisers."""

    members = MemberSerializer(source="memberships", many=True, read_only=True)
    chat_link = serializers.SerializerMethodField(
        help_text="An https:// link, or empty when the team has none. Only for the team's "
        "members and organisers; null for everyone else."
    )
    my_role = serializers.SerializerMethodField(
        help_text="The requesting person's role in the team, or null."
    )

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "members", "chat_link", "my_role"]
        read_only_fields = fields
        list_serializer_class = serializers.ListSerializer  # with members: field by field

    def _role(self, team: Team) -> str | None:
        return rules.member_role(self.context["request"].user, team)

    # Not `format: uri`: a team without a chat link has "".
    @extend_schema_field(serializers.CharField(allow_null=True, read_only=True))
    def get_chat_link(self, team: Team) -> str | None:
        if rules.can_see_chat_link(self.context["request"].user, team):
            return team.chat_link
        return None

    @extend_schema_field(
        serializers.ChoiceField(choices=MemberRole.choices, allow_null=True, read_only=True)
    )
    def get_my_role(self, team: Team) -> str | None:
        return self._role(team)


class TeamWriteSerializer(Serializer):
    """Founding a team (POST) or changing it (PATCH, every field optional).

    Validated by the web form, so both paths accept and refuse the same input."""

    event = model_field(Event, "slug", help_text="Slug of the event (only when founding).")
    challenge = serializers.IntegerField(
        help_text="Public number of a published challenge of the event (only when founding)."
    )
    name = model_field(Team, "name")
    pitch = model_field(Team, "pitch")
    languages = serializers.ListField(
        child=model_field(Language, "code"),
        required=False,
        help_text="Language codes, e.g. ['de', 'en'].",
    )
    chat_link = model_field(Team, "chat_link")
    max_size = model_field(
        Team,
        "max_size",
        required=False,
        help_text="At most the event's team size, which is the default.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # A team stays in its event and with its challenge: naming them is an error.
            for name in ("event", "challenge"):
                self.fields[name].read_only = True
                self.fields[name].required = False

    def validate(self, attrs: dict) -> dict:
        team: Team | None = self.instance
        request = self.context["request"]
        if team is None:
            event = events_visible_to(user=request.user).filter(slug=attrs["event"]).first()
            if event is None:
                raise ValidationError({"event": [_("Unknown event.")]})
            challenge = Challenge.objects.filter(
                event=event, number=attrs["challenge"], status=ChallengeStatus.PUBLISHED
            ).first()
            if challenge is None:
                raise ValidationError(
                    {"challenge": [_("No published challenge of this event has this number.")]}
                )
            attrs["_event"], attrs["_challenge"] = event, challenge
        else:
            event = team.event
        data = {}
        for field in ("name", "pitch", "chat_link", "max_size"):
            if field in attrs:
                data[field] = attrs[field]
            elif team is not None:
                data[field] = getattr(team, field)
        if "languages" in attrs:
            data["languages"] = attrs["languages"]
        elif team is not None:
            data["languages"] = [language.pk for language in team.languages.all()]
        form = TeamForm(
            data={key: ("" if value is None else value) for key, value in data.items()},
            event=event,
            instance=team,
        )
        # A QueryDict-less form reads lists for the multiple choice field directly.
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        cleaned = form.service_data()
        attrs["_data"] = {
            key: value
            for key, value in cleaned.items()
            if team is None or key in attrs or (key == "languages" and "languages" in attrs)
        }
        return attrs


class JoinRequestSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="user.public_name", read_only=True, help_text="The person who asks."
    )

    user = serializers.IntegerField(
        source="user_id",
        read_only=True,
        help_text="Their participant id: /api/v1/participants/{user}/",
    )

    class Meta:
        model = JoinRequest
        fields = ["id", "team", "user", "name", "message", "status", "created_at", "decided_at"]
        read_only_fields = fields


class JoinRequestCreateSerializer(Serializer):
    message = model_field(JoinRequest, "message")


class JoinRequestFilterSerializer(FilterSerializer):
    status = model_field(
        JoinRequest,
        "status",
        required=False,
        help_text="For admins: requests in this state (default pending).",
    )


class InvitationSerializer(serializers.ModelSerializer):
    link = serializers.SerializerMethodField(help_text="The page where the invited person joins.")
    invitee = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The person a personal invitation is for (only they can use it, once); "
        "null for a link anyone who has it may use.",
    )
    invitee_name = serializers.CharField(
        source="invitee.public_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "token",
            "link",
            "invitee",
            "invitee_name",
            "created_at",
            "expires_at",
            "revoked_at",
            "uses",
        ]
        read_only_fields = fields

    def get_link(self, invitation: Invitation) -> str:
        path = reverse("teams:invitation", kwargs={"token": invitation.token})
        return _absolute(self.context.get("request"), path)


class InvitationCreateSerializer(Serializer):
    valid_days = serializers.IntegerField(min_value=1, max_value=60, default=7)
    invitee = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="User id of a participant of the event to invite personally: they are "
        "notified, and only they can use the invitation, once. Leave out for a link.",
    )

    def validate_invitee(self, value: int | None):
        if value is None:
            return None
        user = get_user_model().objects.filter(pk=value, is_active=True).first()
        if user is None:
            raise ValidationError(
                _("You can only invite participants of this event whose profile you can see.")
            )
        return user


class InvitationPreviewSerializer(serializers.Serializer):
    team = TeamSerializer(read_only=True)
    is_valid = serializers.BooleanField(read_only=True)
    problem = serializers.CharField(
        read_only=True, allow_null=True, help_text="Why the link cannot be used, if it cannot."
    )


class TeamFilterSerializer(FilterSerializer):
    """The finder's filters (see teams.selectors.teams_for_finder)."""

    event = model_field(Event, "slug", help_text="Slug of the event. Required.")
    q = serializers.CharField(required=False, max_length=200, help_text="Text in name or pitch.")
    challenge = serializers.IntegerField(
        required=False, min_value=1, help_text="Public number of the challenge."
    )
    topic = model_field(
        Topic, "slug", required=False, help_text="Slug of the challenge's topic field."
    )
    skill = model_field(
        Skill, "slug", required=False, help_text="Slug of a skill an open role wants."
    )
    language = model_field(Language, "code", required=False, help_text="Language code.")
    region = serializers.ChoiceField(
        choices=State.choices,
        required=False,
        help_text="Federal state of the challenge or of a member.",
    )


class AdminHandOverSerializer(Serializer):
    user = serializers.IntegerField(help_text="The member who becomes an admin.")
    step_down = serializers.BooleanField(
        default=False, help_text="Whether you become a plain member at the same time."
    )


class OpenRoleWriteSerializer(Serializer):
    title = model_field(OpenRole, "title")
    description = model_field(OpenRole, "description")
    skills = serializers.ListField(
        child=model_field(Skill, "slug"),
        required=False,
        max_length=20,
        help_text="Slugs of curated skills.",
    )
    other_skills = serializers.ListField(
        child=model_field(Skill, "name"),
        required=False,
        max_length=20,
        help_text="Further skills by name; new ones become free skill tags.",
    )
