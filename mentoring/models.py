from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.enums import HelpRequestStatus
from participants.models import Skill
from teams.models import Team


class HelpRequest(models.Model):
    """A team's question for a mentor; exactly one mentor can claim it."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("team")
    )
    skill = models.ForeignKey(
        Skill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("skill"),
    )
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    question = models.TextField(_("question"), max_length=2000, validators=[MinLengthValidator(10)])
    contact = models.CharField(
        _("how to reach us"),
        max_length=300,
        help_text=_("A chat channel, a video call link, a table number …"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=HelpRequestStatus.choices,
        default=HelpRequestStatus.OPEN,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_help_requests",
        verbose_name=_("mentor"),
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=HelpRequestStatus.OPEN)
                | Q(mentor__isnull=False)
                | Q(status=HelpRequestStatus.CLOSED),
                name="mentoring_claimed_help_has_mentor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.question[:40]}"
