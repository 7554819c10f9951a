"""The API entry point: what this server is, and links to its collections."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from strategists.api.hal import CURIES, MAX_PER_PAGE, HalView


class EntryPointView(HalView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="entry_point",
        summary="API entry point (no token needed)",
        auth=[],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(
            {
                "motd": "Welcome to the 1000 Strategists API: Action Network v2 / OSDI compatible. "
                "Send your token in the OSDI-API-Token header.",
                "vendor_name": "1000 Strategists",
                "product_name": "1000 Strategists",
                "osdi_version": "1.1.1",
                "max_page_size": MAX_PER_PAGE,
                "_links": {
                    "curies": CURIES,
                    "self": {**self.href("entry"), "title": "1000 Strategists API entry point"},
                    "osdi:events": {**self.href("events"), "title": "The collection of events"},
                    "osdi:people": {
                        **self.href("people"),
                        "title": "The collection of people (coordinators)",
                    },
                    "osdi:person_signup_helper": {
                        **self.href("people"),
                        "title": "Add or match a person (coordinators)",
                    },
                    "docs": {
                        "href": request.build_absolute_uri("/api/schema/"),
                        "title": "OpenAPI schema",
                    },
                },
            }
        )
