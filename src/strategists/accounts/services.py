from django.conf import settings
from django.db import transaction
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
from strategists.accounts.tokens import email_verification_token
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person


@transaction.atomic
def user_signup(*, email: str, name: str, password: str, city: City | None = None,
                preferred_language: str = "en") -> User:
    user = User.objects.create_user(
        email=email, password=password, name=name, city=city, preferred_language=preferred_language
    )
    if preferred_language in {"en", "es", "fr"}:
        user.languages.add(*Language.objects.filter(code=preferred_language))
    audit_log("account.signed_up", user, actor=user)
    verification_email_send(user=user)
    return user


def verification_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    path = reverse("accounts:verify", kwargs={"uidb64": uid, "token": token})
    return f"{settings.PUBLIC_URL}{path}"


def verification_email_send(*, user: User) -> None:
    mail_person(user, template="accounts/mail/verify", kind="verify",
                context={"user": user, "link": verification_link(user)})


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


@transaction.atomic
def user_update_profile(*, user: User, name: str, pronouns: str, city: City | None,
                        languages, preferred_language: str, organization: Organization | None,
                        role: str) -> User:
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
def expert_profile_save(*, user: User, skill_areas, home_city: City, languages, availability: str,
                        max_trainings_per_year: int, answers_questions: bool, mentors: bool,
                        bio: str = "", available_from=None, available_until=None) -> ExpertProfile:
    fields = ["home_city", "availability", "max_trainings_per_year", "answers_questions", "mentors", "bio",
              "available_from", "available_until", "is_active"]
    related = ["skill_areas", "languages"]
    existing = ExpertProfile.objects.filter(user=user).first()
    old = _audit_state(existing, fields, related=related) if existing else {}
    profile, created = ExpertProfile.objects.update_or_create(
        user=user,
        defaults={
            "home_city": home_city, "availability": availability,
            "max_trainings_per_year": max_trainings_per_year,
            "answers_questions": answers_questions, "mentors": mentors, "bio": bio,
            "available_from": available_from, "available_until": available_until,
        },
    )
    profile.skill_areas.set(skill_areas)
    profile.languages.set(languages)
    before, after = _audit_diff(old, _audit_state(profile, fields, related=related))
    if created or after:
        audit_log("expert_profile.created" if created else "expert_profile.updated", profile, actor=user,
                  before=None if created else before, after=after)
    return profile


@transaction.atomic
def organization_save(*, organization: Organization | None = None, name: str, type: str, parent=None,
                      city: City | None = None, website: str = "", host_emails=(),
                      by: User | None = None) -> Organization:
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
        audit_log("organization.created" if created else "organization.updated", organization, actor=by,
                  before=None if created else before, after=after)
    current = set(organization.hosts.all())
    wanted = set(host_emails)
    for person in sorted(wanted - current, key=lambda p: p.pk):
        role_grant(user=person, role=RoleGrant.Kind.HOST, organization=organization, by=by,
                   reason=gettext("Named a host on the organization's page."))
    for person in sorted(current - wanted, key=lambda p: p.pk):
        role_revoke(user=person, role=RoleGrant.Kind.HOST, organization=organization, by=by,
                    reason=gettext("Removed from the hosts on the organization's page."))
    return organization


# Roles --------------------------------------------------------------------------------------
# A role is granted by someone who may grant it, never claimed. Each change updates the
# effective flag the rules read on every request (so a revocation holds from the next request),
# the RoleGrant row (who, when, why) and the audit log, in one transaction.


class RoleError(Exception):
    """A role change that the person making it may not make; the message says why."""


def _may_grant(by: User | None, role: str, organization: Organization | None) -> bool:
    if by is None:  # the program itself: demo, commands, migrations
        return True
    if not (by.is_active and by.is_coordinator):
        # Hosts decide host requests for their own organization only (host_request_decide).
        return (role == RoleGrant.Kind.HOST and organization is not None
                and organization.hosts.filter(pk=by.pk).exists())
    return True


