"""The demo shows a sent host message with delivery counts, a coordinator's segment message and
a member who opted in to texts; running it twice changes nothing."""

import pytest

from strategists.goals.services import program_year_ensure
from strategists.messaging import demo
from strategists.messaging.models import Message
from strategists.messaging.selectors import message_progress
from tests.factories import EventFactory, OrganizationFactory, UserFactory
from tests.messaging.conftest import register

pytestmark = pytest.mark.django_db


def test_demo_sends_a_host_and_a_coordinator_message_once(sms_folder):
    organization = OrganizationFactory()
    host = UserFactory(email="host@example.org")
    organization.hosts.add(host)
    UserFactory(email="coordinator@example.org", is_coordinator=True)
    member = UserFactory(email="member@example.org")
    event = EventFactory(organization=organization)
    for person in (member, UserFactory(), UserFactory()):
        register(event, person)
    program_year_ensure()
    # An organization with a host and no date: the dashboard's first non-empty segment.
    OrganizationFactory().hosts.add(UserFactory(email="idle-host@example.org"))

    demo.build(log=lambda message: None)
    demo.build(log=lambda message: None)

    host_message, program_message = Message.objects.order_by("pk")
    assert (host_message.sender, host_message.recipients) == (host, 3)
    assert message_progress(host_message) | {"percent": None} == {
        "total": 3,
        "sent": 2,
        "skipped": 1,
        "failed": 0,
        "done": 3,
        "finished": True,
        "percent": None,
    }
    assert (program_message.kind, program_message.recipients) == (Message.Kind.PROGRAM, 1)
    member.refresh_from_db()
    assert (member.phone_number, member.sms_consent_at is not None) == ("+14155550142", True)
