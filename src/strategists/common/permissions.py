"""The one way views check access: sign in if anonymous, 403 otherwise, never a bare get."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def require_perm(request, perm: str, obj=None) -> None:
    """Raise the right refusal: anonymous people are sent to sign in, others get 403."""
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise LoginRequired(request)
    raise PermissionDenied


def get_object_with_perm(request, perm: str, queryset, **lookup):
    """Load a user-facing object and check access to it: never a bare `objects.get`."""
    obj = get_object_or_404(queryset, **lookup)
    require_perm(request, perm, obj)
    return obj


class LoginRequired(Exception):
    def __init__(self, request):
        self.request = request
        super().__init__("login required")


class LoginRequiredMiddleware:
    """Turns LoginRequired into the redirect to the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None
