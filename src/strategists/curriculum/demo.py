"""The demo's skills: members at every stage, an expert review queue, ~40 certified strategists
with signed credentials. Runs after the events demo, whose past trainings give L1 evidence."""

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import Organization, SkillArea, User
from strategists.curriculum import issuing, keys, services
from strategists.curriculum.models import Certification, Competency, Credential, Evidence
from strategists.curriculum.tasks import issue_credentials

CERTIFIED_EMAIL = "certified@example.org"
LOGINS = [
    (CERTIFIED_EMAIL, "certified strategist with credentials: /skills/me/"),
]
CERTIFIED = 40
PARTIAL = 60
PENDING = 15
DAY = timezone.timedelta(days=1)

SAMPLES = [
    "Welcome series for new members: five emails, open and click rates, and what we changed after week two.",
    "Digital organizing plan for our contract campaign, with goals, metrics and a budget the board approved.",
    "Threat model for our organizing committee: assets, adversaries, and the policies we adopted.",
    "Content calendar and paid ads report from the fall membership drive.",
    "Data map of how member records flow from the dues system into the CRM, with sharing rules.",
]


def _reviewer_for(person, experts, rng, area_id=None):
    """An expert from another organization (nobody reviews their own people), approved for the
    area when there is one (`expert.approved` is the set of areas a coordinator approved)."""
    choices = [
        e
        for e in experts
        if e.pk != person.pk
        and (not person.organization_id or e.organization_id != person.organization_id)
    ]
    covering = [e for e in choices if area_id is None or area_id in e.approved]
    return rng.choice(covering or choices)


