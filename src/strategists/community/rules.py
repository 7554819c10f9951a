"""Who may do what in the community. Loaded by django-rules' autodiscovery. Rules read the
current rows (membership, moderator grant, certification) on every request."""

import rules

from strategists.accounts.rules import is_coordinator, is_host, is_host_of, is_member
from strategists.community.selectors import may_mentor

# --- the registry ---------------------------------------------------------------------------------
rules.add_perm("community.view_registry", rules.always_allow)
rules.add_perm("community.change_listing", is_member)


# --- circles --------------------------------------------------------------------------------------


@rules.predicate
def is_circle_member(user, circle):
    return (
        is_member(user)
        and circle is not None
        and circle.memberships.filter(user=user, state="active").exists()
    )


@rules.predicate
def is_circle_moderator(user, circle):
    return (
        is_member(user)
        and circle is not None
        and circle.moderators.filter(user=user, revoked_at__isnull=True).exists()
    )


@rules.predicate
def is_open_circle(user, circle):
    return circle is not None and not circle.members_only


may_moderate = is_circle_moderator | is_coordinator
may_read = is_member & (is_open_circle | is_circle_member | may_moderate)

rules.add_perm("community.view_circles", rules.always_allow)
rules.add_perm("community.create_circle", is_coordinator)
rules.add_perm("community.view_circle", may_read)
rules.add_perm("community.join_circle", is_member)
rules.add_perm("community.post_in_circle", is_circle_member)
rules.add_perm("community.report_post", may_read)
rules.add_perm("community.moderate_circle", may_moderate)
rules.add_perm("community.grant_moderator", is_coordinator)
rules.add_perm("community.view_resource_threads", is_member)


# --- mentoring ------------------------------------------------------------------------------------


@rules.predicate
def may_offer_mentoring(user):
    return may_mentor(user)


rules.add_perm("community.mentoring", is_member)
rules.add_perm("community.offer_mentoring", may_offer_mentoring)
rules.add_perm("community.see_matches", is_coordinator)


# --- opportunities --------------------------------------------------------------------------------


@rules.predicate
def hosts_for_opportunity(user, opportunity):
    return is_host_of(user, opportunity.organization if opportunity is not None else None)


rules.add_perm("community.view_opportunities", rules.always_allow)
rules.add_perm("community.post_opportunity", is_host)
rules.add_perm("community.manage_opportunity", hosts_for_opportunity | is_coordinator)
rules.add_perm("community.moderate_opportunities", is_coordinator)
