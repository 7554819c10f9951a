"""The coordinators' pages: register an endpoint and see its secret once, change it, pause and
resume it, ping it, read the delivery log, deliver again; each write in the audit log."""

import pytest
from django.urls import reverse

from strategists.common.models import AuditEntry
from strategists.webhooks import outbox, services
from strategists.webhooks.models import Delivery, Endpoint, EventType

FORM = {
    "url": "http://127.0.0.1:9/hook",
    "description": "Local 1001's CRM",
    "event_types": ["registration.created", "registration.checked_in"],
    "secret": "",
}


def make_endpoint(world, n=0) -> Endpoint:
    return services.endpoint_create(
        by=world.coordinator,
        url=f"http://127.0.0.1:9/hook{n}",
        event_types=[EventType.REGISTRATION_CREATED],
    )


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.coordinator)
    return client


def test_a_new_endpoints_generated_secret_is_shown_once(coordinator, world):
    response = coordinator.post(reverse("webhooks:create"), FORM, follow=True)

    endpoint = Endpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert endpoint.secret in response.content.decode()
    again = coordinator.get(reverse("webhooks:detail", kwargs={"pk": endpoint.pk}))
    assert endpoint.secret not in again.content.decode()
    assert (endpoint.url, endpoint.event_types, endpoint.owner) == (
        FORM["url"],
        FORM["event_types"],
        world.coordinator,
    )
    [entry] = AuditEntry.objects.filter(action="webhook_endpoint.created")
    assert entry.data == {
        "url": FORM["url"],
        "events": FORM["event_types"],
        "secret": "generated",
    }
    assert endpoint.secret not in str(entry.data)


def test_a_given_secret_is_kept(coordinator):
    secret = "a-secret-the-receiver-already-has-123"
    coordinator.post(reverse("webhooks:create"), {**FORM, "secret": secret})
    assert Endpoint.objects.get().secret == secret


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("url", "", "This field is required."),
        ("url", "http://10.0.0.8/hook", "10.0.0.8 is a private or local address; webhooks go"),
        ("url", "not a url", "Enter a URL that starts with https://."),
        ("event_types", [], "This field is required."),
        ("event_types", ["everything"], "Select a valid choice. everything is not one of"),
        ("secret", "short", "A secret has at least 24 characters"),
    ],
)
def test_bad_input_names_the_field(coordinator, field, value, error):
    response = coordinator.post(reverse("webhooks:create"), {**FORM, field: value})

    assert response.status_code == 400
    assert error in " ".join(response.context["form"].errors[field])
    assert Endpoint.objects.count() == 0


