"""The import pages (history, upload, preview, confirm, progress) and the CSV exports: thin, each
loads through an access check and calls one service or selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from strategists.common.permissions import get_object_with_perm, require_perm
from strategists.common.ratelimits import limited
from strategists.events.models import Event
from strategists.imports import exports, selectors, services
from strategists.imports.forms import ExportForm, UploadForm
from strategists.imports.models import ImportJob
from strategists.imports.progress import progress_get

PAGE_SIZE = 25


def _job(request, pk: int) -> ImportJob:
    return get_object_with_perm(request, "imports.view_job", selectors.import_job(pk), pk=pk)


@require_safe
def history(request):
    require_perm(request, "imports.use")
    page = Paginator(selectors.import_history(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "imports/history.html", {"page": page})


@limited("imports")
def upload(request):
    require_perm(request, "imports.use")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = services.import_upload(
            by=request.user,
            kind=data["kind"],
            file_name=data["file"].name or "upload.csv",
            data=data["file"].read(),
            event=data["event"],
            send_claim=data["send_claim"],
        )
        return redirect("imports:detail", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "imports/upload.html", {"form": form}, status=status)


@require_safe
def detail(request, pk):
    job = _job(request, pk)
    may_change = request.user.has_perm("imports.change_job", job)
    return render(
        request,
        "imports/detail.html",
        {"job": job, "may_change": may_change, **_progress(job)},
    )


@require_safe
def progress(request, pk):
    job = _job(request, pk)
    if not job.is_active and request.htmx:
        # Finished: reload the whole page so the result shows.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/_progress.html", {"job": job, **_progress(job)})


def _progress(job: ImportJob) -> dict:
    done, total = progress_get(job.pk)
    percent = round(100 * done / total) if total else (100 if job.state == job.State.DONE else 0)
    return {"done": done, "total": total, "percent": percent}


@require_POST
def confirm(request, pk):
    job = _job(request, pk)
    require_perm(request, "imports.change_job", job)
    try:
        services.import_confirm(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:detail", pk=job.pk)


@require_POST
def discard(request, pk):
    job = _job(request, pk)
    require_perm(request, "imports.change_job", job)
    try:
        services.import_discard(job=job, by=request.user)
        messages.success(request, _("The import was discarded and its file deleted."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("imports:detail", pk=job.pk)
    return redirect("imports:history")


def _export(request, what: str, filename: str, rows):
    require_perm(request, "imports.use")
    form = ExportForm(request.GET)
    if not form.is_valid():
        message = _("The training must be a training number.")
        return render(request, "400.html", {"message": message}, status=400)
    event = None
    if form.cleaned_data["training"]:
        event = get_object_with_perm(
            request,
            "events.view_attendees",
            Event.objects.select_related("organization"),
            pk=form.cleaned_data["training"],
        )
        filename = f"training-{event.pk}-{filename}"
    services.export_record(by=request.user, what=what, event=event)
    response = StreamingHttpResponse(
        rows(request.user, event), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@limited("exports", methods=("GET",))
def export_people(request):
    return _export(
        request,
        "people",
        "people.csv",
        lambda user, event: exports.people_csv(
            selectors.export_people(user, event=event).iterator(chunk_size=1000)
        ),
    )


@require_safe
@limited("exports", methods=("GET",))
def export_registrations(request):
    return _export(
        request,
        "registrations",
        "registrations.csv",
        lambda user, event: exports.registrations_csv(
            selectors.export_registrations(user, event=event).iterator(chunk_size=1000)
        ),
    )


@require_safe
@limited("exports", methods=("GET",))
def export_attendance(request):
    return _export(
        request,
        "attendance",
        "attendance.csv",
        lambda user, event: exports.registrations_csv(
            selectors.export_registrations(user, event=event, attended_only=True).iterator(
                chunk_size=1000
            )
        ),
    )
