"""The goals pages: home, the public progress page, and the coordinator's dashboard and targets."""

import csv
import datetime as dt
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.common.pagecache import public_page
from strategists.common.permissions import get_object_with_perm, require_perm
from strategists.curriculum.selectors import certified_count
from strategists.goals import dashboard, forecast_store, selectors, services, tasks
from strategists.goals.core import charts
from strategists.goals.forms import FilterForm, ProgramYearForm, TargetForm
from strategists.goals.models import ConstituencyTarget, ProgramYear
from strategists.goals.versions import CACHE_SECONDS, cached, dashboard_version, data_version


class ReaderWords:
    """The forecast core's Words (goals.core.forecast_types) in the reader's language and formats."""

    gettext = staticmethod(gettext)
    ngettext = staticmethod(ngettext)

    def number(self, value: float) -> str:
        return formats.number_format(round(value), use_l10n=True, force_grouping=True)

    def decimal(self, value: float) -> str:
        return formats.number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)

    def percent(self, fraction: float) -> str:
        return pgettext("percent", "%(value)s%%") % {"value": self.number(100 * fraction)}

    def date(self, value: dt.date) -> str:
        return formats.date_format(value, "DATE_FORMAT")


def _csv(filename: str, header: list, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([str(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return response


def _year(today: dt.date | None = None) -> ProgramYear:
    """The current program year; 404 when there is none (the data migration makes one, and
    ``strategists demo`` and the worker's forecast make one when a database was emptied)."""
    year = selectors.current_year(today)
    if year is None:
        raise Http404(_("No program year has been set up yet."))
    return year


# The home page -----------------------------------------------------------------------------


@require_safe
@public_page("goals", "curriculum", "events", "accounts")
def home(request):
    return render(request, "goals/home.html", {"certified": certified_count()})


# The public progress page ------------------------------------------------------------------


def progress_data(year: ProgramYear, today: dt.date) -> dict:
    """Everything heavy on the progress page: the last stored forecast (``outlook``: None while
    there is none yet, ``as_of`` its time), and the pipeline by region, the certifications by day
    and the trainings on the map, cached per data version."""
    stored = forecast_store.stored_outlook(year)
    if stored.outlook is None or stored.today != today:
        # None yet, or yesterday's: the worker computes it now, a later view shows it.
        tasks.queue_forecast_refresh(defer=False)
    return {
        "outlook": stored.outlook,
        "as_of": stored.as_of,
        "pipeline": cached("pipeline", year, today, lambda: selectors.pipeline_by_region(year)),
        "by_day": cached("by-day", year, today, lambda: selectors.certified_by_day(year)),
        # Held or planned moves with the clock too: the cache's time limit covers that.
        "points": cached("points", year, today, lambda: selectors.training_points(year)),
        # The rendered charts, map and tables are cached under this key (progress.html).
        "fragment_key": f"{year.pk}:{year.updated_at.isoformat()}:{today.isoformat()}:{data_version()}:"
        f"{stored.as_of.isoformat() if stored.as_of else '-'}",
    }


def burnup_series(year: ProgramYear, today: dt.date, data: dict) -> tuple[list, list]:
    """(date, certified) up to today, and (date, p10, p50, p90) after it, to the end of the year
    (no band while no forecast is stored)."""
    actual = selectors.cumulative(data["by_day"], year.starts_on, min(today, year.ends_on))
    result = data["outlook"]
    if result is None:
        return actual, []
    band = [
        (day, p10 + result.offset, p50 + result.offset, p90 + result.offset)
        for day, p10, p50, p90 in result.forecast.band
        if today < day <= year.ends_on
    ]
    return actual, band


def _progress_context(request) -> dict:
    today = timezone.localdate()
    year = _year(today)
    data = progress_data(year, today)
    result = data["outlook"]
    actual, band = burnup_series(year, today, data)
    certified = actual[-1][1] if actual else 0
    rows, totals = selectors.pipeline_rows(data["pipeline"])
    labels = selectors.stage_labels()
    stages = [{"key": key, "label": labels[key], "total": totals[key]} for key in selectors.STAGES]
    return {
        "year": year,
        "today": today,
        "certified": certified,
        "target": year.target,
        "share": min(round(100 * certified / year.target), 100),
        # None while the background task has not stored a forecast yet: the page says so.
        "outlook": result,
        "forecast_as_of": data["as_of"],
        "forecast": result.forecast if result else None,
        "what_it_takes": result.what_it_takes if result else None,
        "forecast_explanation": result.forecast.explain(ReaderWords()) if result else "",
        "what_it_takes_explanation": result.what_it_takes.explain(ReaderWords())
        if result and result.what_it_takes
        else "",
        "burnup": charts.burnup(
            start=year.starts_on,
            end=year.ends_on,
            today=today,
            target=year.target,
            actual=actual,
            band=band,
        ),
        "burnup_rows": _burnup_rows(year, today, actual, band),
        "pipeline": charts.pipeline(rows, selectors.STAGES, labels),
        "pipeline_rows": rows,
        "pipeline_totals": totals,
        "stages": stages,
        "points": data["points"],
        "actual": actual,
        "band": band,
        "fragment_key": f"{translation.get_language()}:{data['fragment_key']}",
        "fragment_seconds": CACHE_SECONDS,
    }


def _burnup_rows(year, today, actual, band) -> list[dict]:
    """The chart as a table: the first of each month, today and the last day."""
    wanted = {day for day in (a[0] for a in actual) if day.day == 1} | {
        b[0] for b in band if b[0].day == 1
    }
    wanted |= {today, year.ends_on, year.starts_on}
    rows = [{"day": day, "certified": value} for day, value in actual if day in wanted]
    rows += [
        {"day": day, "p10": round(p10), "p50": round(p50), "p90": round(p90)}
        for day, p10, p50, p90 in band
        if day in wanted
    ]
    return rows


@require_safe
@public_page("goals", "curriculum", "events", "accounts")
def progress(request):
    return render(request, "goals/progress.html", _progress_context(request))


@require_safe
def progress_csv(request, table):
    context = _progress_context(request)
    if table == "certified":
        actual, band = context["actual"], context["band"]
        rows = [(day, value, "", "", "") for day, value in actual]
        rows += [
            (day, "", round(p10, 1), round(p50, 1), round(p90, 1)) for day, p10, p50, p90 in band
        ]
        return _csv(
            "certified.csv",
            [
                _("Date"),
                pgettext("count of people", "Certified"),
                _("Forecast, low (10%)"),
                _("Forecast, median"),
                _("Forecast, high (90%)"),
            ],
            rows,
        )
    if table == "pipeline":
        stages = context["stages"]
        rows = [[row["name"], *(row[s["key"]] for s in stages)] for row in context["pipeline_rows"]]
        rows.append([_("All regions"), *(s["total"] for s in stages)])
        return _csv("pipeline.csv", [_("Region"), *(s["label"] for s in stages)], rows)
    if table == "trainings":
        rows = [(p["city"], p["kind"], p["count"], p["lat"], p["lon"]) for p in context["points"]]
        return _csv(
            "trainings.csv",
            [_("Place"), _("Kind"), _("Trainings"), _("Latitude"), _("Longitude")],
            rows,
        )
    raise Http404


@require_safe
def progress_svg(request, chart):
    if chart not in {"certified", "pipeline"}:
        raise Http404
    context = {**_progress_context(request), "standalone": True}
    template = "goals/_burnup.svg" if chart == "certified" else "goals/_pipeline.svg"
    response = HttpResponse(
        render_to_string(template, context, request=request),
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{chart}.svg"'
    return response


# The coordinator's pages -------------------------------------------------------------------


def _filters(request) -> tuple[FilterForm, dashboard.Filters]:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, dashboard.Filters(
        **{key: data.get(key, "") for key in ("region", "organization_type", "language")}
    )


@require_safe
def dashboard_page(request):
    require_perm(request, "goals.view_dashboard")
    form, filters = _filters(request)
    year = _year()
    tables = dashboard.dashboard_tables(filters, year)
    return render(
        request,
        "goals/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "year": year,
            "tables": tables,
            "query": request.GET.urlencode(),
        },
    )


@require_safe
def dashboard_csv(request, table):
    require_perm(request, "goals.view_dashboard")
    year = _year()
    if table == "targets":
        rows = selectors.constituency_rows(year)
        return _csv(
            "targets.csv",
            [
                _("Organization type"),
                _("Role"),
                _("Target"),
                _("Recruited"),
                _("Trained"),
                pgettext("count of people", "Certified"),
                _("Gap"),
            ],
            [
                (
                    r.target.get_organization_type_display(),
                    r.target.get_role_display(),
                    r.target.target,
                    r.recruited,
                    r.trained,
                    r.certified,
                    r.gap,
                )
                for r in rows
            ],
        )
    if table not in dashboard.TABLES:
        raise Http404
    _form, filters = _filters(request)
    result = dashboard.table(table, filters, year)
    return _csv(
        f"{table}.csv",
        [*result.columns, _("Link")],
        [
            [*row.cells, request.build_absolute_uri(row.href) if row.href else ""]
            for row in result.rows
        ],
    )


@require_http_methods(["GET", "POST"])
def targets(request):
    require_perm(request, "goals.change_targets")
    year = _year()
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.target_set(year=year, by=request.user, **form.cleaned_data)
        messages.success(request, _("Target saved."))
        return redirect("goals:targets")
    rows, unreached = _targets_data(year)
    return render(
        request,
        "goals/targets.html",
        {
            "year": year,
            "form": form,
            "rows": rows,
            "unreached": unreached,
            "totals": {
                key: sum(getattr(row, key) for row in rows)
                for key in ("recruited", "trained", "certified")
            }
            | {"target": sum(row.target.target for row in rows)},
        },
        status=400 if form.errors else 200,
    )


TARGETS_CACHE_SECONDS = 60


def _targets_data(year) -> tuple[list, list]:
    """The targets against the people counted, and the organizations not reached: cached per data
    and dashboard version (apps.py: people, registrations, certifications, organizations) and
    per target, for a minute at most."""
    targets = ",".join(f"{t.pk}.{t.target}.{t.updated_at.isoformat()}" for t in year.targets.all())
    targets = hashlib.sha256(targets.encode()).hexdigest()[:16]
    key = (
        f"goals:targets:{translation.get_language()}:{year.pk}:{year.updated_at.isoformat()}:"
        f"{timezone.localdate()}:{data_version()}:{dashboard_version()}:{targets}"
    )
    data = cache.get(key)
    if data is None:
        rows = selectors.constituency_rows(year)
        data = (
            rows,
            selectors.unreached_organizations(year, [row.target.organization_type for row in rows]),
        )
        cache.set(key, data, TARGETS_CACHE_SECONDS)
    return data


@require_POST
def target_delete(request, pk):
    target = get_object_with_perm(
        request, "goals.change_targets", ConstituencyTarget.objects.all(), pk=pk
    )
    services.target_delete(target=target, by=request.user)
    messages.success(request, _("Target removed."))
    return redirect("goals:targets")


@require_http_methods(["GET", "POST"])
def year_edit(request):
    require_perm(request, "goals.change_targets")
    year = _year()
    form = ProgramYearForm(request.POST or None, instance=year)
    if request.method == "POST" and form.is_valid():
        services.program_year_update(year=year, by=request.user, **form.cleaned_data)
        messages.success(request, _("Program year saved."))
        return redirect("goals:progress")
    return render(
        request,
        "goals/year_form.html",
        {"form": form, "year": year},
        status=400 if form.errors else 200,
    )
