"""Template filters for trainings: times shown in the training's own time zone."""

from django import template

from strategists.events.timing import local_label

register = template.Library()


@register.filter
def event_local(moment, zone_name):
    """A moment shown in the event's own zone, with the zone's abbreviation."""
    if not moment:
        return ""
    return local_label(moment, zone_name)
