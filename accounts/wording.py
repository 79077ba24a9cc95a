"""allauth's strings in our wording: one word per action, and "du" in German.

    action                       German                      English
    log in / the log-in page     Anmelden                    Log in
    log out                      Abmelden                    Log out
    sign up (create an account)  Registrieren                Sign up
    take part in an event        Teilnehmen / Teilnahme      Register (for an event)

allauth says "Sign In" and "Anmeldung" for logging in, and "Sie" on some pages. The
strings below are listed (gettext_noop: nothing calls this module) so that `make
messages` keeps them in our German catalogue, which Django prefers to allauth's
(LOCALE_PATHS come first). The English wording of the same msgids is in
locale/en/LC_MESSAGES/django.po, written by hand: English needs no other entries.
allauth's mails are our own templates (templates/account/email/).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

ALLAUTH_STRINGS = [
    # account/login.html, signup.html, logout.html and their messages
    gettext_noop("Sign In"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Sign Up Closed"),
    gettext_noop("We are sorry, but the sign up is currently closed."),
    # account/reauthenticate.html
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Enter your password:"),
    # socialaccount (only with a provider configured)
    gettext_noop("Sign In Via %(provider)s"),
    gettext_noop("You are about to sign in using a third-party account from %(provider)s."),
    gettext_noop(
        "You can sign in to your account using any of the following third-party accounts:"
    ),
    gettext_noop("An error occurred while attempting to login via your third-party account."),
    gettext_noop("You cannot disconnect your last remaining third-party account."),
    gettext_noop(
        "An account already exists with this email address. Please sign in to that account "
        "first, then connect your %s account."
    ),
]
