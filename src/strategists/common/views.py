"""The site-wide error pages (the home page is goals', which owns the count it shows)."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "common/404.html", status=404)


def server_error(request):
    return render(request, "common/500.html", status=500)
