"""``{% history_url obj %}``: the audit log of one object, for the pages coordinators see.

Usage::

    {% load history %}
    {% if perms.audit.view_log %}<a href="{% history_url event %}">{% translate "History" %}</a>{% endif %}

In `common` so that any app's templates can link to the log without depending on the audit app
(it names the page by its URL name only).
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from strategists.common.audit import object_type_of

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    query = urlencode({"object_type": object_type_of(obj), "object_id": obj.pk})
    return f"{reverse('audit:log')}?{query}"
