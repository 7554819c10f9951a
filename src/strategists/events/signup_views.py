"""The pages for signing up and reaching people: register (signed out with name and email, or in one click), confirm a mailed sign-up, change one's answers; the hosts' questions and where sign-ups come from."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from strategists.common import ratelimits
from strategists.common.permissions import require_perm
from strategists.events import question_services, signup_selectors, signup_services, tokens
from strategists.events.models import Question, Registration
from strategists.events.signup_forms import (
    AnswersForm,
    CommonQuestionForm,
    QuestionForm,
    ShareLinkForm,
    SignupForm,
)
from strategists.events.views import (
    _dead_link,
    _error_text,
    _event,
    _registration_by_token,
    detail_context,
)


def _check_mail(request, event) -> None:
    """The one answer to a signed-out sign-up, whatever the address had before."""
    messages.success(
        request,
        _(
            "Check your mail: we sent a message about “%(title)s” to the address you gave. "
            "Open its link to confirm your place."
        )
        % {"title": event.title},
    )


@require_POST
def register(request, pk):
    """Signed out: name, email and the training's questions; a seat waits for the link in the
    mail. Signed in: one click (and the questions, if the training asks any)."""
    event = _event(request, "events.view_event", pk)
    signed_in = request.user.is_authenticated
    if signed_in:
        require_perm(request, "events.register")
    ratelimits.check(request, "registration")
    form = SignupForm(request.POST, questions=event.questions.all(), signed_in=signed_in)
    if not form.is_valid():
        context = detail_context(request, event, signup_form=form)
        return render(request, "events/detail.html", context, status=400)
    if not signed_in and form.is_bot:
        _check_mail(request, event)  # a bot learns nothing either
        return redirect("events:detail", pk=event.pk)
    try:
        if signed_in:
            result = signup_services.registration_create_with_answers(
                event=event,
                person=request.user,
                answers=form.answers(),
                referrer_data=form.referrer_data(),
            )
        else:
            signup_services.signup_request(
                event=event,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                answers=form.answers(),
                referrer_data=form.referrer_data(),
            )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("events:detail", pk=event.pk)
    if not signed_in:
        _check_mail(request, event)
    elif result.status == Registration.Status.REGISTERED:
        messages.success(request, _("You're registered. We sent you a confirmation."))
    else:
        messages.info(
            request,
            _("This training is full: you're on the waitlist. We'll email you if a seat frees up."),
        )
    return redirect("events:detail", pk=event.pk)


@require_http_methods(["GET", "POST"])
def signup_confirm(request, token):
    """The link in the "confirm your place" mail. Opening it (mail scanners open links too)
    only shows a button; the POST takes the seat or the place on the waitlist."""
    pending = signup_selectors.pending_signup(token)
    if pending is None or not pending.is_valid():
        return render(
            request,
            "events/link_dead.html",
            {"expired": pending is not None, "event": pending.event if pending else None},
            status=410 if pending is not None else 404,
        )
    if request.method == "POST":
        ratelimits.check(request, "registration")
        try:
            result = signup_services.signup_confirm(pending=pending)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("events:detail", pk=pending.event_id)
        registration = result.registration
        token = registration.token or tokens.registration_link_issue(registration=registration)
        if result.status == Registration.Status.REGISTERED:
            messages.success(request, _("You're registered. We sent you a confirmation."))
        else:
            messages.info(
                request, _("This training is full: you're on the waitlist. We sent you a mail.")
            )
        return redirect("events:registration", token=token)
    return render(
        request, "events/signup_confirm.html", {"pending": pending, "event": pending.event}
    )


@require_http_methods(["GET", "POST"])
def registration_answers(request, token):
    """From the registration's mailed link: change one's answers to the training's questions."""
    registration, link = _registration_by_token(token)
    if registration is None:
        return _dead_link(request, link)
    questions = list(signup_selectors.questions(registration.event))
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        answers=signup_selectors.answers_of(registration),
    )
    if request.method == "POST":
        ratelimits.check(request, "registration")
        if form.is_valid():
            signup_services.answers_update(registration=registration, answers=form.answers())
            messages.success(request, _("Your answers are saved."))
            return redirect("events:registration", token=token)
    return render(
        request,
        "events/answers.html",
        {"form": form, "registration": registration, "event": registration.event},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def questions(request, pk):
    """The hosts' list of questions: add their own, or a common one in one click."""
    event = _event(request, "events.change_event", pk)
    form, common_form = QuestionForm(), CommonQuestionForm()
    if request.method == "POST":
        try:
            if "common" in request.POST:
                common_form = CommonQuestionForm(request.POST)
                if common_form.is_valid():
                    question_services.question_add_common(
                        event=event, by=request.user, common=common_form.cleaned_data["common"]
                    )
                    messages.success(request, _("Question added."))
                    return redirect("events:questions", pk=event.pk)
            else:
                form = QuestionForm(request.POST)
                if form.is_valid():
                    question_services.question_add(
                        event=event,
                        by=request.user,
                        label=form.cleaned_data["label"],
                        kind=form.cleaned_data["kind"],
                        choices=form.cleaned_data["choices"],
                        required=form.cleaned_data["required"],
                        help_text=form.cleaned_data["help_text"],
                    )
                    messages.success(request, _("Question added."))
                    return redirect("events:questions", pk=event.pk)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
    asked = set(event.questions.values_list("common", flat=True))
    return render(
        request,
        "events/questions.html",
        {
            "event": event,
            "form": form,
            "common_form": common_form,
            "questions": signup_selectors.questions_with_counts(event),
            "common": [(k, v) for k, v in Question.Common.choices if k and k not in asked],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def question_delete(request, pk, question_pk):
    event = _event(request, "events.change_event", pk)
    question = get_object_or_404(Question, pk=question_pk, event=event)
    question_services.question_delete(question=question, by=request.user)
    messages.success(request, _("Question removed, with its answers."))
    return redirect("events:questions", pk=event.pk)


@require_http_methods(["GET", "POST"])
def sources(request, pk):
    """Where the sign-ups came from, and share links that count them per host, partner
    organization or person."""
    event = _event(request, "events.view_attendees", pk)
    form = ShareLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        link = question_services.share_link_create(
            event=event,
            by=request.user,
            kind=form.cleaned_data["kind"],
            label=form.cleaned_data["label"],
        )
        messages.success(request, _("Share link made for %(name)s.") % {"name": link.label})
        return redirect("events:sources", pk=event.pk)
    page = settings.PUBLIC_URL + reverse("events:detail", kwargs={"pk": event.pk})
    counts = signup_selectors.source_counts(event)
    links = [
        (link, f"{page}?ref={link.code}", dict(counts["referrer"]).get(link.label, 0))
        for link in signup_selectors.share_links(event)
    ]
    return render(
        request,
        "events/sources.html",
        {"event": event, "form": form, "counts": counts, "links": links, "page": page},
        status=400 if form.is_bound and form.errors else 200,
    )
