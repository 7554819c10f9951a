"""Account pages: sign up, verify, sign in, reset, profile, export or delete one's data."""

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from strategists.accounts import selectors, services
from strategists.accounts.forms import (
    AccountDeleteForm,
    EmailForm,
    LoginForm,
    OrganizationForm,
    ProfileForm,
    SignupForm,
)
from strategists.accounts.models import Organization, User
from strategists.accounts.tokens import claim_token
from strategists.common import ratelimits
from strategists.common.permissions import get_object_with_perm, require_perm
from strategists.common.ratelimits import limited


@require_http_methods(["GET", "POST"])
@limited("signup")
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:me")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_signup(**form.cleaned_data)
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@require_safe
def signup_done(request):
    return render(request, "accounts/signup_done.html")


@require_safe
def verify(request, uidb64, token):
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    # A used, expired or made-up link gets the same page, so links don't tell which people
    # exist or have confirmed their address.
    if user is None or not services.user_verify_email(user=user, token=token):
        return render(request, "accounts/verify_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed. Welcome!"))
    return redirect("accounts:me")


@require_http_methods(["GET", "POST"])
def verify_resend(request):
    """A new confirmation link: for the signed-in person whose address isn't confirmed, or for an
    address typed in (answered the same whether or not it has an account)."""
    user = request.user if request.user.is_authenticated else None
    form = None if user is not None else EmailForm(request.POST or None)
    if request.method == "POST":
        # Counted by IP and by the address the mail would go to, typed or the person's own.
        ratelimits.check(request, "verification_resend", email=user.email if user else None)
        if user is not None and not user.is_verified:
            services.verification_email_send(user=user)
            return redirect("accounts:verify_resent")
        if form is not None and form.is_valid():
            services.verification_email_resend(email=form.cleaned_data["email"])
            return redirect("accounts:verify_resent")
    return render(request, "accounts/verify_resend.html", {"form": form, "person": user})


@require_safe
def verify_resent(request):
    return render(request, "accounts/verify_resent.html")


class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same for every address. Accounts without a password yet (added at a training
    or by the API) get a link to claim the account, which Django's own view would skip."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        services.password_help_send(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from the mailed link also confirms the address."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        services.password_reset_complete(
            user=form.user, password=form.cleaned_data["new_password1"]
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class ClaimView(auth_views.PasswordResetConfirmView):
    """The mailed link that lets someone added by others set their first password. Like a reset
    link, the token moves into the session and out of the address bar (and Referer headers)."""

    template_name = "accounts/claim.html"
    token_generator = claim_token
    success_url = reverse_lazy("accounts:profile_edit")

    def form_valid(self, form):
        user = services.account_claim(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _(
                "Your account is yours: your password is set and your email address confirmed. Check your profile."
            ),
        )
        return HttpResponseRedirect(self.get_success_url())


@require_http_methods(["GET", "POST"])
@login_required
def data_export(request):
    if request.method == "POST":
        data = services.personal_data_export(user=request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        filename = f"1000-strategists-my-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/data_export.html")


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user, keep_credentials=form.keep_credentials)
        logout(request)
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/account_delete.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = request.POST.get("next") or request.GET.get("next")
        from django.utils.http import url_has_allowed_host_and_scheme

        if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            return redirect(next_url)
        return redirect("accounts:me")
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_safe
@login_required
def me(request):
    return redirect("accounts:person", pk=request.user.pk)


@require_safe
def person(request, pk):
    person = get_object_with_perm(request, "accounts.view_person", User.objects.all(), pk=pk)
    person = selectors.person_with_profile(person.pk)
    return render(request, "accounts/person.html", {"person": person})


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request):
    user = request.user
    initial = {
        "name": user.name,
        "pronouns": user.pronouns,
        "city": user.city,
        "languages": list(user.languages.all()),
        "preferred_language": user.preferred_language,
        "organization": user.organization.name if user.organization else "",
        "role": user.role,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:me")
    return render(request, "accounts/profile_form.html", {"form": form})


@require_safe
def city_options(request):
    query = request.GET.get("q", "")[:60]
    cities = selectors.city_search(query) if len(query.strip()) >= 2 else []
    return render(request, "accounts/city_options.html", {"cities": cities})


@require_safe
def organization_list(request):
    require_perm(request, "accounts.coordinate")
    organizations = selectors.organization_list().annotate(
        people_count=Count("people", distinct=True)
    )
    query = request.GET.get("q", "")[:100]
    if query:
        organizations = organizations.filter(name__icontains=query)
    return render(
        request,
        "accounts/organization_list.html",
        {"organizations": organizations.prefetch_related("hosts")[:300], "query": query},
    )


@require_http_methods(["GET", "POST"])
def organization_edit(request, pk=None):
    require_perm(request, "accounts.coordinate")
    organization = get_object_or_404(Organization, pk=pk) if pk else None
    initial = {}
    if organization is not None:
        initial = {
            "name": organization.name,
            "type": organization.type,
            "parent": organization.parent_id,
            "city": organization.city,
            "website": organization.website,
            "host_emails": "\n".join(organization.hosts.values_list("email", flat=True)),
        }
    form = OrganizationForm(request.POST or None, initial=initial, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_save(organization=organization, by=request.user, **form.cleaned_data)
        messages.success(request, _("Organization saved."))
        return redirect("accounts:organizations")
    return render(
        request, "accounts/organization_form.html", {"form": form, "organization": organization}
    )
