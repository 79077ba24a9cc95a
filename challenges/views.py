from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import get_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from challenges import rules, selectors, services
from challenges.enums import ChallengeStatus
from challenges.forms import AnswerForm, ChallengeFilterForm, ChallengeForm, QuestionForm
from challenges.models import ChallengeSupport
from events.selectors import event_for_user, events_visible_to, schedule_shown_until
from hackathon.htmx import wants_partial
from hackathon.pagecache import cache_page_for_anonymous, expire_at, fragments

PAGE_SIZE = 20


@require_GET
@cache_page_for_anonymous("events", "challenges")
def challenge_list(request: HttpRequest) -> HttpResponse:
    events = list(events_visible_to(user=request.user))
    event = next((e for e in events if e.slug == request.GET.get("event")), None)
    if event is None and events:
        event = events[0]
    if event is not None:  # whether it takes challenges changes with its schedule
        expire_at(request, schedule_shown_until(events=[event], now=now(), countdown=False))
    topics = list(selectors.topics_with_counts(event=event)) if event else []
    filters = ChallengeFilterForm(request.GET or None, topics=topics)
    params = filters.cleaned_data if filters.is_valid() else {}
    challenges = selectors.challenges_published(
        event=event,
        search=params.get("q", ""),
        topic=params.get("topic", ""),
        giver_type=params.get("giver_type", ""),
        state=params.get("state", ""),
        sort=params.get("sort", ""),
    )
    # The cards come from the cache; what a card shows is loaded for the others only.
    page = Paginator(challenges.prefetch_related(None), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    supported = set()
    if request.user.is_authenticated:
        supported = set(
            ChallengeSupport.objects.filter(
                user=request.user, challenge_id__in=[c.pk for c in page.object_list]
            ).values_list("challenge_id", flat=True)
        )

    def render_cards(challenges: list) -> list[str]:
        card = get_template("challenges/_challenge_card.html")
        return [
            card.render({"challenge": challenge, "supported": supported})
            for challenge in selectors.challenge_cards(challenges)
        ]

    cards = fragments(
        "challenge-card",
        page.object_list,
        scopes=("challenges",),
        key=lambda challenge: f"{challenge.pk}:{int(challenge.pk in supported)}",
        render=render_cards,
    )
    for challenge, card in zip(page.object_list, cards, strict=True):
        challenge.card_html = card
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "event": event,
        "events": events,
        "topics": topics,
        "filters": filters,
        "page": page,
        "supported": supported,
        "query_string": query.urlencode(),
    }
    template = (
        "challenges/_challenge_results.html"
        if wants_partial(request)
        else "challenges/challenge_list.html"
    )
    return render(request, template, context)


def _render_detail(
    request: HttpRequest,
    challenge,
    *,
    question_form: QuestionForm | None = None,
    answer_form: tuple[int, AnswerForm] | None = None,
) -> HttpResponse:
    """The challenge page; a form sent back with errors is shown in place of the empty one."""
    is_supporter = (
        request.user.is_authenticated
        and ChallengeSupport.objects.filter(challenge=challenge, user=request.user).exists()
    )
    questions = list(selectors.questions_visible(challenge=challenge))
    can_answer = rules.can_answer_questions(request.user, challenge)
    failed_pk, failed_form = answer_form or (None, None)
    for question in questions:
        question.answer_form = (
            failed_form
            if question.pk == failed_pk
            else AnswerForm(initial={"answer": question.answer}, prefix=f"q{question.pk}")
        )
    return render(
        request,
        "challenges/challenge_detail.html",
        {
            "challenge": challenge,
            "owners": [ownership.user for ownership in challenge.ownerships.all()],
            "is_supporter": is_supporter,
            "can_edit": rules.can_edit_challenge(request.user, challenge),
            "is_giver": rules.is_giver(request.user, challenge),
            "questions": questions,
            "question_form": question_form or QuestionForm(),
            "can_answer": can_answer,
            "can_hide_questions": rules.is_organiser(request.user),
        },
    )


@require_GET
@cache_page_for_anonymous("events", "challenges", "teams", "projects", "people")
def challenge_detail(request: HttpRequest, number: int) -> HttpResponse:
    challenge = selectors.challenge_for_user(number=number, user=request.user)
    if challenge.status == ChallengeStatus.MERGED:
        return redirect(challenge.merged_into, permanent=True)
    return _render_detail(request, challenge)


@login_required
@require_POST
def challenge_question_ask(request: HttpRequest, number: int) -> HttpResponse:
    challenge = selectors.challenge_for_user(number=number, user=request.user)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = services.challenge_question_ask(
                challenge=challenge, user=request.user, text=form.cleaned_data["text"]
            )
        except services.ChallengeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your question is on the page. The owners are told."))
            return redirect(f"{challenge.get_absolute_url()}#question-{question.pk}")
    return _render_detail(request, challenge, question_form=form)


