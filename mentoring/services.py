"""Every write to help requests.

The life of a request: a team member opens it (open) → one mentor claims it (claimed)
→ the mentor or the team closes it (closed); a mentor may give a claimed request back
(open again). Each step is one conditional UPDATE on the request's status, so when two
mentors click "claim" at the same moment the database lets exactly one of them win.
The team is notified of each step a mentor takes; every step writes an audit entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from hackathon.errors import DomainError
from mentoring import rules
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from notifications.services import notify_many
from participants.models import Skill
from teams.enums import TeamStatus
from teams.models import Team
from teams.rules import is_team_member

# A team with this many open or claimed requests has to close one before asking again:
# mentors are few (2,922 for 1,500 teams at #WirVsVirus) and the board must stay readable.
MAX_ACTIVE_PER_TEAM = 3
QUESTION_MIN_LENGTH = 10
EXCERPT_LENGTH = 80


class MentoringError(DomainError):
    """A help request action that is not allowed; the message can be shown to a person."""


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _team_url(team: Team) -> str:
    from django.urls import reverse

    return reverse("mentoring:team_requests", kwargs={"team_pk": team.pk})


def _notify_team(*, help_request: HelpRequest, kind: str, context: dict, exclude=()) -> None:
    from django.contrib.auth import get_user_model

    excluded = {user.pk for user in exclude if user is not None}
    recipients = (
        get_user_model()
        .objects.filter(team_memberships__team_id=help_request.team_id, is_active=True)
        .exclude(pk__in=excluded)
    )
    notify_many(
        recipients=recipients,
        kind=kind,
        context={
            "team": help_request.team.name,
            "question": _excerpt(help_request.question),
            "url": _team_url(help_request.team),
            **context,
        },
    )


@transaction.atomic
def help_request_create(
    *,
    team: Team,
    actor,
    question: str,
    contact: str,
    skill: Skill | None = None,
    topic: str = "",
) -> HelpRequest:
    """A team member asks the mentors for help.

    Refused for people outside the team, for closed teams, without a question of at least
    ten characters or a way to reach the team, and when the team already has
    MAX_ACTIVE_PER_TEAM requests open or claimed.
    Side effects: writes the request and an audit entry.
    """
    if not is_team_member(actor, team):
        raise MentoringError(_("Only members of the team can ask for help."))
    if team.status != TeamStatus.OPEN:
        raise MentoringError(_("This team is closed."))
    question = (question or "").strip()
    contact = (contact or "").strip()
    if len(question) < QUESTION_MIN_LENGTH:
        raise MentoringError(
            _("Please describe your question in at least %(count)d characters.")
            % {"count": QUESTION_MIN_LENGTH},
            field="question",
        )
    if not contact:
        raise MentoringError(_("Tell the mentor how to reach you."), field="contact")
    # Lock the team row, so two members asking at once cannot both pass the limit.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    active = HelpRequest.objects.filter(
        team=team, status__in=[HelpRequestStatus.OPEN, HelpRequestStatus.CLAIMED]
    ).count()
    if active >= MAX_ACTIVE_PER_TEAM:
        raise MentoringError(
            _("Your team already has %(count)d open help requests. Close one before asking again.")
            % {"count": active}
        )
    help_request = HelpRequest.objects.create(
        team=team,
        skill=skill,
        topic=(topic or "").strip(),
        question=question,
        contact=contact,
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="help_request.created",
        target=help_request,
        data={"team": team.pk, "skill": skill.slug if skill else None},
    )
    return help_request


@transaction.atomic
def help_request_claim(*, help_request: HelpRequest, mentor) -> HelpRequest:
    """A mentor takes an open request; exactly one mentor wins, however many click at once.

    Refused for people who are not mentors or organisers of the event, and when the
    request is no longer open (someone else was faster, or the team closed it).
    Side effects: the request becomes claimed by this mentor; the team members are
    notified (help.claimed); an audit entry.
    """
    team = help_request.team
    if not rules.is_event_mentor(mentor, team.event):
        raise MentoringError(_("Only mentors of this event can take help requests."))
    if team.status != TeamStatus.OPEN:
        raise MentoringError(_("This team is closed."))
    now = timezone.now()
    claimed = HelpRequest.objects.filter(pk=help_request.pk, status=HelpRequestStatus.OPEN).update(
        status=HelpRequestStatus.CLAIMED, mentor=mentor, claimed_at=now
    )
    if not claimed:
        raise MentoringError(_("Another mentor has already taken this request, or it was closed."))
    help_request.refresh_from_db(fields=["status", "mentor", "claimed_at"])
    audit_log(actor=mentor, action="help_request.claimed", target=help_request)
    _notify_team(
        help_request=help_request,
        kind="help.claimed",
        context={"mentor": mentor.public_name},
    )
    return help_request


@transaction.atomic
def help_request_release(*, help_request: HelpRequest, mentor) -> HelpRequest:
    """The claiming mentor gives the request back, so another mentor can take it.

    Refused for anyone but the mentor who claimed it, and when it is not claimed.
    Side effects: the request is open again without a mentor; the team is notified
    (help.released); an audit entry.
    """
    released = HelpRequest.objects.filter(
        pk=help_request.pk, status=HelpRequestStatus.CLAIMED, mentor_id=mentor.pk
    ).update(status=HelpRequestStatus.OPEN, mentor=None, claimed_at=None)
    if not released:
        raise MentoringError(_("Only the mentor who took this request can give it back."))
    help_request.refresh_from_db(fields=["status", "mentor", "claimed_at"])
    audit_log(actor=mentor, action="help_request.released", target=help_request)
    _notify_team(
        help_request=help_request,
        kind="help.released",
        context={"mentor": mentor.public_name},
    )
    return help_request


@transaction.atomic
def help_request_close(*, help_request: HelpRequest, actor) -> HelpRequest:
    """The mentor who took the request, a member of the team or an organiser closes it.

    Refused for everyone else and for requests that are already closed.
    Side effects: the request is closed; the team members (but the one who closed it)
    and the claiming mentor (unless they closed it themselves) are notified
    (help.closed); an audit entry.
    """
    help_request.refresh_from_db(fields=["status", "mentor"])
    if not rules.can_close_help_request(actor, help_request):
        raise MentoringError(_("You cannot close this help request."))
    closed = HelpRequest.objects.filter(
        pk=help_request.pk,
        status__in=[HelpRequestStatus.OPEN, HelpRequestStatus.CLAIMED],
    ).update(status=HelpRequestStatus.CLOSED, closed_at=timezone.now())
    if not closed:
        raise MentoringError(_("This help request is already closed."))
    help_request.refresh_from_db(fields=["status", "mentor", "closed_at"])
    audit_log(actor=actor, action="help_request.closed", target=help_request)
    context = {"closed_by": actor.public_name}
    _notify_team(help_request=help_request, kind="help.closed", context=context, exclude=[actor])
    mentor = help_request.mentor
    if mentor is not None and mentor.pk != actor.pk and mentor.is_active:
        notify_many(
            recipients=[mentor],
            kind="help.closed",
            context={
                "team": help_request.team.name,
                "question": _excerpt(help_request.question),
                "url": _board_url(help_request),
                **context,
            },
        )
    return help_request


@transaction.atomic
def help_requests_close_for_team(*, team_id: int, actor=None) -> int:
    """Closes the open and claimed requests of a team that was closed: nobody is left to
    help, and they must neither wait on the board nor count in the organisers' figures.

    Connected to `teams.signals.team_closed` (mentoring/apps.py), so it runs in the
    transaction that closes the team. Returns how many requests it closed.
    Side effects: those requests closed; the mentors who had taken one are told
    (help.closed with reason "team_closed"); an audit entry per request.
    """
    active = [HelpRequestStatus.OPEN, HelpRequestStatus.CLAIMED]
    requests = list(
        HelpRequest.objects.select_for_update(of=("self",))
        .filter(team_id=team_id, status__in=active)
        .select_related("team__event", "mentor")
    )
    if not requests:
        return 0
    HelpRequest.objects.filter(pk__in=[r.pk for r in requests], status__in=active).update(
        status=HelpRequestStatus.CLOSED, closed_at=timezone.now()
    )
    closed_by = actor.public_name if getattr(actor, "is_authenticated", False) else ""
    for help_request in requests:
        audit_log(
            actor=actor,
            action="help_request.closed",
            target=help_request,
            data={"reason": "team closed"},
        )
        mentor = help_request.mentor
        if help_request.status == HelpRequestStatus.CLAIMED and mentor and mentor.is_active:
            notify_many(
                recipients=[mentor],
                kind="help.closed",
                context={
                    "team": help_request.team.name,
                    "question": _excerpt(help_request.question),
                    "url": _board_url(help_request),
                    "closed_by": closed_by,
                    "reason": "team_closed",
                },
            )
    return len(requests)


def _board_url(help_request: HelpRequest) -> str:
    from django.urls import reverse

    return reverse("mentoring:board", kwargs={"event_slug": help_request.team.event.slug})
