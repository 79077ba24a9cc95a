"""The project editor's forms; the same validation serves the web and the API."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from challenges.enums import ChallengeStatus
from challenges.forms import parse_tags
from challenges.models import Challenge
from projects.enums import Licence, ProjectCategory
from projects.fields import EDITABLE_FIELDS, RELATION_FIELDS, TEXT_FIELDS
from projects.images import MAX_UPLOAD_BYTES
from projects.models import Project
from projects.services import MAX_TAGS
from teams.models import Team

MAX_CHALLENGES = 5
_NUMBER = re.compile(r"^#?(\d{1,9})$")


class ChallengeNumbersField(forms.Field):
    """Public challenge numbers: "#100065, #100066" from the web, or a list from the API."""

    widget = forms.TextInput

    def to_python(self, value) -> list[int]:
        if value in self.empty_values:
            return []
        items = value if isinstance(value, list | tuple) else re.split(r"[\s,;]+", str(value))
        numbers = []
        for item in items:
            text = str(item).strip()
            if not text:
                continue
            match = _NUMBER.match(text)
            if match is None:
                raise forms.ValidationError(
                    _("“%(value)s” is not a challenge number like #100065."),
                    code="invalid",
                    params={"value": text[:20]},
                )
            if int(match.group(1)) not in numbers:
                numbers.append(int(match.group(1)))
        return numbers


class TagsField(forms.Field):
    """Tag names: comma-separated text from the web, or a list from the API."""

    widget = forms.TextInput
    default_validators = [ProhibitNullCharactersValidator()]

    def run_validators(self, value) -> None:
        for tag in value or []:
            super().run_validators(tag)

    def to_python(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, list | tuple):
            return [str(item).strip() for item in value if str(item).strip()]
        return parse_tags(str(value))


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.public_name)


def _link(label, help_text="") -> forms.URLField:
    return forms.URLField(
        label=label,
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=help_text,
    )


class ProjectForm(forms.ModelForm):
    """What a team writes about its project. Everything may stay empty in a draft except
    the title; submitting checks the required fields (selectors.project_missing_fields)."""

    challenges = ChallengeNumbersField(
        label=_("Challenges answered"),
        required=False,
        help_text=_("Public numbers of the challenges, separated by commas, e.g. #100065."),
    )
    repository_url = _link(_("Code repository"), _("E.g. GitHub or GitLab."))
    video_url = _link(
        _("Pitch video"), _("At most two minutes long, e.g. on YouTube, Vimeo or PeerTube.")
    )
    demo_url = _link(_("Demo"), _("Where people can try the project."))
    slides_url = _link(_("Slides"))
    tags = TagsField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas, e.g. health, open data."),
    )

    class Meta:
        model = Project
        # In the editor's order; `challenges` and `tags` are the fields declared above.
        fields = EDITABLE_FIELDS
        widgets = {
            "pitch": forms.Textarea(attrs={"rows": 3, "maxlength": 280}),
            "problem": forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
            "solution": forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
            "target_group": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "how_it_works": forms.Textarea(attrs={"rows": 8, "maxlength": 6000}),
            "next_steps": forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
            "category": forms.RadioSelect,
            "credited_members": forms.CheckboxSelectMultiple,
        }
        field_classes = {"credited_members": MemberChoiceField}
        help_texts = {
            "title": _("3 to 120 characters."),
            "pitch": _("The project in one or two sentences, at most 280 characters."),
            "problem": _("Which problem does the project solve?"),
            "solution": _("How does the project solve it?"),
            "target_group": _("Who benefits from it?"),
            "how_it_works": _("The technology and how the parts work together."),
            "next_steps": _("What would the project need to carry on?"),
            "licence": _("The licence of the code, by its SPDX identifier."),
            "credited_members": _("The members who worked on the project."),
        }

    def __init__(self, *args, team: Team, **kwargs) -> None:
        if kwargs.get("instance") is None:
            kwargs["instance"] = Project(team=team, event_id=team.event_id)
        super().__init__(*args, **kwargs)
        self.team = team
        # The ModelForm put the instance's related objects here; these two fields take
        # text, which is set below unless the caller gave it.
        for name in ("challenges", "tags"):
            if name not in (kwargs.get("initial") or {}):
                self.initial.pop(name, None)
        from projects.selectors import team_member_users

        self.fields["credited_members"].queryset = team_member_users(team=team)
        self.fields["credited_members"].required = False
        self.fields["category"].choices = list(ProjectCategory.choices)
        self.fields["licence"].choices = [("", _("Not chosen yet")), *Licence.choices]
        if self.is_bound:
            return
        if self.instance.pk:
            self.initial.setdefault(
                "challenges",
                ", ".join(c.public_number for c in self.instance.challenges.all()),
            )
            self.initial.setdefault("tags", ", ".join(t.name for t in self.instance.tags.all()))
        else:
            # A new project: the team's own challenge, all members credited.
            self.initial["title"] = self.initial.get("title") or team.name
            if team.challenge.status == ChallengeStatus.PUBLISHED:
                self.initial.setdefault("challenges", team.challenge.public_number)
            self.initial["credited_members"] = self.initial.get("credited_members") or [
                user.pk for user in self.fields["credited_members"].queryset
            ]

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_challenges(self) -> list[Challenge]:
        numbers = self.cleaned_data["challenges"]
        if len(numbers) > MAX_CHALLENGES:
            raise forms.ValidationError(
                _("At most %(max)d challenges, please."), params={"max": MAX_CHALLENGES}
            )
        found = {
            challenge.number: challenge
            for challenge in Challenge.objects.filter(
                event_id=self.team.event_id, number__in=numbers, status=ChallengeStatus.PUBLISHED
            )
        }
        unknown = [f"#{number}" for number in numbers if number not in found]
        if unknown:
            raise forms.ValidationError(
                _("No published challenge of this event has the number %(numbers)s."),
                params={"numbers": ", ".join(unknown)},
            )
        return [found[number] for number in numbers]

    def clean_tags(self) -> list[str]:
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("At most %(max)d tags, please."), params={"max": MAX_TAGS}
            )
        if any(len(tag) > 60 for tag in tags):
            raise forms.ValidationError(_("A tag has at most 60 characters."))
        return tags

    def service_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in TEXT_FIELDS}
        data.update({field: list(self.cleaned_data[field]) for field in RELATION_FIELDS})
        return data


class ImageUploadForm(forms.Form):
    """One image; its content is checked by the service (projects.images)."""

    image = forms.FileField(
        label=_("Image"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    alt_text = forms.CharField(
        label=_("Description of the image"),
        max_length=200,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = gettext("JPEG, PNG, WebP or GIF, at most %(max)d MB.") % {
            "max": MAX_UPLOAD_BYTES // 1024 // 1024
        }
