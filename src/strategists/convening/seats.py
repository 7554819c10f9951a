"""Seats at a conference: one's own registration, delegations' blocks, session check-in (which
records L1 evidence, so the convening counts toward certification)."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.convening.models import Attendance, Conference, Delegation, Registration, Session
from strategists.curriculum import selectors as curriculum_selectors
from strategists.curriculum import services as curriculum_services
from strategists.curriculum.models import Competency, Evidence

# A phone check-in is open from a little before a session until a little after it ends.
CHECKIN_OPENS = dt.timedelta(minutes=20)
CHECKIN_CLOSES = dt.timedelta(minutes=30)


def ticket_capacity(conference: Conference, ticket: str) -> int:
    """A ticket type's own share, never more than the total (empty: the total alone limits)."""
    own = getattr(conference, f"{ticket}_capacity", None)
    return conference.capacity if own is None else min(own, conference.capacity)


def seats_taken(conference: Conference, ticket: str | None = None) -> int:
    """Delegations' whole blocks, plus everyone confirmed on their own; of one ticket type if
    given (a delegation's block counts against its own type)."""
    blocks = Delegation.objects.filter(conference=conference)
    own = Registration.objects.filter(
        conference=conference, delegation__isnull=True, status=Registration.Status.CONFIRMED
    )
    if ticket is not None:
        blocks, own = blocks.filter(ticket=ticket), own.filter(ticket=ticket)
    return (blocks.aggregate(n=Sum("seats"))["n"] or 0) + own.count()


def seats_left(conference: Conference, ticket: str) -> int:
    """Seats one more person of this ticket type could take: within the type's share and the total."""
    return max(
        0,
        min(
            conference.capacity - seats_taken(conference),
            ticket_capacity(conference, ticket) - seats_taken(conference, ticket),
        ),
    )


def seats_free(conference: Conference) -> tuple[int, dict[str, int]]:
    """Seats left in the total, and per ticket type, in two queries (for the pages)."""
    taken = dict.fromkeys(Registration.Ticket.values, 0)
    blocks = (
        Delegation.objects.filter(conference=conference)
        .order_by()
        .values("ticket")
        .annotate(n=Sum("seats"))
    )
    own = (
        Registration.objects.filter(
            conference=conference, delegation__isnull=True, status=Registration.Status.CONFIRMED
        )
        .order_by()
        .values("ticket")
        .annotate(n=Count("pk"))
    )
    for row in [*blocks, *own]:
        taken[row["ticket"]] += row["n"]
    total_left = conference.capacity - sum(taken.values())
    return max(0, total_left), {
        ticket: max(0, min(total_left, ticket_capacity(conference, ticket) - n))
        for ticket, n in taken.items()
    }


def _locked(conference: Conference) -> Conference:
    # One row lock per conference: two reservations never both take the last seats.
    return Conference.objects.select_for_update().get(pk=conference.pk)


@transaction.atomic
def registration_create(
    *, conference: Conference, person, ticket: str = Registration.Ticket.MEMBER, note: str = ""
) -> Registration:
    """A seat of one's own, or a place on the waitlist when the conference is full; a scholarship
    is a request that takes a seat only once approved."""
    conference = _locked(conference)
    if Registration.objects.filter(conference=conference, person=person).exists():
        raise ValidationError(_("You're already registered."))
    scholarship = ticket == Registration.Ticket.SCHOLARSHIP
    if scholarship and not note.strip():
        raise ValidationError(_("Tell us why a scholarship would help."))
    if scholarship:
        status = Registration.Status.REQUESTED
    elif seats_left(conference, ticket) == 0:
        status = Registration.Status.WAITLISTED
    else:
        status = Registration.Status.CONFIRMED
    registration = Registration.objects.create(
        conference=conference,
        person=person,
        ticket=ticket,
        note=note if scholarship else "",
        status=status,
    )
    audit_log(
        "conference.registered",
        registration,
        actor=person,
        after={"ticket": ticket, "status": registration.status},
    )
    return registration


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    # Each ticket type waits in its own line.
    return Registration.objects.filter(
        conference_id=registration.conference_id,
        ticket=registration.ticket,
        status=Registration.Status.WAITLISTED,
        created_at__lte=registration.created_at,
        pk__lte=registration.pk,
    ).count()


