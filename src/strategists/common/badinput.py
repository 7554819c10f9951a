"""Requests that can't be read get a clear answer, never a 500: a body too big is refused
before anything reads it (413), and Django's own refusals (RequestDataTooBig, too many fields,
a broken multipart body) get a page in the person's language, or JSON under /api/."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

# The largest file a form takes is 5 MB (evidence); a multipart body is the file plus fields.
MAX_MULTIPART_BYTES = 10 * 1024 * 1024
API_PREFIX = "/api/"


def _megabytes(size: int) -> int:
    return max(1, round(size / (1024 * 1024)))


def too_big(request, limit: int):
    size = {"size": _megabytes(limit)}
    if request.path_info.startswith(API_PREFIX):
        message = gettext("The request body is too big: the API takes at most %(size)d MB.") % size
        return JsonResponse({"error": message, "field": None}, status=413)
    message = gettext("What you sent is too big: this page takes at most %(size)d MB.") % size
    return render(request, "413.html", {"message": message}, status=413)


class RequestBodyMiddleware:
    """Refuses, from its Content-Length, a body over the limit before anything reads it (the
    API's parsers read the stream directly, past Django's own DATA_UPLOAD_MAX_MEMORY_SIZE).
    It acts in process_view, so the 413 page knows the person and their language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request)
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = MAX_MULTIPART_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return too_big(request, limit)
        return None


def bad_request(request, exception=None):
    """handler400: what Django raises while reading a request it can't accept."""
    if isinstance(exception, RequestDataTooBig):
        return too_big(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    message = gettext("We couldn't read what was sent. Go back and try again.")
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"error": message, "field": None}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
