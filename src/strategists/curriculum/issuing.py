"""Issuing and revoking credentials: Open Badges 3.0, signed with eddsa-rdfc-2022 by our did:web.

Everything public follows ``settings.PUBLIC_URL``: the DID (``did:web:127.0.0.1%3A8000`` by
default), the credential ids (``/credentials/<uuid>/``), the achievements (the framework's
pages) and the status list (``/credentials/status/1``).
"""

import datetime as dt
import multiprocessing
import os
import secrets
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.curriculum import keys
from strategists.curriculum.models import (
    Certification,
    Competency,
    Credential,
    Endorsement,
    Evidence,
    Level,
    SigningKey,
    StatusList,
)
from strategists.curriculum.signals import credential_revoked
from strategists.curriculum.vc.badge import badge_svg, issuer_svg, svg_data_uri
from strategists.curriculum.vc.dataintegrity import SigningError, sign
from strategists.curriculum.vc.did import PublishedKey, build_did_document, did_web_from_url, key_id
from strategists.curriculum.vc.limits import strip_unstable_characters
from strategists.curriculum.vc.multibase import (
    decode_private_key_multibase,
    decode_public_key_multibase,
)
from strategists.curriculum.vc.openbadges import Alignment, build_open_badge_credential
from strategists.curriculum.vc.statuslist import (
    MINIMUM_ENTRIES,
    StatusBitstring,
    build_status_list_credential,
    build_status_list_entry,
)

ISSUER_NAME = "1000 Strategists"
FRAMEWORK_NAME = "1000 Strategists digital strategist framework"
CERTIFICATE_NAME = "Certified Digital Strategist"
STATUS_LIST_NUMBER = 1
# Endorsements have a list of their own: withdrawing one never touches the credentials' list.
ENDORSEMENT_STATUS_LIST = 2
# Signing costs ~30 ms of pure Python; beyond this many credentials, sign in parallel.
PARALLEL_FROM = 40


class CredentialError(ValueError):
    pass


def public_url() -> str:
    return settings.PUBLIC_URL.rstrip("/")


def issuer_did() -> str:
    return did_web_from_url(public_url())


def credential_url(credential_id) -> str:
    return f"{public_url()}/credentials/{credential_id}/"


def status_list_url(number: int = STATUS_LIST_NUMBER) -> str:
    return f"{public_url()}/credentials/status/{number}"


def competency_url(competency: Competency) -> str:
    return f"{public_url()}{competency.path}"


def certificate_url() -> str:
    return f"{public_url()}/skills/certificate/"


def did_document() -> dict:
    """Every key that ever signed, so rotation never breaks what was issued before it."""
    did = issuer_did()
    published = [
        PublishedKey(
            key.number, decode_public_key_multibase(key.public_key_multibase), key.revoked_at
        )
        for key in SigningKey.objects.all()
    ]
    return build_did_document(did, published)


# --- status list -------------------------------------------------------------------------------


def _sign(document: dict, key: keys.CurrentKey, created: dt.datetime) -> dict:
    return sign(
        document,
        private_key=key.private_key,
        verification_method=key_id(issuer_did(), key.number),
        created=created,
    )


