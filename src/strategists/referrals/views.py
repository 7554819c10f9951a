"""The "Where to go" pages: ask, browse the directory, suggest and review resources."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.common.pagecache import public_page
from strategists.common.permissions import LoginRequired, get_object_with_perm, require_perm
from strategists.common.ratelimits import limited
from strategists.referrals import ask_service, question_services, selectors, services
from strategists.referrals.forms import (
    AnswerForm,
    AskForm,
    DirectoryForm,
    MergeForm,
    NoteForm,
    QuestionForm,
    ReasonForm,
    ResourceForm,
    ReviewForm,
)
from strategists.referrals.models import Answer, Question, Resource, ResourceChange, Review

PAGE_SIZE = 20


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _resource(request, perm, public_id):
    return get_object_with_perm(request, perm, Resource.objects.all(), public_id=public_id)


def _question(request, pk, perm=None):
    """A question is personal: to anyone but its asker, its experts and coordinators it does not
    exist (404, so walking ids tells nothing). ``perm`` is what the person wants to do with it."""
    if not request.user.is_authenticated:
        raise LoginRequired(request)
    question = get_object_or_404(Question.objects.all(), pk=pk)
    if not request.user.has_perm("referrals.view_question", question):
        raise Http404
    if perm is not None:
        require_perm(request, perm, question)
    return question


@require_safe
@limited("ask", methods=("GET", "HEAD"))
def ask(request):
    form = AskForm(request.GET or None)
    context = {
        "form": form,
        "outcome": None,
        "resources": [],
        "questions": [],
        "openable": set(),
        "experts": [],
    }
    if form.is_valid() and form.cleaned_data["q"]:
        member = request.user.is_authenticated
        outcome = ask_service.ask(
            form.cleaned_data["q"],
            limit=10,
            with_questions=member,
            experts=3,
            near=request.user.city if member else None,
        )
        context["outcome"] = outcome
        context["resources"] = [
            (resource, outcome.because(resource.public_id))
            for resource in selectors.resources_in_order([pid for pid, _ in outcome.results])
        ]
        context["questions"] = selectors.answered_questions([pk for pk, _ in outcome.questions])
        # An accepted answer is searchable; the question's own page stays with its people.
        context["openable"] = selectors.openable_questions(request.user, context["questions"])
        context["experts"] = outcome.experts
    return render(request, "referrals/ask.html", context)


@require_safe
@public_page("referrals", "accounts")
def directory(request):
    form = DirectoryForm(request.GET or None)
    resources = selectors.directory(**form.filters())
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_suggest": request.user.has_perm("referrals.suggest_resource"),
        },
    )


@require_safe
def resource_detail(request, public_id):
    resource = get_object_or_404(Resource.objects.all(), public_id=public_id)
    if not request.user.has_perm("referrals.view_resource", resource):
        if not request.user.is_authenticated:
            raise LoginRequired(request)
        raise Http404  # someone else's suggestion waiting for review

    if resource.status == Resource.Status.MERGED:
        return redirect(
            "referrals:resource",
            public_id=selectors.follow_merges(resource).public_id,
            permanent=True,
        )
    moderator = request.user.has_perm("referrals.moderate_review")
    resource, reviews = selectors.resource_page(resource, show_hidden=moderator)
    mine = next((r for r in reviews if r.author_id == request.user.pk), None)
    can_curate = request.user.has_perm("referrals.curate")
    change = selectors.pending_change(resource) if can_curate else None
    return render(
        request,
        "referrals/resource.html",
        {
            "resource": resource,
            "reviews": reviews,
            "my_review": mine,
            "moderator": moderator,
            "can_curate": can_curate,
            "change": change,
            "can_decide": change is not None
            and request.user.has_perm("referrals.decide_change", change),
            "can_review": request.user.has_perm("referrals.review_resource", resource),
            "reason_form": ReasonForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def suggest(request):
    require_perm(request, "referrals.suggest_resource")
    form = ResourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_suggest(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            if request.user.has_perm("referrals.curate"):
                messages.success(request, _("Saved. A second curator lists it in the directory."))
            else:
                messages.success(
                    request, _("Thank you! A curator will review your suggestion soon.")
                )
            return redirect("referrals:resource", public_id=resource.public_id)
    return render(request, "referrals/form.html", {"form": form, "title": _("Suggest a resource")})


@require_http_methods(["GET", "POST"])
def resource_edit(request, public_id):
    resource = _resource(request, "referrals.curate", public_id)
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        initial=ResourceForm.initial_for(resource),
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_update(
                resource=resource, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            if form.cleaned_data["url"] != resource.url:
                messages.success(
                    request,
                    _(
                        "Saved. The new web address shows once a second curator approves it; "
                        "until then the page keeps the old one."
                    ),
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("referrals:resource", public_id=resource.public_id)
    return render(
        request,
        "referrals/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": resource.name}, "resource": resource},
    )


@require_POST
def resource_approve(request, public_id):
    resource = _resource(request, "referrals.curate", public_id)
    try:
        services.resource_approve(resource=resource, by=request.user)
        messages.success(request, _("Listed: %(name)s") % {"name": resource.name})
    except ValidationError as error:
        messages.error(request, _error_text(error))
    if request.POST.get("next") == "queue":
        return redirect("referrals:curate")
    return redirect("referrals:resource", public_id=resource.public_id)


@require_http_methods(["GET", "POST"])
def resource_retire(request, public_id):
    resource = _resource(request, "referrals.curate", public_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_retire(
                resource=resource, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("Retired: it no longer shows in the directory or in answers.")
            )
            return redirect("referrals:resource", public_id=resource.public_id)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "resource": resource,
            "title": _("Retire %(name)s") % {"name": resource.name},
        },
    )


@require_http_methods(["GET", "POST"])
def resource_merge(request, public_id):
    duplicate = _resource(request, "referrals.curate", public_id)
    form = MergeForm(request.POST if request.method == "POST" else None, duplicate=duplicate)
    if request.method == "POST" and form.is_valid():
        try:
            keep = services.resource_merge(
                duplicate=duplicate, keep=form.cleaned_data["keep"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Merged %(old)s into %(new)s.")
                % {"old": duplicate.public_id, "new": keep.public_id},
            )
            return redirect("referrals:resource", public_id=keep.public_id)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "resource": duplicate,
            "title": _("Merge %(name)s into another resource") % {"name": duplicate.name},
        },
    )


@require_http_methods(["GET", "POST"])
def review(request, public_id):
    resource = _resource(request, "referrals.review_resource", public_id)
    existing = Review.objects.filter(resource=resource, author=request.user).first()
    initial = {}
    if existing is not None:
        initial = {
            "rating": existing.rating,
            "used_for": existing.used_for,
            "cost_paid": existing.cost_paid,
            "cost_note": existing.cost_note,
            "would_recommend": "yes" if existing.would_recommend else "no",
        }
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(resource=resource, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect("referrals:resource", public_id=resource.public_id)
    title = _("Edit your review of %(name)s") if existing else _("Review %(name)s")
    return render(
        request,
        "referrals/form.html",
        {"form": form, "resource": resource, "title": title % {"name": resource.name}},
    )


@require_POST
def review_hide(request, pk):
    item = get_object_with_perm(
        request, "referrals.moderate_review", Review.objects.select_related("resource"), pk=pk
    )
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.review_hide(review=item, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The review is hidden."))
    else:
        messages.error(request, _("Say why the review is hidden."))
    return redirect("referrals:resource", public_id=item.resource.public_id)


@require_POST
def review_show(request, pk):
    item = get_object_with_perm(
        request, "referrals.moderate_review", Review.objects.select_related("resource"), pk=pk
    )
    services.review_show(review=item, by=request.user)
    messages.success(request, _("The review shows again."))
    return redirect("referrals:resource", public_id=item.resource.public_id)


@require_safe
def curate(request):
    require_perm(request, "referrals.curate")
    return render(
        request,
        "referrals/curate.html",
        {
            "pending": selectors.curation_queue(),
            "changes": selectors.pending_changes(),
            "note_form": NoteForm(),
            "hidden": selectors.hidden_reviews()
            if request.user.has_perm("referrals.moderate_review")
            else [],
        },
    )


def _change(request, pk):
    return get_object_with_perm(
        request, "referrals.decide_change", ResourceChange.objects.select_related("resource"), pk=pk
    )


def _after_decision(request, change):
    if request.POST.get("next") == "queue":
        return redirect("referrals:curate")
    return redirect("referrals:resource", public_id=change.resource.public_id)


@require_POST
def change_approve(request, pk):
    change = _change(request, pk)
    try:
        services.resource_change_approve(change=change, by=request.user)
        messages.success(
            request,
            _("Approved: %(name)s now links to %(url)s.")
            % {"name": change.resource.name, "url": change.proposed.get("url") or "-"},
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _after_decision(request, change)


@require_POST
def change_reject(request, pk):
    change = _change(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.resource_change_reject(change=change, by=request.user, note=note)
        messages.success(
            request, _("Rejected: %(name)s keeps its web address.") % {"name": change.resource.name}
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _after_decision(request, change)


@require_safe
def questions(request):
    require_perm(request, "referrals.view_questions")
    return render(
        request,
        "referrals/questions.html",
        {
            "mine": selectors.my_questions(request.user),
            "inbox": selectors.inbox(request.user) if request.user.is_expert else None,
        },
    )


@require_http_methods(["GET", "POST"])
@limited("question")
def question_new(request):
    require_perm(request, "referrals.post_question")
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        initial={"text": request.GET.get("q", "")[:500]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = question_services.question_post(asker=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Your question went to %(count)d experts. We'll email you when they answer.")
                % {"count": question.routings.count()},
            )
            return redirect("referrals:question", pk=question.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "title": _("Ask the experts"),
            "submit": _("Send to the experts"),
            "intro": _("Experts who know this area will get your question by email."),
        },
    )


@require_safe
def question_detail(request, pk):
    question = selectors.question_page(_question(request, pk))
    mine = next((a for a in question.answers.all() if a.author_id == request.user.pk), None)
    can_answer = question.status == Question.Status.OPEN and request.user.has_perm(
        "referrals.answer_question", question
    )
    form = None
    if can_answer:
        form = AnswerForm(
            initial={"body": mine.body, "cited": ", ".join(r.public_id for r in mine.cited.all())}
            if mine
            else None
        )
    return render(
        request,
        "referrals/question.html",
        {
            "question": question,
            "answer_form": form,
            "my_answer": mine,
            "can_accept": question.status == Question.Status.OPEN
            and request.user.has_perm("referrals.accept_answer", question),
            "sees_routing": request.user.pk == question.asker_id
            or request.user.has_perm("referrals.moderate_review"),
        },
    )


@require_POST
def answer(request, pk):
    question = _question(request, pk, "referrals.answer_question")
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            question_services.answer_post(
                question=question, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Thank you: your answer was sent to the person who asked."))
            return redirect("referrals:question", pk=question.pk)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("referrals:question", pk=question.pk)


@require_POST
def accept(request, pk, answer_pk):
    question = _question(request, pk, "referrals.accept_answer")
    chosen = get_object_or_404(Answer, question=question, pk=answer_pk)
    try:
        question_services.answer_accept(answer=chosen, by=request.user)
        messages.success(
            request, _("Accepted. Others who ask something similar will find this answer.")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("referrals:question", pk=question.pk)
