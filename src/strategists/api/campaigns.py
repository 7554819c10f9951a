"""action_network:event_campaigns, read-only: each program year (goals.ProgramYear) is the
campaign its trainings belong to, so clients that group events by campaign find the year."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from strategists.api import filters, selectors
from strategists.api.events import event_data
from strategists.api.hal import ORIGIN_SYSTEM, HalView, get_or_404, identifiers, iso, paginate
from strategists.api.people import PAGE_PARAMETERS
from strategists.goals.models import ProgramYear
from strategists.goals.selectors import year_bounds

CAMPAIGN_ID = [OpenApiParameter("campaign_id", int, OpenApiParameter.PATH)]


def campaign_data(view: HalView, year: ProgramYear) -> dict:
    return {
        "identifiers": identifiers(year.pk),
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(year.created_at),
        "modified_date": iso(year.updated_at),
        "title": year.name,
        "description": f"The trainings of {year.name}, {year.starts_on} to {year.ends_on}.",
        "strategists:starts_on": year.starts_on.isoformat(),
        "strategists:ends_on": year.ends_on.isoformat(),
        "strategists:target": year.target,
        "_links": {
            "self": view.href("event_campaign_detail", campaign_id=year.pk),
            "osdi:events": view.href("event_campaign_events", campaign_id=year.pk),
        },
    }


def _years():
    return ProgramYear.objects.order_by("starts_on", "pk")


class EventCampaignsView(HalView):
    @extend_schema(
        operation_id="event_campaigns_list",
        summary="List event campaigns: the program years (read-only)",
        parameters=PAGE_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(
            paginate(
                self,
                _years(),
                rel="action_network:event_campaigns",
                url_name="event_campaigns",
                url_kwargs={},
                represent=lambda year: campaign_data(self, year),
            )
        )


class EventCampaignView(HalView):
    @extend_schema(
        operation_id="event_campaign_read",
        summary="Read an event campaign (a program year)",
        parameters=CAMPAIGN_ID,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, campaign_id):
        return Response(campaign_data(self, get_or_404(_years(), campaign_id, "event campaign")))


class EventCampaignEventsView(HalView):
    @extend_schema(
        operation_id="event_campaign_events_list",
        summary="List the events of a campaign (the trainings of a program year you may see)",
        parameters=[*CAMPAIGN_ID, *PAGE_PARAMETERS, filters.parameter("events")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, campaign_id):
        year = get_or_404(_years(), campaign_id, "event campaign")
        start, end = year_bounds(year)
        events = selectors.visible_events(request.user).filter(
            starts_at__gte=start, starts_at__lt=end
        )
        return Response(
            paginate(
                self,
                filters.apply(request, events, "events"),
                rel="osdi:events",
                url_name="event_campaign_events",
                url_kwargs={"campaign_id": year.pk},
                represent=lambda event: event_data(self, event),
            )
        )
