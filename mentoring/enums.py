from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed by a mentor")
    CLOSED = "closed", _("Closed")
