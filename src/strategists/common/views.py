"""The site-wide error pages and the footer's language links (the home page is goals')."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from strategists.common.ratelimits import limited

# API clients read JSON, even from a failure no view caught (the API's own error shape).
API_PREFIX = "/api/"


def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": "Not found.", "field": None}, status=404)
    return render(request, "common/404.html", status=404)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"error": "Something went wrong on our side; please try again later.", "field": None},
            status=500,
        )
    return render(request, "common/500.html", status=500)


@require_safe
@limited("language", methods=("GET", "HEAD"))
def language_switch(request, code):
    """The footer's language links: a plain GET that sets the language cookie and goes back.
    No form and so no CSRF token on every page, which lets anonymous pages be cached once for
    everyone (common/pagecache.py). `next` must be a path on this site; else the home page."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("Unknown language."))
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    # The page the visitor goes back to is per language; never reuse this redirect.
    patch_cache_control(response, no_store=True)
    return response
