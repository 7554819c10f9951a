"""Who may see and run a training. Hosting is read from the organization's CURRENT hosts on
every request: a host removed from the organization loses the training's attendee list,
check-in and CSV at once, whoever proposed it."""

import rules

from strategists.accounts.rules import is_coordinator, is_member


@rules.predicate
def hosts_event(user, event):
    return (
        is_member(user)
        and event is not None
        and event.organization.hosts.filter(pk=user.pk).exists()
    )


@rules.predicate
def trains_event(user, event):
    """An expert who accepted to train at this training."""
    return (
        is_member(user)
        and event is not None
        and event.trainer_assignments.filter(trainer=user, status="accepted").exists()
    )


@rules.predicate
def event_is_published(user, event):
    return event is not None and event.is_published


rules.add_perm("events.view_event", event_is_published | hosts_event | is_coordinator)
rules.add_perm("events.change_event", hosts_event | is_coordinator)
rules.add_perm("events.view_attendees", hosts_event | is_coordinator)
rules.add_perm("events.review_event", is_coordinator)
rules.add_perm("events.propose_event", is_member)
rules.add_perm("events.register", is_member)
rules.add_perm("events.change_closed_event", is_coordinator)