@transaction.atomic
def registration_cancel(*, registration: Registration, by) -> Registration | None:
    """Give a seat back. A seat of one's own goes to the first person on the waitlist, who is
    told by mail; a delegation's seat stays with its block. Returns whoever got the seat."""
    if registration.person_id != by.pk:
        raise ValidationError(_("Only the person registered cancels their registration."))
    conference = _locked(registration.conference)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    freed = (
        registration.status == Registration.Status.CONFIRMED and registration.delegation_id is None
    )
    audit_log(
        "conference.registration_cancelled",
        registration,
        actor=by,
        before={"status": registration.status, "ticket": registration.ticket},
    )
    registration.delete()
    if not freed:
        return None
    # The first in line whose ticket type has a seat now: freeing a student seat when member
    # seats are all taken goes to the first student waiting, not to an earlier member.
    open_tickets = [
        ticket
        for ticket in (Registration.Ticket.MEMBER, Registration.Ticket.STUDENT)
        if seats_left(conference, ticket) > 0
    ]
    first = (
        Registration.objects.select_for_update()
        .select_related("person")
        .filter(
            conference=conference,
            status=Registration.Status.WAITLISTED,
            ticket__in=open_tickets,
        )
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = Registration.Status.CONFIRMED
    first.save(update_fields=["status"])
    audit_log(
        "conference.waitlist_promoted",
        first,
        actor=by,
        before={"status": "waitlisted"},
        after={"status": "confirmed"},
    )
    mail_person(
        first.person,
        template="convening/mail/seat_offered",
        kind="convening.seat",
        context={"registration": first, "conference": conference},
    )
    return first


@transaction.atomic
def scholarship_decide(
    *, registration: Registration, by, approve: bool, message: str = ""
) -> Registration:
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators decide on scholarships."))
    conference = _locked(registration.conference)
    registration = (
        Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
    )
    if registration.status != Registration.Status.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    if approve and seats_taken(conference) >= conference.capacity:
        raise ValidationError(_("The conference is full."))
    if approve and seats_left(conference, Registration.Ticket.SCHOLARSHIP) == 0:
        raise ValidationError(_("All scholarship seats are given."))
    registration.status = Registration.Status.CONFIRMED if approve else Registration.Status.DECLINED
    registration.message, registration.decided_by = message, by
    registration.save(update_fields=["status", "message", "decided_by"])
    audit_log(
        "scholarship.approved" if approve else "scholarship.declined",
        registration,
        actor=by,
        before={"status": "requested"},
        after={"status": registration.status},
        data={"message": message},
    )
    mail_person(
        registration.person,
        template="convening/mail/scholarship",
        kind="convening.scholarship",
        context={"registration": registration, "conference": conference, "approved": approve},
    )
    return registration


def may_reserve_for(user, organization) -> bool:
    return user.is_coordinator or organization.hosts.filter(pk=user.pk).exists()


@transaction.atomic
def delegation_reserve(
    *, conference: Conference, organization, seats: int, by, ticket: str = "member"
) -> Delegation:
    """A block of seats for an organization, all of it or none: refused whole when fewer are left
    in the total or in its ticket type's share."""
    if not may_reserve_for(by, organization):
        raise ValidationError(_("Only a host of the organization reserves its delegation."))
    if seats < 1:
        raise ValidationError(_("Reserve at least one seat."))
    conference = _locked(conference)
    if Delegation.objects.filter(conference=conference, organization=organization).exists():
        raise ValidationError(_("%(org)s already has a delegation.") % {"org": organization.name})
    if ticket not in (Registration.Ticket.MEMBER, Registration.Ticket.STUDENT):
        raise ValidationError(_("A delegation's seats are member or student tickets."))
    left = seats_left(conference, ticket)
    if seats > left:
        raise ValidationError(
            _("Only %(left)s seats are left; the block of %(seats)s was not reserved.")
            % {"left": max(left, 0), "seats": seats}
        )
    delegation = Delegation.objects.create(
        conference=conference, organization=organization, seats=seats, reserved_by=by, ticket=ticket
    )
    audit_log(
        "delegation.reserved",
        delegation,
        actor=by,
        after={"seats": seats, "organization": organization.name, "ticket": ticket},
    )
    return delegation


@transaction.atomic
def delegation_name(*, delegation: Delegation, emails: list[str], by) -> list[Registration]:
    """Name people into the block: everyone named gets a seat, or nobody does."""
    delegation = (
        Delegation.objects.select_for_update()
        .select_related("organization", "conference")
        .get(pk=delegation.pk)
    )
    if not may_reserve_for(by, delegation.organization):
        raise ValidationError(_("Only a host of the organization names its delegation."))
    if not emails:
        raise ValidationError(_("Name at least one person."))
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    people = {u.email.lower(): u for u in User.objects.filter(query, is_active=True)}
    unknown = [email for email in emails if email not in people]
    if unknown:
        raise ValidationError(
            _("Nobody has an account with: %(emails)s. Nobody was added.")
            % {"emails": ", ".join(unknown)}
        )
    named = delegation.registrations.count()
    if named + len(emails) > delegation.seats:
        raise ValidationError(
            _("The block has %(left)s seats left; %(n)s people were named. Nobody was added.")
            % {"left": delegation.seats - named, "n": len(emails)}
        )
    taken = set(
        Registration.objects.filter(
            conference=delegation.conference, person__in=people.values()
        ).values_list("person__email", flat=True)
    )
    if taken:
        raise ValidationError(
            _("Already registered: %(emails)s. Nobody was added.")
            % {"emails": ", ".join(sorted(taken))}
        )
    registrations = [
        Registration.objects.create(
            conference=delegation.conference,
            person=people[email],
            delegation=delegation,
            ticket=delegation.ticket,
        )
        for email in emails
    ]
    audit_log(
        "delegation.named",
        delegation,
        actor=by,
        data={"people": emails, "named": named + len(emails)},
    )
    return registrations


def checkin_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    return session.starts_at - CHECKIN_OPENS, session.ends_at + CHECKIN_CLOSES


@transaction.atomic
def session_checkin(
    *, session: Session, person, code: str, now: dt.datetime | None = None
) -> Attendance:
    """A registered person checks in with the code shown in the room, while the session runs;
    they get L1 evidence in the session's skill area (once per session)."""
    now = now or timezone.now()
    session = Session.objects.select_related("track", "track__skill_area", "conference").get(
        pk=session.pk
    )
    if not session.is_published or not session.starts_at:
        raise ValidationError(_("This session is not on the agenda."))
    opens, closes = checkin_window(session)
    if not opens <= now <= closes:
        raise ValidationError(_("Check-in is open only during the session."))
    if not session.checkin_code or not secrets.compare_digest(code.strip(), session.checkin_code):
        raise ValidationError(_("That code is not this session's."))
    if not Registration.objects.filter(
        conference=session.conference, person=person, status=Registration.Status.CONFIRMED
    ).exists():
        raise ValidationError(_("Register for the conference first."))
    attendance, created = Attendance.objects.get_or_create(
        session=session, person=person, defaults={"checked_in_at": now}
    )
    if created:
        competency = Competency.objects.get(area=session.track.skill_area, level=1)
        Evidence.objects.create(
            person=person,
            competency=competency,
            kind=Evidence.Kind.ATTENDANCE,
            status=Evidence.Status.APPROVED,
            title=session.title[:200],
            reviewed_at=now,
            description=_("Attended “%(title)s” at %(conference)s.")
            % {"title": session.title, "conference": session.conference.name},
        )
        audit_log("session.checked_in", session, actor=person, data={"competency": str(competency)})
        # L1 evidence can complete only a rule that asks for no more than L1 anywhere.
        if curriculum_selectors.certificate_rule().all_areas_level <= 1:
            curriculum_services.certification_check(person=person)
    return attendance
