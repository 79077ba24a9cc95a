from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProjectCategory(models.TextChoices):
    """The three categories of #WirVsVirus."""

    NEW_BUILD = "new_build", _("New build")
    EXTENSION = "extension", _("Extension of an existing solution")
    COMMERCIAL = "commercial", _("Commercial solution")


class Licence(models.TextChoices):
    """Common licences by their SPDX identifier."""

    MIT = "MIT", "MIT"
    APACHE_2 = "Apache-2.0", "Apache-2.0"
    GPL_3 = "GPL-3.0-or-later", "GPL-3.0-or-later"
    AGPL_3 = "AGPL-3.0-or-later", "AGPL-3.0-or-later"
    LGPL_3 = "LGPL-3.0-or-later", "LGPL-3.0-or-later"
    MPL_2 = "MPL-2.0", "MPL-2.0"
    BSD_3 = "BSD-3-Clause", "BSD-3-Clause"
    EUPL_12 = "EUPL-1.2", "EUPL-1.2"
    CC_BY_4 = "CC-BY-4.0", "CC-BY-4.0"
    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC-BY-SA-4.0"
    CC0 = "CC0-1.0", "CC0-1.0"
    PROPRIETARY = "LicenseRef-Proprietary", _("Proprietary (not open source)")


class ReminderKind(models.TextChoices):
    HOURS_24 = "24h", _("24 hours before the deadline")
    HOURS_2 = "2h", _("2 hours before the deadline")
