from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from strategists.accounts import selectors, services
from strategists.accounts.forms import (
    ExpertProfileForm,
    LoginForm,
    OrganizationForm,
    ProfileForm,
    SignupForm,
)
from strategists.accounts.models import Organization, User
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
    if user is not None and user.is_verified:
        messages.info(request, _("Your email address is already confirmed: please sign in."))
        return redirect("accounts:login")
    if user is None or not services.user_verify_email(user=user, token=token):
        return render(request, "accounts/verify_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed. Welcome!"))
    return redirect("accounts:me")


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
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


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
        "name": user.name, "pronouns": user.pronouns, "city": user.city,
        "languages": list(user.languages.all()), "preferred_language": user.preferred_language,
        "organization": user.organization.name if user.organization else "", "role": user.role,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:me")
    return render(request, "accounts/profile_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def expert_profile_edit(request):
    profile = getattr(request.user, "expert_profile", None)
    initial = {"home_city": request.user.city, "languages": list(request.user.languages.all())}
    if profile is not None:
        initial = {
            "skill_areas": list(profile.skill_areas.all()), "home_city": profile.home_city,
            "languages": list(profile.languages.all()), "availability": profile.availability,
            "available_from": profile.available_from, "available_until": profile.available_until,
            "max_trainings_per_year": profile.max_trainings_per_year,
            "answers_questions": profile.answers_questions, "mentors": profile.mentors, "bio": profile.bio,
        }
    form = ExpertProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.expert_profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you for volunteering! Your expert profile is saved."))
        return redirect("accounts:me")
    return render(request, "accounts/expert_form.html", {"form": form, "profile": profile})


@require_safe
def city_options(request):
    query = request.GET.get("q", "")[:60]
    cities = selectors.city_search(query) if len(query.strip()) >= 2 else []
    return render(request, "accounts/city_options.html", {"cities": cities})


@require_safe
def organization_list(request):
    require_perm(request, "accounts.coordinate")
    organizations = selectors.organization_list().annotate(people_count=Count("people", distinct=True))
    query = request.GET.get("q", "")[:100]
    if query:
        organizations = organizations.filter(name__icontains=query)
    return render(request, "accounts/organization_list.html", {
        "organizations": organizations.prefetch_related("hosts")[:300], "query": query})


@require_http_methods(["GET", "POST"])
def organization_edit(request, pk=None):
    require_perm(request, "accounts.coordinate")
    organization = get_object_or_404(Organization, pk=pk) if pk else None
    initial = {}
    if organization is not None:
        initial = {"name": organization.name, "type": organization.type, "parent": organization.parent_id,
                   "city": organization.city, "website": organization.website,
                   "host_emails": "\n".join(organization.hosts.values_list("email", flat=True))}
    form = OrganizationForm(request.POST or None, initial=initial, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_save(organization=organization, **form.cleaned_data)
        messages.success(request, _("Organization saved."))
        return redirect("accounts:organizations")
    return render(request, "accounts/organization_form.html", {"form": form, "organization": organization})
