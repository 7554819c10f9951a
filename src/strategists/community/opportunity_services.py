"""Every write on the opportunities board: posting and removing an opportunity."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.community.models import (
    Opportunity,
)

# --- opportunities --------------------------------------------------------------------------------

MAX_OPEN_DAYS = 180


@transaction.atomic
def opportunity_post(
    *,
    by: User,
    organization,
    kind: str,
    title: str,
    description: str,
    areas,
    how_to_apply: str,
    expires_on: dt.date,
    region=None,
    remote: bool = False,
    pay_min: int | None = None,
    pay_max: int | None = None,
    pay_period: str = "",
) -> Opportunity:
    """A host posts for an organization they host (the grant is read now, not when the form
    was shown)."""
    if not organization.hosts.filter(pk=by.pk).exists():
        raise PermissionDenied(_("Only the organization's hosts can post for it."))
    areas = list(areas)
    errors = {}
    if not areas:
        errors["areas"] = _("Choose at least one area.")
    if kind != Opportunity.Kind.VOLUNTEER and (
        pay_min is None or pay_max is None or not pay_period
    ):
        errors["pay_min"] = _("Paid work states its pay range and period.")
    elif pay_min is not None and pay_max is not None and pay_max < pay_min:
        errors["pay_max"] = _("The top of the range can't be below its bottom.")
    today = timezone.localdate()
    if expires_on < today or expires_on > today + dt.timedelta(days=MAX_OPEN_DAYS):
        errors["expires_on"] = _("Choose a date between today and six months from now.")
    if not region and not remote:
        errors["region"] = _("Give a region, or say remote is fine.")
    if errors:
        raise ValidationError(errors)
    post = Opportunity(
        organization=organization,
        posted_by=by,
        kind=kind,
        title=" ".join(title.split()),
        description=description.strip(),
        region=region,
        remote=remote,
        pay_min=pay_min,
        pay_max=pay_max,
        pay_period=pay_period,
        how_to_apply=how_to_apply.strip(),
        expires_on=expires_on,
    )
    post.full_clean()
    post.save()
    post.areas.set(areas)
    audit_log(
        "opportunity.posted",
        post,
        actor=by,
        after={"organization": organization.pk, "kind": kind, "expires_on": str(expires_on)},
    )
    return post


@transaction.atomic
def opportunity_remove(*, opportunity: Opportunity, by: User, reason: str) -> Opportunity:
    """A coordinator (moderating) or the organization's host takes a post down."""
    if not by.has_perm("community.manage_opportunity", opportunity):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give a reason."))
    if opportunity.state != Opportunity.State.REMOVED:
        opportunity.state, opportunity.removed_by, opportunity.removed_reason = (
            Opportunity.State.REMOVED,
            by,
            reason[:500],
        )
        opportunity.save(update_fields=["state", "removed_by", "removed_reason", "updated_at"])
        audit_log(
            "opportunity.removed",
            opportunity,
            actor=by,
            after={"reason": opportunity.removed_reason},
        )
    return opportunity
