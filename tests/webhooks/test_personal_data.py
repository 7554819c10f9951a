"""A person who deletes their account: nothing naming them is sent after, and the bodies kept
in the delivery log no longer name them."""

from strategists.accounts.services import account_delete
from strategists.events import registration_services
from strategists.webhooks import outbox, services
from strategists.webhooks.models import Delivery, EventType
from tests.factories import EventFactory


def test_deleting_an_account_drops_waiting_deliveries_and_blanks_sent_ones(world, receiver):
    endpoint = services.endpoint_create(
        by=world.coordinator,
        url=receiver.url,
        event_types=[EventType.REGISTRATION_CREATED, EventType.REGISTRATION_CANCELLED],
    )
    registration_services.registration_create(event=EventFactory(), person=world.member)
    outbox.deliveries_send_due()  # delivered
    registration_services.registration_create(event=EventFactory(), person=world.other)

    account_delete(user=world.member, keep_credentials=False)

    # Otto's stays as it was; Mona's delivered one is blanked; her upcoming seat's cancellation
    # (queued by the deletion itself) never leaves.
    rows = list(Delivery.objects.order_by("pk").values_list("event_type", "status", "body"))
    assert [(event, status) for event, status, _ in rows] == [
        ("registration.created", "delivered"),
        ("registration.created", "queued"),
    ]
    assert rows[0][2] == "[]"
    assert "other@example.net" in rows[1][2]
    assert endpoint.deliveries.count() == 2
