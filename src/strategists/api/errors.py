"""Every path under /api/ that no resource has answers a JSON 404 in the API's one error shape
(`{"error": ..., "field": ...}`), whatever the method, never the site's HTML page."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny

from strategists.api.hal import HalView


@extend_schema(exclude=True)
class NotFoundView(HalView):
    """Any method; a token is not needed, and the throttle counts these like every request."""

    permission_classes = [AllowAny]

    def _not_found(self, request, rest: str = ""):
        raise exceptions.NotFound(
            f"Nothing at {request.path}: the API's resources are listed at /api/v2/."
        )

    get = post = put = patch = delete = _not_found
