"""The juror's review form: one choice of the scale per criterion, the two texts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from judging.models import Criterion
from judging.services.reviews import TEXT_MAX_LENGTH, score_field


class ReviewForm(forms.Form):
    """Scores are optional here: the service decides what a draft and a submission need,
    so that a draft keeps whatever was chosen so far."""

    comment_for_organisers = forms.CharField(
        label=_("Comment for the organisers"),
        help_text=_("Only the organisers read it."),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    feedback_for_team = forms.CharField(
        label=_("Feedback for the team (optional)"),
        help_text=_(
            "Shown to the team after the results are published, without your name. "
            "Helpful and friendly, please."
        ),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        score_fields = {}
        for criterion in criteria:
            score_fields[score_field(criterion.pk)] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.guidance,
                choices=[
                    (value, str(value))
                    for value in range(criterion.scale_min, criterion.scale_max + 1)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        # The criteria first, in their order, then the texts.
        self.fields = {**score_fields, **self.fields}

    def criterion_fields(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(criterion, self[score_field(criterion.pk)]) for criterion in self.criteria]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {
                criterion.pk: data.get(score_field(criterion.pk)) for criterion in self.criteria
            },
            "comment_for_organisers": data.get("comment_for_organisers", ""),
            "feedback_for_team": data.get("feedback_for_team", ""),
        }
