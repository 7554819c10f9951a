"""Where the OSDI API lives: /api/ for people, events and attendances, and its schema."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from strategists.api.attendances import AttendancesView, AttendanceView
from strategists.api.entry import EntryPointView
from strategists.api.events import EventsView, EventView
from strategists.api.people import PeopleView, PersonView
from strategists.api.schema import SCHEMA_SETTINGS

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
    path(
        "schema/",
        SpectacularAPIView.as_view(
            authentication_classes=[], permission_classes=[], custom_settings=SCHEMA_SETTINGS
        ),
        name="schema",
    ),
]
