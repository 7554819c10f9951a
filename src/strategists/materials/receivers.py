"""The sections materials adds to other apps' pages (common/panels.py): the training page lists
the training's materials; each area of the skills framework links its library."""

from django.template.loader import render_to_string

from strategists.materials import selectors


def training_panel(request, event) -> str:
    if request is None or not event.is_published:
        return ""
    private = request.user.has_perm("materials.see_private_of_event", event)
    return render_to_string(
        "materials/_training_panel.html",
        {
            "event": event,
            "materials": selectors.event_materials(event, private=private),
            "can_add": request.user.has_perm("materials.add_to_event", event),
        },
        request=request,
    )


def area_panel(request, area) -> str:
    # A link only: the framework lists every area, and a query per area would grow with them.
    return render_to_string("materials/_area_panel.html", {"area": area}, request=request)
