"""Every API token is rate limited: a DRF throttle keyed on the token's person, or on the IP for
requests without a token, with the rates of settings.RATELIMITS["api"], counted in the cache."""

import math

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from strategists.common import ratelimits


class ApiThrottle(SimpleRateThrottle):
    scope = "api"

    def allow_request(self, request, view):
        if not getattr(settings, "RATELIMIT_ENABLE", True):
            return True
        self.key_kind = "user" if request.user and request.user.is_authenticated else "ip"
        rate = ratelimits.rates("api").get(self.key_kind)
        if rate is None:
            return True
        self.rate = rate
        self.num_requests, self.duration = ratelimits.parse_rate(rate)
        if super().allow_request(request, view):
            return True
        raise throttled(max(1, math.ceil(self.wait() or 1)), token=self.key_kind == "user")

    def get_rate(self):
        return None  # set per request in allow_request, from RATELIMITS

    def get_cache_key(self, request, view):
        if self.key_kind == "user":
            ident = f"user:{request.user.pk}"
        else:
            ident = ratelimits.client_ip(request)
        return f"throttle_api_{ident}"


def throttled(wait: int, *, token: bool = True, address: bool = False) -> Throttled:
    """A 429 in the caller's language (DRF's own adds an English "Expected available in..."); the
    exception handler sets Retry-After from `wait`."""
    minutes = math.ceil(wait / 60)
    if address:
        message = ngettext(
            "Too many registrations for this address. Please wait a minute and try again.",
            "Too many registrations for this address. Please wait %(minutes)d minutes and try again.",
            minutes,
        )
    elif token:
        message = ngettext(
            "Too many requests with this token. Please wait a minute and try again.",
            "Too many requests with this token. Please wait %(minutes)d minutes and try again.",
            minutes,
        )
    else:
        message = ngettext(
            "Too many requests from this address. Please wait a minute and try again.",
            "Too many requests from this address. Please wait %(minutes)d minutes and try again.",
            minutes,
        )
    error = Throttled(detail=message % {"minutes": minutes})
    error.wait = wait
    return error
