"""The skills pages: the framework, each person's path, evidence, reviews and credentials."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts.models import User
from strategists.common.pagecache import public_page
from strategists.common.permissions import LoginRequired, require_perm
from strategists.common.ratelimits import limited
from strategists.curriculum import issuing, selectors, services, verifying
from strategists.curriculum import rules as curriculum_rules
from strategists.curriculum.forms import (
    CapstoneForm,
    CompetencyForm,
    EvidenceForm,
    ReasonForm,
    ResubmitForm,
    ReviewForm,
    RuleForm,
    SignOffForm,
    VerifyForm,
)
from strategists.curriculum.models import Certification, Competency, Credential, Evidence, Level
from strategists.curriculum.pathview import path_context

JSON_TYPES = ("application/ld+json", "application/json")


def _visible(request, perm: str, queryset, **lookup):
    """Load an object the person may see, or answer 404 as if it did not exist: walking ids
    tells nothing. Someone signed out is asked to sign in first."""
    obj = get_object_or_404(queryset, **lookup)
    if request.user.has_perm(perm, obj):
        return obj
    if not request.user.is_authenticated:
        raise LoginRequired(request)
    raise Http404


def _data(request):
    """The submitted data, even when empty: an empty POST must still show its errors."""
    return request.POST if request.method == "POST" else None


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _json(document, *, content_type="application/json", download: str = "") -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type=content_type
    )
    # Public, signed documents: any web verifier may read them.
    response["Access-Control-Allow-Origin"] = "*"
    if download:
        response["Content-Disposition"] = f'attachment; filename="{download}"'
    return response


# --- the public framework ------------------------------------------------------------------------


@require_safe
@public_page("curriculum")
def framework(request):
    competencies = list(selectors.framework())
    areas = {}
    for competency in competencies:
        areas.setdefault(competency.area, []).append(competency)
    return render(
        request,
        "curriculum/framework.html",
        {
            "areas": areas,
            "rule": selectors.certificate_rule(),
            "levels": Level,
            "can_edit": request.user.has_perm("curriculum.edit_framework"),
        },
    )


@require_safe
@public_page("curriculum")
def competency_page(request, area, level):
    try:
        competency = selectors.competency(area, level)
    except Competency.DoesNotExist:
        raise Http404 from None
    return render(request, "curriculum/competency.html", {"competency": competency})


@require_safe
def certificate(request):
    return render(
        request,
        "curriculum/certificate.html",
        {
            "rule": selectors.certificate_rule(),
            "can_edit": request.user.has_perm("curriculum.edit_framework"),
        },
    )


# --- members --------------------------------------------------------------------------------------


@require_safe
def my_path(request):
    require_perm(request, "curriculum.submit_evidence")
    return render(request, "curriculum/path.html", path_context(request.user, viewer=request.user))


@require_safe
def person_path(request, pk):
    person = _visible(request, "curriculum.view_path", User.objects.all(), pk=pk)
    return render(request, "curriculum/path.html", path_context(person, viewer=request.user))


def _submit(request, form_class, template):
    require_perm(request, "curriculum.submit_evidence")
    form = form_class(*_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.evidence_submit(
                person=request.user,
                description=data["description"],
                link=data["link"],
                file=data["file"],
                **_fields(form),
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Thank you! An expert will review it."))
            return redirect("curriculum:evidence", pk=evidence.pk)
    return render(request, template, {"form": form})


def _fields(form) -> dict:
    data = form.cleaned_data
    if isinstance(form, CapstoneForm):
        return {
            "kind": Evidence.Kind.CAPSTONE,
            "title": data["title"],
            "organization_name": data["organization_name"],
        }
    return {"kind": data["kind"], "competency": form.competency()}


@require_http_methods(["GET", "POST"])
@limited("upload")
def evidence_new(request):
    return _submit(request, EvidenceForm, "curriculum/evidence_form.html")


@require_http_methods(["GET", "POST"])
@limited("upload")
def capstone_new(request):
    return _submit(request, CapstoneForm, "curriculum/capstone_form.html")


def _evidence(request, perm, pk) -> Evidence:
    """Evidence the person may see (else 404), then the action they ask for (else 403)."""
    queryset = Evidence.objects.select_related(
        "person__organization", "competency__area", "reviewed_by", "event"
    )
    evidence = _visible(request, "curriculum.view_evidence", queryset, pk=pk)
    require_perm(request, perm, evidence)
    return evidence


@require_safe
def evidence_detail(request, pk):
    evidence = _evidence(request, "curriculum.view_evidence", pk)
    return _render_evidence(request, evidence, ReviewForm())


def _render_evidence(request, evidence, review_form, status=200):
    can_review = evidence.needs_review and request.user.has_perm(
        "curriculum.review_evidence", evidence
    )
    return render(
        request,
        "curriculum/evidence_detail.html",
        {
            "evidence": evidence,
            "form": review_form if can_review else None,
            "can_edit": evidence.status == Evidence.Status.CHANGES_REQUESTED
            and request.user.has_perm("curriculum.change_evidence", evidence),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@limited("upload")
def evidence_edit(request, pk):
    evidence = _evidence(request, "curriculum.change_evidence", pk)
    if evidence.status != Evidence.Status.CHANGES_REQUESTED:
        messages.info(request, _("This evidence isn't waiting for changes."))
        return redirect("curriculum:evidence", pk=evidence.pk)
    form = ResubmitForm(
        *_posted(request), initial={"description": evidence.description, "link": evidence.link}
    )
    if request.method == "POST" and form.is_valid():
        services.evidence_resubmit(evidence=evidence, by=request.user, **form.cleaned_data)
        messages.success(request, _("Sent back for review."))
        return redirect("curriculum:evidence", pk=evidence.pk)
    return render(request, "curriculum/evidence_edit.html", {"form": form, "evidence": evidence})


@require_safe
def evidence_file(request, pk):
    evidence = _evidence(request, "curriculum.view_evidence", pk)
    if not evidence.file:
        raise Http404
    # Always a download: an uploaded file is never rendered in our origin.
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
    )


# --- reviewers ------------------------------------------------------------------------------------


@require_safe
def review_queue(request):
    require_perm(request, "curriculum.review_queue")
    return render(
        request, "curriculum/review_queue.html", {"queue": selectors.review_queue(request.user)}
    )


@require_POST
def evidence_review(request, pk):
    evidence = _evidence(request, "curriculum.review_evidence", pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_review(
                evidence=evidence,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Your review is saved. Thank you!"))
            return redirect("curriculum:review_queue")
    return _render_evidence(request, evidence, form, status=400)


@require_http_methods(["GET", "POST"])
def sign_off(request, pk):
    person = _visible(request, "curriculum.view_path", User.objects.all(), pk=pk)
    require_perm(request, "curriculum.sign_off", person)
    areas = (
        None if request.user.is_coordinator else curriculum_rules.approved_area_ids(request.user)
    )
    form = SignOffForm(_data(request), initial={"level": Level.STRATEGIST}, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_sign_off(
                person=person,
                by=request.user,
                competency=form.competency(),
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Signed off. Thank you!"))
            return redirect("curriculum:person_path", pk=person.pk)
    return render(request, "curriculum/sign_off.html", {"form": form, "person": person})


# --- coordinators ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def competency_edit(request, area, level):
    require_perm(request, "curriculum.edit_framework")
    competency = get_object_or_404(
        Competency.objects.select_related("area"), area_id=area, level=level
    )
    form = CompetencyForm(
        _data(request), initial={"can_do": competency.can_do, "evidence": competency.evidence}
    )
    if request.method == "POST" and form.is_valid():
        services.competency_update(competency=competency, by=request.user, **form.cleaned_data)
        messages.success(request, _("The framework is updated."))
        return redirect("curriculum:framework")
    return render(request, "curriculum/edit_form.html", {"form": form, "title": str(competency)})


@require_http_methods(["GET", "POST"])
def rule_edit(request):
    require_perm(request, "curriculum.edit_framework")
    form = RuleForm.for_rule(selectors.certificate_rule(), _data(request))
    if request.method == "POST" and form.is_valid():
        services.certificate_rule_update(by=request.user, **form.cleaned_data)
        messages.success(request, _("The certificate rule is updated. It applies from now on."))
        return redirect("curriculum:certificate")
    return render(
        request, "curriculum/edit_form.html", {"form": form, "title": _("Certificate rule")}
    )


@require_safe
def certified_list(request):
    require_perm(request, "curriculum.view_certified")
    return render(
        request, "curriculum/certified_list.html", {"certifications": selectors.certifications()}
    )


@require_POST
def certification_reverse(request, pk):
    certification = _visible(
        request,
        "curriculum.reverse_certification",
        Certification.objects.select_related("person"),
        pk=pk,
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "curriculum/reason_form.html",
            {
                "form": form,
                "title": _("Reverse the certification of %(name)s")
                % {"name": certification.person.name},
                "action": request.path,
            },
            status=400,
        )
    services.certification_reverse(
        certification=certification, by=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The certification is reversed and its credential revoked."))
    return redirect("curriculum:certified_list")


@require_POST
def certification_reinstate(request, pk):
    certification = _visible(
        request, "curriculum.reverse_certification", Certification.objects.all(), pk=pk
    )
    services.certification_reinstate(certification=certification, by=request.user)
    messages.success(request, _("Certified again; a new credential is being issued."))
    return redirect("curriculum:certified_list")


# --- credentials ----------------------------------------------------------------------------------


def _credential(pk) -> Credential:
    try:
        return selectors.credential_detail(pk)
    except Credential.DoesNotExist:
        raise Http404 from None


@require_safe
def credential(request, pk):
    """One URL for people and machines: the credential's `id` answers JSON to whoever asks for it."""
    credential = _credential(pk)
    preferred = request.get_preferred_type(["text/html", *JSON_TYPES])
    if preferred in JSON_TYPES:
        response = _json(credential.document, content_type=preferred)
    else:
        response = render(
            request,
            "curriculum/credential.html",
            {
                "credential": credential,
                "outcome": verifying.credential_verify(credential.document),
                "share_url": issuing.credential_url(credential.pk),
                "is_holder": request.user.is_authenticated
                and request.user.pk == credential.person_id,
                "can_revoke": not credential.is_revoked
                and request.user.has_perm("curriculum.revoke_credential"),
                "can_trace": request.user.has_perm("curriculum.trace_credential"),
                "can_see_reason": request.user.has_perm("curriculum.revoke_credential")
                or (request.user.is_authenticated and request.user.pk == credential.person_id),
                "form": ReasonForm(),
            },
        )
    response["Vary"] = "Accept"
    return response


