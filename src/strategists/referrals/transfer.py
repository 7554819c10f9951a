"""Import and export of the directory as JSON Lines (the format of the benchmark's resources.jsonl).

An import is all or nothing: every line is checked first, and any error is reported as
``line N, field F: message`` with nothing written. Lines update resources by ``id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from strategists.accounts.constants import SUBDIVISION_NAMES
from strategists.accounts.models import SkillArea
from strategists.common.audit import audit_log
from strategists.referrals import ask_index
from strategists.referrals.models import Cost, Kind, Resource

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
# A resource's ``region``: where it serves (a country, or a state or province by name).
SERVED = {"us", "canada", "international", *SUBDIVISION_NAMES.values()}
LIMITS = {"name": 200, "summary": 300, "description": 5000, "url": 500}
REQUIRED = ("id", "kind", "name", "summary", "cost", "region")
KNOWN = {
    "id",
    "kind",
    "name",
    "url",
    "summary",
    "description",
    "skill_areas",
    "tags",
    "cost",
    "region",
}


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportReport:
    created: int
    updated: int


def _check(number: int, data, areas: set[str]) -> list[str]:
    def err(field: str, message: str) -> str:
        return f"line {number}, field {field}: {message}"

    if not isinstance(data, dict):
        return [err("-", "expected a JSON object")]
    errors = [err(key, "unknown field") for key in sorted(set(data) - KNOWN)]
    for key in REQUIRED:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(err(key, "required, a non-empty string"))
    if isinstance(data.get("id"), str) and data["id"].strip() and not ID.match(data["id"]):
        errors.append(err("id", "letters, digits, - and _ only, at most 20 characters"))
    for key, limit in LIMITS.items():
        value = data.get(key, "")
        if not isinstance(value, str):
            if key not in REQUIRED:
                errors.append(err(key, "must be a string"))
        elif len(value) > limit:
            errors.append(err(key, f"at most {limit} characters"))
    if isinstance(data.get("kind"), str) and data["kind"] and data["kind"] not in Kind.values:
        errors.append(err("kind", f"one of {', '.join(Kind.values)}"))
    if isinstance(data.get("cost"), str) and data["cost"] and data["cost"] not in Cost.values:
        errors.append(err("cost", f"one of {', '.join(Cost.values)}"))
    if isinstance(data.get("region"), str) and data["region"] and data["region"] not in SERVED:
        errors.append(
            err("region", "us, canada, international, or a US state or Canadian province by name")
        )
    url = data.get("url", "")
    if isinstance(url, str) and url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.append(err("url", "not a valid http(s) address"))
    for key in ("skill_areas", "tags"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            errors.append(err(key, "a list of non-empty strings"))
        elif key == "skill_areas" and (unknown := sorted(set(value) - areas)):
            errors.append(err(key, f"unknown skill area {', '.join(unknown)}"))
        elif key == "tags" and any(len(v) > 60 for v in value):
            errors.append(err(key, "each tag at most 60 characters"))
    return errors


def parse_lines(lines: Iterable[str]) -> list[tuple[int, dict]]:
    """Parse and validate every line; raise ImportFailed with every error found."""
    areas = set(SkillArea.objects.values_list("pk", flat=True))
    records: list[tuple[int, dict]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as error:
            errors.append(f"line {number}, field -: not valid JSON ({error.args[0].split(':')[0]})")
            continue
        problems = _check(number, data, areas)
        if problems:
            errors.extend(problems)
            continue
        if data["id"] in seen:
            errors.append(
                f"line {number}, field id: {data['id']} already on line {seen[data['id']]}"
            )
            continue
        seen[data["id"]] = number
        records.append((number, data))
    if errors:
        raise ImportFailed(errors)
    return records


@transaction.atomic
def resources_import(lines: Iterable[str]) -> ImportReport:
    """Create or update resources from JSON Lines; imported resources are listed."""
    records = parse_lines(lines)
    existing = {
        r.public_id: r for r in Resource.objects.filter(public_id__in=[d["id"] for _, d in records])
    }
    previous_urls = {pid: r.url for pid, r in existing.items()}
    now = timezone.now()
    created: list[Resource] = []
    updated: list[Resource] = []
    for _, data in records:
        values = {
            "kind": data["kind"],
            "name": data["name"].strip(),
            "url": data.get("url", ""),
            "summary": data["summary"].strip(),
            "description": data.get("description", ""),
            "tags": [t.strip() for t in data.get("tags", [])],
            "cost": data["cost"],
            "region": data["region"],
        }
        resource = existing.get(data["id"])
        if resource is None:
            created.append(
                Resource(
                    public_id=data["id"], status=Resource.Status.APPROVED, approved_at=now, **values
                )
            )
        else:
            for key, value in values.items():
                setattr(resource, key, value)
            if resource.status == Resource.Status.PENDING:
                resource.status, resource.approved_at = Resource.Status.APPROVED, now
            resource.updated_at = now
            updated.append(resource)
    Resource.objects.bulk_create(created, batch_size=1000)
    Resource.objects.bulk_update(
        updated,
        [*values, "status", "approved_at", "updated_at"] if updated else ["name"],
        batch_size=1000,
    )
    by_id = {
        r.public_id: r.pk
        for r in Resource.objects.filter(public_id__in=[d["id"] for _, d in records])
    }
    through = Resource.skill_areas.through
    through.objects.filter(resource_id__in=by_id.values()).delete()
    through.objects.bulk_create(
        [
            through(resource_id=by_id[d["id"]], skillarea_id=area)
            for _, d in records
            for area in dict.fromkeys(d.get("skill_areas", []))
        ],
        batch_size=2000,
    )
    ask_index.index_rebuild()
    # Addresses an import changed are named: an import is the one way a listed address changes
    # without a second curator, so the log must show it.
    urls = sorted(r.public_id for r in updated if r.url != previous_urls.get(r.public_id))
    audit_log(
        "resources.imported",
        data={"created": len(created), "updated": len(updated), "urls_changed": urls[:100]},
    )
    return ImportReport(created=len(created), updated=len(updated))


def resources_export(*, include_unlisted: bool = False) -> Iterator[str]:
    resources = Resource.objects.prefetch_related("skill_areas").order_by("public_id")
    if not include_unlisted:
        resources = resources.filter(status=Resource.Status.APPROVED)
    for resource in resources.iterator(chunk_size=1000):
        yield json.dumps(resource.as_record(), ensure_ascii=False)
