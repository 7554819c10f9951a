"""Registration, delegations and session check-in (on a phone)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts.models import Organization
from strategists.common.permissions import LoginRequired, require_perm
from strategists.convening import seats, selectors
from strategists.convening.forms import (
    CheckInForm,
    DecideForm,
    DelegationForm,
    NameDelegatesForm,
    RegisterForm,
)
from strategists.convening.models import Delegation, Registration
from strategists.convening.views import _session


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
def register(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.register")
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a ticket."))
    else:
        try:
            registration = seats.registration_create(
                conference=conference, person=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if registration.status == Registration.Status.REQUESTED:
                messages.success(
                    request,
                    _("Your scholarship request is sent. A coordinator will answer by email."),
                )
            elif registration.status == Registration.Status.WAITLISTED:
                messages.success(
                    request,
                    _("The conference is full: you're number %(n)s on the waitlist.")
                    % {"n": seats.waitlist_position(registration)},
                )
            else:
                messages.success(request, _("You're registered. See you there!"))
    return redirect("convening:detail", slug=slug)


@require_POST
def register_cancel(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.register")
    registration = get_object_or_404(Registration, conference=conference, person=request.user)
    seats.registration_cancel(registration=registration, by=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("convening:detail", slug=slug)


def _organizations(user):
    if user.is_coordinator:
        return Organization.objects.order_by("name")
    return user.hosted_organizations.order_by("name")


@require_http_methods(["GET", "POST"])
def delegations(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.reserve")
    form = DelegationForm(request.POST or None, organizations=_organizations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            delegation = seats.delegation_reserve(
                conference=conference, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("%(n)s seats reserved. Name your people when you know them.")
                % {"n": delegation.seats},
            )
            return redirect("convening:delegation", slug=slug, pk=delegation.pk)
    return render(
        request,
        "convening/delegations.html",
        {
            "conference": conference,
            "form": form,
            "delegations": selectors.delegations_for(conference, request.user),
            **_seats_left(conference),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def delegation(request, slug, pk):
    conference = selectors.conference_for(slug)
    block = get_object_or_404(
        Delegation.objects.select_related("organization"), conference=conference, pk=pk
    )
    if not request.user.has_perm("convening.manage_delegation", block):
        if not request.user.is_authenticated:
            raise LoginRequired(request)
        raise Http404
    form = NameDelegatesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            named = seats.delegation_name(
                delegation=block, emails=form.cleaned_data["emails"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("%(n)s people named.") % {"n": len(named)})
            return redirect("convening:delegation", slug=slug, pk=block.pk)
    registrations = (
        Registration.objects.filter(delegation=block)
        .select_related("person")
        .order_by("person__name")
    )
    return render(
        request,
        "convening/delegation.html",
        {
            "conference": conference,
            "delegation": block,
            "form": form,
            "registrations": registrations,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def checkin(request, slug, pk):
    """The attendee's side, made for a phone: type the code shown in the room."""
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.register")
    session = _session(request, conference, pk)
    form = CheckInForm(request.POST or None)
    attended = session.attendance.filter(person=request.user).exists()
    if request.method == "POST" and form.is_valid():
        try:
            seats.session_checkin(
                session=session, person=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", _error_text(error))
        else:
            messages.success(
                request, _("Checked in. It counts as evidence toward your certificate.")
            )
            return redirect("convening:checkin", slug=slug, pk=session.pk)
    return render(
        request,
        "convening/checkin.html",
        {"conference": conference, "session": session, "form": form, "attended": attended},
        status=400 if form.errors else 200,
    )


@require_safe
def attendance(request, slug, pk):
    """The room's side: the code to show, and who checked in."""
    conference = selectors.conference_for(slug)
    session = _session(request, conference, pk)
    require_perm(request, "convening.run_checkin", session)
    return render(
        request,
        "convening/attendance.html",
        {
            "conference": conference,
            "session": session,
            "code": session.checkin_code,
            "attendance": session.attendance.select_related("person").order_by("checked_in_at"),
        },
    )


def _seats_left(conference) -> dict:
    """What a delegation may still reserve: in all, and per ticket type a block may be of."""
    total, by_ticket = seats.seats_free(conference)
    return {
        "seats_left": total,
        "ticket_seats": [
            (label, by_ticket[value])
            for value, label in Registration.Ticket.choices
            if value != Registration.Ticket.SCHOLARSHIP
        ],
    }


@require_safe
def scholarships(request, slug):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    requests = (
        Registration.objects.filter(conference=conference, ticket=Registration.Ticket.SCHOLARSHIP)
        .select_related("person", "person__organization")
        .order_by("status", "created_at", "pk")
    )
    return render(
        request,
        "convening/scholarships.html",
        {
            "conference": conference,
            "requests": requests,
            "seats_left": seats.seats_free(conference)[1][Registration.Ticket.SCHOLARSHIP],
        },
    )


@require_POST
def scholarship_decide(request, slug, pk):
    conference = selectors.conference_for(slug)
    require_perm(request, "convening.manage")
    registration = get_object_or_404(
        Registration, conference=conference, pk=pk, ticket=Registration.Ticket.SCHOLARSHIP
    )
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("convening:scholarships", slug=slug)
    try:
        seats.scholarship_decide(
            registration=registration,
            by=request.user,
            approve=form.cleaned_data["decision"] == "accept",
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Answer sent."))
    return redirect("convening:scholarships", slug=slug)
