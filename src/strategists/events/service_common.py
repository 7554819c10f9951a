"""What the training and registration services share: the closed-training check, and mail to one person with their own link."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.mail import mail_person
from strategists.events.models import CLOSED_AFTER, Event
from strategists.events.tokens import registration_link_issue


class TrainingClosed(ValidationError):
    """A change to a training completed more than CLOSED_AFTER ago, by someone who may not make it."""


def _check_open(event: Event, by: User | None, reason: str) -> str:
    """A closed training changes only by a coordinator who says why. Returns the reason given."""
    reason = (reason or "").strip()
    if not event.is_closed:
        return reason
    if by is None or not (by.is_active and by.is_coordinator):
        raise TrainingClosed(
            _(
                "This training was completed more than %(days)d days ago and is closed. "
                "Ask a coordinator to change its attendance or the areas it taught."
            )
            % {"days": CLOSED_AFTER.days}
        )
    if not reason:
        raise TrainingClosed(
            _("This training is closed: say why you change it. The reason is kept in the log.")
        )
    return reason


def _is_coordinator(user: User | None) -> bool:
    return user is not None and user.is_active and user.is_coordinator


def _mail_person(person: User, template: str, context: dict, kind: str) -> None:
    registration = context.get("registration")
    if registration is not None and registration.person_id == person.pk:
        # Each mail to the registered person carries its own one-click link.
        registration_link_issue(registration=registration)
    mail_person(person, template=template, context=context, kind=kind)
