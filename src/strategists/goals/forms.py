"""The dashboard's filters and the forms that change the targets and the program year."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.accounts.constants import LANGUAGES, REGIONS, OrganizationType, Role
from strategists.events.timing import EARLIEST_DATE, date_in_range, latest_date
from strategists.goals.models import ProgramYear

MAX_TARGET = 100_000
MAX_YEAR_DAYS = 2 * 366


class FilterForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *((r[0], r[1]) for r in REGIONS)],
    )
    organization_type = forms.ChoiceField(
        label=_("Organization type"),
        required=False,
        choices=[("", _("All types")), *OrganizationType.choices],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *LANGUAGES]
    )


class TargetForm(forms.Form):
    organization_type = forms.ChoiceField(
        label=_("Organization type"), choices=OrganizationType.choices
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    target = forms.IntegerField(
        label=_("Target"),
        min_value=1,
        max_value=MAX_TARGET,
        help_text=_(
            "People of this role in this kind of organization to certify this year. "
            "Setting it again for the same pair changes it."
        ),
    )


class ProgramYearForm(forms.ModelForm):
    target = forms.IntegerField(
        label=_("Certified strategists to reach"), min_value=1, max_value=MAX_TARGET
    )

    class Meta:
        model = ProgramYear
        fields = ["name", "starts_on", "ends_on", "target"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        for name in ("starts_on", "ends_on"):
            # The forecast and the charts do date arithmetic: year 9999 would overflow it.
            if data.get(name) and not date_in_range(data[name]):
                self.add_error(
                    name,
                    _("Pick a date between %(earliest)s and %(latest)s.")
                    % {"earliest": EARLIEST_DATE.isoformat(), "latest": latest_date().isoformat()},
                )
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on <= starts_on:
                self.add_error("ends_on", _("The last day must come after the first day."))
            elif ends_on - starts_on > dt.timedelta(days=MAX_YEAR_DAYS):
                self.add_error("ends_on", _("A program year lasts at most two years."))
        return data
