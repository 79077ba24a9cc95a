from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from participants.models import Language, Skill
from teams.models import JoinRequest, OpenRole, Team


class TeamForm(forms.ModelForm):
    """What a team says about itself; the same validation serves the web and the API."""

    chat_link = forms.URLField(
        label=_("Chat link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        # The model only takes https:// links; its validator's message would otherwise be
        # replaced by the generic "Enter a valid URL".
        error_messages={"invalid": _("Enter an https:// link.")},
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Slack, Discord, Matrix, … Only members of the team see it."),
    )

    class Meta:
        model = Team
        fields = ["name", "pitch", "languages", "chat_link", "max_size"]
        widgets = {
            "pitch": forms.Textarea(attrs={"rows": 6, "maxlength": 600}),
            "languages": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "name": _("Unique in the event; 3 to 80 characters."),
            "pitch": _("What you want to build, in 20 to 600 characters."),
            "languages": _("The languages the team works in."),
        }

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["languages"].queryset = Language.objects.order_by("name")
        self.fields["languages"].required = False
        lowest = max(self.instance.member_count or 1, 1) if self.instance.pk else 1
        self.fields["max_size"] = forms.IntegerField(
            label=_("Maximum size"),
            required=False,
            min_value=lowest,
            max_value=event.team_max_size,
            help_text=_("At most %(max)d, the limit of this event.") % {"max": event.team_max_size},
        )
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("max_size", event.team_max_size)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def validate_unique(self) -> None:
        # The service reports a taken name (case-insensitively) with a clear message.
        pass

    def service_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in ("name", "pitch", "chat_link")}
        data["languages"] = list(self.cleaned_data["languages"])
        data["max_size"] = self.cleaned_data.get("max_size") or self.event.team_max_size
        return data


class SkillChoiceField(forms.ModelMultipleChoiceField):
    """Refuses values that cannot be a skill's id before asking the database (a 30-digit
    number would overflow the integer column: an error, not "no such skill")."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or len(str(pk)) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class OpenRoleForm(forms.ModelForm):
    other_skills = forms.CharField(
        label=_("Further skills"),
        required=False,
        max_length=400,
        help_text=_("Not in the list? Separated by commas, e.g. Figma, Rust."),
    )

    class Meta:
        model = OpenRole
        fields = ["title", "description", "skills"]
        widgets = {"skills": forms.CheckboxSelectMultiple}
        field_classes = {"skills": SkillChoiceField}
        help_texts = {"skills": _("What the person should bring.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        chosen = Q(pk__in=self.instance.skills.all()) if self.instance.pk else Q(pk__in=[])
        self.fields["skills"].queryset = Skill.objects.filter(Q(is_curated=True) | chosen)
        self.fields["skills"].required = False

    def service_data(self) -> dict:
        return {
            "title": self.cleaned_data["title"],
            "description": self.cleaned_data["description"],
            "skills": list(self.cleaned_data["skills"]),
            "skill_names": [self.cleaned_data["other_skills"]],
        }


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}
        labels = {"message": _("Message to the team")}
        help_texts = {"message": _("Say what you would like to do in the team.")}


class InvitationForm(forms.Form):
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=60, initial=7, required=False
    )


class PersonalInvitationForm(forms.Form):
    """The "invite to my team" button on a person's card: who, and where to come back to."""

    invitee = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class HandOverForm(forms.Form):
    step_down = forms.BooleanField(label=_("and step down as admin myself"), required=False)
