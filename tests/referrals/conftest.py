import pytest

from strategists.accounts.models import User
from strategists.referrals import services
from tests.factories import UserFactory

RECORDS = {
    "texting": {
        "kind": "software",
        "name": "Strike Text",
        "url": "https://strike-text.example.org",
        "summary": "Peer-to-peer texting tool for mass texting members before a strike vote.",
        "description": "Volunteers send and answer texts from a shared queue.",
        "tags": ["sms", "texting", "peer-to-peer"],
        "cost": "paid",
        "region": "us",
        "skill_areas": ["email-and-lists", "online-to-offline"],
    },
    "security": {
        "kind": "service",
        "name": "Hacked Site Rescue",
        "url": "https://rescue.example.org",
        "summary": "Malware removal and cleanup for hacked union websites.",
        "description": "They clean infected WordPress sites and add a firewall.",
        "tags": ["malware", "wordpress", "security"],
        "cost": "paid",
        "region": "international",
        "skill_areas": ["digital-security", "web-and-cms"],
    },
    "listserv": {
        "kind": "listserv",
        "name": "Labor Communicators List",
        "url": "https://lists.example.org/comms",
        "summary": "A listserv where union communicators swap press release templates.",
        "description": "Moderated; members only.",
        "tags": ["press", "listserv", "communications"],
        "cost": "free",
        "region": "canada",
        "skill_areas": ["communications-and-media"],
    },
}


def curator() -> User:
    """A directory curator of the test data (the world's own curator is ``world.curator``)."""
    user = User.objects.filter(email="cura@example.net").first()
    return user or UserFactory(email="cura@example.net", name="Cura Curator", is_curator=True)


def approver() -> User:
    """A second curator: nobody lists what they suggested themselves."""
    user = User.objects.filter(email="approver@example.net").first()
    return user or UserFactory(email="approver@example.net", name="Abe Approver", is_curator=True)


def listed(key="texting", **overrides):
    """A listed resource, created the way curators add one (indexed on the way)."""
    values = {**RECORDS[key], **overrides}
    resource = services.resource_suggest(by=curator(), **values)
    return services.resource_approve(resource=resource, by=approver())


@pytest.fixture
def texting(db):
    return listed("texting")


@pytest.fixture
def three(db):
    return [listed(key) for key in RECORDS]
