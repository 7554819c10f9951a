"""Materials pages: a training's materials, a skill area's library, the host kit, and the one
place a stored file is served from, after an access check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts.models import SkillArea
from strategists.common.permissions import LoginRequired, require_perm
from strategists.common.ratelimits import limited
from strategists.events.models import Event
from strategists.materials import selectors, services
from strategists.materials.forms import KitItemForm, MaterialForm
from strategists.materials.models import Material


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _visible_event(request, pk) -> Event:
    """The training, if the person may see it (else 404, or sign in first)."""
    event = get_object_or_404(Event.objects.select_related("organization", "city"), pk=pk)
    if not request.user.has_perm("events.view_event", event):
        if not request.user.is_authenticated:
            raise LoginRequired(request)
        raise Http404
    return event


def _removable(request, materials) -> set[int]:
    """The materials on the page this person may remove (materials.remove_material), worked
    out once for the page rather than once per item."""
    user = request.user
    if not user.is_authenticated:
        return set()
    if user.is_coordinator:
        return {m.pk for m in materials}
    hosted = set(user.hosted_organizations.values_list("pk", flat=True))
    return {
        m.pk
        for m in materials
        if m.added_by_id == user.pk or (m.event is not None and m.event.organization_id in hosted)
    }


def _add(request, form, **where):
    try:
        services.material_add(by=request.user, **{**form.values(), **where})
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
        return False
    messages.success(request, _("Added: %(title)s") % {"title": form.cleaned_data["title"]})
    return True


@require_http_methods(["GET", "POST"])
@limited("upload")
def event_materials(request, pk):
    event = _visible_event(request, pk)
    can_add = request.user.has_perm("materials.add_to_event", event)
    if request.method == "POST":
        require_perm(request, "materials.add_to_event", event)
    form = MaterialForm(*_posted(request), areas=event.skill_areas.all()) if can_add else None
    if request.method == "POST" and form.is_valid() and _add(request, form, event=event):
        return redirect("materials:event", pk=event.pk)
    private = request.user.has_perm("materials.see_private_of_event", event)
    materials = list(selectors.event_materials(event, private=private))
    return render(
        request,
        "materials/event.html",
        {
            "event": event,
            "materials": materials,
            "removable": _removable(request, materials),
            "private": private,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@limited("upload")
def area_library(request, area):
    area = get_object_or_404(SkillArea, pk=area)
    can_add = request.user.has_perm("materials.add_to_area", area)
    if request.method == "POST":
        require_perm(request, "materials.add_to_area", area)
    form = MaterialForm(*_posted(request), visibility=False) if can_add else None
    if request.method == "POST" and form.is_valid() and _add(request, form, area=area):
        return redirect("materials:library", area=area.pk)
    materials = list(selectors.area_library(area))
    return render(
        request,
        "materials/library.html",
        {
            "area": area,
            "materials": materials,
            "removable": _removable(request, materials),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def host_kit(request):
    can_add = request.user.has_perm("materials.add_to_kit")
    if request.method == "POST":
        require_perm(request, "materials.add_to_kit")
    form = KitItemForm(request.POST if request.method == "POST" else None) if can_add else None
    if request.method == "POST" and form.is_valid():
        services.material_add(by=request.user, **form.cleaned_data)
        messages.success(request, _("Added to the host kit."))
        return redirect("materials:host_kit")
    sections = selectors.host_kit(translation.get_language() or "en")
    return render(
        request,
        "materials/host_kit.html",
        {
            "sections": sections,
            "removable": _removable(request, [m for _, _, items in sections for m in items]),
            "form": form,
        },
    )


def _material(request, perm: str, pk) -> Material:
    """The material if the person may see it, else 404 (sign in first when signed out), so a
    training's private files can't be found by walking ids."""
    material = get_object_or_404(Material.objects.select_related("event__organization"), pk=pk)
    if not request.user.has_perm("materials.view_material", material):
        if not request.user.is_authenticated:
            raise LoginRequired(request)
        raise Http404
    require_perm(request, perm, material)
    return material


@require_safe
def material_file(request, pk):
    material = _material(request, "materials.view_material", pk)
    if not material.file:
        raise Http404
    # Always a download, under a name we cleaned: an uploaded file never renders in our origin.
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.download_name
    )


@require_POST
def material_remove(request, pk):
    material = _material(request, "materials.remove_material", pk)
    event, area = material.event_id, material.area_id
    services.material_remove(material=material, by=request.user)
    messages.success(request, _("Removed: %(title)s") % {"title": material.title})
    if event:
        return redirect("materials:event", pk=event)
    if area:
        return redirect("materials:library", area=area)
    return redirect("materials:host_kit")
