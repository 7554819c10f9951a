"""schemathesis against /api/schema/: requests generated from the schema for every operation,
sent with a valid token, in-process (WSGI); no server error, and every answer matches the
schema (status codes, content type, body). At least 1,000 requests in all."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.factories import EventFactory

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 50
MINIMUM_REQUESTS = 1000


def exercise(operation, token: str, sent: list) -> None:
    """EXAMPLES_PER_OPERATION generated requests to one operation, each answer validated."""

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers={"OSDI-API-Token": token})
        sent.append((operation.label, response.status_code))
        assert response.status_code < 500, (operation.label, case.body, response.text)
        # Valid by the schema isn't valid by the rules (a city that exists, a seat left...):
        # those 4xx answers are documented, not failures.
        case.validate_response(
            response,
            headers={"OSDI-API-Token": token},
            excluded_checks=[positive_data_acceptance],
        )

    run()


def test_generated_requests_get_no_server_error_and_match_the_schema(api_world, settings):
    settings.RATELIMIT_ENABLE = False  # a thousand requests in a minute is the point here
    EventFactory(organization=api_world.organization)
    token = api_world.tokens["coordinator"]
    sent = []

    # As Django's test client does: a request's end must not close the test's connection
    # (on PostgreSQL that would end the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
        for result in schema.get_all_operations():
            exercise(result.ok(), token, sent)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    print(f"schemathesis: {len(sent)} requests")
    assert len(sent) >= MINIMUM_REQUESTS
    assert [request for request in sent if request[1] >= 500] == []
