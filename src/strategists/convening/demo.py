"""The convening: "Labor Organizes Online", the national conference at the end of the program
year. Two days, four rooms, sessions in all ten skill areas, proposals still under review,
reviewers granted by the coordinator, and a few people with their own schedule."""

import datetime as dt
import random
import secrets

from django.db import transaction
from django.utils import timezone

from strategists.accounts.constants import OrganizationType
from strategists.accounts.models import City, Organization, SkillArea, User
from strategists.common.audit import audit_log
from strategists.convening.models import (
    Conference,
    ConferenceReviewer,
    Delegation,
    Format,
    Level,
    Proposal,
    Registration,
    Review,
    Room,
    ScheduleEntry,
    Session,
    SpeakerInvitation,
    TimeSlot,
    Track,
)

SLUG = "labor-organizes-online"
NAME = "Labor Organizes Online"
ZONE = "America/New_York"
LOGINS = [
    (
        "coordinator@example.org",
        f"conference: /conference/{SLUG}/ (proposals, reviewers, schedule grid)",
    ),
    ("expert@example.org", f"reviewer for {NAME}: /conference/{SLUG}/review/"),
]
ROOMS = [
    ("Solidarity Hall", 300, "Step-free; hearing loop"),
    ("Room 1199", 80, "Step-free"),
    ("Room 1937", 60, "Step-free"),
    ("The Lab", 40, "Step-free; laptops provided"),
]
KINDS = [
    OrganizationType.INTERNATIONAL_UNION,
    OrganizationType.STATE_FEDERATION,
    OrganizationType.CENTRAL_LABOR_COUNCIL,
    OrganizationType.LOCAL_UNION,
    OrganizationType.WORKER_CENTER,
    OrganizationType.CANADIAN_COUNTERPART,
]
SLOTS = [(9, 0, 10, 30), (11, 0, 12, 30), (14, 0, 15, 30), (16, 0, 17, 30)]
# (title, skill area, format, level, minutes)
SESSIONS = [
    (
        "Digital strategy for a contract fight",
        "digital-strategy",
        Format.TALK,
        Level.PRACTITIONER,
        60,
    ),
    ("Writing a one-page digital plan", "digital-strategy", Format.WORKSHOP, Level.NEWCOMER, 90),
    (
        "What thirty internationals learned this year",
        "digital-strategy",
        Format.PANEL,
        Level.VETERAN,
        90,
    ),
    ("Welcome series that members open", "email-and-lists", Format.WORKSHOP, Level.NEWCOMER, 90),
    (
        "Texting at scale without burning the list",
        "email-and-lists",
        Format.TALK,
        Level.PRACTITIONER,
        45,
    ),
    ("List hygiene clinic", "email-and-lists", Format.LAB, Level.PRACTITIONER, 90),
    ("Short video from the shop floor", "social-media", Format.LAB, Level.NEWCOMER, 90),
    ("When a post goes viral against you", "social-media", Format.PANEL, Level.VETERAN, 60),
    ("From clicks to meetings", "online-to-offline", Format.TALK, Level.PRACTITIONER, 60),
    (
        "Relational organizing apps compared",
        "online-to-offline",
        Format.PANEL,
        Level.PRACTITIONER,
        90,
    ),
    ("Turnout for the strike vote", "online-to-offline", Format.UNCONFERENCE, Level.VETERAN, 45),
    ("One member record, many systems", "data-and-crm", Format.WORKSHOP, Level.PRACTITIONER, 90),
    ("Who owns your members' data?", "data-and-crm", Format.TALK, Level.VETERAN, 45),
    (
        "Threat modeling for organizing committees",
        "digital-security",
        Format.WORKSHOP,
        Level.NEWCOMER,
        90,
    ),
    ("Two-factor for the whole local", "digital-security", Format.LAB, Level.NEWCOMER, 60),
    (
        "Surveillance at work: what members face",
        "digital-security",
        Format.PANEL,
        Level.PRACTITIONER,
        60,
    ),
    ("Your local's website in an afternoon", "web-and-cms", Format.LAB, Level.NEWCOMER, 90),
    ("Accessible websites for every member", "web-and-cms", Format.TALK, Level.PRACTITIONER, 45),
    ("Stories that move members", "communications-and-media", Format.WORKSHOP, Level.NEWCOMER, 90),
    (
        "Talking to reporters about a campaign",
        "communications-and-media",
        Format.PANEL,
        Level.PRACTITIONER,
        60,
    ),
    (
        "Bilingual campaigns done right",
        "communications-and-media",
        Format.TALK,
        Level.PRACTITIONER,
        45,
    ),
    ("Measure what matters", "analytics-and-testing", Format.TALK, Level.NEWCOMER, 45),
    ("A/B tests for small lists", "analytics-and-testing", Format.LAB, Level.PRACTITIONER, 90),
    ("Budgets, vendors and contracts", "tools-vendors-budgets", Format.PANEL, Level.VETERAN, 60),
    (
        "Open source tools for locals",
        "tools-vendors-budgets",
        Format.UNCONFERENCE,
        Level.PRACTITIONER,
        45,
    ),
    (
        "Unconference: bring your problem",
        "digital-strategy",
        Format.UNCONFERENCE,
        Level.NEWCOMER,
        90,
    ),
    (
        "Canadian counterparts: what works north of the border",
        "online-to-offline",
        Format.PANEL,
        Level.PRACTITIONER,
        60,
    ),
    ("Worker centers online", "communications-and-media", Format.TALK, Level.PRACTITIONER, 45),
]
PROPOSALS = [
    (
        "Peer-to-peer texting for first contracts",
        "email-and-lists",
        Format.TALK,
        Level.PRACTITIONER,
    ),
    ("Signal groups that stay safe", "digital-security", Format.WORKSHOP, Level.NEWCOMER),
    ("Dashboards the executive board reads", "analytics-and-testing", Format.TALK, Level.VETERAN),
    ("Member stories on short video", "social-media", Format.LAB, Level.NEWCOMER),
    ("Migrating a CRM without losing anyone", "data-and-crm", Format.PANEL, Level.PRACTITIONER),
]