@transaction.atomic
def status_list_publish(*, number: int = STATUS_LIST_NUMBER) -> StatusList:
    """Rebuild the list from the revoked credentials and sign it with the current key."""
    status_list, _ = StatusList.objects.select_for_update().get_or_create(number=number)
    revoked = list(
        Credential.objects.filter(status_list=number, revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    ) + list(
        Endorsement.objects.filter(status_list=number, withdrawn_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )
    bitstring = StatusBitstring.from_set_indices(revoked)
    now = timezone.now()
    unsigned = build_status_list_credential(
        url=status_list_url(number), issuer=issuer_did(), bitstring=bitstring, valid_from=now
    )
    status_list.document = _sign(unsigned, keys.current_key(), now)
    status_list.signed_at = now
    status_list.save()
    audit_log("status_list.published", status_list, data={"revoked": len(revoked)})
    return status_list


def status_list_document(number: int = STATUS_LIST_NUMBER) -> dict | None:
    """The signed list as served. Re-signed when it was never signed or the public URL moved."""
    status_list = StatusList.objects.filter(number=number).first()
    if number not in (STATUS_LIST_NUMBER, ENDORSEMENT_STATUS_LIST) and status_list is None:
        return None
    if (
        status_list is None
        or not status_list.document
        or status_list.document.get("id") != status_list_url(number)
    ):
        status_list = status_list_publish(number=number)
    return status_list.document


# --- issuing -----------------------------------------------------------------------------------


def issuer_email() -> str:
    return settings.CREDENTIAL_ISSUER_EMAIL


def area_badge_svg(competency: Competency) -> str:
    """The badge of an area and level; English, like the rest of the signed document."""
    level = Level(competency.level)
    with translation.override("en"):
        subtitle = str(level.label)
    return badge_svg(
        title=competency.area.name,
        subtitle=subtitle,
        program=ISSUER_NAME,
        level=competency.level,
        key=competency.area_id,
    )


def certificate_badge_svg() -> str:
    return badge_svg(
        title=CERTIFICATE_NAME, subtitle="Certificate", program=ISSUER_NAME, level=0, key="cert"
    )


def _area_level_values(competency: Competency) -> dict:
    area = competency.area
    level = Level(competency.level)
    url = competency_url(competency)
    return {
        "achievement_type": "Competency",
        "image_url": svg_data_uri(area_badge_svg(competency)),
        "achievement_id": url,
        "achievement_name": f"{area.name}: {level.label}",
        "achievement_description": competency.can_do,
        "criteria_narrative": f"Evidence reviewed by the program: {competency.evidence}",
        "alignments": [
            Alignment(
                target_name=f"{area.name}: {level.label}",
                target_url=url,
                target_framework=FRAMEWORK_NAME,
                target_code=f"{area.pk}/{competency.level}",
                target_description=competency.can_do,
            )
        ],
    }


def _certificate_values() -> dict:
    from strategists.curriculum.progress import rule_text
    from strategists.curriculum.selectors import certificate_rule

    url = certificate_url()
    return {
        "achievement_type": "Certificate",
        "image_url": svg_data_uri(certificate_badge_svg()),
        "achievement_id": url,
        "achievement_name": CERTIFICATE_NAME,
        "achievement_description": "Plans, leads and measures digital work for a labor organization.",
        "criteria_narrative": rule_text(certificate_rule()),
        "alignments": [
            Alignment(
                target_name=FRAMEWORK_NAME,
                target_url=f"{public_url()}/skills/",
                target_framework=FRAMEWORK_NAME,
                target_code="certificate",
            )
        ],
    }


def _unsigned_values(
    credential: Credential, values: dict, valid_until: dt.datetime | None = None
) -> dict:
    """Arguments for build_open_badge_credential: plain values, so a worker process can build it."""
    return {
        "credential_id": credential_url(credential.pk),
        "issuer_did": issuer_did(),
        "issuer_name": ISSUER_NAME,
        "issuer_url": f"{public_url()}/",
        "issuer_image_url": svg_data_uri(issuer_svg(ISSUER_NAME)),
        "issuer_email": issuer_email(),
        "valid_from": credential.issued_at,
        "recipient_email": credential.person.email,
        # A control character in a name is never meant (an old import, a paste); signing would
        # refuse it, and that must not stop anyone from receiving what they earned.
        "description": f"Awarded to {strip_unstable_characters(credential.person.name)}.",
        "valid_until": valid_until,
        "credential_status": build_status_list_entry(
            status_list_url=status_list_url(credential.status_list), index=credential.status_index
        ),
        **values,
    }


def _build_and_sign(job: tuple[dict, str, str, str]) -> dict:
    values, private_multibase, method, created = job
    return sign(
        build_open_badge_credential(**values),
        private_key=decode_private_key_multibase(private_multibase),
        verification_method=method,
        created=created,
    )


def _sign_all(jobs: list[dict], key: keys.CurrentKey, created: dt.datetime) -> list[dict]:
    method = key_id(issuer_did(), key.number)
    work = [(values, key.private_multibase, method, created.isoformat()) for values in jobs]
    workers = min(os.cpu_count() or 1, 8)
    if len(work) < PARALLEL_FROM or workers < 2:
        return [_build_and_sign(job) for job in work]
    # Forked workers only run the pure building and signing code; they never touch the database.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_build_and_sign, work, chunksize=8))


def _due(person: User) -> list[tuple[Competency | None, dict]]:
    """What this person has earned and holds no valid credential for yet."""
    if (
        not person.is_active
    ):  # a deleted account gets nothing new (accounts.services.account_delete)
        return []
    approved = {
        evidence.competency_id: evidence.competency
        for evidence in Evidence.objects.filter(
            person=person,
            status=Evidence.Status.APPROVED,
            competency__isnull=False,
        ).select_related("competency__area")
    }
    active = Credential.objects.filter(person=person, revoked_at__isnull=True)
    held = set(
        active.filter(kind=Credential.Kind.AREA_LEVEL).values_list("competency_id", flat=True)
    )
    revoked_by_hand = set(
        Credential.objects.filter(
            person=person, revoked_at__isnull=False, kind=Credential.Kind.AREA_LEVEL
        ).values_list("competency_id", flat=True)
    )
    due = [
        (competency, _area_level_values(competency))
        for competency_id, competency in sorted(approved.items())
        if competency_id not in held and competency_id not in revoked_by_hand
    ]
    certified = Certification.objects.filter(
        person=person, status=Certification.Status.CERTIFIED
    ).exists()
    if certified and not active.filter(kind=Credential.Kind.CERTIFICATE).exists():
        due.append((None, _certificate_values()))
    return due


@transaction.atomic
def credentials_issue(
    *, people: Iterable[User], valid_until: dt.datetime | None = None, kinds: set[str] | None = None
) -> list[Credential]:
    """Issue every credential these people have earned and don't hold (only of ``kinds``, if
    given). Safe to run again: a credential a coordinator revoked is not re-issued."""
    people = list(
        User.objects.select_for_update().filter(pk__in=[p.pk for p in people]).order_by("pk")
    )
    now = timezone.now()
    used = set(
        Credential.objects.filter(status_list=STATUS_LIST_NUMBER).values_list(
            "status_index", flat=True
        )
    )
    pending, documents = [], []
    for person in people:
        for competency, values in _due(person):
            kind = Credential.Kind.CERTIFICATE if competency is None else Credential.Kind.AREA_LEVEL
            if kinds is not None and kind not in kinds:
                continue
            index = _free_index_from(used)
            credential = Credential(
                person=person,
                competency=competency,
                status_index=index,
                issued_at=now,
                status_list=STATUS_LIST_NUMBER,
                achievement_name=values["achievement_name"],
                kind=kind,
            )
            pending.append(credential)
            documents.append(_unsigned_values(credential, values, valid_until))
    if not pending:
        return []
    key = keys.current_key()
    try:
        signed_documents = _sign_all(documents, key, now)
    except SigningError as error:
        # Framework texts with a character signing refuses: nothing is issued until they are fixed.
        raise CredentialError(f"cannot sign the credentials: {error}") from error
    for credential, signed in zip(pending, signed_documents, strict=True):
        credential.document = signed
    Credential.objects.bulk_create(pending, batch_size=200)
    for credential in pending:
        audit_log(
            "credential.issued",
            credential,
            data={
                "person": credential.person_id,
                "kind": credential.kind,
                "achievement": credential.achievement_name,
                "status_index": credential.status_index,
            },
        )
    if not StatusList.objects.filter(number=STATUS_LIST_NUMBER).exists():
        status_list_publish()
    return pending


def _free_index_from(used: set[int]) -> int:
    if len(used) >= MINIMUM_ENTRIES:
        raise CredentialError("the status list is full")
    while True:
        index = secrets.randbelow(MINIMUM_ENTRIES)
        if index not in used:
            used.add(index)
            return index


def credentials_issue_for(*, person: User) -> list[Credential]:
    return credentials_issue(people=[person])


@transaction.atomic
def credential_revoke(*, credential: Credential, by: User | None, reason: str) -> Credential:
    """Set the credential's status bit and re-sign the list. Revoking a certificate also
    reverses the certification, so the count toward 1,000 stays honest."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        return credential
    if not reason.strip():
        raise CredentialError("give a reason for revoking")
    credential.revoked_at = timezone.now()
    credential.revoked_by = by
    credential.revoked_reason = reason.strip()
    credential.save()
    audit_log(
        "credential.revoked",
        credential,
        actor=by,
        data={"person": credential.person_id, "reason": credential.revoked_reason},
    )
    credential_revoked.send(sender=Credential, credential=credential, by=by)
    status_list_publish(number=credential.status_list)
    if credential.kind == Credential.Kind.CERTIFICATE:
        Certification.objects.filter(
            person_id=credential.person_id, status=Certification.Status.CERTIFIED
        ).update(
            status=Certification.Status.REVERSED,
            reversed_by=by,
            reversed_at=credential.revoked_at,
            reason=credential.revoked_reason,
            updated_at=credential.revoked_at,
        )
    return credential
