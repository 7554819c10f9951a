"""The site-wide error pages (the home page is goals', which owns the count it shows)."""

from django.http import JsonResponse
from django.shortcuts import render

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