def test_production_refuses_plain_http_on_the_form(coordinator, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    response = coordinator.post(
        reverse("webhooks:create"), {**FORM, "url": "http://93.184.216.34/hook"}
    )
    assert response.context["form"].errors["url"] == [
        "Enter a URL that starts with https://: deliveries carry people's data."
    ]


def test_changing_an_endpoint_is_logged_and_a_new_secret_shown_once(coordinator, world):
    endpoint = make_endpoint(world)
    old_secret = endpoint.secret

    response = coordinator.post(
        reverse("webhooks:edit", kwargs={"pk": endpoint.pk}),
        {**FORM, "url": "http://127.0.0.1:9/new", "new_secret": "on"},
        follow=True,
    )

    endpoint.refresh_from_db()
    assert endpoint.secret != old_secret
    assert endpoint.secret in response.content.decode()
    [entry] = AuditEntry.objects.filter(action="webhook_endpoint.updated")
    assert entry.data == {
        "secret": "replaced",
        "before": {
            "url": "http://127.0.0.1:9/hook0",
            "events": ["registration.created"],
            "description": "",
        },
        "after": {
            "url": "http://127.0.0.1:9/new",
            "events": FORM["event_types"],
            "description": FORM["description"],
        },
    }


def test_pause_resume_and_ping_from_the_page(coordinator, world):
    endpoint = make_endpoint(world)
    base = {"pk": endpoint.pk}

    coordinator.post(reverse("webhooks:pause", kwargs=base))
    assert Endpoint.objects.get().state == "paused"
    coordinator.post(reverse("webhooks:resume", kwargs=base))
    assert Endpoint.objects.get().state == "active"
    coordinator.post(reverse("webhooks:ping", kwargs=base))
    assert list(Delivery.objects.values_list("event_type", flat=True)) == ["ping"]

    assert list(
        AuditEntry.objects.filter(action__startswith="webhook")
        .order_by("pk")
        .values_list("action", "actor_id")
    ) == [
        ("webhook_endpoint.created", world.coordinator.pk),
        ("webhook_endpoint.paused", world.coordinator.pk),
        ("webhook_endpoint.resumed", world.coordinator.pk),
        ("webhook_endpoint.pinged", world.coordinator.pk),
    ]


def test_redelivery_from_the_log_is_logged(coordinator, world):
    endpoint = make_endpoint(world)
    delivery = outbox.ping_queue(endpoint=endpoint)
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=12)

    coordinator.post(
        reverse("webhooks:redeliver", kwargs={"pk": endpoint.pk, "delivery_pk": delivery.pk})
    )

    delivery.refresh_from_db()
    assert (delivery.status, delivery.not_before) == ("queued", None)
    assert AuditEntry.objects.get(action="webhook_delivery.redelivered").data == {
        "endpoint": endpoint.pk,
        "before": {"status": "failed"},
        "after": {"status": "queued"},
    }


def test_the_delivery_page_shows_body_and_attempts(coordinator, world, receiver):
    endpoint = services.endpoint_create(
        by=world.coordinator, url=receiver.url, event_types=[EventType.CERTIFIED]
    )
    delivery = outbox.ping_queue(endpoint=endpoint)
    outbox.delivery_send(delivery_id=delivery.pk)

    page = coordinator.get(
        reverse("webhooks:delivery", kwargs={"pk": endpoint.pk, "delivery_pk": delivery.pk})
    ).content.decode()

    assert str(delivery.idempotency_key) in page
    assert "{&quot;ok&quot;: true}" in page
    assert "strategists:ping" in page


def test_writes_are_rate_limited(coordinator, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "webhooks": {"user": "2/h"}}
    statuses = [
        coordinator.post(reverse("webhooks:create"), {**FORM, "url": ""}).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_for_any_number(
    coordinator, world, django_assert_num_queries, count
):
    for n in range(count):
        make_endpoint(world, n)
    # session, user, endpoints with their owner and backlog counts
    with django_assert_num_queries(3):
        response = coordinator.get(reverse("webhooks:list"))
    assert len(response.context["endpoints"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_delivery_log_costs_the_same_queries_for_any_number(
    coordinator, world, django_assert_num_queries, count
):
    endpoint = make_endpoint(world)
    for _ in range(count):
        outbox.ping_queue(endpoint=endpoint)
    # session, user, the endpoint, the count, the page of deliveries, their attempts
    with django_assert_num_queries(6):
        response = coordinator.get(reverse("webhooks:detail", kwargs={"pk": endpoint.pk}))
    assert len(response.context["page"]) == count


@pytest.mark.parametrize(
    "url",
    [
        "https://[::1/hook",
        "https://" + "a" * 300 + ".example/hook",
        "https://93.184.216.34:0x50/hook",
        "http://127.0.0.1\x00/hook",
        "javascript:alert(1)",
        "https://[fe80::1%25eth0]/hook",
    ],
)
def test_hostile_urls_get_a_form_error_not_a_crash(coordinator, url):
    response = coordinator.post(reverse("webhooks:create"), {**FORM, "url": url})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["url"]


def test_coordinators_find_webhooks_in_the_menu(client_for, world):
    link = f'<a href="{reverse("webhooks:list")}">Webhooks</a>'
    assert link in client_for("coordinator").get("/").content.decode()
    assert link not in client_for("host").get("/").content.decode()
