"""Every field of our models has a translatable name: the admin shows it as column header,
form label and filter title ("Nach event" and "USER / ADDED AT" were field names)."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.utils.functional import Promise

OUR_APPS = set(settings.LOCAL_APPS)


def test_every_model_field_has_a_translatable_verbose_name():
    untranslated = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if not field.auto_created
        and not isinstance(field, GenericForeignKey)  # takes no verbose_name
        and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []


def test_every_model_has_translatable_names():
    untranslated = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not (
            isinstance(model._meta.verbose_name, Promise)
            and isinstance(model._meta.verbose_name_plural, Promise)
        )
    ]
    assert untranslated == []