def _sign_offs(person, competencies, experts, rng, now) -> list[Evidence]:
    evidence = []
    for competency in competencies:
        when = now - rng.randint(5, 150) * DAY
        evidence.append(
            Evidence(
                person=person,
                competency=competency,
                kind=rng.choice([Evidence.Kind.SIGN_OFF, Evidence.Kind.WORK_SAMPLE]),
                status=Evidence.Status.APPROVED,
                description=rng.choice(SAMPLES),
                link="https://example.org/work",
                reviewed_by=_reviewer_for(person, experts, rng, competency.area_id),
                reviewed_at=when,
                review_comment="Solid work.",
            )
        )
    return evidence


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    cells = {(c.area_id, c.level): c for c in Competency.objects.all()}
    areas = list(SkillArea.objects.order_by("position").values_list("id", flat=True))
    experts = list(
        User.objects.filter(expert_profile__is_active=True)
        .order_by("pk")
        .prefetch_related("expert_profile__approved_areas")
    )
    for expert in experts:
        expert.approved = {area.pk for area in expert.expert_profile.approved_areas.all()}
    if not experts or not cells:
        log("no experts or framework: skipped")
        return

    from strategists.events.models import Event

    completed = list(Event.objects.filter(state=Event.State.COMPLETED))
    for event in completed:
        services.evidence_from_event(event=event)
    log(
        f"{Evidence.objects.filter(kind=Evidence.Kind.ATTENDANCE).count()} L1 attendance records "
        f"from {len(completed)} past trainings"
    )

    certified_person, _ = User.objects.get_or_create(
        email=CERTIFIED_EMAIL,
        defaults={
            "name": "Rosa Delgado",
            "password": make_password("strategists-demo"),
            "email_verified_at": now,
            "organization": Organization.objects.filter(slug="seiu-local-721").first(),
            "role": "online-campaigner",
        },
    )
    people = list(User.objects.filter(email__endswith="@demo.example.org").order_by("pk"))
    rng.shuffle(people)
    already = set(
        Evidence.objects.exclude(kind=Evidence.Kind.ATTENDANCE).values_list("person_id", flat=True)
    )
    certified = [certified_person, *people[: CERTIFIED - 1]]
    partial = people[CERTIFIED : CERTIFIED + PARTIAL]
    pending = people[CERTIFIED + PARTIAL : CERTIFIED + PARTIAL + PENDING]

    evidence = []
    for person in (p for p in certified if p.pk not in already):
        advanced = rng.sample(areas, 2)
        evidence += _sign_offs(
            person,
            [cells[a, 2] for a in areas] + [cells[a, 3] for a in advanced],
            experts,
            rng,
            now,
        )
        reviewer = _reviewer_for(person, experts, rng)
        evidence.append(
            Evidence(
                person=person,
                kind=Evidence.Kind.CAPSTONE,
                status=Evidence.Status.APPROVED,
                title="Digital organizing plan",
                organization_name=str(person.organization or "Our local"),
                description=SAMPLES[1],
                link="https://example.org/plan",
                reviewed_by=reviewer,
                reviewed_at=now - rng.randint(1, 20) * DAY,
                review_comment="Ready to run. Congratulations!",
            )
        )
    for person in (p for p in partial if p.pk not in already):
        chosen = rng.sample(areas, rng.randint(2, 7))
        evidence += _sign_offs(person, [cells[a, 2] for a in chosen], experts, rng, now)
        if rng.random() < 0.2:
            evidence += _sign_offs(person, [cells[chosen[0], 3]], experts, rng, now)
    for index, person in enumerate(p for p in pending if p.pk not in already):
        capstone = index % 5 == 4
        evidence.append(
            Evidence(
                person=person,
                kind=Evidence.Kind.CAPSTONE
                if capstone
                else rng.choice([Evidence.Kind.WORK_SAMPLE, Evidence.Kind.PRIOR_LEARNING]),
                competency=None if capstone else cells[rng.choice(areas), rng.choice([2, 3])],
                title="Digital organizing plan" if capstone else "",
                status=Evidence.Status.PENDING,
                organization_name=str(person.organization or "") if capstone else "",
                description=rng.choice(SAMPLES),
                link="https://example.org/sample",
            )
        )

    member = User.objects.filter(email="member@example.org").first()
    if member is not None and member.pk not in already:
        evidence += _sign_offs(
            member,
            [cells[a, 2] for a in areas[:3]] + [cells[a, 1] for a in areas[3:6]],
            experts,
            rng,
            now,
        )
        evidence.append(
            Evidence(
                person=member,
                competency=cells["email-and-lists", 3],
                kind=Evidence.Kind.WORK_SAMPLE,
                status=Evidence.Status.PENDING,
                description=SAMPLES[0],
                link="https://example.org/welcome-series",
            )
        )
    Evidence.objects.bulk_create(evidence, batch_size=500)
    log(
        f"{Evidence.objects.count()} evidence records, "
        f"{Evidence.objects.filter(status=Evidence.Status.PENDING).count()} waiting for review"
    )

    have = set(Certification.objects.values_list("person_id", flat=True))
    Certification.objects.bulk_create(
        [
            Certification(person=person, certified_at=now - rng.randint(0, 60) * DAY)
            for person in certified
            if person.pk not in have
        ]
    )
    log(f"{Certification.objects.filter(status=Certification.Status.CERTIFIED).count()} certified")

    key = keys.current_key()  # creates the demo key under var/keys/ the first time
    # Signing takes ~30 ms each: sign everything for a few people to show, the certificates for
    # all, and leave the rest to the background worker (`strategists serve` runs it).
    showcase = [certified_person, *certified[1:6], *([member] if member else [])]
    issued = issuing.credentials_issue(people=showcase)
    issued += issuing.credentials_issue(people=certified[6:], kinds={Credential.Kind.CERTIFICATE})
    later = sorted({e.person_id for e in evidence} - {p.pk for p in showcase})
    transaction.on_commit(lambda: [issue_credentials.enqueue(person_id) for person_id in later])
    log(
        f"{len(issued)} credentials signed with key-{key.number} ({len(later)} people's queued for the worker); "
        f"DID {issuing.issuer_did()}"
    )
    _endorsements(log)


ENDORSEMENTS = [
    # (endorser's email, holder's email, what they say)
    (
        "host@example.org",
        CERTIFIED_EMAIL,
        "Led our first texting program and trained three stewards to run it after her.",
    ),
    (
        CERTIFIED_EMAIL,
        "member@example.org",
        "Rebuilt our local's welcome series; open rates doubled within two months.",
    ),
]


def _endorsements(log) -> None:
    """A host vouches for certified@'s certificate; certified@ vouches for member@'s first skill."""
    from strategists.curriculum import endorsement_services
    from strategists.curriculum.models import Endorsement

    made = 0
    for endorser_email, holder_email, comment in ENDORSEMENTS:
        endorser = User.objects.filter(email=endorser_email).first()
        credential = (
            Credential.objects.filter(person__email=holder_email, revoked_at__isnull=True)
            .order_by("-kind", "issued_at", "pk")
            .first()
        )
        if endorser is None or credential is None:
            continue
        if Endorsement.objects.filter(credential=credential, endorser=endorser).exists():
            continue
        if endorser.has_perm("curriculum.endorse_credential", credential):
            endorsement_services.endorsement_create(
                credential=credential, by=endorser, comment=comment
            )
            made += 1
    log(f"{Endorsement.objects.count()} endorsements ({made} new)")
