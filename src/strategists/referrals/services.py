"""Every write on resources in Where to go: suggestions, curation, changes, merges, reviews.
Questions and answers live in question_services."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log, changes, snapshot
from strategists.common.mail import mail_person
from strategists.referrals import ask_index
from strategists.referrals.models import (
    Answer,
    Resource,
    ResourceChange,
    Review,
)
from strategists.referrals.rules import is_coordinator, is_curator

RESOURCE_FIELDS = ("kind", "name", "url", "summary", "description", "tags", "cost", "region")
_PUBLIC_ID = re.compile(r"^R(\d+)$")


def next_public_id() -> str:
    numbers = [
        int(m.group(1))
        for pid in Resource.objects.filter(public_id__startswith="R")
        .values_list("public_id", flat=True)
        .iterator()
        if (m := _PUBLIC_ID.match(pid))
    ]
    return f"R{max(numbers, default=0) + 1:03d}"


def _require_curator(user) -> None:
    """Curating is a granted role: the views check it, and so does every curating service."""
    if not is_curator(user):
        raise PermissionDenied(_("Only directory curators may do this."))


def _curators_except(person: User):
    return (
        User.objects.filter(Q(is_curator=True) | Q(is_coordinator=True), is_active=True)
        .exclude(pk=person.pk)
        .order_by("pk")
    )


def _areas(resource: Resource) -> list[str]:
    return sorted(resource.skill_areas.values_list("pk", flat=True))


# --------------------------------------------------------------------------- resources


@transaction.atomic
def resource_suggest(*, by: User, skill_areas, **values) -> Resource:
    """A suggestion waits for a curator. Nobody approves their own: a curator's suggestion waits
    for a second curator, so no web address reaches the public on one person's word."""
    resource = Resource(
        public_id=next_public_id(),
        suggested_by=by,
        url_set_by=by,
        **{k: v for k, v in values.items() if k in RESOURCE_FIELDS},
    )
    resource.full_clean(exclude=["skill_areas"])
    resource.save()
    resource.skill_areas.set(skill_areas)
    ask_index.index_resource(resource)
    audit_log(
        "resource.suggested",
        resource,
        actor=by,
        after={**snapshot(resource, RESOURCE_FIELDS), "skill_areas": _areas(resource)},
    )
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by: User, skill_areas=None, **values) -> Resource:
    """A curator's edit applies at once, except a new web address of a resource the public sees:
    that becomes a change a second curator approves (see ``resource_change_propose``)."""
    _require_curator(by)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    old = snapshot(resource, RESOURCE_FIELDS)
    old_areas = _areas(resource)
    links = {}
    for name, value in values.items():
        if name not in RESOURCE_FIELDS:
            continue
        if name in ResourceChange.LINK_FIELDS and resource.status != Resource.Status.PENDING:
            if value != getattr(resource, name):
                links[name] = value
            continue
        setattr(resource, name, value)
    if resource.url != old["url"]:
        resource.url_set_by = by
    resource.full_clean(exclude=["skill_areas"])
    resource.save()
    if skill_areas is not None:
        resource.skill_areas.set(skill_areas)
    before, after = changes(resource, RESOURCE_FIELDS, old)
    if (new_areas := _areas(resource)) != old_areas:
        before["skill_areas"], after["skill_areas"] = old_areas, new_areas
    if before:
        audit_log("resource.updated", resource, actor=by, before=before, after=after)
    if links:
        resource_change_propose(resource=resource, by=by, **links)
    ask_index.index_resource(resource)
    return resource


@transaction.atomic
def resource_change_propose(*, resource: Resource, by: User, **links) -> ResourceChange:
    """A new web address for a resource the public sees; it waits for a second curator."""
    _require_curator(by)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status == Resource.Status.PENDING:
        raise ValidationError(_("A suggestion waiting for review is edited directly."))
    links = {name: value for name, value in links.items() if name in ResourceChange.LINK_FIELDS}
    for name, value in links.items():
        field = Resource._meta.get_field(name)
        links[name] = field.clean(value, resource)
    if not links or all(getattr(resource, name) == value for name, value in links.items()):
        raise ValidationError(_("The web address is unchanged."))
    if resource.changes.filter(state=ResourceChange.State.PENDING).exists():
        raise ValidationError(
            _(
                "A new web address for this resource is already waiting for a second "
                "curator: approve or reject it first."
            )
        )
    change = ResourceChange.objects.create(
        resource=resource,
        proposed_by=by,
        previous={name: getattr(resource, name) for name in links},
        proposed=links,
    )
    audit_log(
        "resource.url_change_proposed",
        resource,
        actor=by,
        before=change.previous,
        after=change.proposed,
        data={"change": change.pk},
    )
    for curator in _curators_except(by):
        mail_person(
            curator,
            template="referrals/mail/url_change_proposed",
            context={"change": change, "resource": resource, "proposer": by},
            kind="referrals-url-change",
        )
    return change


