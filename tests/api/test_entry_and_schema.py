import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_entry_point_is_hal_with_osdi_curies_and_needs_no_token(client):
    response = client.get("/api/v2/")

    body = response.json()
    assert (response.status_code, response["Content-Type"]) == (200, "application/hal+json")
    assert body["max_page_size"] == 25
    assert body["_links"]["curies"] == [
        {
            "name": "osdi",
            "href": "https://opensupporter.github.io/osdi-docs/{rel}.html",
            "templated": True,
        }
    ]
    assert {rel: link["href"] for rel, link in body["_links"].items() if rel != "curies"} == {
        "self": "http://testserver/api/v2/",
        "osdi:events": "http://testserver/api/v2/events",
        "osdi:people": "http://testserver/api/v2/people",
        "osdi:person_signup_helper": "http://testserver/api/v2/people",
        "docs": "http://testserver/api/schema/",
    }


def test_schema_is_valid_openapi_and_documents_every_path(client):
    response = client.get("/api/schema/", {"format": "json"})

    schema = json.loads(response.content)
    validate_schema(schema)
    assert response.status_code == 200
    assert sorted(schema["paths"]) == [
        "/api/schema/",
        "/api/v2/",
        "/api/v2/event_campaigns",
        "/api/v2/event_campaigns/{campaign_id}",
        "/api/v2/event_campaigns/{campaign_id}/events",
        "/api/v2/events",
        "/api/v2/events/{event_id}",
        "/api/v2/events/{event_id}/attendances",
        "/api/v2/events/{event_id}/attendances/{attendance_id}",
        "/api/v2/people",
        "/api/v2/people/{person_id}",
        "/api/v2/people/{person_id}/attendances",
        "/api/v2/people/{person_id}/attendances/{attendance_id}",
        "/api/v2/tags",
        "/api/v2/tags/{tag_id}",
        "/api/v2/tags/{tag_id}/taggings",
        "/api/v2/tags/{tag_id}/taggings/{tagging_id}",
    ]
    assert schema["components"]["securitySchemes"]["OSDIToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "OSDI-API-Token",
        "description": "Print one with `strategists api-token --email EMAIL`.",
    }
    assert (
        schema["paths"]["/api/v2/events/{event_id}/attendances"]["post"]["operationId"]
        == "record_attendance_helper"
    )


def test_urls_work_with_a_trailing_slash_too(api_for, api_world):
    response = api_for("member").get(f"/api/v2/events/{api_world.published.pk}/")

    assert (response.status_code, response.json()["title"]) == (200, "Published training")


def test_missing_token_is_401_with_a_challenge(api_for):
    response = api_for("visitor").get("/api/v2/events")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'OSDI-API-Token realm="1000 Strategists API"'
    assert response.json() == {
        "error": "Send your API token in the OSDI-API-Token header.",
        "field": None,
    }


@pytest.mark.parametrize("token", ["not-a-token", "x" * 500, " "])
def test_a_wrong_token_is_401(client, api_world, token):
    response = client.get("/api/v2/events", headers={"OSDI-API-Token": token})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'OSDI-API-Token realm="1000 Strategists API"'


def test_a_deactivated_persons_token_stops_working(api_for, api_world):
    api_world.member.is_active = False
    api_world.member.save()

    assert api_for("member").get("/api/v2/events").status_code == 401


def test_session_login_is_not_enough(client, api_world):
    client.force_login(api_world.coordinator)

    assert client.get("/api/v2/events").status_code == 401
