"""The conference's pages: agenda, sessions, personal schedule, proposals and their review."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.common.permissions import LoginRequired, require_perm
from strategists.common.ratelimits import limited
from strategists.convening import feeds, selectors, services
from strategists.convening.forms import (
    DecideForm,
    PlaceForm,
    ProposalForm,
    ReviewerForm,
    ReviewForm,
)
from strategists.convening.models import (
    ConferenceReviewer,
    Proposal,
    Registration,
    Session,
    SpeakerInvitation,
)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _visible(request, perm: str, obj):
    """Objects a person may not see are not there (404), so ids can't be walked; anonymous
    people are asked to sign in first."""
    if request.user.has_perm(perm, obj):
        return obj
    if not request.user.is_authenticated:
        raise LoginRequired(request)
    raise Http404


def _session(request, conference, pk):
    session = get_object_or_404(selectors.sessions(conference), pk=pk)
    if not request.user.has_perm("convening.view_session", session):
        raise Http404
    return session


def _proposal(request, conference, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related("conference", "track"), conference=conference, pk=pk
    )
    return _visible(request, "convening.view_proposal", proposal)


# Public pages ----------------------------------------------------------------------------------


@require_safe
def conference_index(request):
    upcoming, past = selectors.conference_index(timezone.localdate())
    return render(request, "convening/index.html", {"upcoming": upcoming, "past": past})


@require_safe
def conference_detail(request, slug):
    conference = selectors.conference_for(slug)
    return render(
        request,
        "convening/detail.html",
        {
            "conference": conference,
            "tracks": selectors.tracks(conference),
            "rooms": conference.rooms.all(),
            "session_count": selectors.published_sessions(conference).count(),
            "can_manage": request.user.has_perm("convening.manage"),
            "is_reviewer": request.user.has_perm("convening.review", conference),
            "registered": conference.registrations.select_related("delegation__organization")
            .filter(person=request.user)
            .first()
            if request.user.is_authenticated
            else None,
            "may_reserve": request.user.has_perm("convening.reserve"),
            "tickets": Registration.Ticket.choices,
        },
    )


@require_safe
def agenda(request, slug):
    conference = selectors.conference_for(slug)
    return render(
        request,
        "convening/agenda.html",
        {
            "conference": conference,
            "days": selectors.agenda(conference),
            "following": selectors.following(conference, request.user),
        },
    )


@require_safe
def session_detail(request, slug, pk):
    conference = selectors.conference_for(slug)
    session = _session(request, conference, pk)
    following = (
        request.user.is_authenticated and session.followers.filter(person=request.user).exists()
    )
    return render(
        request,
        "convening/session.html",
        {
            "conference": conference,
            "session": session,
            "following": following,
            "runs_checkin": request.user.has_perm("convening.run_checkin", session),
        },
    )


@require_POST
def session_follow(request, slug, pk):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.propose")
    session = _session(request, conference, pk)
    if request.POST.get("remove"):
        services.schedule_remove(person=request.user, session=session)
        messages.success(request, _("Removed from your schedule."))
    else:
        services.schedule_add(person=request.user, session=session)
        messages.success(request, _("Added to your schedule. We'll tell you if it moves."))
    return redirect("convening:session", slug=slug, pk=session.pk)


@require_safe
def agenda_ics(request, slug):
    conference = selectors.conference_for(slug)
    body = feeds.agenda_ics(conference, selectors.published_sessions(conference))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{conference.slug}.ics"'
    return response


@require_safe
def agenda_json(request, slug):
    conference = selectors.conference_for(slug)
    data = feeds.agenda_json(conference, selectors.published_sessions(conference))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_http_methods(["GET", "POST"])
def my_schedule(request, slug):
    """A person's own schedule; POST makes (or remakes) its private calendar feed, shown once."""
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.propose")
    feed_url = ""
    if request.method == "POST":
        _feed, token = services.schedule_feed_rotate(person=request.user, conference=conference)
        feed_url = settings.PUBLIC_URL + reverse(
            "convening:schedule_feed", kwargs={"slug": slug, "token": token}
        )
    response = render(
        request,
        "convening/my_schedule.html",
        {
            "conference": conference,
            "sessions": selectors.my_schedule(conference, request.user),
            "feed": selectors.schedule_feed_for(conference, request.user),
            "feed_url": feed_url,
        },
    )
    if feed_url:
        add_never_cache_headers(response)  # the only copy of the link: kept by no cache
    return response


