"""What people type for the conference: proposals, reviews, decisions, seats and check-in."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import Organization, User
from strategists.convening.models import Format, Level, Registration, Room, Session, TimeSlot, Track

SCORES = [(n, str(n)) for n in range(1, 6)]
MAX_CO_SPEAKERS = 5


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    abstract = forms.CharField(
        label=_("Abstract"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=240, initial=45
    )
    outcomes = forms.CharField(
        label=_("What attendees will be able to do afterwards"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    co_speakers = forms.CharField(
        label=_("Co-speakers' emails"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, or separated by commas. We invite them by email."),
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(conference=conference).select_related(
            "skill_area"
        )

    def clean_co_speakers(self):
        raw = self.cleaned_data["co_speakers"].replace(",", "\n").replace(";", "\n")
        emails = []
        for line in raw.splitlines():
            email = line.strip().lower()
            if not email:
                continue
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(email)s” is not an email address.") % {"email": email[:80]}
                ) from None
            if email not in emails:
                emails.append(email)
        if len(emails) > MAX_CO_SPEAKERS:
            raise forms.ValidationError(_("At most %(n)s co-speakers.") % {"n": MAX_CO_SPEAKERS})
        return emails

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["co_speakers"] = data.pop("co_speakers")
        return data


class ReviewForm(forms.Form):
    relevance = forms.TypedChoiceField(
        label=_("Relevance to the movement's skills"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    clarity = forms.TypedChoiceField(
        label=_("Clarity of the outcomes"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    practice = forms.TypedChoiceField(
        label=_("Hands-on practice"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment for the coordinators"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the speaker"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewerForm(forms.Form):
    email = forms.EmailField(label=_("Email of the person"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has an account with that email."))
        return user


class PlaceForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    slot = forms.ModelChoiceField(label=_("Time"), queryset=TimeSlot.objects.none())

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(conference=conference)
        self.fields["room"].queryset = Room.objects.filter(conference=conference)
        self.fields["slot"].queryset = TimeSlot.objects.filter(conference=conference)


def email_list(raw: str, *, limit: int) -> list[str]:
    emails = []
    for line in raw.replace(",", "\n").replace(";", "\n").splitlines():
        email = line.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(email)s” is not an email address.") % {"email": email[:80]}
            ) from None
        if email not in emails:
            emails.append(email)
    if len(emails) > limit:
        raise forms.ValidationError(_("At most %(n)s at once.") % {"n": limit})
    return emails


class RegisterForm(forms.Form):
    ticket = forms.ChoiceField(label=_("Ticket"), choices=Registration.Ticket.choices)
    note = forms.CharField(
        label=_("For a scholarship: why it would help"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DelegationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    seats = forms.IntegerField(label=_("Seats in the block"), min_value=1, max_value=500)
    ticket = forms.ChoiceField(
        label=_("Ticket"),
        choices=[
            (Registration.Ticket.MEMBER, Registration.Ticket.MEMBER.label),
            (Registration.Ticket.STUDENT, Registration.Ticket.STUDENT.label),
        ],
        initial=Registration.Ticket.MEMBER,
        required=False,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_ticket(self):
        # Left out, a block is of member tickets, as before ticket types had their own seats.
        return self.cleaned_data["ticket"] or Registration.Ticket.MEMBER


class NameDelegatesForm(forms.Form):
    emails = forms.CharField(
        label=_("Emails of the people you send"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Everyone named gets a seat, or nobody does."),
    )

    def clean_emails(self):
        return email_list(self.cleaned_data["emails"], limit=500)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown in the room"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