def _first_day(today: dt.date) -> dt.date:
    """The first Friday of December, this year or next: the end of the program year."""
    year = today.year if today < dt.date(today.year, 12, 1) else today.year + 1
    first = dt.date(year, 12, 1)
    return first + dt.timedelta(days=(4 - first.weekday()) % 7)


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    if Conference.objects.filter(slug=SLUG).exists():
        conference = Conference.objects.get(slug=SLUG)
        log(f"{NAME} already there: {conference.sessions.count()} sessions")
        return
    rng = random.Random(seed)
    city = (
        City.objects.filter(name="Washington", subdivision_id="DC").order_by("-population").first()
    )
    starts_on = _first_day(timezone.localdate())
    conference = Conference.objects.create(
        slug=SLUG,
        name=NAME,
        city=city,
        venue="Washington Convention Center",
        timezone=ZONE,
        starts_on=starts_on,
        days=2,
        description=(
            "The thirty international unions most active in organizing send their webmasters, online "
            "campaigners and communications staff, joined by state federations, central labor councils, "
            "worker centers and Canadian counterparts: people with stories to tell, skills to learn and "
            "to teach."
        ),
        cfp_closes_at=timezone.now() + dt.timedelta(days=30),
        # Ticket types share the 1,000 seats: most for members, a student block, scholarships.
        capacity=1000,
        member_capacity=750,
        student_capacity=150,
        scholarship_capacity=100,
        schedule_published_at=timezone.now(),
    )
    zone = conference.zone
    rooms = [
        Room.objects.create(
            conference=conference,
            name=name,
            capacity=capacity,
            accessibility_notes=notes,
            position=position,
        )
        for position, (name, capacity, notes) in enumerate(ROOMS)
    ]
    tracks = {
        area.id: Track.objects.create(
            conference=conference, skill_area=area, name=area.name, position=area.position
        )
        for area in SkillArea.objects.order_by("position")
    }
    slots = []
    for day in conference.day_list:
        for h1, m1, h2, m2 in SLOTS:
            slots.append(
                TimeSlot.objects.create(
                    conference=conference,
                    starts_at=dt.datetime.combine(day, dt.time(h1, m1), tzinfo=zone),
                    ends_at=dt.datetime.combine(day, dt.time(h2, m2), tzinfo=zone),
                )
            )
    experts = list(User.objects.filter(expert_profile__is_active=True).order_by("pk"))
    people = list(User.objects.filter(email__endswith="@demo.example.org").order_by("pk"))
    speakers_pool = experts + people[:60]
    cells = [(slot, room) for slot in slots for room in rooms]
    sessions = []
    for index, (title, area, fmt, level, minutes) in enumerate(SESSIONS):
        slot, room = cells[index]
        session = Session.objects.create(
            conference=conference,
            title=title,
            format=fmt,
            level=level,
            track=tracks[area],
            duration_minutes=minutes,
            abstract=f"{title}: a {minutes}-minute {fmt.label.lower()} with time for your questions.",
            room=room,
            starts_at=slot.starts_at,
            ends_at=slot.starts_at + dt.timedelta(minutes=minutes),
            state=Session.State.PUBLISHED,
            accessibility_notes="Slides shared in advance; captions on screen.",
        )
        session.languages.set(
            ["en", "es"] if index % 5 == 0 else (["en", "fr"] if index % 7 == 0 else ["en"])
        )
        # Speakers in one slot are all different people: each slot takes its own four.
        in_slot = speakers_pool[(index // len(rooms)) * 8 + (index % len(rooms)) * 2 :][
            : 2 if fmt == Format.PANEL else 1
        ]
        session.speakers.set(in_slot)
        sessions.append(session)
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    reviewers = [
        u for u in [User.objects.filter(email="expert@example.org").first(), *experts[1:3]] if u
    ]
    for reviewer in reviewers:
        grant = ConferenceReviewer.objects.create(
            conference=conference, user=reviewer, granted_by=coordinator
        )
        audit_log(
            "conference.reviewer_granted", grant, actor=coordinator, data={"conference": SLUG}
        )
    for index, (title, area, fmt, level) in enumerate(PROPOSALS):
        proposer = people[60 + index]
        proposal = Proposal.objects.create(
            conference=conference,
            proposer=proposer,
            title=title,
            format=fmt,
            level=level,
            track=tracks[area],
            abstract=f"{title}, from what we tried this year, what failed and what we'd do again.",
            outcomes="Plan and run it in their own organization the week after.",
            duration_minutes=60,
        )
        if index % 2 == 0:
            SpeakerInvitation.objects.create(
                proposal=proposal, email=people[70 + index].email, token=secrets.token_urlsafe(24)
            )
        for reviewer in reviewers[: index % 3]:
            if reviewer.organization_id and reviewer.organization_id == proposer.organization_id:
                continue
            scores = [rng.randint(2, 5) for _ in range(3)]
            Review.objects.create(
                proposal=proposal,
                reviewer=reviewer,
                relevance=scores[0],
                clarity=scores[1],
                practice=scores[2],
                total=sum(scores),
            )
    # Delegations from the kinds of organizations the seed has: each reserves a block and has
    # named some of its own people so far.
    registered = set()
    delegations = 0
    for kind in KINDS:
        organization = (
            Organization.objects.filter(type=kind, hosts__isnull=False).order_by("name").first()
        )
        if organization is None:
            continue
        host = organization.hosts.order_by("pk").first()
        # The worker center brings its student interns: a block of student tickets.
        ticket = (
            Registration.Ticket.STUDENT
            if kind == OrganizationType.WORKER_CENTER
            else Registration.Ticket.MEMBER
        )
        block = Delegation.objects.create(
            conference=conference,
            organization=organization,
            seats=rng.randint(4, 12),
            reserved_by=host,
            ticket=ticket,
        )
        audit_log(
            "delegation.reserved",
            block,
            actor=host,
            after={"seats": block.seats, "ticket": ticket},
        )
        own = [p for p in organization.people.order_by("pk") if p.pk not in registered][
            : block.seats - 1
        ]
        Registration.objects.bulk_create(
            [
                Registration(conference=conference, person=p, delegation=block, ticket=ticket)
                for p in own
            ]
        )
        registered |= {p.pk for p in own}
        delegations += 1
    followers = [
        u for u in [User.objects.filter(email="member@example.org").first(), *people[100:105]] if u
    ]
    entries = [
        ScheduleEntry(person=person, session=session)
        for person in followers
        for session in rng.sample(sessions, 5)
    ]
    ScheduleEntry.objects.bulk_create(entries)
    Registration.objects.bulk_create(
        [Registration(conference=conference, person=p) for p in followers if p.pk not in registered]
    )
    # Scholarship requests waiting for the coordinators.
    Registration.objects.bulk_create(
        [
            Registration(
                conference=conference,
                person=person,
                ticket=Registration.Ticket.SCHOLARSHIP,
                status=Registration.Status.REQUESTED,
                note="I organize as a volunteer; my worker center can't cover the trip.",
            )
            for person in people[110:113]
            if person.pk not in registered
        ]
    )
    log(
        f"{NAME}: {len(sessions)} sessions in {len(rooms)} rooms over 2 days, {len(PROPOSALS)} proposals under review, "
        f"{len(reviewers)} reviewers, {delegations} delegations, {len(followers)} people with their own schedule"
    )
