"""The trainings' pages: find, propose, review, register, check people in, complete."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts.models import Organization
from strategists.accounts.places import place_from_query
from strategists.common.pagecache import public_page
from strategists.common.permissions import LoginRequired, require_perm
from strategists.events import calendars, registration_services, selectors, services, tokens
from strategists.events.forms import (
    CancelEventForm,
    CompleteForm,
    EventForm,
    FindForm,
    ReviewForm,
    WalkInForm,
)
from strategists.events.models import Event, Registration


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _event(request, perm: str, pk) -> Event:
    """The training, if the person may see it (else 404, so walking ids finds nothing
    unpublished), and the action they ask for (else 403, or sign in first)."""
    event = get_object_or_404(Event.objects.select_related("organization"), pk=pk)
    if not request.user.has_perm("events.view_event", event):
        if not request.user.is_authenticated:
            raise LoginRequired(request)
        raise Http404
    require_perm(request, perm, event)
    return event


@require_safe
@public_page("events", "accounts", "curriculum")
def event_list(request):
    form = FindForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.upcoming_events(**{k: v for k, v in filters.items() if k != "near" and v})
    place = None
    if filters.get("near"):
        place = place_from_query(filters["near"])
        if place is None:
            form.add_error(
                "near",
                _(
                    "We couldn't place “%(near)s”. Try a city, a US ZIP code or a Canadian postal code."
                )
                % {"near": filters["near"]},
            )
        else:
            events = selectors.sort_by_distance(events, (place.latitude, place.longitude))
    points = [
        {
            "lat": e.city.latitude,
            "lon": e.city.longitude,
            "label": f"{e.city} · {e.title}",
            "href": f"/trainings/{e.pk}/",
            "kind": "planned",
        }
        for e in events
    ]
    return render(
        request,
        "events/list.html",
        {"form": form, "events": events, "place": place, "points": points},
    )


@require_safe
@public_page("events", "accounts", "curriculum")
def event_detail(request, pk):
    event = _event(request, "events.view_event", pk)
    event = selectors.event_detail(event.pk)
    registration = None
    if request.user.is_authenticated:
        registration = event.registrations.filter(person=request.user).first()
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "registration": registration,
            "seats_left": max(0, event.capacity - event.seats_taken),
            "waitlist_position": registration_services.waitlist_position(registration)
            if registration
            else None,
            "can_manage": request.user.has_perm("events.change_event", event),
            "google_link": calendars.google_calendar_link(event) if event.starts_at else "",
        },
    )


@require_http_methods(["GET", "POST"])
def event_propose(request):
    require_perm(request, "events.propose_event")
    organizations = (
        Organization.objects.all()
        if request.user.is_coordinator
        else request.user.hosted_organizations.all()
    )
    if not organizations.exists():
        return render(request, "events/not_host.html", status=403)
    form = EventForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_propose(proposer=request.user, **form.event_values())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Thank you! A coordinator will review your training soon."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request, "events/form.html", {"form": form, "title": _("Set a date for a training")}
    )


@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = _event(request, "events.change_event", pk)
    organizations = Organization.objects.filter(pk=event.organization_id)
    form = EventForm(
        request.POST or None, initial=EventForm.initial_for(event), organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.event_values())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request, "events/form.html", {"form": form, "title": _("Edit training"), "event": event}
    )


@require_http_methods(["GET", "POST"])
def my_events(request):
    require_perm(request, "events.propose_event")
    feed_url = ""
    if request.method == "POST":
        # A new private feed link; the old one stops working. Shown on this response only.
        _, token = tokens.calendar_feed_rotate(person=request.user)
        feed_url = settings.PUBLIC_URL + reverse("events:feed_ics", kwargs={"token": token})
    response = render(
        request,
        "events/mine.html",
        {
            "hosted": selectors.host_events(request.user),
            "registrations": selectors.my_registrations(request.user),
            "feed": selectors.calendar_feed_for(request.user),
            "feed_url": feed_url,
        },
    )
    if feed_url:
        add_never_cache_headers(response)  # the only copy of the link: kept by no cache
    return response


@require_safe
def review_queue(request):
    require_perm(request, "events.review_event")
    return render(
        request,
        "events/queue.html",
        {"events": selectors.coordinator_queue(), "form": ReviewForm()},
    )


@require_POST
def event_review(request, pk):
    event = _event(request, "events.review_event", pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("events:queue")
    decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
    try:
        if decision == "approve":
            services.event_approve(event=event, by=request.user)
            messages.success(
                request, _("Approved and published: %(title)s") % {"title": event.title}
            )
        elif decision == "changes":
            services.event_request_changes(event=event, by=request.user, message=message)
            messages.success(
                request, _("Sent back to the host: %(title)s") % {"title": event.title}
            )
        else:
            services.event_decline(event=event, by=request.user, message=message)
            messages.success(request, _("Declined: %(title)s") % {"title": event.title})
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("events:queue")


@require_http_methods(["GET", "POST"])
def event_cancel(request, pk):
    event = _event(request, "events.change_event", pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(event=event, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("The training is cancelled and everyone registered is told.")
            )
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/cancel.html", {"form": form, "event": event})


@require_POST
def register(request, pk):
    event = _event(request, "events.view_event", pk)
    if not request.user.is_authenticated:
        # Come back to the training page (not this POST-only address) after signing in.
        return redirect_to_login(reverse("events:detail", kwargs={"pk": event.pk}))
    require_perm(request, "events.register")
    try:
        result = registration_services.registration_create(event=event, person=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if result.status == Registration.Status.REGISTERED:
            messages.success(request, _("You're registered. We sent you a confirmation."))
        else:
            messages.info(
                request,
                _(
                    "This training is full: you're on the waitlist. We'll email you if a seat frees up."
                ),
            )
    return redirect("events:detail", pk=event.pk)


def _dead_link(request, link, *, what: str = "registration"):
    """An unknown or expired token: a page that says so and points to signing in, never a 500.
    Unknown is 404; expired is 410 and offers the training's page after signing in."""
    event = link.registration.event if link is not None else None
    return render(
        request,
        "events/link_dead.html",
        {"expired": link is not None, "event": event, "what": what},
        status=410 if link is not None else 404,
    )


