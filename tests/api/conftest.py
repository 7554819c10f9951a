import json
from dataclasses import dataclass, field

import pytest

from strategists.api.services import api_token_create
from strategists.events.models import Event
from tests.api.factories import EventFactory
from tests.conftest import ATTACKER_ROLES, ROLES
from tests.factories import OrganizationFactory

JSON = "application/json"


class ApiClient:
    """Django's test client speaking JSON with an OSDI-API-Token (none for a visitor)."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"OSDI-API-Token": token} if token else {}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, headers=self.headers)

    def _send(self, method, url, body, content_type):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            url, data, content_type=content_type, headers=self.headers
        )

    def post(self, url, body=None, content_type=JSON):
        return self._send("post", url, {} if body is None else body, content_type)

    def put(self, url, body=None, content_type=JSON):
        return self._send("put", url, {} if body is None else body, content_type)

    def delete(self, url, body=None):
        return self.client.delete(url, headers=self.headers)


@dataclass
class ApiWorld:
    """The shared `world` (one person per role), their API tokens, and events to act on:
    a published one and a proposal by the host's organization, and another organization's
    proposal."""

    world: object
    tokens: dict
    published: Event
    proposed: Event
    elsewhere: Event
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        return getattr(self.world, name)


@pytest.fixture
def api_world(world):
    tokens = {
        role: api_token_create(user=world.user(role))[1] for role in ROLES if role != "visitor"
    }
    return ApiWorld(
        world=world,
        tokens=tokens,
        published=EventFactory(
            organization=world.organization, title="Published training", capacity=3
        ),
        proposed=EventFactory(
            organization=world.organization,
            title="Proposed training",
            state=Event.State.PROPOSED,
            proposed_by=world.host,
        ),
        elsewhere=EventFactory(
            organization=OrganizationFactory(),
            title="Someone else's proposal",
            state=Event.State.PROPOSED,
        ),
    )


@pytest.fixture
def api_for(client, api_world):
    """The API client for a role (no token for a visitor). The attacker roles of `world` get
    their token on first use."""

    def make(role):
        if role in ATTACKER_ROLES and role not in api_world.tokens:
            api_world.tokens[role] = api_token_create(user=api_world.world.user(role))[1]
        return ApiClient(client, api_world.tokens.get(role))

    return make
