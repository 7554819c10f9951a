"""Endorsing a credential and withdrawing the endorsement: each signed, audited, one transaction."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.curriculum import issuing, keys
from strategists.curriculum.models import Credential, Endorsement
from strategists.curriculum.vc.dataintegrity import SigningError
from strategists.curriculum.vc.endorsement import MAX_COMMENT, build_endorsement_credential
from strategists.curriculum.vc.limits import strip_unstable_characters
from strategists.curriculum.vc.openbadges import OpenBadgeError
from strategists.curriculum.vc.statuslist import MINIMUM_ENTRIES, build_status_list_entry


def endorser_role(user: User) -> str:
    """Why this person may endorse, as the signed credential says it (in English, like the rest)."""
    organizations = sorted(user.hosted_organizations.values_list("name", flat=True))
    if organizations:
        return "host of " + ", ".join(organizations)
    return issuing.CERTIFICATE_NAME


def endorsement_url(endorsement_id) -> str:
    return f"{issuing.public_url()}/credentials/endorsements/{endorsement_id}/"


def _free_index() -> int:
    used = set(
        Endorsement.objects.filter(status_list=issuing.ENDORSEMENT_STATUS_LIST).values_list(
            "status_index", flat=True
        )
    )
    if len(used) >= MINIMUM_ENTRIES:
        raise ValidationError({"comment": _("No more endorsements can be signed.")})
    while True:
        index = secrets.randbelow(MINIMUM_ENTRIES)
        if index not in used:
            return index


@transaction.atomic
def endorsement_create(*, credential: Credential, by: User, comment: str) -> Endorsement:
    """Sign the endorsement with the program's key on the endorser's behalf. The rule
    (curriculum.endorse_credential) is checked again here, where the write happens."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if not by.has_perm("curriculum.endorse_credential", credential):
        raise ValidationError({"comment": _("You may not endorse this credential.")})
    comment = strip_unstable_characters(comment).strip()
    if not comment:
        raise ValidationError({"comment": _("Say what you have seen this person do.")})
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": _("At most %(count)s characters.") % {"count": MAX_COMMENT}}
        )
    if Endorsement.objects.filter(
        credential=credential, endorser=by, withdrawn_at__isnull=True
    ).exists():
        raise ValidationError({"comment": _("You have already endorsed this credential.")})
    now = timezone.now()
    endorsement = Endorsement(
        credential=credential,
        endorser=by,
        endorser_role=endorser_role(by),
        comment=comment,
        status_list=issuing.ENDORSEMENT_STATUS_LIST,
        status_index=_free_index(),
        created_at=now,
    )
    key = keys.current_key()
    try:
        unsigned = build_endorsement_credential(
            credential_id=endorsement_url(endorsement.pk),
            endorsed_id=issuing.credential_url(credential.pk),
            issuer_did=issuing.issuer_did(),
            issuer_name=issuing.ISSUER_NAME,
            issuer_url=f"{issuing.public_url()}/",
            endorser_name=strip_unstable_characters(by.name) or by.email,
            endorser_role=endorsement.endorser_role,
            comment=comment,
            valid_from=now,
            credential_status=build_status_list_entry(
                status_list_url=issuing.status_list_url(endorsement.status_list),
                index=endorsement.status_index,
            ),
        )
        endorsement.document = issuing._sign(unsigned, key, now)
    except (OpenBadgeError, SigningError) as error:
        raise ValidationError({"comment": str(error)}) from error
    try:
        with transaction.atomic():
            endorsement.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(
            {"comment": _("You have already endorsed this credential.")}
        ) from None
    audit_log(
        "endorsement.created",
        endorsement,
        actor=by,
        data={"credential": str(credential.pk), "holder": credential.person_id},
    )
    if not issuing.StatusList.objects.filter(number=endorsement.status_list).exists():
        issuing.status_list_publish(number=endorsement.status_list)
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, by: User) -> Endorsement:
    """Set its status bit and re-sign the list; withdrawing twice changes nothing."""
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.withdrawn_at is not None:
        return endorsement
    endorsement.withdrawn_at = timezone.now()
    endorsement.save(update_fields=["withdrawn_at"])
    audit_log(
        "endorsement.withdrawn",
        endorsement,
        actor=by,
        data={"credential": str(endorsement.credential_id), "endorser": endorsement.endorser_id},
    )
    issuing.status_list_publish(number=endorsement.status_list)
    return endorsement
