"""The finder's selects (PrebuiltOptionsSelect) write the HTML of Django's own select
templates, whatever is chosen, in each language."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from teams.finder_views import PrebuiltOptionsSelect, TeamFinderForm

CHOICES = [
    ("", _("Any skill")),
    ("ux", "UX & Design"),
    ("a<b", 'Quote " and <tag>'),
    ("safe", mark_safe("<i>kursiv</i>")),
    (3, "Drei"),
]


def _form(widget, data):
    class Form(forms.Form):
        default_renderer = DjangoTemplates()
        skill = forms.ChoiceField(
            required=False, choices=CHOICES, widget=widget, help_text="Hilfe & mehr"
        )

    return Form(data)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "data", [None, {}, {"skill": "ux"}, {"skill": "a<b"}, {"skill": "3"}, {"skill": "nichts"}]
)
def test_prebuilt_select_writes_the_templates_html(language, data):
    with translation.override(language):
        for _round in range(2):  # built, then from what was built
            prebuilt = str(_form(PrebuiltOptionsSelect, data)["skill"])
            django = str(_form(forms.Select, data)["skill"])
            assert prebuilt == django
    blank = {"de": "Beliebige Fähigkeit", "en": "Any skill"}[language]
    assert f'<option value=""{" selected" if not data else ""}>{blank}</option>' in prebuilt


def test_prebuilt_select_marks_one_option_selected():
    html = str(_form(PrebuiltOptionsSelect, {"skill": "ux"})["skill"])
    assert html.count(" selected") == 1
    assert '<option value="ux" selected>UX &amp; Design</option>' in html


def test_prebuilt_select_follows_changed_choices():
    first = str(_form(PrebuiltOptionsSelect, None)["skill"])
    CHOICES.append(("neu", "Neue Fähigkeit"))
    try:
        second = str(_form(PrebuiltOptionsSelect, None)["skill"])
    finally:
        CHOICES.pop()
    assert "Neue Fähigkeit" not in first and '<option value="neu">Neue Fähigkeit</option>' in second


def test_finder_form_uses_it_for_every_select(db):
    form = TeamFinderForm(event=None)
    for name in ("topic", "skill", "language", "region"):
        assert isinstance(form.fields[name].widget, PrebuiltOptionsSelect), name
