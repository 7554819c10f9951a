"""Bad input on every messaging form gets an error naming the field, never a 500; preferences
keep exactly what the person ticked; the message log and the composer's chooser stay at a fixed
number of queries."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.messaging.models import Message, Unsubscription
from tests.factories import EventFactory
from tests.messaging.conftest import register

pytestmark = pytest.mark.django_db


def errors(response) -> dict:
    form = response.context["form"]
    return {name: list(messages) for name, messages in form.errors.items()}


def compose_url(event) -> str:
    return reverse("messaging:compose") + f"?segment=training&event={event.pk}&group=all"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, {"subject": ["This field is required."], "body": ["This field is required."]}),
        (
            {"subject": "x" * 201, "body": "Hi"},
            {"subject": ["Ensure this value has at most 200 characters (it has 201)."]},
        ),
        (
            {"subject": "Hi", "body": "x" * 10_001},
            {"body": ["Ensure this value has at most 10000 characters (it has 10001)."]},
        ),
        ({"subject": "Hi\x00", "body": "Hi"}, {"subject": ["Null characters are not allowed."]}),
        ({"subject": "   ", "body": "Hi"}, {"subject": ["This field is required."]}),
    ],
)
def test_the_composer_names_the_field(client_for, world, data, expected):
    event = EventFactory(organization=world.organization)
    register(event, world.member)
    response = client_for("host").post(compose_url(event), data)
    assert response.status_code == 400
    assert errors(response) == expected
    assert Message.objects.count() == 0


def test_a_segment_with_nobody_in_it_sends_nothing(client_for, world):
    event = EventFactory(organization=world.organization)
    response = client_for("host").post(compose_url(event), {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 400
    assert errors(response) == {
        "__all__": ["Nobody is in this group: there is nobody to write to."]
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {},
            {
                "phone_number": ["This field is required."],
                "consent": ["Tick the box to agree to text messages."],
            },
        ),
        (
            {"phone_number": "313 555 0100"},
            {"consent": ["Tick the box to agree to text messages."]},
        ),
        (
            {"phone_number": "call me", "consent": "on"},
            {"phone_number": ["Enter a mobile number such as 555 555 0123 or +1 555 555 0123."]},
        ),
        (
            {"phone_number": "+1234", "consent": "on"},
            {"phone_number": ["Enter a mobile number such as 555 555 0123 or +1 555 555 0123."]},
        ),
        (
            {"phone_number": "9" * 40, "consent": "on"},
            {"phone_number": ["Ensure this value has at most 32 characters (it has 40)."]},
        ),
    ],
)
def test_the_phone_form_names_the_field(client_for, world, data, expected):
    response = client_for("member").post(reverse("messaging:phone"), data)
    assert response.status_code == 400
    assert {k: list(v) for k, v in response.context["phone_form"].errors.items()} == expected
    world.member.refresh_from_db()
    assert (world.member.phone_number, world.member.sms_consent_at) == ("", None)


def test_the_preferences_form_refuses_unknown_categories(client_for, world):
    response = client_for("member").post(reverse("messaging:preferences"), {"wanted": ["spam"]})
    assert response.status_code == 400
    assert errors(response) == {
        "wanted": ["Select a valid choice. spam is not one of the available choices."]
    }


def test_preferences_keep_exactly_what_was_ticked(client_for, world):
    client = client_for("member")
    client.post(reverse("messaging:preferences"), {"wanted": ["hosts"]})
    assert set(Unsubscription.objects.values_list("category", flat=True)) == {"program", "digests"}
    client.post(reverse("messaging:preferences"), {"wanted": ["hosts", "digests", "program"]})
    assert Unsubscription.objects.count() == 0
    assert AuditEntry.objects.filter(action="mail.preferences_changed").count() == 2
    page = client.get(reverse("messaging:preferences")).content.decode()
    assert len(re.findall(r'name="wanted" value="\w+"[^>]* checked', page)) == 3


def _messages(sender, n):
    for i in range(n):
        Message.objects.create(
            sender=sender,
            sender_label=str(sender),
            kind=Message.Kind.PROGRAM,
            segment_key="dashboard",
            segment_params={"table": "hosts"},
            segment_label="Hosts",
            subject=f"News {i}",
            body="Hi",
            event=EventFactory(),
        )


# The same number of queries for one message or three: the log and its delivery counts are one
# query, whatever its length (the rest is the session, the user and the role checks).
@pytest.mark.parametrize("n", [1, 3])
def test_the_message_log_query_count_does_not_grow(client_for, world, django_assert_num_queries, n):
    _messages(world.coordinator, n)
    client = client_for("coordinator")
    with django_assert_num_queries(4):
        response = client.get(reverse("messaging:list"))
    assert len(response.context["log"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_the_chooser_query_count_does_not_grow(client_for, world, django_assert_num_queries, n):
    for _ in range(n):
        EventFactory(organization=world.organization, starts_at=timezone.now())
    client = client_for("host")
    with django_assert_num_queries(6):
        response = client.get(reverse("messaging:compose"))
    assert len(response.context["trainings"]) == n
