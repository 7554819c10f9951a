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
        # Our own message, translated (DRF's adds an English "Expected available in..."); the
        # exception handler sets Retry-After from `wait`.
        wait = max(1, math.ceil(self.wait() or 1))
        minutes = math.ceil(wait / 60)
        if self.key_kind == "user":
            message = ngettext(
                "Too many requests with this token. Please wait a minute and try again.",
                "Too many requests with this token. Please wait %(minutes)d minutes and try again.", minutes)
        else:
            message = ngettext(
                "Too many requests from this address. Please wait a minute and try again.",
                "Too many requests from this address. Please wait %(minutes)d minutes and try again.", minutes)
        error = Throttled(detail=message % {"minutes": minutes})
        error.wait = wait
        raise error

    def get_rate(self):
        return None  # set per request in allow_request, from RATELIMITS

    def get_cache_key(self, request, view):
        if self.key_kind == "user":
            ident = f"user:{request.user.pk}"
        else:
            ident = ratelimits.client_ip(request)
        return f"throttle_api_{ident}"