def _apply_role(user: User, role: str, organization: Organization | None, active: bool) -> None:
    if role == RoleGrant.Kind.COORDINATOR:
        user.is_coordinator = active
        user.save(update_fields=["is_coordinator"])
    elif role == RoleGrant.Kind.CURATOR:
        user.is_curator = active
        user.save(update_fields=["is_curator"])
    elif role == RoleGrant.Kind.HOST:
        if active:
            organization.hosts.add(user)
        else:
            organization.hosts.remove(user)
    elif role == RoleGrant.Kind.EXPERT:
        ExpertProfile.objects.filter(user=user).update(is_active=active)


def _role_change(*, user: User, role: str, organization: Organization | None, by: User | None,
                 state: str, reason: str, action: str) -> RoleGrant:
    if role not in RoleGrant.Kind.values:
        raise RoleError(gettext("Unknown role."))
    if (role == RoleGrant.Kind.HOST) != (organization is not None):
        raise RoleError(gettext("The host role is held for one organization; other roles for none."))
    if role == RoleGrant.Kind.COORDINATOR and by is not None and not by.is_coordinator:
        raise RoleError(gettext("Only coordinators grant the coordinator role."))
    if not _may_grant(by, role, organization):
        raise RoleError(gettext("You may not change this role."))
    if role == RoleGrant.Kind.EXPERT and not ExpertProfile.objects.filter(user=user).exists():
        raise RoleError(gettext("An expert role needs an approved application with a profile."))
    grant = (RoleGrant.objects.select_for_update()
             .filter(user=user, role=role, organization=organization).first())
    before = grant.state if grant else None
    if grant is None:
        grant = RoleGrant(user=user, role=role, organization=organization, granted_by=by)
    if state == RoleGrant.State.ACTIVE and before != RoleGrant.State.ACTIVE:
        grant.granted_by = by
    grant.state, grant.changed_by, grant.reason = state, by, reason
    grant.save()
    _apply_role(user, role, organization, state == RoleGrant.State.ACTIVE)
    audit_log(action, grant, actor=by, before={"state": before}, after={"state": state},
              data={"person": user.pk, "role": role, "organization": organization.pk if organization else None,
                    "reason": reason})
    return grant


@transaction.atomic
def role_grant(*, user: User, role: str, organization: Organization | None = None,
               by: User | None, reason: str = "") -> RoleGrant:
    return _role_change(user=user, role=role, organization=organization, by=by,
                        state=RoleGrant.State.ACTIVE, reason=reason, action="role.granted")


@transaction.atomic
def role_suspend(*, user: User, role: str, organization: Organization | None = None,
                 by: User | None, reason: str) -> RoleGrant:
    return _role_change(user=user, role=role, organization=organization, by=by,
                        state=RoleGrant.State.SUSPENDED, reason=reason, action="role.suspended")


@transaction.atomic
def role_revoke(*, user: User, role: str, organization: Organization | None = None,
                by: User | None, reason: str) -> RoleGrant:
    return _role_change(user=user, role=role, organization=organization, by=by,
                        state=RoleGrant.State.REVOKED, reason=reason, action="role.revoked")


@transaction.atomic
def expert_application_submit(*, user: User, skill_areas, experience: str, references: str,
                              organization: Organization | None = None) -> ExpertApplication:
    """Ask to volunteer as an expert. The profile (where, when, languages) is kept separately and
    stays inactive until a coordinator approves."""
    if ExpertApplication.objects.filter(user=user, state=ExpertApplication.State.PENDING).exists():
        raise RoleError(gettext("You already have an application waiting for a decision."))
    application = ExpertApplication.objects.create(
        user=user, experience=experience, references=references, organization=organization,
    )
    application.skill_areas.set(skill_areas)
    audit_log("expert_application.submitted", application, actor=user,
              data={"areas": sorted(a.pk if hasattr(a, "pk") else a for a in skill_areas)})
    return application


@transaction.atomic
def expert_apply(*, user: User, profile: dict, experience: str, references: str,
                 organization: Organization | None = None) -> ExpertApplication:
    """The volunteer form: the profile (inactive until approved) and the application together."""
    expert_profile_save(user=user, **profile)
    return expert_application_submit(user=user, skill_areas=profile["skill_areas"], experience=experience,
                                      references=references, organization=organization)


