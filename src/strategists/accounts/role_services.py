"""Every write on roles: grant, suspend, revoke, and the expert applications and host requests that lead to them."""

from django.db import transaction
from django.utils import timezone
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
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person

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
        return (
            role == RoleGrant.Kind.HOST
            and organization is not None
            and organization.hosts.filter(pk=by.pk).exists()
        )
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


def _role_change(
    *,
    user: User,
    role: str,
    organization: Organization | None,
    by: User | None,
    state: str,
    reason: str,
    action: str,
) -> RoleGrant:
    if role not in RoleGrant.Kind.values:
        raise RoleError(gettext("Unknown role."))
    if (role == RoleGrant.Kind.HOST) != (organization is not None):
        raise RoleError(
            gettext("The host role is held for one organization; other roles for none.")
        )
    if role == RoleGrant.Kind.COORDINATOR and by is not None and not by.is_coordinator:
        raise RoleError(gettext("Only coordinators grant the coordinator role."))
    if not _may_grant(by, role, organization):
        raise RoleError(gettext("You may not change this role."))
    if role == RoleGrant.Kind.EXPERT and not ExpertProfile.objects.filter(user=user).exists():
        raise RoleError(gettext("An expert role needs an approved application with a profile."))
    grant = (
        RoleGrant.objects.select_for_update()
        .filter(user=user, role=role, organization=organization)
        .first()
    )
    before = grant.state if grant else None
    if grant is None:
        grant = RoleGrant(user=user, role=role, organization=organization, granted_by=by)
    if state == RoleGrant.State.ACTIVE and before != RoleGrant.State.ACTIVE:
        grant.granted_by = by
    grant.state, grant.changed_by, grant.reason = state, by, reason
    grant.save()
    _apply_role(user, role, organization, state == RoleGrant.State.ACTIVE)
    audit_log(
        action,
        grant,
        actor=by,
        before={"state": before},
        after={"state": state},
        data={
            "person": user.pk,
            "role": role,
            "organization": organization.pk if organization else None,
            "reason": reason,
        },
    )
    return grant


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: str,
    organization: Organization | None = None,
    by: User | None,
    reason: str = "",
) -> RoleGrant:
    return _role_change(
        user=user,
        role=role,
        organization=organization,
        by=by,
        state=RoleGrant.State.ACTIVE,
        reason=reason,
        action="role.granted",
    )


@transaction.atomic
def role_suspend(
    *, user: User, role: str, organization: Organization | None = None, by: User | None, reason: str
) -> RoleGrant:
    return _role_change(
        user=user,
        role=role,
        organization=organization,
        by=by,
        state=RoleGrant.State.SUSPENDED,
        reason=reason,
        action="role.suspended",
    )


@transaction.atomic
def role_revoke(
    *, user: User, role: str, organization: Organization | None = None, by: User | None, reason: str
) -> RoleGrant:
    return _role_change(
        user=user,
        role=role,
        organization=organization,
        by=by,
        state=RoleGrant.State.REVOKED,
        reason=reason,
        action="role.revoked",
    )


@transaction.atomic
def expert_application_submit(
    *,
    user: User,
    skill_areas,
    experience: str,
    references: str,
    organization: Organization | None = None,
) -> ExpertApplication:
    """Ask to volunteer as an expert. The profile (where, when, languages) is kept separately and
    stays inactive until a coordinator approves."""
    if ExpertApplication.objects.filter(user=user, state=ExpertApplication.State.PENDING).exists():
        raise RoleError(gettext("You already have an application waiting for a decision."))
    application = ExpertApplication.objects.create(
        user=user,
        experience=experience,
        references=references,
        organization=organization,
    )
    application.skill_areas.set(skill_areas)
    audit_log(
        "expert_application.submitted",
        application,
        actor=user,
        data={"areas": sorted(a.pk if hasattr(a, "pk") else a for a in skill_areas)},
    )
    return application


