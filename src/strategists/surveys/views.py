"""The survey page an attendee opens from the mail, and the results pages for coordinators,
hosts and trainers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from strategists.common.permissions import LoginRequired, require_perm
from strategists.common.ratelimits import limited
from strategists.events.models import Event
from strategists.surveys import selectors, services
from strategists.surveys.forms import SurveyForm


@require_http_methods(["GET", "POST"])
@limited("survey")
def answer(request, token):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return render(request, "surveys/dead.html", {"expired": False}, status=404)
    event = invitation.event
    if invitation.answered_at is not None:
        return render(request, "surveys/thanks.html", {"event": event})
    if not invitation.is_valid():
        return render(request, "surveys/dead.html", {"expired": True}, status=410)
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        areas=selectors.survey_areas(event),
        trainers=selectors.survey_trainers(event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(invitation=invitation, **form.answers())
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            return redirect("surveys:answer", token=token)
    return render(request, "surveys/answer.html", {"form": form, "event": event})


@require_safe
def results(request):
    require_perm(request, "surveys.view_results")
    user = request.user
    return render(
        request,
        "surveys/results.html",
        {
            "trainings": selectors.trainings_with_results(user),
            "organizations": selectors.organizations_with_results(user),
            "trainers": selectors.trainers_with_results(user),
        },
    )


@require_safe
def training_results(request, pk):
    event = get_object_or_404(Event.objects.select_related("organization", "city"), pk=pk)
    if not request.user.has_perm("surveys.view_training_results", event):
        if not request.user.is_authenticated:
            raise LoginRequired(request)
        raise Http404  # walking ids tells nothing about trainings one doesn't run
    sees_all = request.user.is_coordinator or request.user.has_perm("events.change_event", event)
    results = selectors.training_results(event, only_trainer=None if sees_all else request.user)
    if not results.invited:
        messages.info(request, _("No survey was sent for this training yet."))
    return render(request, "surveys/training_results.html", {"event": event, "results": results})
