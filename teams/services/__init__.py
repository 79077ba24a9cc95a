"""Every write to teams: founding, joining (by request or invitation), leaving, admins.

Rules the database holds, also when requests race:
- capacity: a member is added by a conditional UPDATE of `member_count` (only while
  the team is open and below `max_size`) in the same transaction that inserts the
  membership; the CHECK constraint `teams_never_overfull` is the last line;
- one person, at most `event.teams_per_person` teams: the person's Registration row
  is locked (`select_for_update`) before their memberships are counted, so one
  person's concurrent joins are decided one after the other;
- changes to a team's members (leave, remove, hand over, close) lock the team row first.
Locks are always taken in the same order, the person's registration, then the team, then
join requests and invitations, so concurrent services wait for each other, never deadlock.

Each service checks state and permission and raises TeamError with a message a person
can read; views turn it into a form error or a 4xx. Notifications are written in the
same transaction; their e-mails go out on commit.
"""

from teams.services._base import INVITATION_VALID_FOR, TeamError
from teams.services.founding import (
    open_role_create,
    open_role_delete,
    open_role_update,
    team_close,
    team_create,
    team_delete,
    team_update,
)
from teams.services.joining import (
    invitation_accept,
    invitation_create,
    invitation_problem,
    invitation_revoke,
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    join_requests_withdraw_of_person,
)
from teams.services.members import (
    admin_hand_over,
    membership_leave,
    membership_remove,
    membership_role_set,
)

__all__ = [
    "INVITATION_VALID_FOR",
    "TeamError",
    "admin_hand_over",
    "invitation_accept",
    "invitation_create",
    "invitation_problem",
    "invitation_revoke",
    "join_request_accept",
    "join_request_create",
    "join_request_decline",
    "join_request_withdraw",
    "join_requests_withdraw_of_person",
    "membership_leave",
    "membership_remove",
    "membership_role_set",
    "open_role_create",
    "open_role_delete",
    "open_role_update",
    "team_close",
    "team_create",
    "team_delete",
    "team_update",
]
