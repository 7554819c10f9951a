"""Who may do what at a conference. Reviewers are granted per conference (ConferenceReviewer);
nobody reviews their own proposal or one from their own organization (selectors.conflicted)."""

import rules

from strategists.accounts.rules import is_coordinator, is_host, is_member


@rules.predicate
def session_is_published(user, session):
    return session is not None and session.is_published


@rules.predicate
def is_reviewer(user, conference):
    if not is_member(user) or conference is None:
        return False
    return conference.reviewers.filter(user=user, revoked_at__isnull=True).exists()


@rules.predicate
def owns_proposal(user, proposal):
    return is_member(user) and proposal is not None and proposal.proposer_id == user.pk


@rules.predicate
def may_review(user, proposal):
    from strategists.convening.selectors import conflicted

    if proposal is None or proposal.state != proposal.State.SUBMITTED:
        return False
    if not is_reviewer(user, proposal.conference):
        return False
    return not conflicted(user, proposal)


@rules.predicate
def proposal_editable(user, proposal):
    return (
        proposal is not None
        and proposal.state == proposal.State.SUBMITTED
        and proposal.conference.cfp_open()
    )


rules.add_perm("convening.view_session", session_is_published | is_coordinator)
rules.add_perm("convening.propose", is_member)
rules.add_perm("convening.view_proposal", owns_proposal | is_coordinator)
rules.add_perm("convening.change_proposal", owns_proposal & proposal_editable)
rules.add_perm("convening.confirm_proposal", owns_proposal)
rules.add_perm("convening.review", is_reviewer)
rules.add_perm("convening.review_proposal", may_review)
rules.add_perm("convening.manage", is_coordinator)


@rules.predicate
def hosts_delegation(user, delegation):
    return (
        is_member(user)
        and delegation is not None
        and delegation.organization.hosts.filter(pk=user.pk).exists()
    )


@rules.predicate
def speaks_at(user, session):
    return is_member(user) and session is not None and session.speakers.filter(pk=user.pk).exists()


rules.add_perm("convening.register", is_member)
rules.add_perm("convening.reserve", is_host | is_coordinator)
rules.add_perm("convening.manage_delegation", is_coordinator | hosts_delegation)
rules.add_perm("convening.run_checkin", is_coordinator | speaks_at)
