"""Who may do what in Where to go.

Curating the directory is a granted role (``User.is_curator``, see ``accounts.role_services.role_grant``),
held by coordinators too; being an expert gives no power over the directory. A question is
personal: only its asker, the experts it was sent to and coordinators see it.
"""

import rules

from strategists.accounts.rules import is_coordinator, is_expert, is_member


@rules.predicate
def is_granted_curator(user):
    return is_member(user) and user.is_curator


is_curator = is_granted_curator | is_coordinator


@rules.predicate
def resource_is_public(user, resource):
    return resource is not None and resource.status != "pending"


@rules.predicate
def suggested_it(user, resource):
    return is_member(user) and resource is not None and resource.suggested_by_id == user.pk


@rules.predicate
def resource_is_listed(user, resource):
    return resource is not None and resource.status == "approved"


@rules.predicate
def wrote_review(user, review):
    return is_member(user) and review is not None and review.author_id == user.pk


@rules.predicate
def asked_it(user, question):
    return is_member(user) and question is not None and question.asker_id == user.pk


@rules.predicate
def routed_to(user, question):
    return (
        is_member(user)
        and question is not None
        and question.routings.filter(expert_id=user.pk).exists()
    )


@rules.predicate
def proposed_it(user, change):
    return is_member(user) and change is not None and change.proposed_by_id == user.pk


rules.add_perm("referrals.view_resource", resource_is_public | suggested_it | is_curator)
rules.add_perm("referrals.suggest_resource", is_member)
rules.add_perm("referrals.curate", is_curator)
# A curator never decides their own change of a web address: a second curator does.
rules.add_perm("referrals.decide_change", is_curator & ~proposed_it)
rules.add_perm("referrals.review_resource", is_member & resource_is_listed)
rules.add_perm("referrals.change_review", wrote_review)
rules.add_perm("referrals.moderate_review", is_coordinator)
rules.add_perm("referrals.post_question", is_member)
rules.add_perm("referrals.view_question", asked_it | routed_to | is_coordinator)
rules.add_perm("referrals.answer_question", is_expert & routed_to & ~asked_it)
rules.add_perm("referrals.accept_answer", asked_it)
rules.add_perm("referrals.view_questions", is_member)
