"""The materials a person added, for their export. On deletion the materials stay (they belong
to the trainings and the library) but no longer name who added them."""

from strategists.common.personal_data import isoformat, register
from strategists.materials.models import Material


def _export(person) -> list[dict]:
    return [
        {
            "title": material.title,
            "kind": material.kind,
            "training": material.event_id,
            "area": material.area_id,
            "host_kit_section": material.kit_section,
            "link": material.url,
            "file": material.download_name if material.file else "",
            "added": isoformat(material.created_at),
        }
        for material in Material.objects.filter(added_by=person).order_by("created_at", "pk")
    ]


def _erase(person, *, keep_credentials: bool) -> None:
    Material.objects.filter(added_by=person).update(added_by=None)


register("materials", exporter=_export, eraser=_erase, order=20)
