from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.models import HelpRequest
from participants.models import Skill
from teams.models import Team


class HelpRequestForm(forms.ModelForm):
    """What a team asks the mentors; the service checks it again for the API."""

    class Meta:
        model = HelpRequest
        fields = ["skill", "topic", "question", "contact"]
        labels = {"skill": _("Skill you need help with")}
        help_texts = {
            "topic": _("Optional: a topic in a few words, e.g. data protection."),
            "question": _("What are you stuck with? Mentors read this first."),
        }
        widgets = {"question": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Curated skills and those the team's open roles ask for: a short, useful list.
        self.fields["skill"].queryset = (
            Skill.objects.filter(Q(is_curated=True) | Q(open_roles__team=team))
            .distinct()
            .order_by("name")
        )
        self.fields["skill"].required = False
        self.fields["skill"].empty_label = _("Any skill / not sure")
