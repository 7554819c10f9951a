from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import Language, Region, SkillArea


class RegistrySearchForm(forms.Form):
    area = forms.ModelChoiceField(SkillArea.objects.order_by("position"), required=False,
                                  label=_("Area"), empty_label=_("Any area"))
    region = forms.ModelChoiceField(Region.objects.all(), required=False, label=_("Region"),
                                    empty_label=_("Any region"))
    language = forms.ModelChoiceField(Language.objects.all(), required=False, label=_("Language"),
                                      empty_label=_("Any language"))


class ListingForm(forms.Form):
    listed = forms.BooleanField(label=_("List me in the public registry of strategists"), required=False)
    ask_me_about = forms.CharField(label=_("Ask me about"), max_length=300, required=False,
                                   help_text=_("A line people see next to your name, e.g. 'union websites, texting'."))
