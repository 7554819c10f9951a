from django.shortcuts import render
from django.views.decorators.http import require_safe

from strategists.accounts.selectors import certified_count


@require_safe
def home(request):
    return render(request, "common/home.html", {"certified": certified_count()})


def page_not_found(request, exception=None):
    return render(request, "common/404.html", status=404)


def server_error(request):
    return render(request, "common/500.html", status=500)
