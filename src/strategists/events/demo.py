"""A program mid-year: past trainings with attendance, upcoming ones with registrations and a
waitlist, and proposals waiting in the coordinator's queue."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import Organization, SkillArea, User
from strategists.events.models import Answer, Event, Question, Registration, ShareLink
from strategists.events.questions import COMMON
from strategists.events.timing import local_to_utc, reminder_due

DESCRIPTION = (
    "A full-day, hands-on training for union and worker-center staff and volunteers. "
    "Bring a laptop and a real problem from your organization."
)
PAST = 13
UPCOMING = 12
TOPICS = [
    ("Digital organizing 101", ["digital-strategy", "email-and-lists", "social-media"]),
    ("Lists that win: email and texting", ["email-and-lists", "online-to-offline", "data-and-crm"]),
    ("Secure your local", ["digital-security", "tools-vendors-budgets"]),
    ("Your local's website, fixed", ["web-and-cms", "analytics-and-testing"]),
    ("Stories that move members", ["communications-and-media", "social-media"]),
    ("From clicks to meetings", ["online-to-offline", "digital-strategy", "data-and-crm"]),
    ("Budgets, vendors and data ownership", ["tools-vendors-budgets", "data-and-crm"]),
    ("Measure what matters", ["analytics-and-testing", "email-and-lists"]),
]


def _program_start(today: dt.date) -> dt.date:
    """The demo program year began about six months ago, on a Saturday."""
    start = today - dt.timedelta(days=26 * 7)
    return start + dt.timedelta(days=(5 - start.weekday()) % 7)


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    if Event.objects.filter(description=DESCRIPTION).exists():
        log(f"{Event.objects.count()} trainings already there")
        _questions_and_sources(log, random.Random(seed))
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    start = _program_start(today)
    hosting = list(
        Organization.objects.filter(hosts__isnull=False, city__isnull=False)
        .distinct()
        .select_related("city")
        .order_by("name")
    )
    rng.shuffle(hosting)
    sf = Organization.objects.get(slug="san-francisco-labor-council")
    hosting.remove(sf)
    people = list(User.objects.filter(email__endswith="@demo.example.org").order_by("pk"))
    areas = {area.id: area for area in SkillArea.objects.all()}
    registrations = []

    def make(index, org, day, state, capacity, topic):
        title, topic_areas = topic
        starts = local_to_utc(day, dt.time(10, 0), org.city.timezone)
        event = Event.objects.create(
            organization=org,
            proposed_by=org.hosts.first(),
            title=f"{title} — {org.city.name}",
            description=DESCRIPTION,
            state=state,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=6),
            timezone=org.city.timezone,
            city=org.city,
            venue=f"{org.name} hall",
            address="",
            capacity=capacity,
            step_free=rng.random() < 0.7,
            childcare=rng.random() < 0.3,
            asl=rng.random() < 0.2,
            venue_confirmed=True,
            wifi=True,
            projector=rng.random() < 0.8,
            trainers_asked=state != Event.State.PROPOSED,
            local_outreach=rng.random() < 0.6,
            reminder_due_at=reminder_due(starts, org.city.timezone),
            completed_at=timezone.now() if state == Event.State.COMPLETED else None,
            follow_up_sent_at=timezone.now() if state == Event.State.COMPLETED else None,
        )
        event.skill_areas.set([areas[a] for a in topic_areas])
        event.languages.set(
            ["fr", "en"]
            if org.city.subdivision_id == "QC"
            else (["en", "es"] if rng.random() < 0.3 else ["en"])
        )
        return event

    for index in range(PAST):
        org = hosting[index % len(hosting)]
        event = make(
            index,
            org,
            start + dt.timedelta(days=14 * index),
            Event.State.COMPLETED,
            30,
            TOPICS[index % len(TOPICS)],
        )
        event.taught_areas.set(event.skill_areas.all())
        attendees = rng.sample(people, rng.randint(20, 30))
        for person in attendees:
            registrations.append(
                Registration(
                    event=event,
                    person=person,
                    status=Registration.Status.REGISTERED,
                    checked_in_at=event.starts_at + dt.timedelta(minutes=rng.randint(-20, 40))
                    if rng.random() < 0.85
                    else None,
                    reminder_sent_at=event.reminder_due_at,
                )
            )
    next_slot = start + dt.timedelta(days=14 * PAST)
    while next_slot <= today:
        next_slot += dt.timedelta(days=14)
    for index in range(UPCOMING):
        org = sf if index == 0 else hosting[(PAST + index) % len(hosting)]
        event = make(
            index,
            org,
            next_slot + dt.timedelta(days=14 * index),
            Event.State.APPROVED,
            20 if index == 0 else 35,
            TOPICS[(PAST + index) % len(TOPICS)],
        )
        count = 24 if index == 0 else max(0, int(30 * (1 - index / UPCOMING)) + rng.randint(-4, 4))
        for offset, person in enumerate(rng.sample(people, count)):
            waitlisted = offset >= event.capacity
            registrations.append(
                Registration(
                    event=event,
                    person=person,
                    status=Registration.Status.WAITLISTED
                    if waitlisted
                    else Registration.Status.REGISTERED,
                    waitlisted_at=timezone.now() - dt.timedelta(hours=count - offset)
                    if waitlisted
                    else None,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=1000)

    # Proposals in the coordinator's queue, one with a window of dates for the planner.
    for index, org in enumerate(hosting[PAST + UPCOMING : PAST + UPCOMING + 3]):
        event = make(
            index,
            org,
            next_slot + dt.timedelta(days=14 * (UPCOMING + index)),
            Event.State.PROPOSED,
            30,
            TOPICS[index % len(TOPICS)],
        )
        if index == 2:
            day = event.starts_at.date()
            Event.objects.filter(pk=event.pk).update(
                starts_at=None,
                ends_at=None,
                reminder_due_at=None,
                window_start=day,
                window_end=day + dt.timedelta(days=42),
            )
    log(
        f"{PAST} past trainings, {UPCOMING} upcoming, 3 proposals; {len(registrations)} registrations"
    )
    _questions_and_sources(log, rng)


SOURCES = ["newsletter", "flyer", "facebook", "", ""]
ASKED = ["access", "interpretation", "childcare", "problem"]
PROBLEMS = [
    "Our member list lives in five spreadsheets.",
    "Nobody opens our emails any more.",
    "We need a website we can update ourselves.",
    "How do we keep organizers' phones safe?",
]


def _questions_and_sources(log, rng: random.Random) -> None:
    """The next three trainings ask the common questions and have answers, share links and
    sign-ups from several sources, so a host's attendee and sources pages have something to
    show. Skipped when already there."""
    upcoming = list(
        Event.objects.filter(description=DESCRIPTION, state=Event.State.APPROVED).order_by(
            "starts_at"
        )[:3]
    )
    if not upcoming or Question.objects.filter(event__in=upcoming).exists():
        return
    answers, changed = [], []
    for event in upcoming:
        questions = []
        for position, key in enumerate(ASKED, start=1):
            spec = COMMON[key]
            questions.append(
                Question.objects.create(
                    event=event,
                    kind=spec["kind"],
                    label=str(spec["label"]),
                    help_text=str(spec["help_text"]),
                    choices=[str(c) for c in spec["choices"]],
                    common=key,
                    position=position,
                )
            )
        partner = (
            event.co_sponsors.first()
            or Organization.objects.exclude(pk=event.organization_id).order_by("name").first()
        )
        links = [
            ShareLink.objects.create(
                event=event,
                kind=kind,
                label=label,
                code=f"{kind}-{event.pk}-{index}",
                created_by=event.organization.hosts.first(),
            )
            for index, (kind, label) in enumerate(
                [
                    (ShareLink.Kind.HOST, str(event.organization)),
                    (ShareLink.Kind.ORGANIZATION, str(partner)),
                    (ShareLink.Kind.PERSON, "Maria (steward, Local 2)"),
                ]
            )
        ]
        for registration in event.registrations.all():
            data = {}
            if source := rng.choice(SOURCES):
                data["source"] = source
            if rng.random() < 0.5:
                data["referrer"] = rng.choice(links).code
            if rng.random() < 0.2:
                data.update(utm_source="mastodon", utm_campaign="spring-trainings")
            registration.referrer_data = data
            changed.append(registration)
            access, interpretation, childcare, problem = questions
            if rng.random() < 0.25:
                needs = rng.sample(access.choices, rng.randint(1, 2))
                answers.append(Answer(registration=registration, question=access, value=needs))
            if rng.random() < 0.1:
                value = rng.choice(interpretation.choices[:2])
                answers.append(
                    Answer(registration=registration, question=interpretation, value=value)
                )
            answers.append(
                Answer(registration=registration, question=childcare, value=rng.random() < 0.15)
            )
            if rng.random() < 0.6:
                answers.append(
                    Answer(registration=registration, question=problem, value=rng.choice(PROBLEMS))
                )
    Registration.objects.bulk_update(changed, ["referrer_data"], batch_size=500)
    Answer.objects.bulk_create(answers, batch_size=1000)
    log(f"questions, {len(answers)} answers and share links on {len(upcoming)} upcoming trainings")