@transaction.atomic
def expert_application_withdraw(*, application: ExpertApplication, by: User) -> ExpertApplication:
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    if application.user_id != by.pk or application.state != ExpertApplication.State.PENDING:
        raise RoleError(
            gettext("Only a pending application can be withdrawn, by the person who made it.")
        )
    application.state = ExpertApplication.State.WITHDRAWN
    application.save(update_fields=["state", "updated_at"])
    audit_log("expert_application.withdrawn", application, actor=by)
    return application


@transaction.atomic
def expert_application_decide(
    *, application: ExpertApplication, by: User, approve: bool, message: str = ""
) -> ExpertApplication:
    if not (by.is_active and by.is_coordinator):
        raise RoleError(gettext("Only coordinators decide expert applications."))
    if application.user_id == by.pk:
        raise RoleError(gettext("Nobody decides their own application."))
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    if application.state != ExpertApplication.State.PENDING:
        raise RoleError(gettext("This application was already decided."))
    application.state = (
        ExpertApplication.State.APPROVED if approve else ExpertApplication.State.DECLINED
    )
    application.decided_by, application.decided_at, application.message = (
        by,
        timezone.now(),
        message,
    )
    application.save()
    if approve:
        profile = ExpertProfile.objects.filter(user=application.user).first()
        if profile is None:
            home = application.user.city or City.objects.order_by("-population").first()
            profile = ExpertProfile.objects.create(user=application.user, home_city=home)
            profile.languages.set(
                application.user.languages.all() or Language.objects.filter(code="en")
            )
        areas = list(application.skill_areas.all())
        profile.approved_areas.add(*areas)
        profile.skill_areas.add(*areas)
        role_grant(user=application.user, role=RoleGrant.Kind.EXPERT, by=by, reason=message)
    audit_log(
        "expert_application.approved" if approve else "expert_application.declined",
        application,
        actor=by,
        data={"message": message},
    )
    mail_person(
        application.user,
        template="accounts/mail/expert_decision",
        kind="role",
        context={"application": application, "approved": approve, "message": message},
    )
    return application


@transaction.atomic
def host_request_submit(
    *, user: User, organization: Organization, message: str = ""
) -> HostRequest:
    if organization.hosts.filter(pk=user.pk).exists():
        raise RoleError(gettext("You already host for this organization."))
    if HostRequest.objects.filter(
        user=user, organization=organization, state=HostRequest.State.PENDING
    ).exists():
        raise RoleError(gettext("You already asked to host for this organization."))
    request = HostRequest.objects.create(user=user, organization=organization, message=message)
    audit_log("host_request.submitted", request, actor=user)
    return request


def may_decide_host_request(by: User, request: HostRequest) -> bool:
    return (
        by.is_active
        and by.pk != request.user_id
        and (by.is_coordinator or request.organization.hosts.filter(pk=by.pk).exists())
    )


@transaction.atomic
def host_request_decide(
    *, request: HostRequest, by: User, approve: bool, response: str = ""
) -> HostRequest:
    request = (
        HostRequest.objects.select_for_update().select_related("organization").get(pk=request.pk)
    )
    if not may_decide_host_request(by, request):
        raise RoleError(
            gettext("Only this organization's hosts or a coordinator decide this request.")
        )
    if request.state != HostRequest.State.PENDING:
        raise RoleError(gettext("This request was already decided."))
    request.state = HostRequest.State.APPROVED if approve else HostRequest.State.DECLINED
    request.decided_by, request.decided_at, request.response = by, timezone.now(), response
    request.save()
    if approve:
        role_grant(
            user=request.user,
            role=RoleGrant.Kind.HOST,
            organization=request.organization,
            by=by,
            reason=response,
        )
    audit_log(
        "host_request.approved" if approve else "host_request.declined",
        request,
        actor=by,
        data={"response": response},
    )
    mail_person(
        request.user,
        template="accounts/mail/host_decision",
        kind="role",
        context={"request": request, "approved": approve, "response": response},
    )
    return request
