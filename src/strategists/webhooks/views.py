"""Coordinators' webhook pages: endpoints, their delivery log, pause/resume, pings, redelivery."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.common.permissions import get_object_with_perm, require_perm
from strategists.common.ratelimits import limited
from strategists.webhooks import selectors, services
from strategists.webhooks.forms import EndpointEditForm, EndpointForm
from strategists.webhooks.models import Delivery, Endpoint

PERM = "webhooks.manage"
PAGE_SIZE = 50
# The secret is shown once, on the page after it was set: it rides in the session until then.
SHOWN_ONCE = "webhook_secret_once"


def _endpoint(request, pk) -> Endpoint:
    require_perm(request, PERM)
    return get_object_with_perm(request, PERM, Endpoint.objects.select_related("owner"), pk=pk)


def _show_once(request, endpoint: Endpoint) -> None:
    request.session[SHOWN_ONCE] = {"endpoint": endpoint.pk, "secret": endpoint.secret}


@require_safe
def endpoint_list(request):
    require_perm(request, PERM)
    return render(request, "webhooks/list.html", {"endpoints": list(selectors.endpoints_list())})


@require_http_methods(["GET", "POST"])
@limited("webhooks")
def endpoint_create(request):
    require_perm(request, PERM)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _show_once(request, endpoint)
            messages.success(request, _("Endpoint registered."))
            return redirect("webhooks:detail", pk=endpoint.pk)
    return render(
        request,
        "webhooks/form.html",
        {"form": form, "title": _("Register an endpoint")},
        status=400 if form.errors else 200,
    )


@require_safe
def endpoint_detail(request, pk):
    endpoint = _endpoint(request, pk)
    once = request.session.get(SHOWN_ONCE)
    secret = None
    if once and once.get("endpoint") == endpoint.pk:
        secret = once["secret"]
        del request.session[SHOWN_ONCE]
    page = Paginator(selectors.endpoint_deliveries(endpoint), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "webhooks/detail.html",
        {"endpoint": endpoint, "page": page, "secret": secret},
    )


@require_http_methods(["GET", "POST"])
@limited("webhooks")
def endpoint_edit(request, pk):
    endpoint = _endpoint(request, pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
    }
    form = EndpointEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_update(
                endpoint=endpoint, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["secret"] or form.cleaned_data["new_secret"]:
                _show_once(request, endpoint)
            messages.success(request, _("Endpoint saved."))
            return redirect("webhooks:detail", pk=endpoint.pk)
    return render(
        request,
        "webhooks/form.html",
        {"form": form, "endpoint": endpoint, "title": _("Change the endpoint")},
        status=400 if form.errors else 200,
    )


@require_POST
@limited("webhooks")
def endpoint_pause(request, pk):
    endpoint = services.endpoint_pause(endpoint=_endpoint(request, pk), by=request.user)
    messages.success(request, _("Paused: nothing is sent to this endpoint until you resume it."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_POST
@limited("webhooks")
def endpoint_resume(request, pk):
    endpoint = services.endpoint_resume(endpoint=_endpoint(request, pk), by=request.user)
    messages.success(request, _("Resumed: waiting deliveries are on their way."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_POST
@limited("webhook_ping")
def endpoint_ping(request, pk):
    endpoint = _endpoint(request, pk)
    services.endpoint_ping(endpoint=endpoint, by=request.user)
    messages.success(request, _("Test ping queued: its result appears in the log below."))
    return redirect("webhooks:detail", pk=endpoint.pk)


def _delivery(request, pk, delivery_pk) -> Delivery:
    endpoint = _endpoint(request, pk)
    return get_object_or_404(
        Delivery.objects.select_related("endpoint").prefetch_related("log"),
        pk=delivery_pk,
        endpoint=endpoint,
    )


@require_safe
def delivery_detail(request, pk, delivery_pk):
    delivery = _delivery(request, pk, delivery_pk)
    return render(request, "webhooks/delivery.html", {"delivery": delivery})


@require_POST
@limited("webhooks")
def delivery_redeliver(request, pk, delivery_pk):
    delivery = _delivery(request, pk, delivery_pk)
    try:
        services.delivery_redeliver(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Queued again, with the same idempotency key."))
    return redirect("webhooks:delivery", pk=delivery.endpoint_id, delivery_pk=delivery.pk)
