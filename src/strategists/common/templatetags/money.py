"""``{{ amount|dollars }}``: an amount in US dollars written the reader's way.

The number is grouped by the active language's format ("1,200", "1 200") and placed in a
translatable pattern, so a translation can put the sign after it ("1 200 $"). Use it inside a
``blocktranslate`` whose text holds the rest ("{{ amount }}/year"), never "$" in a template.
"""

from django import template
from django.utils import formats
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def dollars(value) -> str:
    if value is None or value == "":
        return ""
    amount = formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    # Translators: an amount of money in US dollars; keep %(amount)s, move or change the sign.
    return pgettext("money", "$%(amount)s") % {"amount": amount}
