"""What a delivery says, in Action Network's webhook shape where it has one.

Action Network POSTs a JSON array of objects, each naming its type by its one key
(`osdi:attendance`, ...) beside `action_network:sponsor` and an `idempotency_key`. Registrations
and check-ins are `osdi:attendance` (as the API's attendances), trainings `osdi:event`;
certifications and credentials have no Action Network type and use `strategists:` ones. Every
object also says which of our events it is, in `strategists:event_type`.
"""

import json

from django.conf import settings
from django.urls import reverse

ORIGIN_SYSTEM = "1000 Strategists"
# The API's attendance statuses (api/attendances.py), by registration status.
ATTENDANCE_STATUS = {
    "registered": "accepted",
    "waitlisted": "tentative",
    "offered": "needs action",
    "cancelled": "declined",
}
EVENT_STATUS = {
    "proposed": "tentative",
    "changes_requested": "tentative",
    "approved": "confirmed",
    "completed": "confirmed",
    "cancelled": "cancelled",
    "declined": "cancelled",
}


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def href(url_name: str, **kwargs) -> dict:
    return {"href": settings.PUBLIC_URL + reverse(url_name, kwargs=kwargs)}


def _person(person, fallback_name: str = "") -> dict:
    name = person.name if person is not None else fallback_name
    given, _, family = (name or "").strip().partition(" ")
    return {
        "given_name": given,
        "family_name": family,
        "email_addresses": (
            [{"primary": True, "address": person.email}] if person is not None else []
        ),
    }


def attendance(registration) -> tuple[str, dict]:
    person = registration.person
    links = {
        "self": href(
            "api:attendance_detail",
            event_id=registration.event_id,
            attendance_id=registration.pk,
        ),
        "osdi:event": href("api:event_detail", event_id=registration.event_id),
    }
    if person is not None:
        links["osdi:person"] = href("api:person_detail", person_id=person.pk)
    return "osdi:attendance", {
        "identifiers": [f"strategists:{registration.pk}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(registration.created_at),
        "modified_date": iso(registration.updated_at),
        "status": ATTENDANCE_STATUS.get(registration.status, registration.status),
        "attended": registration.checked_in_at is not None,
        "action_network:referrer_data": registration.referrer_data or {},
        "person": _person(person, registration.guest_name),
        "strategists:status": registration.status,
        "strategists:source": registration.source,
        "strategists:checked_in_date": iso(registration.checked_in_at),
        "strategists:event_id": registration.event_id,
        "_links": links,
    }


def event(training, *, reason: str = "") -> tuple[str, dict]:
    city = training.city
    data = {
        "identifiers": [f"strategists:{training.pk}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(training.created_at),
        "modified_date": iso(training.updated_at),
        "title": training.title,
        "name": training.title,
        "browser_url": settings.PUBLIC_URL + reverse("events:detail", kwargs={"pk": training.pk}),
        "start_date": iso(training.starts_at),
        "end_date": iso(training.ends_at),
        "status": EVENT_STATUS.get(training.state, training.state),
        "capacity": training.capacity,
        "location": {
            "venue": training.venue,
            "address_lines": [training.address] if training.address else [],
            "locality": city.name if city else "",
            "region": city.subdivision_id if city else "",
        },
        "strategists:state": training.state,
        "strategists:format": training.format,
        "strategists:timezone": training.timezone,
        "strategists:organization": {
            "identifiers": [f"strategists:{training.organization_id}"],
            "name": training.organization.name,
        },
        "_links": {
            "self": href("api:event_detail", event_id=training.pk),
            "osdi:attendances": href("api:attendances", event_id=training.pk),
        },
    }
    if reason:
        data["strategists:reason"] = reason
    return "osdi:event", data


def certification(certification) -> tuple[str, dict]:
    person = certification.person
    return "strategists:certification", {
        "identifiers": [f"strategists:certification:{certification.pk}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(certification.created_at),
        "modified_date": iso(certification.updated_at),
        "certified_date": iso(certification.certified_at),
        "status": certification.status,
        "person": _person(person),
        "_links": {"osdi:person": href("api:person_detail", person_id=person.pk)},
    }


def credential(credential, *, url: str) -> tuple[str, dict]:
    person = credential.person
    return "strategists:credential", {
        "identifiers": [f"strategists:credential:{credential.pk}"],
        "origin_system": ORIGIN_SYSTEM,
        "kind": credential.kind,
        "achievement_name": credential.achievement_name,
        "issued_date": iso(credential.issued_at),
        "revoked_date": iso(credential.revoked_at),
        "reason": credential.revoked_reason,
        "person": _person(person),
        "_links": {
            "self": {"href": url},
            "osdi:person": href("api:person_detail", person_id=person.pk),
        },
    }


def ping(endpoint, now) -> tuple[str, dict]:
    return "strategists:ping", {
        "message": "A test delivery from 1000 Strategists.",
        "created_date": iso(now),
        "strategists:endpoint": endpoint.pk,
    }


def envelope(event_type: str, kind: str, resource: dict, idempotency_key: str) -> str:
    """The body as sent, byte for byte on every attempt: the signature covers these bytes."""
    item = {
        "idempotency_key": idempotency_key,
        "strategists:event_type": event_type,
        kind: resource,
        "action_network:sponsor": {"title": ORIGIN_SYSTEM, "url": settings.PUBLIC_URL},
    }
    return json.dumps([item], ensure_ascii=False, separators=(",", ":"), default=str)
