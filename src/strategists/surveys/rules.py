"""Who reads survey results: coordinators all of them, hosts their organizations' trainings,
trainers the trainings they taught (and only their own ratings). Read on every request."""

import rules

from strategists.accounts.rules import is_coordinator, is_host, is_member
from strategists.events.models import TrainerAssignment
from strategists.events.rules import hosts_event, trains_event


@rules.predicate
def is_trainer(user):
    return (
        is_member(user)
        and TrainerAssignment.objects.filter(
            trainer=user, status=TrainerAssignment.Status.ACCEPTED
        ).exists()
    )


rules.add_perm("surveys.view_results", is_coordinator | is_host | is_trainer)
rules.add_perm("surveys.view_training_results", is_coordinator | hosts_event | trains_event)
