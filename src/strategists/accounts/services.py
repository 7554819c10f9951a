"""Every write on people and their accounts: sign-up, verification, claims, password help, profiles,
organizations, export and deletion. Roles and the requests for them live in role_services."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from strategists.accounts.models import (
    City,
    ExpertApplication,
    ExpertProfile,
    HostRequest,
    Language,
    Organization,
    RoleGrant,
    User,
)
from strategists.accounts.role_services import (
    RoleError,
    _role_change,
    expert_application_submit,
    role_grant,
    role_revoke,
)
from strategists.accounts.tokens import claim_token, email_verification_token
from strategists.common import personal_data
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.common.models import AuditEntry


@transaction.atomic
def user_signup(
    *,
    email: str,
    name: str,
    password: str,
    city: City | None = None,
    preferred_language: str = "en",
) -> User | None:
    """Create the account and mail a confirmation link. When the address already has an account,
    create nothing and mail its owner instead (a reminder, a new confirmation link or a claim
    link): the person signing up sees the same page either way, so the form never tells anyone
    which addresses have accounts. Returns the new person, or None."""
    email = email.strip().lower()
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    name=name,
                    city=city,
                    preferred_language=preferred_language,
                )
        except IntegrityError:  # the same new address signed up twice at once
            existing = User.objects.get(email=email)
    if existing is not None:
        make_password(password)  # the same work as a new account, so timing tells nothing either
        account_exists_mail_send(user=existing)
        return None
    if preferred_language in {"en", "es", "fr"}:
        user.languages.add(*Language.objects.filter(code=preferred_language))
    audit_log("account.signed_up", user, actor=user)
    verification_email_send(user=user)
    return user


def account_exists_mail_send(*, user: User) -> None:
    """Someone signed up with an address that has an account: tell its owner what to do."""
    if not user.is_active:
        return
    if not user.has_usable_password():
        claim_email_send(user=user)
    elif not user.is_verified:
        verification_email_send(user=user)
    else:
        mail_person(
            user,
            template="accounts/mail/account_exists",
            kind="account-exists",
            context={
                "user": user,
                "login_url": f"{settings.PUBLIC_URL}{reverse('accounts:login')}",
                "reset_url": f"{settings.PUBLIC_URL}{reverse('accounts:password_reset')}",
            },
        )


def verification_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    path = reverse("accounts:verify", kwargs={"uidb64": uid, "token": token})
    return f"{settings.PUBLIC_URL}{path}"


def verification_email_send(*, user: User) -> None:
    mail_person(
        user,
        template="accounts/mail/verify",
        kind="verify",
        context={"user": user, "link": verification_link(user)},
    )


@transaction.atomic
def user_verify_email(*, user: User, token: str) -> bool:
    """True when the link was valid and the address is now confirmed. A used link no longer
    checks out (the token covers `email_verified_at`), so it can't sign anyone in twice."""
    if user.is_verified or not email_verification_token.check_token(user, token):
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit_log("account.email_verified", user, actor=user)
    return True


def verification_email_resend(*, email: str) -> None:
    """A new confirmation link for an unconfirmed account with this address (a claim link when
    the account was never claimed). Nothing happens otherwise, and the caller can't tell."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None or (user.is_verified and user.has_usable_password()):
        return
    if not user.has_usable_password():
        claim_email_send(user=user)
    else:
        verification_email_send(user=user)


# Claiming an account ------------------------------------------------------------------------
# People added at the door, by a host or by the API have an account with no password. A mailed
# link (single use, expiring) lets them set one; setting it also confirms the address.


def claim_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:claim", kwargs={"uidb64": uid, "token": claim_token.make_token(user)})
    return f"{settings.PUBLIC_URL}{path}"


def claim_email_send(*, user: User) -> None:
    mail_person(
        user,
        template="accounts/mail/claim",
        kind="claim",
        context={"user": user, "link": claim_link(user)},
    )


# No savepoint of its own: callers that carry on after an IntegrityError (events'
# _person_match_or_create) open one, and a second one would cost two more statements on every
# API registration.
@transaction.atomic(savepoint=False)
def person_create_unclaimed(
    *, email: str, name: str = "", send_claim: bool = True, **extra
) -> User:
    """A person someone else added (a host at check-in, the API, an import): no password yet,
    and a mail with the link to claim the account unless `send_claim` is False (an import mails
    nobody unless the importer chose to; a training's sign-up carries the claim link in its own
    mail). Raises IntegrityError if the address is taken: call it inside a savepoint
    (``transaction.atomic()``) to carry on after that."""
    email = email.strip().lower()
    user = User.objects.create_user(
        email=email, password=None, name=name or email.split("@")[0], **extra
    )
    audit_log("person.created", user, data={"claimed": False})
    if send_claim:
        claim_email_send(user=user)
    return user


def _set_password_and_verify(user: User, password: str) -> bool:
    """Set the password; a link opened from the mailbox also proves the address. True when the
    address was confirmed just now."""
    user.set_password(password)
    newly_verified = user.email_verified_at is None
    if newly_verified:
        user.email_verified_at = timezone.now()
    user.save(update_fields=["password", "email_verified_at"])
    return newly_verified


@transaction.atomic
def account_claim(*, user: User, password: str) -> User:
    """The person sets their first password from the claim link."""
    verified = _set_password_and_verify(user, password)
    audit_log("account.claimed", user, actor=user, data={"email_verified": verified})
    return user


@transaction.atomic
def password_reset_complete(*, user: User, password: str) -> User:
    """A new password from a reset link; the link came by mail, so the address is confirmed."""
    verified = _set_password_and_verify(user, password)
    audit_log("account.password_reset", user, actor=user, data={"email_verified": verified})
    return user


def password_reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    return f"{settings.PUBLIC_URL}{path}"


def password_help_send(*, email: str) -> None:
    """A reset link for the account with this address, or a claim link when it has no password
    yet. Nothing for an unknown address; the page answers the same either way."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        return
    if user.has_usable_password():
        mail_person(
            user,
            template="accounts/mail/password_reset",
            kind="password-reset",
            context={"user": user, "link": password_reset_link(user)},
        )
    else:
        claim_email_send(user=user)


