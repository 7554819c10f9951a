"""Every write on materials: add one (to a training, a skill area or the host kit) and remove
one. Each writes its audit entry in the same transaction; a removed file leaves the disk only
after the removal is committed."""

from django.db import transaction

from strategists.common.audit import audit_log
from strategists.materials.models import Material

FIELDS = {
    "title",
    "description",
    "kind",
    "visibility",
    "url",
    "body",
    "language",
    "original_name",
    "kit_section",
    "position",
}


@transaction.atomic
def material_add(*, by, event=None, area=None, file=None, **values) -> Material:
    material = Material(
        event=event,
        area=area,
        added_by=by,
        **{name: value for name, value in values.items() if name in FIELDS},
    )
    if material.kit_section:
        material.kind = Material.Kind.GUIDE
        material.visibility = Material.Visibility.PUBLIC
    if file is not None:
        material.file = file
    material.full_clean(exclude=["file"])
    material.save()
    audit_log(
        "material.added",
        material,
        actor=by,
        data={
            "event": event.pk if event else None,
            "area": area.pk if area else None,
            "kit_section": material.kit_section,
            "kind": material.kind,
            "visibility": material.visibility,
            "file": bool(material.file),
            "url": material.url,
        },
    )
    return material


@transaction.atomic
def material_remove(*, material: Material, by) -> None:
    audit_log(
        "material.removed",
        material,
        actor=by,
        data={"title": material.title, "event": material.event_id, "area": material.area_id},
    )
    stored = material.file.name if material.file else ""
    storage = material.file.storage
    material.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
