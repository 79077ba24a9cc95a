"""Signals other apps listen to, so teams never has to import the apps built on it.

team_closed: sent inside the transaction that closes a team (by its admins, an
organiser, or because its last member left), with `team_id` and `actor`. Receivers
run in that transaction, so their changes commit or roll back with the closing.
"""

from django.dispatch import Signal

team_closed = Signal()
