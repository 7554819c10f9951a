"""Reads for the webhooks pages: endpoints with their backlog, and an endpoint's delivery log."""

from django.db.models import Count, Prefetch, Q

from strategists.webhooks.models import Delivery, DeliveryAttempt, Endpoint


def endpoints_list():
    return Endpoint.objects.select_related("owner").annotate(
        queued=Count(
            "deliveries",
            filter=Q(deliveries__status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]),
        ),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
    )


def endpoint_deliveries(endpoint: Endpoint):
    """Newest first, each with its attempts (newest first) in one more query per page."""
    return (
        endpoint.deliveries.defer("body")
        .prefetch_related(
            Prefetch("log", queryset=DeliveryAttempt.objects.order_by("-started_at", "-pk"))
        )
        .order_by("-pk")
    )
