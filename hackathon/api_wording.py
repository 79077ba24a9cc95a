"""DRF's messages in our wording: "du" in German, as everywhere else on the site.

DRF ships German, but says "Sie" in its 403. The strings below are listed (gettext_noop:
nothing calls this module) so that `make messages` keeps them in our German catalogue,
which Django prefers to DRF's (LOCALE_PATHS come first). English keeps DRF's words, so
locale/en needs no entries. accounts/wording.py does the same for allauth.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

DRF_STRINGS = [
    # rest_framework.exceptions.PermissionDenied: every 403 of the API
    gettext_noop("You do not have permission to perform this action."),
    # rest_framework.authentication.TokenAuthentication: a wrong or revoked token
    gettext_noop("Invalid token."),
]
