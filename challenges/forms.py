from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.enums import ChallengeStatus, GiverType, State
from challenges.fields import EDITABLE_FIELDS
from challenges.models import Challenge, Topic
from challenges.validators import municipality_key_state_errors
from events.models import Event
from hackathon.forms import FAST_RENDERER

MAX_TAGS = 10


def parse_tags(value: str) -> list[str]:
    separators = value.replace("|", ",").replace(";", ",")
    return [tag.strip() for tag in separators.split(",") if tag.strip()]


class ChallengeForm(forms.ModelForm):
    """What a giver writes; the same validation serves the web, the API and the import."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas, e.g. education, digital schools."),
    )

    class Meta:
        model = Challenge
        fields = EDITABLE_FIELDS
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
            "affected": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "desired_outcome": forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
            "municipality_key": forms.TextInput(
                attrs={"inputmode": "numeric", "pattern": "[0-9]{8}", "autocomplete": "off"}
            ),
        }
        help_texts = {
            "problem": _("Describe the problem in at least 30 characters."),
            "contact_email": _("Only organisers see your contact details."),
        }

    def __init__(self, *args, event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["topic"].queryset = Topic.objects.filter(event=event)
        self.fields["topic"].required = False
        if self.instance.pk and "tags" not in self.initial:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())

    def clean_tags(self) -> list[str]:
        tags = parse_tags(self.cleaned_data.get("tags", ""))
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("At most %(max)d tags, please."), params={"max": MAX_TAGS}
            )
        if any(len(tag) > 60 for tag in tags):
            raise forms.ValidationError(_("A tag has at most 60 characters."))
        return tags

    def clean(self) -> dict:
        cleaned = super().clean()
        for field, message in municipality_key_state_errors(
            state=cleaned.get("state", ""), municipality_key=cleaned.get("municipality_key", "")
        ).items():
            self.add_error(field, message)
        giver_type = cleaned.get("giver_type")
        if giver_type and giver_type != GiverType.CITIZEN and not cleaned.get("organisation_name"):
            self.add_error(
                "organisation_name", _("Please name the organisation that brings this challenge.")
            )
        return cleaned

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class ChallengeFilterForm(forms.Form):
    default_renderer = FAST_RENDERER

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.SlugField(label=_("Topic field"), required=False)
    giver_type = forms.ChoiceField(
        label=_("Giver"), required=False, choices=[("", _("All givers")), *GiverType.choices]
    )
    state = forms.ChoiceField(
        label=_("Federal state"), required=False, choices=[("", _("All states")), *State.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("", _("Best match, else newest")),
            ("newest", _("Newest")),
            ("supported", _("Most supported")),
        ],
    )

    def __init__(self, *args, topics=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"] = forms.ChoiceField(
            label=_("Topic field"),
            required=False,
            choices=[("", _("All topic fields")), *[(t.slug, t.name) for t in topics]],
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the giver)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class AssignTopicForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic field"), queryset=Topic.objects.none(), required=False
    )

    def __init__(self, *args, events=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(event__in=events).select_related(
            "event"
        )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Keep this challenge; merge the others into it"), queryset=Challenge.objects.none()
    )

    def __init__(self, *args, candidates=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Challenge.objects.filter(
            pk__in=[c.pk for c in candidates]
        ).filter(status=ChallengeStatus.PUBLISHED)


class ImportForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None)
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma or semicolon separated."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.all()


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=2000,
        help_text=_("Everyone can read questions and answers. No personal data, please."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
