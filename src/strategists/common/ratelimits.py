"""Abuse limits for pages, read from the one `settings.RATELIMITS` block and counted by
django-ratelimit in the default cache.

    @limited("signup")            # every POST counts, by each key of RATELIMITS["signup"]
    def signup(request): ...

    ratelimits.check(request, "login", count=False)   # refuse when over, without counting
    ratelimits.check(request, "login")                # count one (a failed sign-in)

Over a limit, `RateLimited` is raised; django-ratelimit's middleware turns it into the 429
page (`too_many_requests`, RATELIMIT_VIEW) in the person's language, with Retry-After.
"""

import ipaddress
import math
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from strategists.common.audit import client_ip as _client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Ratelimited):
    """Too many requests; `wait` is how many seconds until the limit lets the next one through."""

    def __init__(self, wait: int = 60):
        super().__init__()
        self.wait = max(1, wait)


def client_ip(request) -> str:
    """The address limits count by: the proxy's X-Forwarded-For when behind one (as the audit
    log reads it), an IPv6 address by its /64 (one household or server has all of it)."""
    raw = _client_ip(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/15m" -> (5, 900): a count and a window in seconds (the window's number is optional)."""
    count, _, window = rate.partition("/")
    unit = window[-1:] if window[-1:] in PERIODS else "s"
    multiple = window[: -1 if window[-1:] in PERIODS else None] or "1"
    return int(count), int(multiple) * PERIODS[unit]


def rates(name: str) -> dict[str, str]:
    return settings.RATELIMITS.get(name, {})


def _key_value(key: str, request, email: str) -> str:
    if key == "ip":
        return client_ip(request)
    if key == "user":
        user = getattr(request, "user", None)
        return (
            f"user:{user.pk}" if user is not None and user.is_authenticated else client_ip(request)
        )
    if key == "email":
        return email
    if key == "ip+email":
        return f"{client_ip(request)}|{email}" if email else ""
    raise ValueError(f"Unknown rate-limit key {key!r} (ip, user, email, ip+email).")


def check(request, name: str, *, count: bool = True, email: str | None = None) -> None:
    """Count this request against every limit of `name` (or only look, with count=False), and
    raise RateLimited when one is used up. `email`: the address to count by, when it isn't the
    form's "email" field."""
    if email is None:
        email = request.POST.get("email", "") if request.method == "POST" else ""
    email = email.strip().lower()[:254]
    wait = 0
    for key, rate in rates(name).items():
        value = _key_value(key, request, email)
        if not value:  # e.g. no address typed: nothing to count by
            continue
        usage = get_usage(
            request,
            group=f"{name}:{key}",
            key=lambda _group, _request, v=value: v,
            rate=parse_rate(rate),
            increment=count,
        )
        if usage is None:  # RATELIMIT_ENABLE is off
            continue
        # Looking without counting: the next one would be one too many.
        over = usage["should_limit"] if count else usage["count"] >= usage["limit"]
        if over:
            wait = max(wait, usage["time_left"], 1)
    if wait:
        raise RateLimited(wait)


def limited(name: str, *, methods: tuple[str, ...] = ("POST",)):
    """Count each request with one of `methods` against RATELIMITS[name]; over it, a 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                check(request, name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request, exception=None):
    wait = getattr(exception, "wait", 60)
    response = render(request, "429.html", {"minutes": math.ceil(wait / 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response
