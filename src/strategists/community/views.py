"""The registry's pages: thin, every check in rules.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from strategists.accounts.models import User
from strategists.common.permissions import require_perm
from strategists.community import selectors, services
from strategists.community.forms import ListingForm, RegistrySearchForm


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
    return render(request, "community/registry_profile.html", {
        "person": person, "areas": selectors.registry_areas(person)})


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
    return render(request, "community/listing_settings.html", {
        "form": form, "listing": listing, "certified": selectors.is_currently_certified(request.user)})
