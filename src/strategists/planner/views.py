"""The planner's pages: set up a year, run the optimizer, lock slots, answer trainer requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts.models import User
from strategists.common.permissions import get_object_with_perm, require_perm
from strategists.events.models import Event, TrainerAssignment
from strategists.planner import export, results, selectors, services, staffing
from strategists.planner.forms import (
    CalendarEntryForm,
    LockForm,
    PlanForm,
    RegionLimitsForm,
    RespondForm,
    YearForm,
)
from strategists.planner.models import CalendarEntry, PlanningYear, PlanRun, Replacement


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _year(request, pk) -> PlanningYear:
    return get_object_with_perm(request, "planner.plan", PlanningYear.objects.all(), pk=pk)


def _run(request, pk) -> PlanRun:
    return get_object_with_perm(
        request, "planner.plan", PlanRun.objects.select_related("year"), pk=pk
    )


@require_safe
def year_list(request):
    require_perm(request, "planner.plan")
    return render(request, "planner/year_list.html", {"years": selectors.year_list()})


@require_http_methods(["GET", "POST"])
def year_create(request):
    require_perm(request, "planner.plan")
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            year = services.year_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request, _("Year created. Now set the regions and the movement calendar.")
            )
            return redirect("planner:year_detail", pk=year.pk)
    return render(
        request, "planner/form.html", {"form": form, "title": _("Set up a planning year")}
    )


@require_http_methods(["GET", "POST"])
def year_edit(request, pk):
    year = _year(request, pk)
    form = YearForm(request.POST or None, instance=PlanningYear.objects.get(pk=year.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("planner:year_detail", pk=year.pk)
    return render(
        request, "planner/form.html", {"form": form, "year": year, "title": _("Year and rules")}
    )


@require_safe
def year_detail(request, pk):
    year = _year(request, pk)
    year = selectors.year_detail(year.pk)
    return render(
        request,
        "planner/year_detail.html",
        {
            "year": year,
            "runs": selectors.runs_for(year)[:10],
            "plan_form": PlanForm(),
            "replacements": selectors.replacements_for(year),
            "locks": year.locks.select_related("event", "trainer"),
        },
    )


@require_safe
def year_instance(request, pk):
    year = _year(request, pk)
    response = JsonResponse(export.build_instance(year), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="instance-{year.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def region_limits(request, pk):
    year = _year(request, pk)
    form = RegionLimitsForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        services.region_limits_set(year=year, limits=form.limits())
        messages.success(request, _("Region limits saved."))
        return redirect("planner:year_detail", pk=year.pk)
    return render(request, "planner/regions.html", {"form": form, "year": year})


@require_http_methods(["GET", "POST"])
def calendar_add(request, pk):
    year = _year(request, pk)
    form = CalendarEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_entry_add(
                year=year,
                name=data["name"],
                start=data["start"],
                end=data["end"],
                regions=data["regions"],
                buffer_days=data["buffer_days"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Added to the movement calendar."))
            return redirect("planner:year_detail", pk=year.pk)
    return render(
        request,
        "planner/form.html",
        {
            "form": form,
            "year": year,
            "title": _("Add to the movement calendar"),
            "intro": _("Conferences, holidays and actions: no training is planned on these days."),
        },
    )


@require_POST
def calendar_delete(request, pk, entry_pk):
    year = _year(request, pk)
    entry = get_object_or_404(CalendarEntry, pk=entry_pk, year=year)
    services.calendar_entry_delete(entry=entry)
    messages.success(request, _("Removed from the movement calendar."))
    return redirect("planner:year_detail", pk=year.pk)


@require_POST
def plan_start(request, pk):
    year = _year(request, pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "planner/year_detail.html",
            {
                "year": selectors.year_detail(year.pk),
                "runs": selectors.runs_for(year)[:10],
                "plan_form": form,
                "replacements": selectors.replacements_for(year),
                "locks": year.locks.select_related("event", "trainer"),
            },
            status=400,
        )
    try:
        run = services.run_start(
            year=year, by=request.user, time_limit=form.cleaned_data["time_limit"]
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("planner:year_detail", pk=year.pk)
    return redirect("planner:run_detail", pk=run.pk)


def _run_context(run: PlanRun) -> dict:
    context = {"run": run, "year": run.year}
    if run.status == PlanRun.Status.DONE and run.plan:
        locks = list(run.year.locks.all())
        context["result"] = results.present(run, locks)
        context["is_latest"] = run.year.runs.values_list("pk", flat=True).first() == run.pk
    return context


@require_safe
def run_detail(request, pk):
    run = _run(request, pk)
    return render(request, "planner/run_detail.html", _run_context(run))


@require_safe
def run_progress(request, pk):
    run = _run(request, pk)
    if not run.is_active and request.htmx:
        # Finished: reload the whole page so the result (calendar and map) shows.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "planner/_progress.html", {"run": run})


@require_POST
def lock_toggle(request, pk):
    run = _run(request, pk)
    form = LockForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        event = get_object_or_404(Event, pk=data["event"]) if data.get("event") else None
        trainer = get_object_or_404(User, pk=data["trainer"]) if data.get("trainer") else None
        try:
            locked = services.lock_toggle(
                year=run.year, slot=data["slot"], event=event, trainer=trainer
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("Locked: the next plan keeps it.") if locked else _("Unlocked.")
            )
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect(
        reverse("planner:run_detail", kwargs={"pk": run.pk})
        + f"#slot-{request.POST.get('slot', '')}"
    )


@require_POST
def run_accept(request, pk):
    run = _run(request, pk)
    try:
        dated = staffing.plan_accept(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("Plan accepted: %(count)d trainings dated, hosts told and trainers asked.")
            % {"count": len(dated)},
        )
    return redirect("planner:run_detail", pk=run.pk)


@require_POST
def replacement_ask(request, pk):
    require_perm(request, "planner.plan")
    replacement = get_object_or_404(Replacement.objects.select_related("declined__event"), pk=pk)
    try:
        staffing.replacement_ask(replacement=replacement, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Asked %(name)s.") % {"name": replacement.suggested.name})
    year = staffing.year_for_day(staffing.local_day(replacement.declined.event))
    return redirect("planner:year_detail", pk=year.pk) if year else redirect("planner:year_list")


@require_safe
def request_list(request):
    require_perm(request, "planner.view_requests")
    return render(
        request,
        "planner/requests.html",
        {"assignments": selectors.trainer_requests(request.user), "form": RespondForm()},
    )


@require_POST
def request_respond(request, pk):
    assignment = get_object_with_perm(
        request, "planner.respond", TrainerAssignment.objects.all(), pk=pk
    )
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("planner:requests")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        staffing.assignment_respond(
            assignment=assignment, by=request.user, accept=accept, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("Thank you! See you there.")
            if accept
            else _("Thanks for letting us know. The coordinators will find someone else."),
        )
    return redirect("planner:requests")
