"""Who may see and decide what. Reviewers are experts or coordinators, and never review
themselves or people from their own organization."""

import rules

from strategists.accounts.rules import is_coordinator, is_expert, is_member, is_self

is_reviewer = is_expert | is_coordinator


@rules.predicate
def independent_of_person(user, person):
    """Neither the person nor a colleague from the same organization."""
    if not is_member(user) or person is None or user.pk == person.pk:
        return False
    return not (user.organization_id and user.organization_id == person.organization_id)


@rules.predicate
def independent_of_evidence(user, evidence):
    return evidence is not None and independent_of_person(user, evidence.person)


@rules.predicate
def owns_evidence(user, evidence):
    return is_member(user) and evidence is not None and evidence.person_id == user.pk


rules.add_perm("curriculum.view_path", is_self | is_reviewer)
rules.add_perm("curriculum.sign_off", is_reviewer & independent_of_person)
rules.add_perm("curriculum.submit_evidence", is_member)
rules.add_perm("curriculum.change_evidence", owns_evidence)
rules.add_perm("curriculum.view_evidence", owns_evidence | is_coordinator | (is_reviewer & independent_of_evidence))
rules.add_perm("curriculum.review_evidence", is_reviewer & independent_of_evidence)
rules.add_perm("curriculum.review_queue", is_reviewer)
rules.add_perm("curriculum.edit_framework", is_coordinator)
rules.add_perm("curriculum.view_certified", is_coordinator)
rules.add_perm("curriculum.reverse_certification", is_coordinator)
rules.add_perm("curriculum.revoke_credential", is_coordinator)
