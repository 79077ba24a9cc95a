"""Forms of the organisers' judging pages. Fields, lengths and labels come from the models
(judging.services.ROUND_FIELDS / CRITERION_FIELDS); the services validate. Times are typed
and shown on the event's clock: the views validate and render under the event's time zone.
"""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from challenges.models import Topic
from judging.enums import RoundStatus
from judging.models import Criterion, JudgingRound
from judging.services import CRITERION_FIELDS, ROUND_FIELDS
from judging.services.rounds import (
    CHANGEABLE_WHILE_CLOSED,
    FIXED_ONCE_OPEN,
    REVIEWS_PER_PROJECT_MAX,
    SCALE_BOUND,
    WEIGHT_MAX,
)

_TIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# The services' bounds (judging.services.rounds), so the browser and the form say them
# before the service does; fields_for_model knows only the column's sign.
BOUNDS = {
    "reviews_per_project": {"min_value": 1, "max_value": REVIEWS_PER_PROJECT_MAX},
    "weight": {"min_value": 1, "max_value": WEIGHT_MAX},
    "scale_min": {"min_value": -SCALE_BOUND, "max_value": SCALE_BOUND},
    "scale_max": {"min_value": -SCALE_BOUND, "max_value": SCALE_BOUND},
}


def _bounded(model_field, **kwargs):
    return model_field.formfield(**{**kwargs, **BOUNDS.get(model_field.name, {})})


def locked_fields(round: JudgingRound) -> tuple[str, ...]:
    """The settings round_update no longer changes in this round's state: shown, not edited."""
    if round.status == RoundStatus.PUBLISHED:
        return ROUND_FIELDS
    if round.status == RoundStatus.CLOSED:
        return tuple(field for field in ROUND_FIELDS if field not in CHANGEABLE_WHILE_CLOSED)
    if round.status != RoundStatus.DRAFT:
        return (*FIXED_ONCE_OPEN, "public_vote")
    return ()


class RoundForm(forms.Form):
    """A round's settings, for round_create and, given the `round`, round_update: then the
    settings its state fixes are disabled (a browser does not send them; the form keeps the
    round's values), and the service refuses them all the same."""

    def __init__(self, *args, event, round: JudgingRound | None = None, **kwargs) -> None:
        if round is not None:
            kwargs.setdefault("initial", self.initial_for(round))
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                JudgingRound,
                fields=ROUND_FIELDS,
                widgets={"opens_at": _TIME_WIDGET, "closes_at": _TIME_WIDGET},
                formfield_callback=_bounded,
            )
        )
        self.fields["topic"].queryset = Topic.objects.filter(event=event).order_by("name")
        for field in ("opens_at", "closes_at"):
            self.fields[field].help_text = _(
                "Date and time in the time zone of the event (%s)."
            ) % (event.time_zone)
        for field in locked_fields(round) if round is not None else ():
            self.fields[field].disabled = True

    @staticmethod
    def initial_for(round: JudgingRound) -> dict:
        return {field: getattr(round, field) for field in ROUND_FIELDS}


class CriterionForm(forms.Form):
    """One criterion of a round (its position stays where it is)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = [field for field in CRITERION_FIELDS if field != "position"]
        self.fields.update(
            fields_for_model(
                Criterion,
                fields=fields,
                widgets={"guidance": forms.Textarea(attrs={"rows": 2})},
                formfield_callback=_bounded,
            )
        )

    @staticmethod
    def initial_for(criterion: Criterion) -> dict:
        return {
            field: getattr(criterion, field) for field in CRITERION_FIELDS if field != "position"
        }


class JurorAddForm(forms.Form):
    """A person with an account, by e-mail address, into the round's pool."""

    email = forms.EmailField(label=_("E-mail address of their account"))
    expertise = forms.ModelMultipleChoiceField(
        label=_("Expertise"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = Topic.objects.filter(event=event).order_by("name")
