"""Signals other apps listen to, so participants never has to import the apps built on it.

Teams sit on top of participants: a person's registration is what lets them into a
team, and being in a team changes what participants show. Participants asks about
teams with these signals, and the teams app answers (teams/receivers.py); with no
receiver connected there are no teams.

registration_cancelled: sent inside the transaction that removes a person's
registration, before the row goes, with `event` and `user`. Receivers run in that
transaction (teams withdraws the person's pending join requests of the event).

people_in_teams: who of `event` is in one of its teams? Each receiver returns a
QuerySet of dicts with `user_id`, `team_id` and `team_name` (or None), which the
participants selectors narrow further (a registration is not cancelled, nor its role
changed, while its person is in a team; the people finder lists nobody in one).

profiles_opened_to: whose profiles may `viewer` see for a reason of another app (teams:
the people who are in, or asked to join, a team the viewer admins)? Each receiver
returns a list of QuerySets of dicts with `user_id`.

people_finder_allowed: may `user` use the people finder of `event` for a reason of
another app (teams: they admin a team there)? Each receiver returns a bool.

people_finder_context: what more the people finder page of `event` shows `user` (teams:
an "invite to my team" button); each receiver returns a dict for the template context.
"""

from django.dispatch import Signal

registration_cancelled = Signal()
people_in_teams = Signal()
profiles_opened_to = Signal()
people_finder_allowed = Signal()
people_finder_context = Signal()


def answers(signal: Signal, **kwargs) -> list:
    """What the receivers of `signal` returned, leaving out the None of those with nothing."""
    from participants.models import Registration

    return [
        response
        for _receiver, response in signal.send(sender=Registration, **kwargs)
        if response is not None
    ]
