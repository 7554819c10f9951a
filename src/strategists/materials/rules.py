"""Who sees and adds materials. A training's own materials: its registrants and attendees, its
hosts and trainers, coordinators; shared ones: everyone who may see the training. A skill area's
library: experts approved in the area, hosts and coordinators add to it. The host kit:
coordinators. Read on every request."""

import rules

from strategists.accounts.rules import is_coordinator, is_host, is_member
from strategists.events.models import Registration
from strategists.events.rules import hosts_event, trains_event


@rules.predicate
def registered_for(user, event):
    """Registered (on the waitlist too) or checked in: anyone who signed up and didn't cancel."""
    return (
        is_member(user)
        and event is not None
        and Registration.objects.filter(event=event, person=user)
        .exclude(status=Registration.Status.CANCELLED, checked_in_at__isnull=True)
        .exists()
    )


runs_event = is_coordinator | hosts_event | trains_event
sees_event_materials = runs_event | registered_for


@rules.predicate
def teaches_area(user, area):
    return (
        is_member(user)
        and area is not None
        and user.is_expert
        and user.expert_profile.approved_areas.filter(pk=area.pk).exists()
    )


@rules.predicate
def may_see_material(user, material):
    if material is None:
        return False
    event = material.event
    if event is not None and not (event.is_published or runs_event(user, event)):
        return False
    if material.is_public:
        return True
    return event is not None and sees_event_materials(user, event)


@rules.predicate
def may_remove_material(user, material):
    if material is None or not is_member(user):
        return False
    if user.is_coordinator or material.added_by_id == user.pk:
        return True
    return material.event is not None and hosts_event(user, material.event)


rules.add_perm("materials.view_material", may_see_material)
rules.add_perm("materials.see_private_of_event", sees_event_materials)
rules.add_perm("materials.add_to_event", runs_event)
rules.add_perm("materials.add_to_area", is_coordinator | is_host | teaches_area)
rules.add_perm("materials.add_to_kit", is_coordinator)
rules.add_perm("materials.remove_material", may_remove_material)
