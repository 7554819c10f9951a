"""Where the OSDI API lives: /api/ for people, events, attendances, tags and event campaigns,
and its schema; any other path under /api/ is a JSON 404."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from strategists.api.attendances import (
    AttendancesView,
    AttendanceView,
    PersonAttendancesView,
    PersonAttendanceView,
)
from strategists.api.campaigns import EventCampaignEventsView, EventCampaignsView, EventCampaignView
from strategists.api.entry import EntryPointView
from strategists.api.errors import NotFoundView
from strategists.api.events import EventsView, EventView
from strategists.api.people import PeopleView, PersonView
from strategists.api.schema import SCHEMA_SETTINGS
from strategists.api.tags import TaggingsView, TaggingView, TagsView, TagView

app_name = "api"


def osdi_path(route: str, view, name: str) -> list:
    """Action Network's URLs have no trailing slash (clients join "events/12" to the base URL);
    the same URL with one works too, but only the first is named and documented."""
    return [
        path(route, view.as_view(), name=name),
        path(f"{route}/", view.as_view(slash_alias=True)),
    ]


urlpatterns = [
    path("v2/", EntryPointView.as_view(), name="entry"),
    *osdi_path("v2/events", EventsView, "events"),
    *osdi_path("v2/events/<int:event_id>", EventView, "event_detail"),
    *osdi_path("v2/events/<int:event_id>/attendances", AttendancesView, "attendances"),
    *osdi_path(
        "v2/events/<int:event_id>/attendances/<int:attendance_id>",
        AttendanceView,
        "attendance_detail",
    ),
    *osdi_path("v2/people", PeopleView, "people"),
    *osdi_path("v2/people/<int:person_id>", PersonView, "person_detail"),
    *osdi_path(
        "v2/people/<int:person_id>/attendances", PersonAttendancesView, "person_attendances"
    ),
    *osdi_path(
        "v2/people/<int:person_id>/attendances/<int:attendance_id>",
        PersonAttendanceView,
        "person_attendance_detail",
    ),
    *osdi_path("v2/tags", TagsView, "tags"),
    *osdi_path("v2/tags/<int:tag_id>", TagView, "tag_detail"),
    *osdi_path("v2/tags/<int:tag_id>/taggings", TaggingsView, "taggings"),
    *osdi_path("v2/tags/<int:tag_id>/taggings/<int:tagging_id>", TaggingView, "tagging_detail"),
    *osdi_path("v2/event_campaigns", EventCampaignsView, "event_campaigns"),
    *osdi_path("v2/event_campaigns/<int:campaign_id>", EventCampaignView, "event_campaign_detail"),
    *osdi_path(
        "v2/event_campaigns/<int:campaign_id>/events",
        EventCampaignEventsView,
        "event_campaign_events",
    ),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            authentication_classes=[], permission_classes=[], custom_settings=SCHEMA_SETTINGS
        ),
        name="schema",
    ),
    # Last: whatever else is asked under /api/ gets a JSON 404, never the site's HTML page.
    re_path(r"^(?P<rest>.*)$", NotFoundView.as_view(), name="not_found"),
]
