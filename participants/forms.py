from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.enums import State
from events.models import Event
from participants import selectors
from participants.enums import (
    MAX_SKILLS,
    SELF_REGISTRATION_ROLES,
    Availability,
    EventRole,
    ProfileVisibility,
)
from participants.models import Language, Profile, Skill
from participants.services import MAX_TAG_LENGTH, split_tags


class RegistrationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("I take part as"),
        choices=[(role.value, role.label) for role in SELF_REGISTRATION_ROLES],
        initial=EventRole.PARTICIPANT,
        widget=forms.RadioSelect,
        help_text=_("Mentors help teams with their knowledge and are not part of a team."),
    )
    looking_for_team = forms.BooleanField(
        label=_("I am looking for a team"),
        required=False,
        initial=True,
        help_text=_(
            "Team admins can then find you in the people finder "
            "(depending on who may see your profile)."
        ),
    )
    accept_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and accept it."),
        required=True,
        error_messages={"required": _("Please accept the code of conduct to register.")},
    )


class ProfileForm(forms.Form):
    """The profile page; skills are rendered as checkboxes grouped by category."""

    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=Profile._meta.get_field("bio").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you do and what you would like to work on."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free_skills = forms.CharField(
        label=_("Other skills"),
        required=False,
        max_length=600,
        help_text=_("Skills missing from the list, separated by commas, e.g. Rust, Figma."),
    )
    topic_interests = forms.ModelMultipleChoiceField(
        label=_("Topic interests"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The topic fields of the events you registered for."),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages I work in"),
        queryset=Language.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(
        label=_("Federal state"),
        required=False,
        choices=[("", _("Not stated")), *list(State.choices)],
    )
    availability = forms.ChoiceField(
        label=_("Availability during the hackathon"),
        required=False,
        choices=[("", _("Not stated")), *list(Availability.choices)],
    )
    visibility = forms.ChoiceField(
        label=_("Who may see my profile"),
        choices=ProfileVisibility.choices,
        initial=ProfileVisibility.PARTICIPANTS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, profile: Profile, **kwargs) -> None:
        if profile.pk and "initial" not in kwargs:
            kwargs["initial"] = {
                "bio": profile.bio,
                "skills": [s.pk for s in profile.skills.all() if s.is_curated],
                "free_skills": ", ".join(s.name for s in profile.skills.all() if not s.is_curated),
                "topic_interests": [t.pk for t in profile.topic_interests.all()],
                "languages": [lang.pk for lang in profile.languages.all()],
                "region": profile.region,
                "availability": profile.availability,
                "visibility": profile.visibility,
            }
        super().__init__(*args, **kwargs)
        self.skill_groups_data = selectors.curated_skills_by_category()
        self.fields["skills"].queryset = Skill.objects.filter(is_curated=True)
        self.fields["topic_interests"].queryset = selectors.topics_for_profile(user=user)
        self.fields["languages"].queryset = selectors.languages_all()

    def skill_groups(self) -> list[tuple[str, list[tuple[Skill, bool]]]]:
        """(category, [(skill, checked)]) for the grouped checkboxes."""
        if self.is_bound:
            chosen = set(self.data.getlist("skills") if hasattr(self.data, "getlist") else [])
        else:
            chosen = {str(pk) for pk in self.initial.get("skills", [])}
        return [
            (category or _("Other"), [(skill, str(skill.pk) in chosen) for skill in skills])
            for category, skills in self.skill_groups_data
        ]

    def clean_free_skills(self) -> list[str]:
        names = split_tags(self.cleaned_data.get("free_skills", ""))
        if any(len(name) > MAX_TAG_LENGTH for name in names):
            raise forms.ValidationError(
                _("A skill can be at most %(max)d characters long."), params={"max": MAX_TAG_LENGTH}
            )
        return names

    def clean(self) -> dict:
        data = super().clean()
        curated = list(data.get("skills") or [])
        curated_names = {skill.name.lower() for skill in curated}
        tags = [n for n in data.get("free_skills") or [] if n.lower() not in curated_names]
        if len(curated) + len(tags) > MAX_SKILLS:
            self.add_error(
                "free_skills",
                forms.ValidationError(
                    _("Please choose at most %(max)d skills."), params={"max": MAX_SKILLS}
                ),
            )
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "bio": data["bio"],
            "skills": list(data["skills"]),
            "free_skills": data["free_skills"],
            "topic_interests": list(data["topic_interests"]),
            "languages": list(data["languages"]),
            "region": data["region"],
            "availability": data["availability"],
            "visibility": data["visibility"],
        }


class PeopleFilterForm(forms.Form):
    """Filters of the people finder and of the participants API (same names, same checks)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=selectors.MAX_TEXT_SEARCH,
        help_text=_("In display names and bios."),
    )
    skill = forms.CharField(label=_("Skill"), required=False, max_length=60)
    topic = forms.CharField(label=_("Topic field"), required=False, max_length=120)
    language = forms.CharField(label=_("Language"), required=False, max_length=8)
    region = forms.ChoiceField(
        label=_("Federal state"),
        required=False,
        choices=[("", _("All")), *list(State.choices)],
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        groups = selectors.curated_skills_by_category()
        self.fields["skill"].widget = forms.Select(
            choices=[("", _("All"))]
            + [
                (category or _("Other"), [(s.slug, s.label) for s in skills])
                for category, skills in groups
            ]
        )
        self.topics = list(event.topics.order_by("position", "name"))
        self.fields["topic"].widget = forms.Select(
            choices=[("", _("All"))] + [(t.slug, t.name) for t in self.topics]
        )
        self.languages = list(selectors.languages_all())
        self.fields["language"].widget = forms.Select(
            choices=[("", _("All"))] + [(lang.code, lang.name) for lang in self.languages]
        )

    def clean_skill(self) -> str:
        slug = self.cleaned_data["skill"].strip()
        # Free tags are filterable too (the API and links), not only the curated list.
        if slug and not Skill.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Unknown skill."))
        return slug

    def clean_topic(self) -> str:
        slug = self.cleaned_data["topic"].strip()
        if slug and slug not in {t.slug for t in self.topics}:
            raise forms.ValidationError(_("Unknown topic field of this event."))
        return slug

    def clean_language(self) -> str:
        code = self.cleaned_data["language"].strip()
        if code and code not in {lang.code for lang in self.languages}:
            raise forms.ValidationError(_("Unknown language."))
        return code
