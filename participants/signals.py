"""Signals other apps listen to, so participants never has to import the apps built on it.

registration_cancelled: sent inside the transaction that removes a person's
registration, before the row goes, with `event` and `user`. Receivers run in that
transaction (teams withdraws the person's pending join requests of the event).
"""

from django.dispatch import Signal

registration_cancelled = Signal()
