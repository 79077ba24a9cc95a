from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.models import AuditEntry


def audit_log(*, actor, action: str, target: models.Model, data: dict | None = None) -> AuditEntry:
    """Writes one audit entry in the caller's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        data=data or {},
    )


def audit_entries_for(*, target: models.Model):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
    ).select_related("actor")
