from urllib.parse import urlencode

from django import template
from django.urls import reverse

from strategists.common.audit import object_type_of

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    """The audit log of one object: `{% if perms.audit.view_log %}<a href="{% history_url event %}">`."""
    query = urlencode({"object_type": object_type_of(obj), "object_id": obj.pk})
    return f"{reverse('audit:log')}?{query}"
