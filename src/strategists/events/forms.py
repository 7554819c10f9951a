"""What people type about trainings: proposals, reviews, cancellations, walk-ins, search."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from strategists.accounts.forms import CityField
from strategists.accounts.models import Language, Organization, Region, SkillArea
from strategists.events import validation
from strategists.events.models import Event
from strategists.events.timing import date_in_range
from strategists.events.validation import too_far

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class EventForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Host organization"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=validation.TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=validation.DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DATE,
        help_text=_("Set a date, or give a window of dates and the planner picks one."),
    )
    start_time = forms.TimeField(label=_("Start time (local)"), required=False, widget=TIME)
    window_start = forms.DateField(label=_("Earliest date"), required=False, widget=DATE)
    window_end = forms.DateField(label=_("Latest date"), required=False, widget=DATE)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=validation.DURATION_MIN,
        max_value=validation.DURATION_MAX,
        initial=360,
    )
    city = CityField(label=_("City"))
    venue = forms.CharField(label=_("Venue"), max_length=validation.VENUE_MAX, required=False)
    address = forms.CharField(label=_("Address"), max_length=validation.ADDRESS_MAX, required=False)
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=validation.ONLINE_URL_MAX,
        assume_scheme="https",
        help_text=_("Only people who registered see it."),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"),
        queryset=Language.objects.filter(code__in=["en", "es", "fr", "asl"]),
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=validation.CAPACITY_MIN,
        max_value=validation.CAPACITY_MAX,
        initial=30,
    )
    skill_areas = forms.ModelMultipleChoiceField(
        label=_("Skill areas it will teach"),
        queryset=SkillArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": validation.UNKNOWN},
    )
    co_sponsors = forms.ModelMultipleChoiceField(
        label=_("Co-sponsoring organizations"),
        queryset=Organization.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    asl = forms.BooleanField(label=_("ASL interpretation"), required=False)
    interpretation = forms.CharField(
        label=_("Language interpretation"), max_length=120, required=False
    )
    childcare = forms.BooleanField(label=_("Childcare"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Accessibility notes"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    venue_confirmed = forms.BooleanField(label=_("Venue confirmed"), required=False)
    wifi = forms.BooleanField(label=_("Wifi"), required=False)
    projector = forms.BooleanField(label=_("Projector"), required=False)
    trainers_asked = forms.BooleanField(label=_("Trainers asked"), required=False)
    local_outreach = forms.BooleanField(label=_("Local outreach"), required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.all()
        )
        if organizations is not None and len(organizations) == 1:
            # A host of one organization has nothing to choose.
            self.fields["organization"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        day, time, city = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("city")
        cleaned["starts_at"] = self._apply_rule(
            validation.schedule,
            day=day,
            time=time,
            window_start=cleaned.get("window_start"),
            window_end=cleaned.get("window_end"),
            zone_name=city.timezone if city else None,
            moved=bool({"date", "start_time"} & set(self.changed_data)),
        )
        if "format" in cleaned:
            self._apply_rule(
                validation.check_online_link, cleaned["format"], cleaned.get("online_url", "")
            )
        if city:
            cleaned["timezone"] = city.timezone
        cleaned["local_start_time"] = time
        return cleaned

    def _apply_rule(self, rule, *args, **kwargs):
        """Run one of the shared rules (events/validation.py) and return what it returns, or None
        when it refuses: its error goes to the field it names, unless that field already failed
        to parse (one message per field: "Enter a valid date." says enough)."""
        try:
            return rule(*args, **kwargs)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if not self.has_error(field):
                    self.add_error(field, messages)
            return None

    def event_values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("date", "start_time"):
            data.pop(name, None)
        if data.get("starts_at"):
            data["window_start"] = data["window_end"] = None
        return data

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        local = event.starts_at.astimezone(event.zone) if event.starts_at else None
        initial = {
            name: getattr(event, name)
            for name in (
                "title",
                "description",
                "window_start",
                "window_end",
                "duration_minutes",
                "venue",
                "address",
                "format",
                "online_url",
                "capacity",
                "step_free",
                "asl",
                "interpretation",
                "childcare",
                "accessibility_notes",
                "venue_confirmed",
                "wifi",
                "projector",
                "trainers_asked",
                "local_outreach",
            )
        }
        initial.update(
            organization=event.organization_id,
            city=event.city,
            date=local.date() if local else None,
            start_time=local.time() if local else None,
            languages=list(event.languages.all()),
            skill_areas=list(event.skill_areas.all()),
            co_sponsors=list(event.co_sponsors.all()),
        )
        return initial


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("changes", _("Ask for changes")),
            ("decline", _("Decline")),
        ]
    )
    message = forms.CharField(
        label=_("Message to the host"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in {"changes", "decline"}
            and not cleaned.get("message", "").strip()
        ):
            self.add_error("message", _("Tell the host what to change, or why."))
        return cleaned


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to everyone registered)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


CLOSED_REASON_HELP = _(
    "This training was completed more than 7 days ago and is closed: "
    "only a coordinator may change it, saying why. The reason is kept in the log."
)


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Why change a closed training?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=CLOSED_REASON_HELP,
    )


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email (optional)"), required=False, max_length=254)
    checked_in = forms.BooleanField(
        label=_("Here now (check in)"),
        required=False,
        initial=True,
        help_text=_("Untick to add a guest who will come later."),
    )

    def __init__(self, *args, closed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if closed:
            self.fields["reason"] = _reason_field()


class CompleteForm(forms.Form):
    taught_areas = forms.ModelMultipleChoiceField(
        label=_("Skill areas actually taught"),
        queryset=SkillArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event: Event | None = None, coordinator: bool = False, **kwargs):
        # It shares the check-in page with the walk-in form: its own ids.
        kwargs.setdefault("auto_id", "complete_%s")
        super().__init__(*args, **kwargs)
        if event is not None and not coordinator:
            # A host marks among the areas the training was approved to teach, no others.
            self.fields["taught_areas"].queryset = event.skill_areas.all()
        if event is not None and event.is_closed:
            self.fields["reason"] = _reason_field()


class FindForm(forms.Form):
    near = forms.CharField(
        label=_("Near (city, ZIP or postal code)"), max_length=80, required=False
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    skill_area = forms.ChoiceField(label=_("Skill area"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[
            ("", pgettext_lazy("any language", "Any")),
            ("en", _("English")),
            ("es", _("Spanish")),
            ("fr", _("French")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", pgettext_lazy("any format", "Any")), *Event.Format.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", pgettext_lazy("any region", "Any")),
            *((r.id, str(r)) for r in Region.objects.all()),
        ]
        self.fields["skill_area"].choices = [
            ("", pgettext_lazy("any skill area", "Any")),
            *((a.id, str(a)) for a in SkillArea.objects.all()),
        ]

    def clean_month(self):
        month = self.cleaned_data.get("month", "")
        if month:
            try:
                first = dt.date.fromisoformat(f"{month}-01")
            except ValueError as error:
                raise forms.ValidationError(_("Use a month like 2027-03.")) from error
            if not date_in_range(first):  # year 9999 overflows the database's date lookups
                raise forms.ValidationError(too_far())
        return month