def _decide(change: ResourceChange, by: User) -> ResourceChange:
    _require_curator(by)
    change = (
        ResourceChange.objects.select_for_update(of=("self",))
        .select_related("resource", "proposed_by")
        .get(pk=change.pk)
    )
    if change.proposed_by_id == by.pk:
        raise PermissionDenied(_("You proposed this change: a second curator decides it."))
    if not change.is_pending:
        raise ValidationError(_("This change was already decided."))
    return change


def _tell_proposer(change: ResourceChange) -> None:
    if change.proposed_by is not None:
        mail_person(
            change.proposed_by,
            template="referrals/mail/url_change_decided",
            context={"change": change, "resource": change.resource},
            kind="referrals-url-change-decided",
        )


@transaction.atomic
def resource_change_approve(*, change: ResourceChange, by: User) -> ResourceChange:
    """A second curator approves: the public page shows the new address from now on."""
    change = _decide(change, by)
    resource = Resource.objects.select_for_update().get(pk=change.resource_id)
    if any(getattr(resource, name) != value for name, value in change.previous.items()):
        raise ValidationError(
            _("The web address changed since this was proposed; reject this change.")
        )
    for name, value in change.proposed.items():
        setattr(resource, name, value)
    resource.url_set_by = change.proposed_by
    resource.full_clean(exclude=["skill_areas"])
    resource.save()
    change.state, change.decided_by, change.decided_at = (
        ResourceChange.State.APPROVED,
        by,
        timezone.now(),
    )
    change.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    ask_index.index_resource(resource)
    audit_log(
        "resource.url_change_approved",
        resource,
        actor=by,
        before=change.previous,
        after=change.proposed,
        data={"change": change.pk, "proposed_by": change.proposed_by_id},
    )
    _tell_proposer(change)
    return change


@transaction.atomic
def resource_change_reject(*, change: ResourceChange, by: User, note: str = "") -> ResourceChange:
    change = _decide(change, by)
    change.state, change.decided_by, change.decided_at = (
        ResourceChange.State.REJECTED,
        by,
        timezone.now(),
    )
    change.note = (note or "").strip()[:300]
    change.save(update_fields=["state", "decided_by", "decided_at", "note", "updated_at"])
    audit_log(
        "resource.url_change_rejected",
        change.resource,
        actor=by,
        before=change.previous,
        after=change.previous,
        data={
            "change": change.pk,
            "proposed": change.proposed,
            "note": change.note,
            "proposed_by": change.proposed_by_id,
        },
    )
    _tell_proposer(change)
    return change


@transaction.atomic
def resource_approve(*, resource: Resource, by: User) -> Resource:
    _require_curator(by)
    resource = (
        Resource.objects.select_for_update(of=("self",))
        .select_related("suggested_by")
        .get(pk=resource.pk)
    )
    if resource.status != Resource.Status.PENDING:
        raise ValidationError(_("Only a suggestion waiting for review can be approved."))
    if by.pk in {resource.suggested_by_id, resource.url_set_by_id}:
        raise ValidationError(
            _("You suggested this resource or wrote its web address: a second curator approves it.")
        )
    resource.status, resource.approved_by, resource.approved_at = (
        Resource.Status.APPROVED,
        by,
        timezone.now(),
    )
    resource.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    ask_index.index_resource(resource)
    audit_log(
        "resource.approved",
        resource,
        actor=by,
        before={"status": Resource.Status.PENDING},
        after={"status": resource.status, "url": resource.url},
    )
    suggester = resource.suggested_by
    if suggester is not None and suggester.pk != by.pk:
        mail_person(
            suggester,
            template="referrals/mail/resource_approved",
            context={"resource": resource},
            kind="referrals-approved",
        )
    return resource


@transaction.atomic
def resource_retire(*, resource: Resource, by: User, reason: str) -> Resource:
    """A dead link or a vendor gone: kept for its history, left out of browsing and search."""
    _require_curator(by)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status == Resource.Status.MERGED:
        raise ValidationError(_("This resource was merged into another one."))
    before = resource.status
    resource.status, resource.retired_reason = Resource.Status.RETIRED, reason.strip()[:300]
    resource.save(update_fields=["status", "retired_reason", "updated_at"])
    ask_index.index_resource(resource)
    audit_log(
        "resource.retired",
        resource,
        actor=by,
        before={"status": before},
        after={"status": resource.status},
        data={"reason": resource.retired_reason},
    )
    return resource


