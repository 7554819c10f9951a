"""Reads of materials that the pages share: a training's (as the reader may see them), a skill
area's library, the host kit in the reader's language."""

from django.db.models import Q, QuerySet

from strategists.events.models import Event
from strategists.materials.models import Material


def _base() -> QuerySet[Material]:
    return Material.objects.select_related("added_by", "area", "event")


def event_materials(event: Event, *, private: bool) -> QuerySet[Material]:
    """The training's materials: all of them for those who may see its private ones, else the
    shared ones only."""
    materials = _base().filter(event=event)
    if not private:
        materials = materials.filter(visibility=Material.Visibility.PUBLIC)
    return materials


def area_library(area) -> QuerySet[Material]:
    """Shared materials of a skill area, from the area itself and from published trainings."""
    return (
        _base()
        .select_related("event__city__subdivision")
        .filter(area=area, visibility=Material.Visibility.PUBLIC, kit_section="")
        .filter(Q(event__isnull=True) | Q(event__state__in=Event.PUBLISHED_STATES))
        .order_by("-created_at", "-pk")
    )


def host_kit(language: str) -> list[tuple[str, str, list[Material]]]:
    """[(section, label, items)] in the kit's order; each section in the reader's language when
    it has items in it, else in English."""
    items = list(_base().exclude(kit_section="").order_by("position", "pk"))
    sections = []
    for value, label in Material.KitSection.choices:
        in_section = [item for item in items if item.kit_section == value]
        chosen = [item for item in in_section if item.language == language] or [
            item for item in in_section if item.language == "en"
        ]
        if chosen:
            sections.append((value, label, chosen))
    return sections
