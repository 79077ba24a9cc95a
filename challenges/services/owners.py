"""Challenge owners (Pat:innen) and the questions they answer in public."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges import rules
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, ChallengeOwner, ChallengeQuestion
from challenges.services._base import ChallengeError
from notifications.services import notify, notify_many

QUESTION_MIN_LENGTH = 10
QUESTION_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 4000
# Unanswered questions one person may have on one challenge: enough for real questions,
# too few to flood the owners.
OPEN_QUESTIONS_PER_PERSON = 3


def _challenge_context(challenge: Challenge, *, anchor: str = "") -> dict:
    return {
        "challenge_id": challenge.pk,
        "number": challenge.number,
        "title": challenge.title,
        "url": challenge.get_absolute_url() + anchor,
    }


def _excerpt(text: str, length: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@transaction.atomic
def challenge_owner_add(*, challenge: Challenge, user, actor) -> ChallengeOwner:
    """Makes `user` a godparent (Pat:in) of a published challenge.

    Side effects, the first time only: the new owner is notified; audit entry.
    """
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can name challenge owners."))
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ChallengeError(_("Owners can only be named for published challenges."))
    ownership, created = ChallengeOwner.objects.get_or_create(challenge=challenge, user=user)
    if created:
        audit_log(
            actor=actor, action="challenge.owner_add", target=challenge, data={"user": user.pk}
        )
        notify(
            recipient=user,
            kind="challenge.owner_added",
            context=_challenge_context(challenge, anchor="#questions"),
        )
    return ownership


@transaction.atomic
def challenge_owner_remove(*, challenge: Challenge, user, actor) -> bool:
    """Ends `user`'s role as owner of the challenge; returns whether they were one.

    Side effects: audit entry. Their answers stay, signed with their name.
    """
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can name challenge owners."))
    deleted, _details = ChallengeOwner.objects.filter(challenge=challenge, user=user).delete()
    if deleted:
        audit_log(
            actor=actor, action="challenge.owner_remove", target=challenge, data={"user": user.pk}
        )
    return bool(deleted)


@transaction.atomic
def challenge_question_ask(*, challenge: Challenge, user, text: str) -> ChallengeQuestion:
    """Puts a question about a published challenge to its owners, in public.

    Side effects: each owner (but the asker) is notified.
    """
    if not user.is_authenticated:
        raise ChallengeError(_("Please log in to ask a question."))
    # The lock orders one person's simultaneous questions, so the limit holds.
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ChallengeError(_("Questions can only be asked about published challenges."))
    text = (text or "").strip()
    if len(text) < QUESTION_MIN_LENGTH:
        raise ChallengeError(
            _("Please write at least %(count)d characters.") % {"count": QUESTION_MIN_LENGTH},
            field="text",
        )
    if len(text) > QUESTION_MAX_LENGTH:
        raise ChallengeError(
            _("Please keep the question under %(count)d characters.")
            % {"count": QUESTION_MAX_LENGTH},
            field="text",
        )
    open_questions = ChallengeQuestion.objects.filter(
        challenge=challenge, asked_by=user, answered_at__isnull=True, is_hidden=False
    ).count()
    if open_questions >= OPEN_QUESTIONS_PER_PERSON:
        raise ChallengeError(
            _(
                "You already have %(count)d unanswered questions on this challenge. "
                "Please wait for an answer first."
            )
            % {"count": open_questions},
            field="text",
        )
    question = ChallengeQuestion.objects.create(challenge=challenge, asked_by=user, text=text)
    owners = [
        ownership.user
        for ownership in challenge.ownerships.select_related("user").exclude(user=user)
    ]
    notify_many(
        recipients=owners,
        kind="challenge.question_asked",
        context={
            **_challenge_context(challenge, anchor=f"#question-{question.pk}"),
            "question": _excerpt(text),
        },
    )
    return question


@transaction.atomic
def challenge_question_answer(
    *, question: ChallengeQuestion, actor, text: str
) -> ChallengeQuestion:
    """Answers a question (or changes the answer), as an owner of its challenge or organiser.

    Side effects: on the first answer the asker is notified; audit entry each time.
    """
    question = (
        ChallengeQuestion.objects.select_for_update(of=("self",))
        .select_related("challenge", "asked_by")
        .prefetch_related("challenge__ownerships")
        .get(pk=question.pk)
    )
    if not rules.can_answer_questions(actor, question.challenge):
        raise ChallengeError(_("Only the owners of this challenge can answer its questions."))
    if question.is_hidden:
        raise ChallengeError(_("This question was hidden by the organisers."))
    text = (text or "").strip()
    if not text:
        raise ChallengeError(_("Please write an answer."), field="answer")
    if len(text) > ANSWER_MAX_LENGTH:
        raise ChallengeError(
            _("Please keep the answer under %(count)d characters.") % {"count": ANSWER_MAX_LENGTH},
            field="answer",
        )
    first_answer = question.answered_at is None
    question.answer = text
    question.answered_by = actor
    question.answered_at = question.answered_at or timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_log(
        actor=actor,
        action="challenge.question_answer",
        target=question.challenge,
        data={"question": question.pk, "first": first_answer},
    )
    if first_answer and question.asked_by_id and question.asked_by_id != actor.pk:
        notify(
            recipient=question.asked_by,
            kind="challenge.question_answered",
            context={
                **_challenge_context(question.challenge, anchor=f"#question-{question.pk}"),
                "question": _excerpt(question.text),
                "answer": _excerpt(text, 600),
            },
        )
    return question


@transaction.atomic
def challenge_question_hide(*, question: ChallengeQuestion, actor) -> ChallengeQuestion:
    """Hides a question that breaks the code of conduct. Side effects: audit entry."""
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can hide questions."))
    updated = ChallengeQuestion.objects.filter(pk=question.pk, is_hidden=False).update(
        is_hidden=True
    )
    if updated:
        audit_log(
            actor=actor,
            action="challenge.question_hide",
            target=question.challenge,
            data={"question": question.pk},
        )
    question.is_hidden = True
    return question
