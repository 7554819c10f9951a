"""What a parsed file would change, decided against the database in a few bulk reads: who is new,
which blanks get filled, which registrations and attendances are added, what stays as it is.
The preview shows a plan; confirming computes it again inside the import's transaction.

What an import may never do: change anyone's email address (people are matched by it), rename
a person who has claimed their account (they chose their name), take a seat that isn't there,
or touch a training the importer doesn't run.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import City, User
from strategists.events.models import Event, Registration
from strategists.imports.formats import AN_ATTENDEES, FIELDS, MOBILIZE, ParsedFile, Problem, Row

CHUNK = 500
SAMPLE = 50
SEAT_HOLDING = (Registration.Status.REGISTERED, Registration.Status.OFFERED)


@dataclass
class PersonUpdate:
    row: Row
    person: User
    before: dict
    after: dict


@dataclass
class Signup:
    """A registration to add, or an existing one to mark attended (`registration` set)."""

    row: Row
    event: Event
    attended: bool
    registration: Registration | None = None


@dataclass
class Plan:
    new_people: list[Row] = field(default_factory=list)
    cities: dict = field(default_factory=dict)  # email -> City for new people
    updates: list[PersonUpdate] = field(default_factory=list)
    signups: list[Signup] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    changed_rows: set = field(default_factory=set)
    people: dict = field(default_factory=dict)  # email -> existing User

    @property
    def new_registrations(self) -> list[Signup]:
        return [signup for signup in self.signups if signup.registration is None]

    @property
    def new_attendances(self) -> list[Signup]:
        return [signup for signup in self.signups if signup.attended]

    def counts(self) -> dict:
        return {
            "new_people": len(self.new_people),
            "updated_people": len(self.updates),
            "new_registrations": len(self.new_registrations),
            "new_attendances": len(self.new_attendances),
            "unchanged": self.unchanged,
            "changed_rows": len(self.changed_rows),
        }

    def sample(self) -> dict:
        """What the preview page lists, a few rows of each kind."""

        def signup(item: Signup) -> dict:
            return {"row": item.row.number, "email": item.row.email, "event": str(item.event)}

        return {
            "new_people": [
                {"row": row.number, "email": row.email, "name": row.name}
                for row in self.new_people[:SAMPLE]
            ],
            "updated_people": [
                {
                    "row": update.row.number,
                    "email": update.row.email,
                    "changes": [
                        [name, str(update.before[name] or ""), str(update.after[name])]
                        for name in update.after
                    ],
                }
                for update in self.updates[:SAMPLE]
            ],
            "new_registrations": [signup(item) for item in self.new_registrations[:SAMPLE]],
            "new_attendances": [signup(item) for item in self.new_attendances[:SAMPLE]],
        }


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_people(emails: list[str]) -> dict[str, User]:
    # Addresses are stored lower-cased (accounts.UserManager): the unique index answers this.
    people = {}
    for chunk in _chunks(emails):
        people.update({person.email: person for person in User.objects.filter(email__in=chunk)})
    return people


def _cities(rows: list[Row]) -> dict[tuple[str, str], City]:
    pairs = {(row.city.lower(), row.state) for row in rows if row.city and row.state}
    if not pairs:
        return {}
    found: dict[tuple[str, str], City] = {}
    names = sorted({name for name, _state in pairs})
    for chunk in _chunks(names):
        cities = (
            City.objects.annotate(lower_name=Lower("name"))
            .filter(lower_name__in=chunk, subdivision_id__in={state for _n, state in pairs})
            .order_by("population")  # the most populous city of that name wins
        )
        for city in cities:
            found[(city.lower_name, city.subdivision_id)] = city
    return found


class Scope:
    """The trainings this importer may add people to: coordinators any published one, hosts
    those of the organizations they host for now, and only while attendance is open."""

    def __init__(self, user: User):
        self.user = user
        self.coordinator = user.is_coordinator
        self.hosted = set(user.hosted_organizations.values_list("pk", flat=True))

    def refusal(self, event: Event | None) -> str:
        if event is None:
            return _("there is no training with this number")
        if not (self.coordinator or event.organization_id in self.hosted):
            # The same answer as a missing one: a host learns nothing about others' trainings.
            return _("there is no training with this number")
        if not event.is_published:
            return _("this training is not approved")
        if event.is_closed and not self.coordinator:
            return _("this training's attendance is settled; ask a coordinator")
        return ""


def build(parsed: ParsedFile, *, kind: str, user: User, event: Event | None = None) -> Plan:
    """The plan for a parsed file. `event`: the training every row goes into (Action Network
    attendee reports; Mobilize files whose event numbers are Mobilize's own)."""
    plan = Plan(problems=list(parsed.problems))
    rows = parsed.rows
    emails = sorted({row.email for row in rows})
    plan.people = _existing_people(emails)
    may_update = user.is_coordinator
    cities = _cities(rows) if may_update else {}
    seen_people: set[str] = set()
    for row in rows:
        if row.email in seen_people:
            continue
        seen_people.add(row.email)
        city = cities.get((row.city.lower(), row.state))
        person = plan.people.get(row.email)
        if person is None:
            plan.new_people.append(row)
            if city is not None:
                plan.cities[row.email] = city
            plan.changed_rows.add(row.number)
        elif may_update:
            update = _person_update(row, person, city)
            if update is not None:
                plan.updates.append(update)
                plan.changed_rows.add(row.number)
    if kind in (AN_ATTENDEES, MOBILIZE):
        _plan_signups(plan, rows, kind=kind, user=user, event=event)
    plan.unchanged = len(rows) - len(plan.changed_rows)
    plan.problems.sort(key=lambda problem: problem.row)
    return plan


def _person_update(row: Row, person: User, city: City | None) -> PersonUpdate | None:
    """Fill what the person left blank; a name only on an account nobody has claimed yet.
    Never the email address: that is how the person signs in."""
    before, after = {}, {}
    if row.phone and not person.phone_number:
        before["phone_number"], after["phone_number"] = "", row.phone
    if city is not None and person.city_id is None:
        before["city"], after["city"] = None, city
    if (
        row.name
        and row.name != person.name
        and not person.has_usable_password()
        and person.last_login is None
    ):
        before["name"], after["name"] = person.name, row.name
    return PersonUpdate(row, person, before, after) if after else None


def _plan_signups(plan: Plan, rows: list[Row], *, kind: str, user: User, event: Event | None):
    column = FIELDS[kind].get("event", "")
    if event is not None:
        events = {event.pk: event}
        for row in rows:
            row.event_id = event.pk
    else:
        ids = sorted({row.event_id for row in rows if row.event_id is not None})
        events = Event.objects.select_related("organization").in_bulk(ids)
    scope = Scope(user)
    usable = {pk: found for pk, found in events.items() if not scope.refusal(found)}
    taken = dict(
        Event.objects.filter(pk__in=list(usable))
        .annotate(seats=Count("registrations", filter=Q(registrations__status__in=SEAT_HOLDING)))
        .values_list("pk", "seats")
    )
    existing: dict[tuple[int, str], Registration] = {}
    known = sorted(plan.people)
    for chunk in _chunks(known):
        for registration in Registration.objects.filter(
            event_id__in=list(usable), person__email__in=chunk
        ).select_related("person"):
            existing[(registration.event_id, registration.person.email)] = registration
    now = timezone.now()
    seen: set[tuple[int, str]] = set()
    added = defaultdict(int)
    for row in rows:
        found = events.get(row.event_id)
        refusal = scope.refusal(found)
        if refusal:
            plan.problems.append(Problem(row.number, column, refusal))
            continue
        key = (found.pk, row.email)
        if key in seen:
            continue
        seen.add(key)
        registration = existing.get(key)
        started = found.starts_at is not None and found.starts_at <= now
        if row.attended and not started:
            plan.problems.append(
                Problem(
                    row.number,
                    FIELDS[kind].get("attended", ""),
                    _("the training has not started yet, so nobody has attended it"),
                )
            )
            continue
        holds_seat = registration is not None and registration.status in SEAT_HOLDING
        if row.attended and registration is not None and registration.checked_in_at is not None:
            continue
        if not row.attended and (registration is not None or not row.registered):
            continue
        if not holds_seat:
            if taken.get(found.pk, 0) + added[found.pk] >= found.capacity:
                plan.problems.append(
                    Problem(
                        row.number,
                        column,
                        _(
                            "the training is full (%(capacity)d seats); raise its capacity "
                            "before importing more people"
                        )
                        % {"capacity": found.capacity},
                    )
                )
                continue
            added[found.pk] += 1
        plan.signups.append(
            Signup(row=row, event=found, attended=row.attended, registration=registration)
        )
        plan.changed_rows.add(row.number)
