"""Who may do what with help requests; shared by the web views, the API and the services.

Mentors of an event are the people registered for it with the role "mentor"; organisers
(the organisers' group, or people registered as organisers of the event) may do what
mentors do and also see the statistics. Each role lookup is cached on the user object
per event, so a page asking several questions costs one query.
"""

from __future__ import annotations

import rules

from events.rules import event_role, is_event_organiser
from teams.rules import is_team_member, is_team_member_or_organiser


@rules.predicate
def is_event_mentor(user, event) -> bool:
    """Registered as a mentor of the event, or one of its organisers."""
    return event_role(user, event) == "mentor" or bool(is_event_organiser(user, event))


# Predicates about one help request.


@rules.predicate
def is_requesting_team_member(user, help_request) -> bool:
    return bool(is_team_member(user, help_request.team))


@rules.predicate
def is_claiming_mentor(user, help_request) -> bool:
    return bool(user and user.is_authenticated and help_request.mentor_id == user.pk)


@rules.predicate
def is_mentor_of_request_event(user, help_request) -> bool:
    return bool(is_event_mentor(user, help_request.team.event))


@rules.predicate
def is_organiser_of_request_event(user, help_request) -> bool:
    return bool(is_event_organiser(user, help_request.team.event))


# The one visibility rule of help requests (web and API); selectors.help_requests_for_user
# is its twin in SQL for lists, and tests/mentoring/test_rules.py keeps the two equal.
can_view_help_request = (
    is_requesting_team_member
    | is_claiming_mentor
    | is_mentor_of_request_event
    | is_organiser_of_request_event
)
can_claim_help_request = is_mentor_of_request_event
can_release_help_request = is_claiming_mentor
can_close_help_request = (
    is_claiming_mentor | is_requesting_team_member | is_organiser_of_request_event
)
# The team's contact details go to the team, the mentor who took the request and organisers.
can_see_contact = is_requesting_team_member | is_claiming_mentor | is_organiser_of_request_event

# Predicates about a team: who asks for help, and who sees the team's requests page.
can_ask_for_help = is_team_member
can_see_team_help_requests = is_team_member_or_organiser

rules.add_perm("mentoring.see_help_board", is_event_mentor)
rules.add_perm("mentoring.see_help_stats", is_event_organiser)