# The person's own data ----------------------------------------------------------------------


@transaction.atomic
def personal_data_export(*, user: User) -> dict:
    """Everything the platform holds about the person, from every app (common.personal_data)."""
    audit_log("account.data_exported", user, actor=user)
    return {
        "format": "1000-strategists-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "person_id": user.pk,
        **personal_data.export(user),
    }


DELETED_NAME = "Deleted person"
DELETED_EMAIL_DOMAIN = "deleted.invalid"  # RFC 2606: never deliverable


@transaction.atomic
def account_delete(*, user: User, keep_credentials: bool) -> User:
    """Erase or anonymise everything personal; keep what counts (registrations, certification,
    credentials' status bits) attached to an anonymous tombstone, so the program's figures stay
    right. Credentials stay verifiable: revoked, or kept valid, as the person chose.

    The person row stays (as "Deleted person", with an undeliverable address, no password,
    inactive): registrations, evidence and credentials point at it. Changing the password hash
    and deactivating the account ends every session at its next request."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active and user.email.endswith("@" + DELETED_EMAIL_DOMAIN):
        return user
    # Roles first: their log entries name the person, and the erasers below relabel the log.
    for grant in RoleGrant.objects.filter(user=user, state=RoleGrant.State.ACTIVE).select_related(
        "organization"
    ):
        try:
            _role_change(
                user=user,
                role=grant.role,
                organization=grant.organization,
                by=None,
                state=RoleGrant.State.REVOKED,
                reason="Account deleted",
                action="role.revoked",
            )
        except RoleError:  # a grant whose profile is gone: end it all the same
            RoleGrant.objects.filter(pk=grant.pk).update(
                state=RoleGrant.State.REVOKED, reason="Account deleted"
            )
    sections = personal_data.erase(user, keep_credentials=keep_credentials)
    ExpertApplication.objects.filter(user=user, state=ExpertApplication.State.PENDING).update(
        state=ExpertApplication.State.WITHDRAWN
    )
    HostRequest.objects.filter(user=user, state=HostRequest.State.PENDING).update(
        state=HostRequest.State.WITHDRAWN
    )
    ExpertApplication.objects.filter(user=user).update(experience="", references="", message="")
    HostRequest.objects.filter(user=user).update(message="", response="")
    ExpertProfile.objects.filter(user=user).update(
        is_active=False,
        bio="",
        available_from=None,
        available_until=None,
        answers_questions=False,
        mentors=False,
    )
    user.hosted_organizations.clear()
    user.languages.clear()
    user.name = DELETED_NAME
    user.email = f"deleted-{user.pk}@{DELETED_EMAIL_DOMAIN}"
    user.pronouns = ""
    user.role = ""
    user.is_active = False
    user.is_coordinator = user.is_curator = user.is_staff = user.is_superuser = False
    user.email_verified_at = user.last_login = None
    user.set_unusable_password()
    user.save()
    entry = audit_log(
        "account.deleted",
        user,
        actor=user,
        data={"credentials": "kept" if keep_credentials else "revoked", "sections": sections},
    )
    label = personal_data.deleted_label(user)
    AuditEntry.objects.filter(pk=entry.pk).update(actor_label=label, object_label=label)
    AuditEntry.objects.filter(actor=user).exclude(actor_label=label).update(actor_label=label)
    return user


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    name: str,
    pronouns: str,
    city: City | None,
    languages,
    preferred_language: str,
    organization: Organization | None,
    role: str,
) -> User:
    fields = ["name", "pronouns", "city", "preferred_language", "organization", "role"]
    old = _audit_state(user, fields, related=["languages"])
    user.name = name
    user.pronouns = pronouns
    user.city = city
    user.preferred_language = preferred_language
    user.organization = organization
    user.role = role
    user.save()
    user.languages.set(languages)
    before, after = _audit_diff(old, _audit_state(user, fields, related=["languages"]))
    if after:
        audit_log("account.profile_updated", user, actor=user, before=before, after=after)
    return user


@transaction.atomic
def expert_profile_save(
    *,
    user: User,
    skill_areas,
    home_city: City,
    languages,
    availability: str,
    max_trainings_per_year: int,
    answers_questions: bool,
    mentors: bool,
    bio: str = "",
    available_from=None,
    available_until=None,
) -> ExpertProfile:
    fields = [
        "home_city",
        "availability",
        "max_trainings_per_year",
        "answers_questions",
        "mentors",
        "bio",
        "available_from",
        "available_until",
        "is_active",
    ]
    related = ["skill_areas", "languages"]
    existing = ExpertProfile.objects.filter(user=user).first()
    old = _audit_state(existing, fields, related=related) if existing else {}
    profile, created = ExpertProfile.objects.update_or_create(
        user=user,
        defaults={
            "home_city": home_city,
            "availability": availability,
            "max_trainings_per_year": max_trainings_per_year,
            "answers_questions": answers_questions,
            "mentors": mentors,
            "bio": bio,
            "available_from": available_from,
            "available_until": available_until,
        },
    )
    profile.skill_areas.set(skill_areas)
    profile.languages.set(languages)
    before, after = _audit_diff(old, _audit_state(profile, fields, related=related))
    if created or after:
        audit_log(
            "expert_profile.created" if created else "expert_profile.updated",
            profile,
            actor=user,
            before=None if created else before,
            after=after,
        )
    return profile


@transaction.atomic
def organization_save(
    *,
    organization: Organization | None = None,
    name: str,
    type: str,
    parent=None,
    city: City | None = None,
    website: str = "",
    host_emails=(),
    by: User | None = None,
) -> Organization:
    """`host_emails`: the people who should host for it. Hosting is a granted role, so hosts
    added or removed here are granted or revoked by `by` like any other role change."""
    from django.utils.text import slugify

    created = organization is None or organization.pk is None
    fields = ["name", "type", "parent", "city", "website"]
    old = {} if created else _audit_state(organization, fields)
    organization = organization or Organization()
    organization.name, organization.type, organization.parent = name, type, parent
    organization.city, organization.website = city, website
    organization.region = city.region if city else organization.region
    if not organization.slug:
        base = slugify(name)[:180] or "organization"
        slug, n = base, 1
        while Organization.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        organization.slug = slug
    organization.save()
    before, after = _audit_diff(old, _audit_state(organization, fields))
    if created or after:
        audit_log(
            "organization.created" if created else "organization.updated",
            organization,
            actor=by,
            before=None if created else before,
            after=after,
        )
    current = set(organization.hosts.all())
    wanted = set(host_emails)
    for person in sorted(wanted - current, key=lambda p: p.pk):
        role_grant(
            user=person,
            role=RoleGrant.Kind.HOST,
            organization=organization,
            by=by,
            reason=gettext("Named a host on the organization's page."),
        )
    for person in sorted(current - wanted, key=lambda p: p.pk):
        role_revoke(
            user=person,
            role=RoleGrant.Kind.HOST,
            organization=organization,
            by=by,
            reason=gettext("Removed from the hosts on the organization's page."),
        )
    return organization


@transaction.atomic
def expert_apply(
    *,
    user: User,
    profile: dict,
    experience: str,
    references: str,
    organization: Organization | None = None,
) -> ExpertApplication:
    """The volunteer form: the profile (inactive until approved) and the application together."""
    expert_profile_save(user=user, **profile)
    return expert_application_submit(
        user=user,
        skill_areas=profile["skill_areas"],
        experience=experience,
        references=references,
        organization=organization,
    )


# Audit before/after of the profile and organization services ---------------------------------


def _audit_state(instance, fields, related=()) -> dict:
    """What an audit entry compares: the fields as they are, related sets as their sorted keys."""
    state = {name: getattr(instance, name) for name in fields}
    state.update(
        {name: sorted(str(item.pk) for item in getattr(instance, name).all()) for name in related}
    )
    return state


def _audit_diff(old: dict, new: dict) -> tuple[dict, dict]:
    """(before, after) of what changed; everything is new when there was nothing before."""
    changed = [name for name in new if name not in old or old[name] != new[name]]
    return {name: old.get(name) for name in changed}, {name: new[name] for name in changed}
