"""The fast form renderer writes exactly the HTML of Django's form templates."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from challenges.forms import ChallengeFilterForm
from hackathon.forms import FAST_RENDERER
from projects.gallery_views import GalleryFilterForm
from teams.finder_views import TeamFinderForm
from tests.factories import LanguageFactory, OpenRoleFactory, SkillFactory, TopicFactory

TEMPLATES = DjangoTemplates()


class EveryWidgetForm(forms.Form):
    text = forms.CharField(
        label='Name & "Titel"',
        max_length=20,
        help_text="<b>Hilfe</b>",
        widget=forms.TextInput(attrs={"placeholder": 'z. B. "Bett" & <Radar>', "autofocus": True}),
    )
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    number = forms.IntegerField(required=False, min_value=1, widget=forms.NumberInput())
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    flag = forms.BooleanField(required=False, label="Mit Video?")
    choice = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Alle"),
            ("a", "A & B"),
            ("Gruppe <1>", [("x", "Ix"), ("y", mark_safe("<i>Ypsilon</i>"))]),
            (3, "Drei"),
        ],
    )
    multiple = forms.MultipleChoiceField(
        required=False, choices=[("p", "P"), ("q", "Q")], widget=forms.SelectMultiple
    )
    disabled = forms.CharField(required=False, disabled=True, initial="fest")


class FormWithErrors(forms.Form):
    token = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(required=False, help_text="Hilfe")

    def clean(self):
        raise forms.ValidationError("Das geht so nicht & nie.")


class OnlyHidden(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def _both(form_class, data, **kwargs) -> tuple[str, str]:
    fast = form_class(data, renderer=FAST_RENDERER, **kwargs)
    slow = form_class(data, renderer=TEMPLATES, **kwargs)
    return str(fast.as_div()), str(slow.as_div())


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"text": "Bettenradar", "number": "3", "flag": "on", "choice": "y", "multiple": ["q"]},
        {"text": "x" * 30, "number": "zwei", "email": "kein", "choice": "nope", "hidden": "<"},
        {"search": 'a "b" <c>', "choice": "3", "url": "example.org"},
    ],
)
def test_every_widget_renders_as_with_the_templates(data):
    fast, slow = _both(EveryWidgetForm, data)

    assert fast == slow


@pytest.mark.parametrize("data", [None, {"token": "x"}, {"token": "1", "name": "a"}])
@pytest.mark.parametrize("form_class", [FormWithErrors, OnlyHidden])
def test_top_errors_and_hidden_fields_render_as_with_the_templates(form_class, data):
    fast, slow = _both(form_class, data)

    assert fast == slow


@pytest.fixture
def event(db):
    from tests.factories import EventFactory

    event = EventFactory()
    TopicFactory(event=event, name="Gesundheit & Pflege", slug="gesundheit")
    TopicFactory(event=event, name="Bildung", slug="bildung")
    skill = SkillFactory(name="Python", is_curated=True)
    OpenRoleFactory(team__event=event, skills=[skill, SkillFactory(name="Rust <3")])
    LanguageFactory(code="de", name="Deutsch")
    return event


@pytest.mark.parametrize(
    "data",
    [None, {"event": "x"}, {"q": "Betten", "topic": "bildung", "challenge": "12", "sort": "x"}],
)
def test_filter_forms_render_as_with_the_templates(event, data):
    from challenges import selectors

    topics = list(selectors.topics_with_counts(event=event))
    for form_class, kwargs in (
        (TeamFinderForm, {"event": event}),
        (GalleryFilterForm, {"event": event}),
        (ChallengeFilterForm, {"topics": topics}),
    ):
        fast, slow = _both(form_class, data, **kwargs)
        assert fast == slow, form_class.__name__


def test_filter_forms_use_the_fast_renderer(event):
    assert TeamFinderForm(event=event).renderer is FAST_RENDERER
    assert GalleryFilterForm(event=event).renderer is FAST_RENDERER
    assert ChallengeFilterForm().renderer is FAST_RENDERER