@login_required
@require_POST
def challenge_question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_user(pk=pk, user=request.user)
    challenge = question.challenge
    if not rules.can_answer_questions(request.user, challenge):
        raise Http404
    form = AnswerForm(request.POST, prefix=f"q{question.pk}")
    if form.is_valid():
        try:
            services.challenge_question_answer(
                question=question, actor=request.user, text=form.cleaned_data["answer"]
            )
        except services.ChallengeError as error:
            form.add_error("answer" if error.field == "answer" else None, error.message)
        else:
            messages.success(request, _("Your answer is on the page."))
            return redirect(f"{challenge.get_absolute_url()}#question-{question.pk}")
    challenge = selectors.challenge_for_user(number=challenge.number, user=request.user)
    return _render_detail(request, challenge, answer_form=(question.pk, form))


@login_required
@require_POST
def challenge_question_hide(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_user(pk=pk, user=request.user)
    if not rules.is_organiser(request.user):
        raise Http404
    services.challenge_question_hide(question=question, actor=request.user)
    messages.success(request, _("The question is hidden."))
    return redirect(f"{question.challenge.get_absolute_url()}#questions")


@login_required
def challenge_create(request: HttpRequest, event_slug: str) -> HttpResponse:
    event = event_for_user(slug=event_slug, user=request.user)
    is_open, intake_message = services.intake_state(event=event)
    form = ChallengeForm(request.POST or None, event=event)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            # Created and submitted together, or not at all: a failed submit leaves no draft.
            with transaction.atomic():
                challenge = services.challenge_create(
                    event=event,
                    author=request.user,
                    data=form.service_data(),
                    tags=form.cleaned_data["tags"],
                )
                if "submit" in request.POST:
                    services.challenge_submit(challenge=challenge, actor=request.user)
            if "submit" in request.POST:
                messages.success(request, _("Thank you! Your challenge has been submitted."))
            else:
                messages.success(request, _("Your draft has been saved."))
            return redirect(challenge)
        except services.ChallengeError as error:
            form.add_error(error.field, error.message)
    return render(
        request,
        "challenges/challenge_form.html",
        {"form": form, "event": event, "is_open": is_open, "intake_message": intake_message},
    )


@login_required
def challenge_edit(request: HttpRequest, number: int) -> HttpResponse:
    challenge = selectors.challenge_for_user(number=number, user=request.user)
    if challenge.status == ChallengeStatus.MERGED or not rules.can_edit_challenge(
        request.user, challenge
    ):
        raise Http404
    is_open, intake_message = services.intake_state(event=challenge.event)
    form = ChallengeForm(request.POST or None, event=challenge.event, instance=challenge)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(
                challenge=challenge,
                actor=request.user,
                data=form.service_data(),
                tags=form.cleaned_data["tags"],
            )
            if "submit" in request.POST and challenge.status == ChallengeStatus.DRAFT:
                services.challenge_submit(challenge=challenge, actor=request.user)
                messages.success(request, _("Thank you! Your challenge has been submitted."))
            else:
                messages.success(request, _("Your changes have been saved."))
            return redirect(challenge)
        except services.ChallengeError as error:
            form.add_error(error.field, error.message)
    return render(
        request,
        "challenges/challenge_form.html",
        {
            "form": form,
            "event": challenge.event,
            "challenge": challenge,
            "is_open": is_open,
            "intake_message": intake_message,
        },
    )


@login_required
@require_POST
def challenge_submit(request: HttpRequest, number: int) -> HttpResponse:
    challenge = selectors.challenge_for_user(number=number, user=request.user)
    if not rules.is_giver(request.user, challenge):
        raise Http404
    try:
        services.challenge_submit(challenge=challenge, actor=request.user)
        messages.success(request, _("Thank you! Your challenge has been submitted."))
    except services.ChallengeError as error:
        messages.error(request, error.message)
    return redirect(challenge)


@require_POST
def challenge_support_toggle(request: HttpRequest, number: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path.rsplit('support/', 1)[0]}")
    challenge = selectors.challenge_for_user(number=number, user=request.user)
    try:
        if request.POST.get("action") == "withdraw":
            services.challenge_unsupport(challenge=challenge, user=request.user)
        else:
            services.challenge_support(challenge=challenge, user=request.user)
    except services.ChallengeError as error:
        if wants_partial(request):
            return HttpResponse(error.message, status=409)
        messages.error(request, error.message)
        return redirect(challenge)
    challenge.refresh_from_db(fields=["support_count"])
    is_supporter = ChallengeSupport.objects.filter(challenge=challenge, user=request.user).exists()
    if wants_partial(request):
        return render(
            request,
            "challenges/_support_button.html",
            {"challenge": challenge, "is_supporter": is_supporter},
        )
    return redirect(request.POST.get("next") if _is_safe(request) else challenge)


@login_required
@require_GET
def my_challenges(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "challenges/my_challenges.html",
        {
            "challenges": selectors.challenges_of_giver(user=request.user),
            "owned": selectors.challenges_owned_by(user=request.user),
        },
    )


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def _is_safe(request: HttpRequest) -> bool:
    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
