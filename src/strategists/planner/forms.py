"""What coordinators type to plan a year: dates, regional limits, calendar entries, locks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import Region
from strategists.events.timing import EARLIEST_DATE, date_in_range, latest_date
from strategists.planner.models import CalendarEntry, PlanningYear

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def in_range(value):
    """A date the planner can work with (year 9999 would overflow its arithmetic)."""
    if value is not None and not date_in_range(value):
        raise forms.ValidationError(
            _("Pick a date between %(earliest)s and %(latest)s."),
            code="date_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": latest_date().isoformat()},
        )
    return value


class YearForm(forms.ModelForm):
    class Meta:
        model = PlanningYear
        fields = [
            "name",
            "start_date",
            "slots",
            "cadence_days",
            "trainers_min",
            "trainers_max",
            "reach_decay_km",
            "reach_radius_km",
            "trainer_max_km",
            "travel_weight",
            "no_consecutive_region",
        ]
        widgets = {"start_date": DATE}

    def clean_start_date(self):
        return in_range(self.cleaned_data.get("start_date"))

    def clean(self):
        data = super().clean()
        low, high = data.get("trainers_min"), data.get("trainers_max")
        if low is not None and high is not None and high < low:
            self.add_error(
                "trainers_max", _("Must be at least the number of trainers per training, at least.")
            )
        return data

    def _post_clean(self):
        # The model's own min <= max constraint would repeat the field error above as a form error.
        if "trainers_max" not in self.errors:
            super()._post_clean()


class RegionLimitsForm(forms.Form):
    """Two numbers per region; leave both empty for no limit."""

    def __init__(self, *args, year: PlanningYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.regions = list(Region.objects.order_by("position", "id"))
        limits = {limit.region_id: limit for limit in year.region_limits.all()}
        for region in self.regions:
            limit = limits.get(region.id)
            self.fields[f"min_{region.id}"] = forms.IntegerField(
                label=_("%(region)s: at least") % {"region": region.name},
                min_value=0,
                max_value=year.slots,
                required=False,
                initial=limit.min_events if limit else None,
            )
            self.fields[f"max_{region.id}"] = forms.IntegerField(
                label=_("%(region)s: at most") % {"region": region.name},
                min_value=0,
                max_value=year.slots,
                required=False,
                initial=limit.max_events if limit else None,
            )

    def rows(self):
        return [
            (region, [self[f"min_{region.id}"], self[f"max_{region.id}"]])
            for region in self.regions
        ]

    def clean(self):
        data = super().clean()
        total_min = 0
        for region in self.regions:
            low, high = data.get(f"min_{region.id}"), data.get(f"max_{region.id}")
            if low is not None and high is not None and high < low:
                self.add_error(f"max_{region.id}", _("At most must not be less than at least."))
            total_min += low or 0
        if total_min > self.year.slots:
            self.add_error(
                None,
                _(
                    "The regions' minimums add up to %(total)d, more than the %(slots)d trainings "
                    "of the year."
                )
                % {"total": total_min, "slots": self.year.slots},
            )
        return data

    def limits(self) -> list[tuple]:
        out = []
        for region in self.regions:
            low, high = (
                self.cleaned_data.get(f"min_{region.id}"),
                self.cleaned_data.get(f"max_{region.id}"),
            )
            if low is None and high is None:
                continue
            out.append((region, low or 0, self.year.slots if high is None else high))
        return out


class CalendarEntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = ["name", "start", "end", "regions", "buffer_days"]
        widgets = {"start": DATE, "end": DATE, "regions": forms.CheckboxSelectMultiple}

    def clean_start(self):
        return in_range(self.cleaned_data.get("start"))

    def clean_end(self):
        return in_range(self.cleaned_data.get("end"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day must not be before the first day."))
        return data

    def _post_clean(self):
        if "end" not in self.errors:
            super()._post_clean()


class PlanForm(forms.Form):
    time_limit = forms.FloatField(
        label=_("Seconds the planner may take"),
        min_value=1,
        max_value=600,
        initial=20,
        help_text=_("More time can find a better plan for a big year; the page shows progress."),
    )


class LockForm(forms.Form):
    slot = forms.IntegerField(min_value=0)
    event = forms.IntegerField(min_value=1, required=False)
    trainer = forms.IntegerField(min_value=1, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("event") and not data.get("trainer"):
            raise forms.ValidationError(_("Pick a training or a trainer to lock."))
        return data


class RespondForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)
