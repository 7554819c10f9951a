"""Template filters for trainings: times shown in the training's own time zone, and the claim link in sign-up mail."""

from django import template

from strategists.accounts.services import claim_link
from strategists.events.timing import local_label

register = template.Library()


@register.filter
def event_local(moment, zone_name):
    """A moment shown in the event's own zone, with the zone's abbreviation."""
    if not moment:
        return ""
    return local_label(moment, zone_name)


@register.simple_tag
def claim_url(person) -> str:
    """In mail to someone who signed up without an account: the link to claim it, later."""
    if person is None or person.has_usable_password() or not person.is_active:
        return ""
    return claim_link(person)
