"""The community's pages: thin, every check in rules.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts.models import User
from strategists.common.permissions import require_perm
from strategists.common.ratelimits import limited
from strategists.community import mentoring_services, opportunity_services, selectors, services
from strategists.community.forms import (
    CircleForm,
    ListingForm,
    MentorOfferForm,
    MentorRequestForm,
    ModeratorForm,
    OpportunityForm,
    OpportunitySearchForm,
    ReasonForm,
    RegistrySearchForm,
    ReplyForm,
    RespondForm,
    ThreadForm,
)
from strategists.community.models import (
    Circle,
    CircleModerator,
    Membership,
    MentorRequest,
    Mentorship,
    Opportunity,
    Reply,
    Report,
    Thread,
)
from strategists.referrals.models import Resource


def _data(request):
    return request.POST if request.method == "POST" else None


@require_safe
def registry(request):
    require_perm(request, "community.view_registry")
    form = RegistrySearchForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {name: value.pk for name, value in form.cleaned_data.items() if value is not None}
    people = list(selectors.registry(**filters))
    for person in people:
        person.areas = selectors.registry_areas(person)
    return render(request, "community/registry.html", {"form": form, "people": people})


@require_safe
def registry_profile(request, pk):
    require_perm(request, "community.view_registry")
    try:
        person = selectors.registry_person(pk)
    except User.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "community/registry_profile.html",
        {"person": person, "areas": selectors.registry_areas(person)},
    )


@require_http_methods(["GET", "POST"])
def listing_settings(request):
    require_perm(request, "community.change_listing")
    listing = selectors.listing_for(request.user)
    initial = {"listed": listing.listed, "ask_me_about": listing.ask_me_about} if listing else {}
    form = ListingForm(_data(request), initial=initial)
    if form.is_valid():
        try:
            services.listing_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("listed", error)
        else:
            messages.success(request, _("Your registry settings are saved."))
            return redirect("community:listing_settings")
    return render(
        request,
        "community/listing_settings.html",
        {
            "form": form,
            "listing": listing,
            "certified": selectors.is_currently_certified(request.user),
        },
    )


# --- circles --------------------------------------------------------------------------------------


def _circle(request, slug, perm="community.view_circle"):
    """Load a circle the person may read. A members-only circle is as unknown to others as a
    missing one (404); an open one asks visitors to sign in."""
    try:
        circle = selectors.circle_by_slug(slug)
    except Circle.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("community.view_circle", circle):
        if circle.members_only:
            raise Http404
        require_perm(request, "community.view_circle", circle)
    if perm != "community.view_circle":
        require_perm(request, perm, circle)
    return circle


def _thread(request, slug, pk, perm="community.view_circle"):
    circle = _circle(request, slug, perm)
    try:
        return selectors.thread_in(circle, pk)
    except Thread.DoesNotExist:
        raise Http404 from None


def _back(thread):
    return redirect("community:thread", slug=thread.circle.slug, pk=thread.pk)


@require_safe
def circle_list(request):
    require_perm(request, "community.view_circles")
    return render(
        request,
        "community/circle_list.html",
        {
            "circles": list(selectors.circles(request.user)),
            "can_create": request.user.has_perm("community.create_circle"),
        },
    )


@require_http_methods(["GET", "POST"])
def circle_new(request):
    require_perm(request, "community.create_circle")
    form = CircleForm(_data(request))
    if form.is_valid():
        circle = services.circle_create(by=request.user, **form.cleaned_data)
        return redirect("community:circle", slug=circle.slug)
    return render(request, "community/circle_form.html", {"form": form})


@require_safe
def circle_detail(request, slug):
    circle = _circle(request, slug)
    membership = selectors.membership(circle, request.user)
    can_moderate = request.user.has_perm("community.moderate_circle", circle)
    return render(
        request,
        "community/circle_detail.html",
        {
            "circle": circle,
            "threads": list(selectors.circle_threads(circle)),
            "membership": membership,
            "can_post": request.user.has_perm("community.post_in_circle", circle),
            "can_moderate": can_moderate,
            "pending": list(selectors.pending_members(circle)) if can_moderate else [],
            "moderators": list(selectors.circle_moderators(circle)),
            "can_grant": request.user.has_perm("community.grant_moderator"),
        },
    )


@require_POST
def circle_join(request, slug):
    require_perm(request, "community.join_circle")
    try:
        circle = selectors.circle_by_slug(slug)
    except Circle.DoesNotExist:
        raise Http404 from None
    membership = services.circle_join(circle=circle, user=request.user)
    if membership.state == Membership.State.PENDING:
        messages.info(request, _("You asked to join. A moderator will approve it."))
        return redirect("community:circles")
    messages.success(request, _("You joined %(circle)s.") % {"circle": circle.name})
    return redirect("community:circle", slug=circle.slug)


@require_POST
def circle_leave(request, slug):
    require_perm(request, "community.join_circle")
    try:
        circle = selectors.circle_by_slug(slug)
    except Circle.DoesNotExist:
        raise Http404 from None
    services.circle_leave(circle=circle, user=request.user)
    messages.success(request, _("You left %(circle)s.") % {"circle": circle.name})
    return redirect("community:circles")


@require_POST
def membership_approve(request, slug, pk):
    circle = _circle(request, slug, "community.moderate_circle")
    membership = get_object_or_404(Membership, circle=circle, pk=pk)
    services.membership_approve(membership=membership, by=request.user)
    return redirect("community:circle", slug=circle.slug)


@require_http_methods(["GET", "POST"])
@limited("community_post")
def thread_new(request, slug):
    circle = _circle(request, slug, "community.post_in_circle")
    form = ThreadForm(_data(request), initial={"resource": request.GET.get("resource", "")[:20]})
    if form.is_valid():
        try:
            thread = services.thread_create(circle=circle, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return _back(thread)
    return render(request, "community/thread_form.html", {"circle": circle, "form": form})


@require_http_methods(["GET", "POST"])
@limited("community_post")
def thread_detail(request, slug, pk):
    thread = _thread(request, slug, pk)
    form = ReplyForm(_data(request))
    if request.method == "POST":
        require_perm(request, "community.post_in_circle", thread.circle)
        if form.is_valid():
            try:
                services.reply_create(thread=thread, author=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("body", error)
            else:
                return _back(thread)
    can_moderate = request.user.has_perm("community.moderate_circle", thread.circle)
    # A hidden thread keeps its replies for the moderators; readers see only the reason.
    closed = thread.is_hidden and not can_moderate
    return render(
        request,
        "community/thread_detail.html",
        {
            "thread": thread,
            "circle": thread.circle,
            "form": form,
            "can_moderate": can_moderate,
            "replies": [] if closed else list(selectors.thread_replies(thread)),
            "can_post": not thread.is_hidden
            and request.user.has_perm("community.post_in_circle", thread.circle),
            "can_report": request.user.has_perm("community.report_post", thread.circle),
        },
    )


def _reply_or_none(thread, request):
    reply_id = request.POST.get("reply", "")
    if not reply_id:
        return None
    if not reply_id.isdigit():
        raise Http404
    return get_object_or_404(Reply, thread=thread, pk=int(reply_id))


@require_POST
@limited("community_post")
def post_report(request, slug, pk):
    thread = _thread(request, slug, pk, "community.report_post")
    reply = _reply_or_none(thread, request)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.post_report(
            thread=thread, reply=reply, reporter=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Thank you. The circle's moderators will look at it."))
    else:
        messages.error(request, _("Say briefly what is wrong (up to 500 characters)."))
    return _back(thread)


@require_POST
def post_hide(request, slug, pk):
    thread = _thread(request, slug, pk, "community.moderate_circle")
    reply = _reply_or_none(thread, request)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.post_hide(
            post=reply or thread, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Hidden."))
    else:
        messages.error(request, _("Give a reason (up to 500 characters)."))
    return _back(thread)


@require_safe
def circle_reports(request, slug):
    circle = _circle(request, slug, "community.moderate_circle")
    return render(
        request,
        "community/reports.html",
        {"circle": circle, "reports": list(selectors.open_reports(circle))},
    )


@require_POST
def report_dismiss(request, slug, pk):
    circle = _circle(request, slug, "community.moderate_circle")
    report = get_object_or_404(Report, thread__circle=circle, pk=pk)
    services.report_dismiss(report=report, by=request.user)
    return redirect("community:circle_reports", slug=circle.slug)


@require_http_methods(["GET", "POST"])
def circle_moderators(request, slug):
    circle = _circle(request, slug, "community.grant_moderator")
    form = ModeratorForm(_data(request), members=selectors.circle_members(circle))
    if form.is_valid():
        services.moderator_grant(circle=circle, user=form.cleaned_data["user"], by=request.user)
        messages.success(request, _("Moderator added."))
        return redirect("community:circle_moderators", slug=circle.slug)
    return render(
        request,
        "community/moderators.html",
        {"circle": circle, "form": form, "moderators": list(selectors.circle_moderators(circle))},
    )


@require_POST
def moderator_revoke(request, slug, pk):
    circle = _circle(request, slug, "community.grant_moderator")
    grant = get_object_or_404(CircleModerator, circle=circle, pk=pk, revoked_at__isnull=True)
    services.moderator_revoke(grant=grant, by=request.user)
    messages.success(request, _("Moderator removed."))
    return redirect("community:circle_moderators", slug=circle.slug)


# --- mentoring ------------------------------------------------------------------------------------


@require_safe
def mentoring(request):
    require_perm(request, "community.mentoring")
    user = request.user
    return render(
        request,
        "community/mentoring.html",
        {
            "mentor_request": selectors.live_request(user),
            "offer": selectors.offer_for(user),
            "mentorships": list(selectors.mentorships_of(user)),
            "can_offer": user.has_perm("community.offer_mentoring"),
            "can_see_matches": user.has_perm("community.see_matches"),
        },
    )


@require_http_methods(["GET", "POST"])
@limited("community_post")
def mentor_ask(request):
    require_perm(request, "community.mentoring")
    form = MentorRequestForm(
        _data(request), initial={"areas": selectors.missing_areas(request.user)}
    )
    if form.is_valid():
        try:
            mentoring_services.mentor_request_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("We will look for a mentor and write to you."))
            return redirect("community:mentoring")
    return render(
        request, "community/mentor_form.html", {"form": form, "title": _("Ask for a mentor")}
    )


@require_http_methods(["GET", "POST"])
def mentor_offer(request):
    require_perm(request, "community.offer_mentoring")
    offer = selectors.offer_for(request.user)
    initial = (
        {
            "areas": list(offer.areas.all()),
            "capacity": offer.capacity,
            "active": offer.active,
            "note": offer.note,
        }
        if offer
        else {"active": True, "capacity": 2}
    )
    form = MentorOfferForm(_data(request), initial=initial)
    if form.is_valid():
        try:
            mentoring_services.mentor_offer_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your mentoring offer is saved."))
            return redirect("community:mentoring")
    return render(
        request, "community/mentor_form.html", {"form": form, "title": _("Offer mentoring")}
    )


@require_POST
def mentor_request_withdraw(request, pk):
    require_perm(request, "community.mentoring")
    mentor_request = get_object_or_404(MentorRequest, pk=pk, user=request.user)
    mentoring_services.mentor_request_withdraw(request=mentor_request, by=request.user)
    return redirect("community:mentoring")


@require_POST
def mentorship_respond(request, pk):
    require_perm(request, "community.mentoring")
    try:
        mentorship = selectors.mentorship_of(request.user, pk)
    except Mentorship.DoesNotExist:
        raise Http404 from None
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("community:mentoring")
    try:
        mentoring_services.mentorship_respond(
            mentorship=mentorship, by=request.user, accept=form.cleaned_data["decision"] == "accept"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("community:mentoring")


@require_safe
def mentoring_matches(request):
    require_perm(request, "community.see_matches")
    return render(
        request,
        "community/mentoring_matches.html",
        {
            "mentorships": list(selectors.current_mentorships()),
            "stalled": list(selectors.stalled_mentorships()),
            "waiting": list(selectors.waiting_requests()),
        },
    )


@require_POST
def mentoring_propose(request):
    require_perm(request, "community.see_matches")
    made = mentoring_services.matches_propose(by=request.user)
    messages.success(
        request,
        ngettext("%(count)d pair proposed.", "%(count)d pairs proposed.", len(made))
        % {"count": len(made)},
    )
    return redirect("community:mentoring_matches")


# --- opportunities --------------------------------------------------------------------------------


@require_safe
def opportunity_list(request):
    require_perm(request, "community.view_opportunities")
    form = OpportunitySearchForm(request.GET or None)
    filters, mine = {}, []
    if form.is_valid():
        data = form.cleaned_data
        if data["mine"]:
            mine = selectors.person_areas(request.user)
        filters = {
            "areas": [data["area"].pk] if data["area"] else mine,
            "region": data["region"].pk if data["region"] else "",
            "kind": data["kind"],
            "remote": data["remote"],
        }
    return render(
        request,
        "community/opportunity_list.html",
        {
            "form": form,
            "opportunities": list(selectors.open_opportunities(**filters)),
            "can_post": request.user.has_perm("community.post_opportunity"),
            "can_moderate": request.user.has_perm("community.moderate_opportunities"),
        },
    )


@require_http_methods(["GET", "POST"])
@limited("community_post")
def opportunity_new(request):
    require_perm(request, "community.post_opportunity")
    form = OpportunityForm(
        _data(request), organizations=selectors.hosted_organizations(request.user)
    )
    if form.is_valid():
        try:
            post = opportunity_services.opportunity_post(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            return redirect("community:opportunity", pk=post.pk)
    return render(request, "community/opportunity_form.html", {"form": form})


def _opportunity(request, pk):
    """Open posts are public; a removed or expired one is seen by its hosts and coordinators only."""
    try:
        post = selectors.opportunity(pk)
    except Opportunity.DoesNotExist:
        raise Http404 from None
    is_open = post.state == Opportunity.State.PUBLISHED and post.expires_on >= timezone.localdate()
    if not is_open and not request.user.has_perm("community.manage_opportunity", post):
        raise Http404
    return post


@require_safe
def opportunity_detail(request, pk):
    post = _opportunity(request, pk)
    return render(
        request,
        "community/opportunity_detail.html",
        {
            "post": post,
            "can_manage": request.user.has_perm("community.manage_opportunity", post),
            "apply_is_email": "@" in post.how_to_apply and "/" not in post.how_to_apply,
        },
    )


@require_POST
def opportunity_remove(request, pk):
    post = _opportunity(request, pk)
    require_perm(request, "community.manage_opportunity", post)
    form = ReasonForm(request.POST)
    if form.is_valid():
        opportunity_services.opportunity_remove(
            opportunity=post, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The post is removed."))
    else:
        messages.error(request, _("Give a reason (up to 500 characters)."))
    return redirect("community:opportunity", pk=post.pk)


@require_safe
def opportunity_moderation(request):
    require_perm(request, "community.moderate_opportunities")
    return render(
        request,
        "community/opportunity_moderation.html",
        {"opportunities": list(selectors.removed_or_expired()[:200])},
    )


@require_safe
def resource_threads(request, public_id):
    """Where the directory sends people: the circle threads discussing one resource."""
    require_perm(request, "community.view_resource_threads")
    resource = get_object_or_404(Resource, public_id=public_id, status=Resource.Status.APPROVED)
    return render(
        request,
        "community/resource_threads.html",
        {
            "resource": resource,
            "threads": list(selectors.threads_about(resource, request.user)),
            "my_circles": list(selectors.circles_of(request.user)),
        },
    )
