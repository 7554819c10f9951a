"""Webhook deliveries that name a person: on their account's deletion, the ones still waiting
are dropped (nothing about them leaves after they asked to go) and the bodies kept in the log
are blanked. Endpoints a coordinator owns are part of their export."""

from django.db.models import Q

from strategists.common.personal_data import isoformat, register
from strategists.webhooks.models import Delivery, Endpoint

BLANKED = "[]"


def _naming(person) -> Q:
    # Bodies are compact JSON (payloads.envelope): the address and the person's API link.
    return Q(body__contains=f'"address":"{person.email}"') | Q(
        body__contains=f'/api/v2/people/{person.pk}"'
    )


def _export(person) -> list[dict]:
    return [
        {"url": e.url, "description": e.description, "created": isoformat(e.created_at)}
        for e in Endpoint.objects.filter(owner=person).order_by("pk")
    ]


def _erase(person, *, keep_credentials: bool) -> None:
    naming = Delivery.objects.filter(_naming(person))
    naming.filter(status=Delivery.Status.QUEUED).delete()
    naming.exclude(status=Delivery.Status.QUEUED).update(body=BLANKED)


# After the erasers whose changes queue deliveries (trainings 10: upcoming seats cancelled;
# skills 20: credentials revoked); before the platform part, which relabels the log.
register("webhook_endpoints", exporter=_export, eraser=_erase, order=60)
