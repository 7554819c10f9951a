"""Writes the API makes of its own: tokens, tags and taggings, the fields of a person only the
API sets (mobile number, postal address) and a registration's referrer data. Every write on
events and registrations goes through strategists.events' services."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from strategists.accounts.models import User
from strategists.api.models import ApiToken, Tag, Tagging, token_digest
from strategists.common.audit import audit_log
from strategists.events.models import Registration


@transaction.atomic
def api_token_create(*, user: User, keep_old: bool = False) -> tuple[ApiToken, str]:
    """A new token for `user`, returned with its raw value (the only time it is known).
    Older tokens are revoked unless `keep_old`."""
    revoked = 0
    if not keep_old:
        revoked = user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=token_digest(raw), prefix=raw[:8])
    audit_log("api_token.created", token, data={"person": user.pk, "older_tokens_revoked": revoked})
    return token, raw


def api_token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


@transaction.atomic
def api_tokens_revoke(*, token_ids, by) -> list[ApiToken]:
    """Revoke the tokens that still work; each revocation is audited. Revoking twice changes nothing."""
    revoked, now = [], timezone.now()
    for token in (
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(pk__in=token_ids, revoked_at__isnull=True)
    ):
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_log(
            "api_token.revoked",
            token,
            actor=by,
            data={"person": token.user.email, "prefix": token.prefix},
        )
        revoked.append(token)
    return revoked


@transaction.atomic
def tag_create(*, name: str, by: User) -> tuple[Tag, bool]:
    """The tag with this name (any case), or a new one; and whether it is new."""
    name = " ".join(name.split())
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is not None:
        return tag, False
    try:
        with transaction.atomic():
            tag = Tag.objects.create(name=name, created_by=by)
    except IntegrityError:  # the same new name twice at once: the other request made it
        return Tag.objects.get(name__iexact=name), False
    audit_log("tag.created", tag, actor=by, data={"name": name})
    return tag, True


@transaction.atomic
def tagging_create(*, tag: Tag, person: User, by: User) -> tuple[Tagging, bool]:
    """Put `tag` on `person`; tagging twice changes nothing."""
    tagging, created = Tagging.objects.get_or_create(
        tag=tag, person=person, defaults={"added_by": by}
    )
    if created:
        audit_log("tagging.created", tagging, actor=by, data={"tag": tag.name, "person": person.pk})
    return tagging, created


@transaction.atomic
def tagging_delete(*, tagging: Tagging, by: User) -> None:
    audit_log(
        "tagging.deleted",
        tagging,
        actor=by,
        data={"tag": tagging.tag.name, "person": tagging.person_id},
    )
    tagging.delete()


PERSON_FIELDS = ("name", "phone_number", "street_address", "postal_code", "city")


@transaction.atomic
def person_update(*, person: User, by: User, values: dict) -> User:
    """What a coordinator (or the person) changes through the API: name, mobile number, postal
    address, city, languages. Text consent is never given here: only withdrawn
    (`sms_unsubscribe`), as when a number is marked unsubscribed elsewhere."""
    person = User.objects.select_for_update().get(pk=person.pk)
    before, after = {}, {}
    for name in PERSON_FIELDS:
        if name in values and getattr(person, name) != values[name]:
            before[name], after[name] = str(getattr(person, name) or ""), str(values[name] or "")
            setattr(person, name, values[name])
    if values.get("sms_unsubscribe") and person.sms_consent_at is not None:
        before["sms_consent_at"], after["sms_consent_at"] = person.sms_consent_at.isoformat(), ""
        person.sms_consent_at = None
    if "languages" in values:
        old = sorted(person.languages.values_list("code", flat=True))
        new = sorted(language.code for language in values["languages"])
        if old != new:
            before["languages"], after["languages"] = old, new
            person.languages.set(values["languages"])
    if before:
        person.save()
        audit_log("person.updated", person, actor=by, before=before, after=after)
    return person


@transaction.atomic
def registration_referrer_set(*, registration: Registration, referrer_data: dict, by: User):
    """Where a sign-up came from (Action Network's referrer_data), kept from the first time a
    client says: a later sign-up for the same training doesn't rewrite history."""
    if not referrer_data or registration.referrer_data:
        return registration
    registration.referrer_data = referrer_data
    registration.save(update_fields=["referrer_data", "updated_at"])
    audit_log("registration.referrer_set", registration, actor=by, data=referrer_data)
    return registration