@require_safe
def schedule_feed(request, slug, token):
    conference = selectors.conference_for(slug)
    feed = selectors.feed_by_token(conference, token)
    if feed is None:
        raise Http404
    body = feeds.agenda_ics(
        conference,
        selectors.my_schedule(conference, feed.person),
        name=_("My schedule · %(name)s") % {"name": conference.name},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{conference.slug}-mine.ics"'
    add_never_cache_headers(response)
    return response


# Call for proposals ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@limited("convening_propose")
def propose(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.propose")
    if not conference.cfp_open():
        return render(request, "convening/cfp_closed.html", {"conference": conference}, status=403)
    form = ProposalForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(
                conference=conference, proposer=request.user, **form.values()
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("Thank you! Reviewers will read your proposal without your name on it.")
            )
            return redirect("convening:proposal", slug=slug, pk=proposal.pk)
    return render(
        request,
        "convening/propose.html",
        {"conference": conference, "form": form, "proposal": None},
    )


@require_safe
def my_proposals(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.propose")
    return render(
        request,
        "convening/my_proposals.html",
        {"conference": conference, "proposals": selectors.my_proposals(conference, request.user)},
    )


@require_safe
def proposal_detail(request, slug, pk):
    conference = selectors.conference_for(slug)
    proposal = _proposal(request, conference, pk)
    return render(
        request,
        "convening/proposal.html",
        {
            "conference": conference,
            "proposal": proposal,
            "invitations": proposal.invitations.all(),
            "can_edit": request.user.has_perm("convening.change_proposal", proposal),
            "can_confirm": request.user.has_perm("convening.confirm_proposal", proposal)
            and proposal.state == Proposal.State.ACCEPTED,
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    conference = selectors.conference_for(slug)
    proposal = _proposal(request, conference, pk)
    if not request.user.has_perm("convening.change_proposal", proposal):
        raise PermissionDenied
    initial = {name: getattr(proposal, name) for name in services.PROPOSAL_FIELDS}
    form = ProposalForm(request.POST or None, conference=conference, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_edit(proposal=proposal, by=request.user, **form.values())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your proposal is saved."))
            return redirect("convening:proposal", slug=slug, pk=proposal.pk)
    return render(
        request,
        "convening/propose.html",
        {"conference": conference, "form": form, "proposal": proposal},
    )


@require_POST
def proposal_confirm(request, slug, pk):
    conference = selectors.conference_for(slug)
    proposal = _proposal(request, conference, pk)
    require_perm(request, "convening.confirm_proposal", proposal)
    try:
        services.proposal_confirm(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Confirmed. See you at the conference!"))
    return redirect("convening:proposal", slug=slug, pk=proposal.pk)


@require_http_methods(["GET", "POST"])
def invitation(request, slug, token):
    conference = selectors.conference_for(slug)
    invite = get_object_or_404(
        SpeakerInvitation.objects.select_related("proposal", "proposal__proposer"),
        token=token,
        proposal__conference=conference,
    )
    if request.method == "POST":
        require_perm(request, "convening.propose")
        try:
            services.invitation_accept(invitation=invite, user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("You're a co-speaker on this proposal."))
        return redirect("convening:invitation", slug=slug, token=token)
    return render(
        request, "convening/invitation.html", {"conference": conference, "invitation": invite}
    )


# Review -----------------------------------------------------------------------------------------


@require_safe
def review_list(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.review", conference)
    return render(
        request,
        "convening/review_list.html",
        {"conference": conference, "proposals": selectors.review_queue(conference, request.user)},
    )


@require_http_methods(["GET", "POST"])
def review(request, slug, pk):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.review", conference)
    proposal = get_object_or_404(
        Proposal.objects.select_related("conference", "track"), conference=conference, pk=pk
    )
    if not request.user.has_perm("convening.review_proposal", proposal):
        raise Http404
    existing = proposal.reviews.filter(reviewer=request.user).first()
    initial = (
        {
            "relevance": existing.relevance,
            "clarity": existing.clarity,
            "practice": existing.practice,
            "comment": existing.comment,
        }
        if existing
        else None
    )
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(proposal=proposal, reviewer=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your review is saved."))
            return redirect("convening:review_list", slug=slug)
    return render(
        request,
        "convening/review.html",
        {"conference": conference, "proposal": proposal, "form": form},
    )


# Coordinators -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reviewers(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    form = ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant = services.reviewer_grant(
            conference=conference, user=form.cleaned_data["email"], by=request.user
        )
        messages.success(
            request, _("%(person)s may now review proposals.") % {"person": grant.user.name}
        )
        return redirect("convening:reviewers", slug=slug)
    return render(
        request,
        "convening/reviewers.html",
        {"conference": conference, "form": form, "reviewers": selectors.reviewers(conference)},
    )


@require_POST
def reviewer_revoke(request, slug, pk):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    grant = get_object_or_404(ConferenceReviewer, conference=conference, pk=pk)
    services.reviewer_revoke(grant=grant, by=request.user)
    messages.success(request, _("%(person)s no longer reviews.") % {"person": grant.user.name})
    return redirect("convening:reviewers", slug=slug)


@require_safe
def proposals(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    return render(
        request,
        "convening/proposals.html",
        {
            "conference": conference,
            "proposals": selectors.proposals_with_scores(conference),
            "form": DecideForm(),
        },
    )


@require_POST
def decide(request, slug, pk):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    proposal = get_object_or_404(Proposal, conference=conference, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("convening:proposals", slug=slug)
    try:
        services.proposal_decide(
            proposal=proposal,
            by=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Decision sent to the speaker."))
    return redirect("convening:proposals", slug=slug)


def _grid_response(request, conference, form=None, status=200):
    context = {
        "conference": conference,
        "grid": selectors.grid(conference),
        "form": form,
        "error": form.non_field_errors() if form is not None else None,
    }
    template = "convening/_grid.html" if request.htmx else "convening/schedule.html"
    return render(request, template, context, status=status)


@require_safe
def schedule(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    return _grid_response(request, conference)


@require_POST
def place(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    form = PlaceForm(request.POST, conference=conference)
    if form.is_valid():
        try:
            session = services.session_place(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            if not request.htmx:
                messages.success(request, _("“%(title)s” placed.") % {"title": session.title})
                return redirect("convening:schedule", slug=slug)
            return _grid_response(request, conference)
    elif not form.non_field_errors():
        form.add_error(None, _("Choose a session, a room and a time."))
    return _grid_response(request, conference, form, status=200 if request.htmx else 400)


@require_POST
def unplace(request, slug, pk):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    session = get_object_or_404(Session, conference=conference, pk=pk)
    services.session_unplace(session=session, by=request.user)
    if request.htmx:
        return _grid_response(request, conference)
    return redirect("convening:schedule", slug=slug)


@require_POST
def publish(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    count = services.schedule_publish(conference=conference, by=request.user)
    messages.success(request, _("Schedule published: %(n)s new sessions.") % {"n": count})
    return redirect(reverse("convening:agenda", kwargs={"slug": slug}))
