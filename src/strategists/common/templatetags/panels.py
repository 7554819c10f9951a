"""``{% panels "slot" obj %}``: the sections higher apps add to this page (common/panels.py)."""

from django import template
from django.utils.safestring import mark_safe

from strategists.common import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, obj):
    # Renderers return templates they rendered themselves: autoescaped HTML.
    return mark_safe(registry.render(slot, context.get("request"), obj))
