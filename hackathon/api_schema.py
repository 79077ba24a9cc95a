"""What the API's schema generator asks a viewset for, without reading anything.

drf-spectacular takes a viewset's model from its queryset (for the types of the path
parameters) and builds each view without a real request (`swagger_fake_view`). The api
modules read only through their app's selectors (tests/test_layering.py); the empty
queryset they give the generator comes from here, the one place that builds it.
"""

from __future__ import annotations

from django.db import models


def schema_queryset(model: type[models.Model]) -> models.QuerySet:
    """An empty queryset of `model`: its model for the schema, never a row."""
    return model._default_manager.none()
