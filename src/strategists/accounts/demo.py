"""The demo network: real organizations where their names are public facts, invented people."""

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from strategists.accounts import role_services, services
from strategists.accounts.constants import OrganizationType as T
from strategists.accounts.constants import Role
from strategists.accounts.models import (
    City,
    ExpertApplication,
    ExpertProfile,
    HostRequest,
    Language,
    Organization,
    RoleGrant,
    SkillArea,
    User,
)

DEMO_PASSWORD = "strategists-demo"  # noqa: S105 - public demo password
COORDINATOR_EMAIL = "coordinator@example.org"
LOGINS = [
    (COORDINATOR_EMAIL, "coordinator: approves trainings, plans the year, sees the dashboard"),
    ("host@example.org", "host for the San Francisco Labor Council"),
    ("expert@example.org", "volunteer expert (trainer, answers questions)"),
    (
        "member@example.org",
        "member on the way to certification; asked to host for Metro Detroit AFL-CIO",
    ),
    ("applicant@example.org", "member whose expert application waits for a coordinator"),
]

# (name, type, city "Name, ST" or None, parent name or None)
ORGANIZATIONS = [
    ("AFL-CIO", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("SEIU", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("CWA", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("UNITE HERE", T.INTERNATIONAL_UNION, "New York City, NY", None),
    ("AFSCME", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("Teamsters", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("UFCW", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("AFT", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("United Steelworkers", T.INTERNATIONAL_UNION, "Pittsburgh, PA", None),
    ("IBEW", T.INTERNATIONAL_UNION, "Washington, DC", None),
    ("UAW", T.INTERNATIONAL_UNION, "Detroit, MI", None),
    ("National Nurses United", T.INTERNATIONAL_UNION, "Oakland, CA", None),
    ("California Labor Federation", T.STATE_FEDERATION, "Sacramento, CA", "AFL-CIO"),
    ("Michigan AFL-CIO", T.STATE_FEDERATION, "Lansing, MI", "AFL-CIO"),
    ("Ohio AFL-CIO", T.STATE_FEDERATION, "Columbus, OH", "AFL-CIO"),
    ("Texas AFL-CIO", T.STATE_FEDERATION, "Austin, TX", "AFL-CIO"),
    ("New York State AFL-CIO", T.STATE_FEDERATION, "Albany, NY", "AFL-CIO"),
    ("Washington State Labor Council", T.STATE_FEDERATION, "Seattle, WA", "AFL-CIO"),
    ("Pennsylvania AFL-CIO", T.STATE_FEDERATION, "Harrisburg, PA", "AFL-CIO"),
    ("San Francisco Labor Council", T.CENTRAL_LABOR_COUNCIL, "San Francisco, CA", "AFL-CIO"),
    ("Chicago Federation of Labor", T.CENTRAL_LABOR_COUNCIL, "Chicago, IL", "AFL-CIO"),
    ("Metro Detroit AFL-CIO", T.CENTRAL_LABOR_COUNCIL, "Detroit, MI", "AFL-CIO"),
    (
        "Los Angeles County Federation of Labor",
        T.CENTRAL_LABOR_COUNCIL,
        "Los Angeles, CA",
        "AFL-CIO",
    ),
    ("Atlanta-North Georgia Labor Council", T.CENTRAL_LABOR_COUNCIL, "Atlanta, GA", "AFL-CIO"),
    ("Denver Area Labor Federation", T.CENTRAL_LABOR_COUNCIL, "Denver, CO", "AFL-CIO"),
    ("Central Labor Council of Alameda County", T.CENTRAL_LABOR_COUNCIL, "Oakland, CA", "AFL-CIO"),
    ("SEIU Local 1199", T.LOCAL_UNION, "New York City, NY", "SEIU"),
    ("SEIU Local 721", T.LOCAL_UNION, "Los Angeles, CA", "SEIU"),
    ("CWA Local 1101", T.LOCAL_UNION, "New York City, NY", "CWA"),
    ("CWA Local 9415", T.LOCAL_UNION, "Oakland, CA", "CWA"),
    ("UNITE HERE Local 11", T.LOCAL_UNION, "Los Angeles, CA", "UNITE HERE"),
    ("UNITE HERE Local 226", T.LOCAL_UNION, "Las Vegas, NV", "UNITE HERE"),
    ("AFSCME Council 31", T.LOCAL_UNION, "Chicago, IL", "AFSCME"),
    ("AFSCME District Council 37", T.LOCAL_UNION, "New York City, NY", "AFSCME"),
    ("Teamsters Local 117", T.LOCAL_UNION, "Seattle, WA", "Teamsters"),
    ("UFCW Local 3000", T.LOCAL_UNION, "Seattle, WA", "UFCW"),
    ("IBEW Local 46", T.LOCAL_UNION, "Seattle, WA", "IBEW"),
    ("UAW Local 600", T.LOCAL_UNION, "Dearborn, MI", "UAW"),
    ("Jobs with Justice", T.CAMPAIGN_OR_AFFILIATE, "Washington, DC", None),
    ("American Rights at Work", T.CAMPAIGN_OR_AFFILIATE, "Washington, DC", None),
    ("Solidarity Center", T.CAMPAIGN_OR_AFFILIATE, "Washington, DC", "AFL-CIO"),
    ("Working America", T.CAMPAIGN_OR_AFFILIATE, "Washington, DC", "AFL-CIO"),
    ("International Labor Communications Association", T.LABOR_MEDIA, "Washington, DC", None),
    ("Labor Notes", T.LABOR_MEDIA, "Detroit, MI", None),
    ("Domestic Workers United", T.WORKER_CENTER, "New York City, NY", None),
    ("Restaurant Opportunities Centers United", T.WORKER_CENTER, "New York City, NY", None),
    ("Chicago Workers' Collaborative", T.WORKER_CENTER, "Chicago, IL", None),
    ("CASA", T.WORKER_CENTER, "Baltimore, MD", None),
    ("Freelancers Union", T.NON_UNION_LABOR, "Brooklyn, NY", None),
    ("National Domestic Workers Alliance", T.NON_UNION_LABOR, "New York City, NY", None),
    ("MoveOn", T.ONLINE_PROGRESSIVE, "Oakland, CA", None),
    ("Color of Change", T.ONLINE_PROGRESSIVE, "Oakland, CA", None),
    ("Blue State Digital", T.CONSULTING_FIRM, "Washington, DC", None),
    ("NGP VAN", T.LABOR_VENDOR, "Washington, DC", None),
    ("Progressive Technology Project", T.CONSULTING_FIRM, "Minneapolis, MN", None),
    ("New Organizing Institute", T.CONSULTING_FIRM, "Washington, DC", None),
    ("Aspiration", T.CONSULTING_FIRM, "San Francisco, CA", None),
    ("UC Berkeley Labor Center", T.LABOR_STUDIES, "Berkeley, CA", None),
    ("Cornell ILR School", T.LABOR_STUDIES, "Ithaca, NY", None),
    ("UCLA Labor Center", T.LABOR_STUDIES, "Los Angeles, CA", None),
    ("Student Labor Action Project", T.STUDENT_GROUP, "Washington, DC", "Jobs with Justice"),
    ("United Students Against Sweatshops", T.STUDENT_GROUP, "Washington, DC", None),
    ("Canadian Labour Congress", T.CANADIAN_COUNTERPART, "Ottawa, ON", None),
    ("Unifor", T.CANADIAN_COUNTERPART, "Toronto, ON", None),
    ("CUPE", T.CANADIAN_COUNTERPART, "Ottawa, ON", None),
    (
        "BC Federation of Labour",
        T.CANADIAN_COUNTERPART,
        "Vancouver, BC",
        "Canadian Labour Congress",
    ),
    ("FTQ", T.CANADIAN_COUNTERPART, "Montréal, QC", None),
    (
        "Alberta Federation of Labour",
        T.CANADIAN_COUNTERPART,
        "Edmonton, AB",
        "Canadian Labour Congress",
    ),
    ("Labor Tech Collective", T.OTHER, "Portland, OR", None),
]

FIRST = [
    "Maria",
    "Jose",
    "Luis",
    "Aisha",
    "DeShawn",
    "Priya",
    "Tomás",
    "Keiko",
    "Jamal",
    "Fatima",
    "Carlos",
    "Lena",
    "Wei",
    "Nadia",
    "Omar",
    "Grace",
    "Rosa",
    "Daniel",
    "Amara",
    "Hector",
    "Julie",
    "Kwame",
    "Sofia",
    "Marcus",
    "Elena",
    "Tyrone",
    "Ana",
    "Raj",
    "Monique",
    "Patrick",
    "Leila",
    "Andre",
    "Camille",
    "Diego",
    "Hannah",
    "Jin",
    "Yolanda",
    "Samuel",
    "Beatriz",
    "Malik",
    "Chloé",
    "Ibrahim",
    "Rachel",
    "Juan",
    "Mei",
    "Terrence",
    "Alejandra",
    "Noah",
    "Imani",
    "Luc",
    "Esperanza",
    "Kevin",
    "Thuy",
    "Marisol",
    "Dmitri",
]
LAST = [
    "Garcia",
    "Johnson",
    "Nguyen",
    "Williams",
    "Patel",
    "Rodriguez",
    "Kim",
    "Brown",
    "Hernandez",
    "Okafor",
    "Tremblay",
    "Chen",
    "Lopez",
    "Smith",
    "Martinez",
    "Jackson",
    "Gagnon",
    "Washington",
    "Singh",
    "Davis",
    "Ramirez",
    "Cohen",
    "Murphy",
    "Flores",
    "Roy",
    "Ali",
    "Wilson",
    "Torres",
    "Baptiste",
    "Rivera",
    "Park",
    "Lee",
    "Moore",
    "Young",
    "Côté",
    "Ortiz",
    "Thompson",
    "Diaz",
    "Green",
    "Morales",
    "Khan",
    "Bouchard",
    "Scott",
    "Reyes",
    "Hall",
    "Mendoza",
    "Allen",
]
ROLE_WEIGHTS = [
    (Role.WEBMASTER, 12),
    (Role.ONLINE_CAMPAIGNER, 12),
    (Role.COMMUNICATIONS, 16),
    (Role.ORGANIZER, 20),
    (Role.ELECTED_LEADER, 6),
    (Role.STAFF, 12),
    (Role.ACADEMIC, 3),
    (Role.JOURNALIST, 2),
    (Role.STUDENT, 5),
    (Role.INTERN, 3),
    (Role.VENDOR, 2),
    (Role.CONSULTANT, 4),
    (Role.VOLUNTEER, 3),
]
PEOPLE = 1500
EXPERTS = 120


def _city(label: str) -> City | None:
    name, _, code = label.partition(", ")
    return City.objects.filter(name=name, subdivision_id=code).order_by("-population").first()


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    rng = random.Random(seed)
    by_name = {}
    for name, org_type, city_label, parent_name in ORGANIZATIONS:
        city = _city(city_label) if city_label else None
        org, _ = Organization.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "type": org_type,
                "city": city,
                "region": city.region if city else None,
                "parent": by_name.get(parent_name),
            },
        )
        by_name[name] = org
    log(f"{len(by_name)} organizations")

    password = make_password(DEMO_PASSWORD)
    now = timezone.now()
    big_cities = list(City.objects.filter(population__gte=150_000).order_by("-population")[:160])
    organizations = list(by_name.values())
    english, spanish, french = (Language.objects.get(code=c) for c in ("en", "es", "fr"))

    def person(email, name, **extra):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"name": name, "password": password, "email_verified_at": now, **extra},
        )
        return user, created

    person(
        COORDINATOR_EMAIL,
        "Carmen Ortiz",
        is_coordinator=True,
        city=_city("Washington, DC"),
        organization=by_name["AFL-CIO"],
        role=Role.STAFF,
    )
    host, _ = person(
        "host@example.org",
        "Dolores Rivera",
        city=_city("San Francisco, CA"),
        organization=by_name["San Francisco Labor Council"],
        role=Role.COMMUNICATIONS,
    )
    by_name["San Francisco Labor Council"].hosts.add(host)
    expert, _ = person(
        "expert@example.org",
        "Sam Okafor",
        city=_city("Chicago, IL"),
        organization=by_name["Progressive Technology Project"],
        role=Role.CONSULTANT,
    )
    person(
        "member@example.org",
        "Alex Tremblay",
        city=_city("Detroit, MI"),
        organization=by_name["Metro Detroit AFL-CIO"],
        role=Role.WEBMASTER,
    )

    existing = set(
        User.objects.filter(email__endswith="@demo.example.org").values_list("email", flat=True)
    )
    roles = [r for r, _ in ROLE_WEIGHTS]
    weights = [w for _, w in ROLE_WEIGHTS]
    new_people = []
    for index in range(PEOPLE):
        email = f"person{index:04d}@demo.example.org"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org = rng.choice(organizations)
        city = org.city if org.city and rng.random() < 0.6 else rng.choice(big_cities)
        role = rng.choices(roles, weights)[0]
        language = "fr" if city.subdivision_id == "QC" else ("es" if rng.random() < 0.12 else "en")
        if email in existing:
            continue
        new_people.append(
            User(
                email=email,
                name=f"{first} {last}",
                password=password,
                city=city,
                organization=org,
                role=role,
                preferred_language=language,
                email_verified_at=now,
                date_joined=now - timezone.timedelta(days=rng.randint(1, 300)),
            )
        )
    User.objects.bulk_create(new_people, batch_size=500)
    through = User.languages.through
    through.objects.bulk_create(
        [
            through(user_id=u.pk, language_id=u.preferred_language)
            for u in User.objects.filter(email__in=[p.email for p in new_people])
        ],
        batch_size=1000,
    )
    log(f"{User.objects.count()} people")

    # Hosts: two people at each local, council, federation and worker center.
    hosting_types = {
        T.LOCAL_UNION,
        T.CENTRAL_LABOR_COUNCIL,
        T.STATE_FEDERATION,
        T.WORKER_CENTER,
        T.CANADIAN_COUNTERPART,
    }
    for org in organizations:
        if org.type in hosting_types and org.hosts.count() < 2:
            # The crowd hosts; the demo logins keep only the roles the README gives them.
            org.hosts.add(
                *org.people.filter(email__endswith="@demo.example.org").order_by("pk")[:2]
            )
    log(f"{User.objects.filter(hosted_organizations__isnull=False).distinct().count()} hosts")

    areas = list(SkillArea.objects.all())
    candidates = list(
        User.objects.filter(email__endswith="@demo.example.org", expert_profile__isnull=True)
        .filter(
            role__in=[
                Role.WEBMASTER,
                Role.ONLINE_CAMPAIGNER,
                Role.COMMUNICATIONS,
                Role.CONSULTANT,
                Role.ACADEMIC,
                Role.STAFF,
                Role.VENDOR,
            ]
        )
        .order_by("pk")
    )
    wanted = EXPERTS - ExpertProfile.objects.count()
    for user in [expert, *rng.sample(candidates, max(0, min(wanted, len(candidates))))]:
        if ExpertProfile.objects.filter(user=user).exists():
            continue
        profile = ExpertProfile.objects.create(
            user=user,
            home_city=user.city or rng.choice(big_cities),
            availability=rng.choice(ExpertProfile.Availability.values),
            max_trainings_per_year=rng.choice([2, 3, 4, 4, 6, 8]),
            answers_questions=rng.random() < 0.85,
            mentors=rng.random() < 0.4,
            bio="Happy to help locals with the tools I use every day.",
            is_active=True,
        )
        profile.skill_areas.set(rng.sample(areas, rng.randint(2, 4)))
        profile.approved_areas.set(profile.skill_areas.all())
        languages = (
            [english]
            + ([spanish] if rng.random() < 0.2 else [])
            + ([french] if user.city and user.city.subdivision_id in {"QC", "ON", "NB"} else [])
        )
        profile.languages.set(languages)
    log(f"{ExpertProfile.objects.count()} experts")

    _grant_demo_roles(coordinator=User.objects.get(email=COORDINATOR_EMAIL), log=log)
    _pending_requests(person=person, by_name=by_name, areas=areas, english=english)
    log(
        f"{ExpertApplication.objects.filter(state='pending').count()} expert applications and "
        f"{HostRequest.objects.filter(state='pending').count()} host requests waiting"
    )


def _grant_demo_roles(*, coordinator: User, log) -> None:
    """The demo's people hold their roles as grants, as if the coordinator had granted them."""
    have = set(RoleGrant.objects.values_list("user_id", "role", "organization_id"))
    wanted = [
        (pk, RoleGrant.Kind.COORDINATOR, None)
        for pk in User.objects.filter(is_coordinator=True).values_list("pk", flat=True)
    ]
    wanted += [
        (user_id, RoleGrant.Kind.HOST, org_id)
        for org_id, user_id in Organization.hosts.through.objects.values_list(
            "organization_id", "user_id"
        )
    ]
    wanted += [
        (pk, RoleGrant.Kind.EXPERT, None)
        for pk in ExpertProfile.objects.filter(is_active=True).values_list("user_id", flat=True)
    ]
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(
                user_id=user_id,
                role=role,
                organization_id=org_id,
                granted_by=coordinator,
                changed_by=coordinator,
                reason="Demo program",
            )
            for user_id, role, org_id in wanted
            if (user_id, role, org_id) not in have
        ],
        batch_size=500,
    )
    log(f"{RoleGrant.objects.count()} granted roles")


def _pending_requests(*, person, by_name, areas, english) -> None:
    applicant, _ = person(
        "applicant@example.org",
        "Jordan Lee",
        city=_city("Columbus, OH"),
        organization=by_name["Ohio AFL-CIO"],
        role=Role.WEBMASTER,
    )
    if not applicant.expert_applications.exists():
        services.expert_apply(
            user=applicant,
            profile={
                "skill_areas": areas[:2],
                "home_city": applicant.city,
                "languages": [english],
                "availability": ExpertProfile.Availability.WEEKENDS,
                "max_trainings_per_year": 3,
                "answers_questions": True,
                "mentors": False,
                "bio": "I rebuilt our federation's website and run its email list.",
            },
            experience="Six years as webmaster of a regional labor federation; I moved our lists to Action Network.",
            references="Pat Quinn, communications director, pat@example.org",
            organization=applicant.organization,
        )
    member = User.objects.get(email="member@example.org")
    detroit = by_name["Metro Detroit AFL-CIO"]
    if not member.host_requests.exists() and not detroit.hosts.filter(pk=member.pk).exists():
        role_services.host_request_submit(
            user=member,
            organization=detroit,
            message="I'm the council's webmaster; we'd like to host in the spring.",
        )