@transaction.atomic
def expert_application_withdraw(*, application: ExpertApplication, by: User) -> ExpertApplication:
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    if application.user_id != by.pk or application.state != ExpertApplication.State.PENDING:
        raise RoleError(gettext("Only a pending application can be withdrawn, by the person who made it."))
    application.state = ExpertApplication.State.WITHDRAWN
    application.save(update_fields=["state", "updated_at"])
    audit_log("expert_application.withdrawn", application, actor=by)
    return application


@transaction.atomic
def expert_application_decide(*, application: ExpertApplication, by: User, approve: bool,
                              message: str = "") -> ExpertApplication:
    if not (by.is_active and by.is_coordinator):
        raise RoleError(gettext("Only coordinators decide expert applications."))
    if application.user_id == by.pk:
        raise RoleError(gettext("Nobody decides their own application."))
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    if application.state != ExpertApplication.State.PENDING:
        raise RoleError(gettext("This application was already decided."))
    application.state = (ExpertApplication.State.APPROVED if approve else ExpertApplication.State.DECLINED)
    application.decided_by, application.decided_at, application.message = by, timezone.now(), message
    application.save()
    if approve:
        profile = ExpertProfile.objects.filter(user=application.user).first()
        if profile is None:
            home = application.user.city or City.objects.order_by("-population").first()
            profile = ExpertProfile.objects.create(user=application.user, home_city=home)
            profile.languages.set(application.user.languages.all() or Language.objects.filter(code="en"))
        areas = list(application.skill_areas.all())
        profile.approved_areas.add(*areas)
        profile.skill_areas.add(*areas)
        role_grant(user=application.user, role=RoleGrant.Kind.EXPERT, by=by, reason=message)
    audit_log("expert_application.approved" if approve else "expert_application.declined",
              application, actor=by, data={"message": message})
    mail_person(application.user, template="accounts/mail/expert_decision", kind="role",
                context={"application": application, "approved": approve, "message": message})
    return application


@transaction.atomic
def host_request_submit(*, user: User, organization: Organization, message: str = "") -> HostRequest:
    if organization.hosts.filter(pk=user.pk).exists():
        raise RoleError(gettext("You already host for this organization."))
    if HostRequest.objects.filter(user=user, organization=organization,
                                  state=HostRequest.State.PENDING).exists():
        raise RoleError(gettext("You already asked to host for this organization."))
    request = HostRequest.objects.create(user=user, organization=organization, message=message)
    audit_log("host_request.submitted", request, actor=user)
    return request


def may_decide_host_request(by: User, request: HostRequest) -> bool:
    return by.is_active and by.pk != request.user_id and (
        by.is_coordinator or request.organization.hosts.filter(pk=by.pk).exists())


@transaction.atomic
def host_request_decide(*, request: HostRequest, by: User, approve: bool, response: str = "") -> HostRequest:
    request = HostRequest.objects.select_for_update().select_related("organization").get(pk=request.pk)
    if not may_decide_host_request(by, request):
        raise RoleError(gettext("Only this organization's hosts or a coordinator decide this request."))
    if request.state != HostRequest.State.PENDING:
        raise RoleError(gettext("This request was already decided."))
    request.state = HostRequest.State.APPROVED if approve else HostRequest.State.DECLINED
    request.decided_by, request.decided_at, request.response = by, timezone.now(), response
    request.save()
    if approve:
        role_grant(user=request.user, role=RoleGrant.Kind.HOST, organization=request.organization,
                   by=by, reason=response)
    audit_log("host_request.approved" if approve else "host_request.declined", request, actor=by,
              data={"response": response})
    mail_person(request.user, template="accounts/mail/host_decision", kind="role",
                context={"request": request, "approved": approve, "response": response})
    return request


# Audit before/after of the profile and organization services ---------------------------------


def _audit_state(instance, fields, related=()) -> dict:
    """What an audit entry compares: the fields as they are, related sets as their sorted keys."""
    state = {name: getattr(instance, name) for name in fields}
    state.update({name: sorted(str(item.pk) for item in getattr(instance, name).all()) for name in related})
    return state


def _audit_diff(old: dict, new: dict) -> tuple[dict, dict]:
    """(before, after) of what changed; everything is new when there was nothing before."""
    changed = [name for name in new if name not in old or old[name] != new[name]]
    return {name: old.get(name) for name in changed}, {name: new[name] for name in changed}
