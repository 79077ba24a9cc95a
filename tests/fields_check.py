"""The check both field lists (challenges.fields, projects.fields) pass: a field added to the
list reaches every consumer.

It runs in a fresh process: the consumers are built when their modules are imported, so the
list is changed before Django loads anything (and the model gets the field it names).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

ADD_A_FIELD = """
import importlib
import json

import django
from django.db import models
from django.db.models.signals import class_prepared

fields = importlib.import_module({fields_module!r})


def add_the_field(sender, **kwargs):
    if sender._meta.label == {model!r}:
        field = models.CharField({name!r}, max_length=40, blank=True)
        field.contribute_to_class(sender, {name!r})


class_prepared.connect(add_the_field)
for list_name in {lists!r}:
    setattr(fields, list_name, getattr(fields, list_name) + ({name!r},))
django.setup()

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

request = RequestFactory().get("/")
request.user = get_user_model()(is_active=True, is_superuser=True)  # not saved: no database
admin_form = admin.site._registry[apps.get_model({model!r})].get_form(request)
{consumers}
print(json.dumps({{key: bool(value) for key, value in reaches.items()}}))
"""


def where_an_added_field_arrives(*, model, fields_module, lists, name, consumers):
    """Adds the CharField `name` to `model` and to the `lists` of `fields_module`, then runs
    `consumers`: code that imports them and sets `reaches` to a dict of checks (`admin_form`
    is the admin's form, built for a superuser). Returns the checks as booleans."""
    script = ADD_A_FIELD.format(
        fields_module=fields_module, model=model, lists=tuple(lists), name=name, consumers=consumers
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hackathon.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])