@require_safe
def credential_trace(request, pk):
    """For coordinators: the evidence behind a credential and everyone who decided on it."""
    require_perm(request, "curriculum.trace_credential")
    credential = _credential(pk)
    return render(
        request, "curriculum/credential_trace.html", selectors.credential_trace(credential)
    )


@require_safe
def credential_json(request, pk):
    credential = _credential(pk)
    return _json(credential.document, download=f"credential-{credential.pk}.json")


@require_POST
def credential_revoke(request, pk):
    require_perm(request, "curriculum.revoke_credential")
    credential = _credential(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "curriculum/reason_form.html",
            {
                "form": form,
                "title": _("Revoke “%(name)s”") % {"name": credential.achievement_name},
                "action": request.path,
            },
            status=400,
        )
    services.credential_revoke(
        credential=credential, by=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The credential is revoked. Verifiers will see it from now on."))
    return redirect("curriculum:credential", pk=credential.pk)


@require_safe
def status_list(request, number):
    document = issuing.status_list_document(number)
    if document is None:
        raise Http404
    return _json(
        document,
        content_type="application/vc+ld+json"
        if request.get_preferred_type(["application/json", "application/vc+ld+json"])
        == "application/vc+ld+json"
        else "application/json",
    )


@require_safe
def did_document(request):
    return _json(issuing.did_document(), content_type="application/did+json")


@require_http_methods(["GET", "POST"])
@limited("verify")
def verify(request):
    """Anyone may paste anything: what is not a credential, or is more than one can be, gets a
    verdict saying so (400), never an error page; any credential gets its verdict (200)."""
    form = VerifyForm(*_posted(request))
    outcome, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            outcome = verifying.credential_verify_text(
                form.cleaned_data["text"], email=form.cleaned_data["email"]
            )
            status = 400 if outcome.refused else 200
        else:
            status = 400
    return render(
        request, "curriculum/verify.html", {"form": form, "outcome": outcome}, status=status
    )
