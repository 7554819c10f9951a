"""Permission predicates: visitor, member, host, expert, coordinator."""

import rules


@rules.predicate
def is_member(user):
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_coordinator(user):
    return is_member(user) and user.is_coordinator


@rules.predicate
def is_expert(user):
    return is_member(user) and user.is_expert


@rules.predicate
def is_host(user):
    """Hosts someone for at least one organization."""
    return is_member(user) and user.hosted_organizations.exists()


@rules.predicate
def is_host_of(user, organization):
    return (
        is_member(user)
        and organization is not None
        and organization.hosts.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_self(user, person):
    return is_member(user) and person is not None and user.pk == person.pk


rules.add_perm("accounts.view_person", is_self | is_coordinator)
rules.add_perm("accounts.change_person", is_self)
rules.add_perm("accounts.view_contacts", is_self | is_coordinator)
rules.add_perm("accounts.host_for", is_host_of | is_coordinator)
rules.add_perm("accounts.coordinate", is_coordinator)


@rules.predicate
def may_decide_host_request(user, host_request):
    """Coordinators, or a current host of the organization asked for (never the asker)."""
    if not is_member(user) or host_request is None or host_request.user_id == user.pk:
        return False
    return user.is_coordinator or host_request.organization.hosts.filter(pk=user.pk).exists()


rules.add_perm("accounts.decide_host_request", may_decide_host_request)
rules.add_perm("accounts.view_host_requests", is_host | is_coordinator)
