"""Pages where roles are asked for and granted: expert applications, host requests, and the
coordinators' roles page. Roles are granted, never claimed (accounts/role_services.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts import role_services, selectors, services
from strategists.accounts.forms import ExpertProfileForm
from strategists.accounts.models import ExpertApplication, HostRequest, RoleGrant
from strategists.accounts.roles_forms import (
    DecisionForm,
    ExpertApplicationForm,
    HostRequestForm,
    RoleChangeForm,
    RoleGrantForm,
)
from strategists.common.permissions import require_perm


def _profile_initial(user) -> dict:
    profile = getattr(user, "expert_profile", None)
    if profile is None:
        return {"home_city": user.city, "languages": list(user.languages.all())}
    return {
        "skill_areas": list(profile.skill_areas.all()),
        "home_city": profile.home_city,
        "languages": list(profile.languages.all()),
        "availability": profile.availability,
        "available_from": profile.available_from,
        "available_until": profile.available_until,
        "max_trainings_per_year": profile.max_trainings_per_year,
        "answers_questions": profile.answers_questions,
        "mentors": profile.mentors,
        "bio": profile.bio,
    }


@require_http_methods(["GET", "POST"])
@login_required
def expert_apply(request):
    """Volunteer as an expert: an application a coordinator decides. An approved expert edits
    their profile here; the areas they may review stay the approved ones."""
    user = request.user
    latest = selectors.latest_expert_application(user)
    pending = latest if latest and latest.state == ExpertApplication.State.PENDING else None
    if request.method == "POST" and request.POST.get("action") == "withdraw" and pending:
        role_services.expert_application_withdraw(application=pending, by=user)
        messages.success(request, _("Your application is withdrawn."))
        return redirect("accounts:expert_edit")
    profile_form = ExpertProfileForm(request.POST or None, initial=_profile_initial(user))
    application_form = (
        None
        if user.is_expert or pending
        else ExpertApplicationForm(
            request.POST or None, initial={"organization": user.organization_id}
        )
    )
    if (
        request.method == "POST"
        and pending is None
        and profile_form.is_valid()
        and (application_form is None or application_form.is_valid())
    ):
        if application_form is None:
            services.expert_profile_save(user=user, **profile_form.cleaned_data)
            messages.success(request, _("Your expert profile is saved."))
        else:
            try:
                services.expert_apply(
                    user=user, profile=profile_form.cleaned_data, **application_form.cleaned_data
                )
            except role_services.RoleError as error:
                messages.error(request, str(error))
                return redirect("accounts:expert_edit")
            messages.success(
                request,
                _(
                    "Thank you for volunteering! A coordinator will read your application and write to you."
                ),
            )
        return redirect("accounts:expert_edit")
    return render(
        request,
        "accounts/expert_form.html",
        {
            "form": profile_form,
            "application_form": application_form,
            "pending": pending,
            "latest": latest,
            "profile": getattr(user, "expert_profile", None),
        },
    )


@require_safe
def role_list(request):
    require_perm(request, "accounts.coordinate")
    role = request.GET.get("role", "")
    state = request.GET.get("state", "")
    query = request.GET.get("q", "")[:100]
    role = role if role in RoleGrant.Kind.values else ""
    state = state if state in RoleGrant.State.values else ""
    return render(
        request,
        "accounts/roles.html",
        {
            "grants": selectors.role_grants(role=role, state=state, query=query)[:500],
            "applications": selectors.pending_expert_applications(),
            "host_requests": selectors.host_requests_for(request.user),
            "grant_form": RoleGrantForm(),
            "roles": RoleGrant.Kind.choices,
            "states": RoleGrant.State.choices,
            "role": role,
            "state": state,
            "query": query,
        },
    )


@require_http_methods(["GET", "POST"])
def role_grant(request):
    require_perm(request, "accounts.coordinate")
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role_services.role_grant(
                user=data["email"],
                role=data["role"],
                organization=data["organization"],
                by=request.user,
                reason=data["reason"],
            )
        except role_services.RoleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Role granted to %(name)s.") % {"name": data["email"].name})
            return redirect("accounts:roles")
    return render(
        request, "accounts/role_grant.html", {"form": form}, status=400 if form.errors else 200
    )


ROLE_ACTIONS = {
    "suspend": role_services.role_suspend,
    "revoke": role_services.role_revoke,
    "reinstate": role_services.role_grant,
}


@require_http_methods(["GET", "POST"])
def role_change(request, pk, action):
    require_perm(request, "accounts.coordinate")
    if action not in ROLE_ACTIONS:
        raise Http404
    grant = get_object_or_404(RoleGrant.objects.select_related("user", "organization"), pk=pk)
    form = RoleChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ROLE_ACTIONS[action](
                user=grant.user,
                role=grant.role,
                organization=grant.organization,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except role_services.RoleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Role changed: %(grant)s.") % {"grant": grant})
            return redirect("accounts:roles")
    return render(
        request,
        "accounts/role_change.html",
        {"form": form, "grant": grant, "action": action},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def expert_application_detail(request, pk):
    require_perm(request, "accounts.coordinate")
    application = get_object_or_404(
        ExpertApplication.objects.select_related("user", "organization", "decided_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_services.expert_application_decide(
                application=application,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                message=form.cleaned_data["message"],
            )
        except role_services.RoleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Decision saved; %(name)s is told by mail.") % {"name": application.user.name},
            )
            return redirect("accounts:roles")
    return render(
        request,
        "accounts/expert_application.html",
        {
            "application": application,
            "form": form,
            "history": application.user.expert_applications.exclude(pk=application.pk).order_by(
                "-created_at"
            ),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def host_request_new(request):
    form = HostRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_services.host_request_submit(user=request.user, **form.cleaned_data)
        except role_services.RoleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your request is sent to the organization's hosts and the coordinators.")
            )
            return redirect("accounts:me")
    return render(
        request,
        "accounts/host_request_form.html",
        {
            "form": form,
            "mine": request.user.host_requests.select_related("organization").order_by(
                "-created_at"
            )[:10],
        },
        status=400 if form.errors else 200,
    )


def _host_request_page(request, failed=None, failed_form=None, status=200):
    items = [
        (
            item,
            failed_form
            if failed is not None and item.pk == failed.pk
            else DecisionForm(auto_id=f"hr{item.pk}_%s"),
        )
        for item in selectors.host_requests_for(request.user)
    ]
    return render(request, "accounts/host_requests.html", {"items": items}, status=status)


@require_safe
def host_request_list(request):
    require_perm(request, "accounts.view_host_requests")
    return _host_request_page(request)


@require_POST
def host_request_decide(request, pk):
    host_request = HostRequest.objects.select_related("user", "organization").filter(pk=pk).first()
    if host_request is None or not request.user.has_perm(
        "accounts.decide_host_request", host_request
    ):
        require_perm(request, "accounts.view_host_requests")  # visitors sign in; members get 403
        raise Http404  # a host of another organization learns nothing about the request
    form = DecisionForm(request.POST, auto_id=f"hr{host_request.pk}_%s")
    if form.is_valid():
        try:
            role_services.host_request_decide(
                request=host_request,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                response=form.cleaned_data["message"],
            )
        except role_services.RoleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Decision saved; %(name)s is told by mail.") % {"name": host_request.user.name},
            )
        return redirect("accounts:host_requests")
    return _host_request_page(request, failed=host_request, failed_form=form, status=400)
