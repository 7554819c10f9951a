"""The audit log's pages: who changed what and when, to browse or download as CSV."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from strategists.audit import display, selectors
from strategists.audit.export import csv_lines
from strategists.audit.forms import AuditFilterForm
from strategists.common.permissions import require_perm

PAGE_SIZE = 50


@require_safe
def log(request):
    require_perm(request, "audit.view_log")
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()
    entries = (
        selectors.audit_entries(**form.filters()) if valid else selectors.audit_entries().none()
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": [display.present(entry) for entry in page],
            "filtered": any(value for name, value in form.data.items() if name != "page"),
        },
        status=200 if valid else 400,
    )


@require_safe
def export(request):
    require_perm(request, "audit.view_log")
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        page = Paginator(selectors.audit_entries().none(), PAGE_SIZE).get_page(1)
        return render(
            request,
            "audit/log.html",
            {"form": form, "page": page, "rows": [], "filtered": True},
            status=400,
        )
    # Read in chunks and written as it goes: the whole log is never in memory.
    entries = selectors.audit_entries(**form.filters()).iterator(chunk_size=1000)
    response = StreamingHttpResponse(csv_lines(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