@transaction.atomic
def resource_merge(*, duplicate: Resource, keep: Resource, by: User) -> Resource:
    """Fold a duplicate into the kept resource: reviews and citations move, the old id redirects.

    Someone who reviewed both keeps their more recent review. Only a listed resource is kept: its
    web address was approved by a second person, so a merge can't send the old id somewhere new.
    """
    _require_curator(by)
    if duplicate.pk == keep.pk:
        raise ValidationError(_("Pick a different resource to keep."))
    duplicate = Resource.objects.select_for_update().get(pk=duplicate.pk)
    keep = (
        Resource.objects.select_for_update(of=("self",))
        .select_related("merged_into")
        .get(pk=keep.pk)
    )
    if keep.status == Resource.Status.MERGED:
        raise ValidationError(
            _("The resource to keep was itself merged; merge into %(id)s instead.")
            % {"id": keep.merged_into.public_id}
        )
    if keep.status != Resource.Status.APPROVED:
        raise ValidationError(_("Keep a listed resource."))
    before = duplicate.status
    for review in list(duplicate.reviews.all()):
        existing = keep.reviews.filter(author_id=review.author_id).first()
        if existing is None:
            Review.objects.filter(pk=review.pk).update(resource=keep)
        elif review.updated_at > existing.updated_at:
            existing.delete()
            Review.objects.filter(pk=review.pk).update(resource=keep)
        else:
            review.delete()
    for answer in Answer.objects.filter(cited=duplicate):
        answer.cited.remove(duplicate)
        answer.cited.add(keep)
    keep.skill_areas.add(*duplicate.skill_areas.all())
    keep.tags = list(dict.fromkeys([*keep.tags, *duplicate.tags]))[:12]
    keep.save(update_fields=["tags", "updated_at"])
    Resource.objects.filter(merged_into=duplicate).update(merged_into=keep)
    duplicate.status, duplicate.merged_into = Resource.Status.MERGED, keep
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    ask_index.index_resource(duplicate)
    ask_index.index_resource(keep)
    audit_log(
        "resource.merged",
        duplicate,
        actor=by,
        before={"status": before},
        after={"status": duplicate.status, "merged_into": keep.public_id},
    )
    return keep


# --------------------------------------------------------------------------- reviews


@transaction.atomic
def review_save(
    *,
    resource: Resource,
    author: User,
    rating: int,
    used_for: str,
    would_recommend: bool,
    cost_paid: int | None = None,
    cost_note: str = "",
) -> Review:
    """Create or edit the one review a member has of a resource."""
    if not resource.is_listed:
        raise ValidationError(_("Only listed resources can be reviewed."))
    if not 1 <= int(rating) <= 5:
        raise ValidationError(_("Rate it from 1 to 5."))
    review, _created = Review.objects.select_for_update().get_or_create(
        resource=resource,
        author=author,
        defaults={
            "rating": rating,
            "used_for": used_for,
            "would_recommend": would_recommend,
            "cost_paid": cost_paid,
            "cost_note": cost_note,
        },
    )
    fields = ("rating", "used_for", "would_recommend", "cost_paid", "cost_note")
    if _created:
        audit_log(
            "review.created",
            review,
            actor=author,
            after=snapshot(review, fields),
            data={"resource": resource.public_id},
        )
    else:
        old = snapshot(review, fields)
        review.rating, review.used_for, review.would_recommend = rating, used_for, would_recommend
        review.cost_paid, review.cost_note = cost_paid, cost_note
        review.save()
        before, after = changes(review, fields, old)
        audit_log(
            "review.updated",
            review,
            actor=author,
            before=before,
            after=after,
            data={"resource": resource.public_id},
        )
    return review


@transaction.atomic
def review_hide(*, review: Review, by: User, reason: str) -> Review:
    if not is_coordinator(by):
        raise PermissionDenied(_("Only coordinators moderate reviews."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the review is hidden."))
    review.hidden_at, review.hidden_by, review.hidden_reason = timezone.now(), by, reason[:300]
    review.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_log(
        "review.hidden",
        review,
        actor=by,
        before={"hidden": False},
        after={"hidden": True},
        data={"reason": review.hidden_reason},
    )
    return review


@transaction.atomic
def review_show(*, review: Review, by: User) -> Review:
    if not is_coordinator(by):
        raise PermissionDenied(_("Only coordinators moderate reviews."))
    reason = review.hidden_reason
    review.hidden_at, review.hidden_by, review.hidden_reason = None, None, ""
    review.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_log(
        "review.shown",
        review,
        actor=by,
        before={"hidden": True, "reason": reason},
        after={"hidden": False},
    )
    return review
