"""Who may plan a year's trainings and who answers a trainer request: predicates views share."""

import rules

from strategists.accounts.rules import is_coordinator, is_member


@rules.predicate
def is_asked_trainer(user, assignment):
    return is_member(user) and assignment is not None and assignment.trainer_id == user.pk


rules.add_perm("planner.plan", is_coordinator)
rules.add_perm("planner.view_requests", is_member)
rules.add_perm("planner.respond", is_asked_trainer)