def _registration_by_token(token):
    """The registration a one-click link opens, or None if it is unknown or expired."""
    link = selectors.registration_link(token)
    if link is None or not link.is_valid():
        return None, link
    registration = link.registration
    registration.token = token  # the page's buttons post back to the same link
    return registration, link


@require_safe
def registration_manage(request, token):
    registration, link = _registration_by_token(token)
    if registration is None:
        return _dead_link(request, link)
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": registration_services.waitlist_position(registration),
        },
    )


@require_POST
def registration_action(request, token, action):
    if action not in {"cancel", "confirm", "accept"}:
        raise Http404
    registration, link = _registration_by_token(token)
    if registration is None:
        return _dead_link(request, link)
    try:
        if action == "cancel":
            registration_services.registration_cancel(registration=registration)
            messages.success(
                request, _("You're no longer registered. Thank you for freeing your seat.")
            )
        elif action == "confirm":
            registration_services.registration_confirm(registration=registration)
            messages.success(request, _("Thanks for confirming. See you there!"))
        elif action == "accept":
            registration_services.offer_accept(registration=registration)
            messages.success(request, _("The seat is yours. See you there!"))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("events:registration", token=token)


@require_POST
def my_registration_link(request, pk):
    """From the training page, signed in: a fresh link to the page that manages my registration."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("events:detail", kwargs={"pk": pk}))
    registration = get_object_or_404(Registration, event_id=pk, person=request.user)
    return redirect(
        "events:registration", token=tokens.registration_link_issue(registration=registration)
    )


def _complete_form(request, event, data=None) -> CompleteForm:
    return CompleteForm(
        data,
        event=event,
        coordinator=request.user.is_coordinator,
        initial={"taught_areas": list(event.taught_areas.all() or event.skill_areas.all())},
    )


@require_safe
def checkin(request, pk):
    event = _event(request, "events.view_attendees", pk)
    query = request.GET.get("q", "")[:100]
    context = {
        "event": selectors.event_detail(event.pk),
        "registrations": selectors.checkin_list(event, query),
        "query": query,
        "walk_in_form": WalkInForm(closed=event.is_closed),
        "complete_form": _complete_form(request, event),
        "can_change_closed": request.user.has_perm("events.change_closed_event"),
    }
    template = "events/checkin.html#list" if request.htmx else "events/checkin.html"
    return render(request, template, context)


@require_POST
def checkin_toggle(request, pk, registration_pk):
    event = _event(request, "events.view_attendees", pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    change = (
        registration_services.check_in_undo
        if request.POST.get("undo")
        else registration_services.check_in
    )
    try:
        registration = change(
            registration=registration, by=request.user, reason=request.POST.get("reason", "")[:1000]
        )
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(
                _error_text(error), status=409, content_type="text/plain; charset=utf-8"
            )
        messages.error(request, _error_text(error))
        return redirect("events:checkin", pk=event.pk)
    if request.htmx:
        return render(
            request, "events/checkin.html#row", {"event": event, "registration": registration}
        )
    return redirect("events:checkin", pk=event.pk)


@require_POST
def walk_in(request, pk):
    event = _event(request, "events.view_attendees", pk)
    form = WalkInForm(request.POST, closed=event.is_closed)
    if form.is_valid():
        checked_in = form.cleaned_data["checked_in"]
        try:
            registration = registration_services.walk_in_add(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                checked_in=checked_in,
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                source=Registration.Source.WALK_IN if checked_in else Registration.Source.HOST,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            message = (
                _("%(name)s is checked in.") if checked_in else _("%(name)s is added as a guest.")
            )
            messages.success(request, message % {"name": registration.display_name})
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect("events:checkin", pk=event.pk)


@require_POST
def complete(request, pk):
    event = _event(request, "events.view_attendees", pk)
    form = _complete_form(request, event, request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("events:checkin", pk=event.pk)
    try:
        services.event_complete(
            event=event,
            by=request.user,
            taught_areas=form.cleaned_data["taught_areas"],
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("events:checkin", pk=event.pk)
    messages.success(
        request, _("The training is complete. Attendees get credit for the areas taught.")
    )
    return redirect("events:detail", pk=event.pk)


@require_safe
def attendees_csv(request, pk):
    event = _event(request, "events.view_attendees", pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{event.pk}-attendees.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "name",
            "email",
            "organization",
            "role",
            "status",
            "source",
            "registered_at",
            "checked_in_at",
        ]
    )
    for registration in selectors.attendees(event):
        person = registration.person
        writer.writerow(
            [
                _csv_safe(registration.display_name),
                person.email if person else "",
                _csv_safe(str(person.organization or "")) if person else "",
                person.role if person else "",
                registration.status,
                registration.source,
                registration.created_at.isoformat(),
                registration.checked_in_at.isoformat() if registration.checked_in_at else "",
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def event_ics(request, pk):
    event = _event(request, "events.view_event", pk)
    return _ics(calendars.build_calendar([event], name=event.title), f"training-{event.pk}.ics")


@require_safe
def program_ics(request):
    return _ics(
        calendars.build_calendar(selectors.program_events(), name=_("1000 Strategists trainings")),
        "trainings.ics",
    )


@require_safe
def feed_ics(request, token):
    feed = selectors.calendar_feed_by_token(token)
    if feed is None:
        return _dead_link(request, None, what="feed")
    return _ics(
        calendars.build_calendar(selectors.feed_events(feed), name=_("My trainings")),
        "my-trainings.ics",
    )


@require_safe
@login_required
def attendees(request, pk):
    event = _event(request, "events.view_attendees", pk)
    return render(
        request,
        "events/attendees.html",
        {"event": event, "registrations": selectors.attendees(event)},
    )
