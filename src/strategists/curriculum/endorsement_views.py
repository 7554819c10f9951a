"""Endorsing someone's credential, reading an endorsement, and withdrawing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.common.permissions import require_perm
from strategists.common.ratelimits import limited
from strategists.curriculum import endorsement_services, verifying
from strategists.curriculum.forms import EndorsementForm
from strategists.curriculum.models import Endorsement
from strategists.curriculum.views import JSON_TYPES, _credential, _json


def _endorsement(pk) -> Endorsement:
    endorsement = (
        Endorsement.objects.select_related("credential__person", "endorser").filter(pk=pk).first()
    )
    if endorsement is None:
        raise Http404
    return endorsement


@require_http_methods(["GET", "POST"])
@limited("endorse")
def endorse(request, pk):
    credential = _credential(pk)
    require_perm(request, "curriculum.endorse_credential", credential)
    form = EndorsementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            endorsement_services.endorsement_create(
                credential=credential, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Your endorsement is signed and shown on the page."))
            return redirect("curriculum:credential", pk=credential.pk)
    return render(
        request,
        "curriculum/endorse.html",
        {"credential": credential, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def endorsement(request, pk):
    """One URL for the signed endorsement: its `id`. HTML for people, JSON for machines."""
    endorsement = _endorsement(pk)
    preferred = request.get_preferred_type(["text/html", *JSON_TYPES])
    if preferred in JSON_TYPES:
        response = _json(endorsement.document, content_type=preferred)
    else:
        response = render(
            request,
            "curriculum/endorsement.html",
            {
                "endorsement": endorsement,
                "outcome": verifying.credential_verify(endorsement.document),
                "can_withdraw": not endorsement.is_withdrawn
                and request.user.has_perm("curriculum.withdraw_endorsement", endorsement),
            },
        )
    response["Vary"] = "Accept"
    return response


@require_POST
@limited("endorse")
def withdraw(request, pk):
    endorsement = _endorsement(pk)
    require_perm(request, "curriculum.withdraw_endorsement", endorsement)
    endorsement_services.endorsement_withdraw(endorsement=endorsement, by=request.user)
    messages.success(request, _("The endorsement is withdrawn. Verifiers will see it from now on."))
    return redirect("curriculum:credential", pk=endorsement.credential_id)
