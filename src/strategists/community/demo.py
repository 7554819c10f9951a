"""The demo's community: circles with real-looking discussions, a registry of listed certified
strategists, a mentoring pair and open opportunities. Runs after the curriculum demo (it needs
certified people). Safe to run twice: everything is found by its natural key first."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import Organization, SkillArea, User
from strategists.community import markup, selectors
from strategists.community.models import (
    Circle,
    CircleModerator,
    Membership,
    MentorOffer,
    MentorRequest,
    Mentorship,
    Opportunity,
    RegistryListing,
    Reply,
    Thread,
)

LOGINS = [
    (
        "certified@example.org",
        "listed in the registry (/strategists/), mentors the member: /mentoring/",
    ),
]

# slug, name, kind, members only, description, roles or subdivisions that join it
CIRCLES = [
    (
        "union-webmasters",
        "Union webmasters",
        "role",
        False,
        "People who run union websites: CMS choices, hosting, accessibility, keeping the site current.",
        {"roles": ["webmaster"]},
    ),
    (
        "online-campaigners",
        "Online campaigners",
        "role",
        False,
        "Petitions, email and social campaigns, list growth and what actually moves members.",
        {"roles": ["online-campaigner"]},
    ),
    (
        "communications-staff",
        "Communications staff",
        "role",
        False,
        "Press, newsletters and social media for locals and councils.",
        {"roles": ["communications"]},
    ),
    (
        "students-and-interns",
        "Students and interns",
        "role",
        False,
        "For people starting out: questions welcome, no question too basic.",
        {"roles": ["student", "intern"]},
    ),
    (
        "canada",
        "Canada",
        "region",
        False,
        "Canadian unions and labour councils: bilingual campaigns, Canadian tools and privacy law.",
        {"countries": ["CA"]},
    ),
    (
        "worker-centers",
        "Worker centers",
        "constituency",
        True,
        "Staff and volunteers of worker centers. Members only: we talk about members' cases here.",
        {"org_types": ["worker-center"]},
    ),
    (
        "labor-councils",
        "Labor councils",
        "constituency",
        False,
        "Central labor councils and state federations: coordinating many affiliates online.",
        {"org_types": ["central-labor-council", "state-federation"]},
    ),
    (
        "texting-tools",
        "Texting tools",
        "topic",
        False,
        "Peer-to-peer and broadcast texting: tools, consent, costs, scripts.",
        {},
    ),
]

# circle slug -> [(title, body, [replies])]; replies may mention someone as @[Name].
DISCUSSIONS = {
    "texting-tools": [
        (
            "Spoke vs. Hustle for a 4,000-member local?",
            "We're picking a peer-to-peer texting tool for our contract campaign. **Spoke** is free if we host it, "
            "Hustle is easier but the per-message cost adds up.\n\nWhat have people used, and who keeps Spoke running "
            "after the volunteer who set it up leaves?",
            [
                "We ran Spoke on a small hosted plan for two years. It's fine once it's up, but plan for one person who "
                "owns updates. Budget a few hours a month.",
                "Hustle for us: the volunteers were texting within an hour of training. Costs were about what a mailing "
                "costs, and response rates were far better.",
                "Whatever you pick, get consent language right first. Our state fed has a one-page checklist, happy to "
                "share it.",
            ],
        ),
        (
            "Opt-out handling: STOP, but also 'who is this?'",
            "Our tool handles STOP automatically, but people also reply *who is this* or *wrong number*. Do you "
            "route those to a person, or tag and drop them?",
            [
                "We tag *wrong number* and remove the number from the list the same day; *who is this* goes to a "
                "volunteer with a short script."
            ],
        ),
    ],
    "union-webmasters": [
        (
            "WordPress or a hosted union site builder?",
            "Our site is an old Drupal 7 install nobody dares to touch. The board wants something staff can update. "
            "Has anyone moved to WordPress with a managed host, or to one of the union-specific site builders?",
            [
                "WordPress on managed hosting here. Pick a simple theme, turn on automatic updates, and write a "
                "one-page guide for staff. Two years, no incidents.",
                "We use a union site builder: less flexible, but dues and member portal links work out of the box.",
            ],
        ),
        (
            "Accessibility audit: where to start?",
            "A member who uses a screen reader told us our bargaining updates are unreadable. Where do we start?",
            [
                "Start with headings and link text, then alt text on images. A free checker catches the worst of it in "
                "an afternoon."
            ],
        ),
    ],
    "online-campaigners": [
        (
            "Petition to pledge to strike authorization: what converted?",
            "Last year we ran a petition that got 3,100 signatures, then asked signers to pledge for a strike "
            "authorization vote. About 22% pledged. What conversion have others seen, and what helped?",
            [
                "We saw about 30% when the follow-up came from a coworker, not the union's address. Personal asks win.",
                "Short deadline plus a visible counter helped us. Also: text the non-openers.",
            ],
        ),
    ],
    "canada": [
        (
            "Bilingual email: one message or two?",
            "For our Quebec and Ontario members we've been sending one message with French first and English below. "
            "Open rates are fine but clicks are low. Anyone tried separate lists by language?",
            [
                "Separate sends by preferred language doubled our clicks. Ask the language on the sign-up form.",
                "Watch CASL consent records when you split lists: keep the consent date with each record.",
            ],
        ),
    ],
    "worker-centers": [
        (
            "Keeping members' case notes out of the CRM",
            "We track wage theft cases. Our organizers want them in the same CRM as the campaign lists. How do you "
            "keep sensitive notes separate?",
            [
                "We keep cases in a separate database with fewer people able to see it, and only a case number in the "
                "CRM."
            ],
        ),
    ],
    "labor-councils": [
        (
            "Sharing one action alert across 40 affiliates",
            "Every time we need affiliates to push an action, half of them rewrite it and the link breaks. How do you "
            "hand affiliates a ready-made alert?",
            [
                "A shared folder with the email, three social posts and one tracked link per affiliate. Took us a day to "
                "set up, saves us every week."
            ],
        ),
    ],
    "communications-staff": [
        (
            "Newsletter: print, email, or both?",
            "Our retirees still want the printed newsletter; younger members never open it. Are you running both, and "
            "how do you keep them from drifting apart?",
            [
                "Both, written once: we write for email first, then lay out the same stories for print every quarter.",
                "We asked members on the dues form which they want. Print went from 9,000 copies to 2,500.",
            ],
        ),
    ],
    "students-and-interns": [
        (
            "First week as a digital intern at a local: what should I learn first?",
            "I start next week at a 2,000-member local. They said 'help with digital'. What should I learn first?",
            [
                "Learn the email tool and the member list first: where the data comes from and who may see it. "
                "Then ask to sit in on one campaign meeting."
            ],
        ),
    ],
}

OPPORTUNITIES = [
    (
        "job",
        "Digital organizing director",
        ["digital-strategy", "email-and-lists"],
        72_000,
        88_000,
        "year",
        False,
    ),
    (
        "internship",
        "Summer digital organizing intern",
        ["social-media", "communications-and-media"],
        20,
        24,
        "hour",
        False,
    ),
    (
        "contract",
        "Website rebuild (WordPress, accessible)",
        ["web-and-cms"],
        12_000,
        18_000,
        "project",
        True,
    ),
    (
        "volunteer",
        "Texting volunteers for the contract campaign",
        ["online-to-offline", "email-and-lists"],
        None,
        None,
        "",
        True,
    ),
    ("job", "Data and CRM manager", ["data-and-crm"], 65_000, 78_000, "year", False),
]


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    people = list(
        User.objects.filter(is_active=True)
        .select_related("organization", "city__subdivision")
        .order_by("pk")
    )
    if not people or coordinator is None:
        log("no people: skipped")
        return
    circles = _circles(people, coordinator, rng, now)
    log(
        f"{len(circles)} circles, {Membership.objects.count()} memberships, {Thread.objects.count()} threads, "
        f"{Reply.objects.count()} replies"
    )
    listed = _registry(now)
    log(f"{listed} people listed in the registry")
    _mentoring(now)
    log(
        f"{Mentorship.objects.count()} mentoring pairs, {MentorOffer.objects.count()} mentoring offers"
    )
    _opportunities(rng)
    log(f"{Opportunity.objects.count()} opportunities")


def _joins(person, rule) -> bool:
    if person.role in rule.get("roles", []):
        return True
    if person.city_id and person.city.subdivision.country in rule.get("countries", []):
        return True
    return bool(person.organization_id and person.organization.type in rule.get("org_types", []))


def _circles(people, coordinator, rng, now) -> list[Circle]:
    logins = {p.email: p for p in people if p.email.endswith("@example.org")}
    expert = logins.get("expert@example.org")
    circles = []
    for slug, name, kind, members_only, description, rule in CIRCLES:
        circle, _created = Circle.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "members_only": members_only,
                "description": description,
                "created_by": coordinator,
            },
        )
        circles.append(circle)
        have = set(circle.memberships.values_list("user_id", flat=True))
        chosen = (
            [p for p in people if _joins(p, rule)][:60]
            if rule
            else rng.sample(people, min(40, len(people)))
        )
        chosen += [
            p
            for p in logins.values()
            if p.email in ("member@example.org", "expert@example.org", "certified@example.org")
        ]
        Membership.objects.bulk_create(
            [
                Membership(circle=circle, user=p)
                for p in {p.pk: p for p in chosen}.values()
                if p.pk not in have
            ]
        )
        if (
            expert
            and slug in ("texting-tools", "union-webmasters")
            and not circle.moderators.exists()
        ):
            CircleModerator.objects.create(circle=circle, user=expert, granted_by=coordinator)
        if circle.threads.exists():
            continue
        members = list(User.objects.filter(circle_memberships__circle=circle).order_by("pk"))
        for index, (title, body, replies) in enumerate(DISCUSSIONS.get(slug, [])):
            started = now - dt.timedelta(days=rng.randint(2, 20), hours=index)
            author = rng.choice(members)
            thread = Thread.objects.create(
                circle=circle,
                author=author,
                title=title,
                body=body,
                body_html=markup.render(body),
                last_activity_at=started,
            )
            Thread.objects.filter(pk=thread.pk).update(created_at=started)
            when = started
            for text in replies:
                when += dt.timedelta(hours=rng.randint(1, 30))
                reply = Reply.objects.create(
                    thread=thread,
                    author=rng.choice([m for m in members if m != author]),
                    body=text,
                    body_html=markup.render(text),
                )
                Reply.objects.filter(pk=reply.pk).update(created_at=when)
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=when)
    return circles


def _registry(now) -> int:
    eligible = User.objects.filter(selectors.currently_certified())
    certified = [*eligible.filter(email="certified@example.org"), *eligible.order_by("pk")[:11]]
    asks = [
        "union websites and accessibility",
        "texting programs",
        "email list growth",
        "digital security for organizing committees",
        "CRM migrations",
        "social media for bargaining",
    ]
    for index, person in enumerate(certified):
        RegistryListing.objects.get_or_create(
            user=person,
            defaults={"listed": True, "ask_me_about": asks[index % len(asks)], "listed_at": now},
        )
    return RegistryListing.objects.filter(listed=True).count()


def _mentoring(now) -> None:
    mentor = User.objects.filter(email="certified@example.org").first()
    mentee = User.objects.filter(email="member@example.org").first()
    if (
        mentor is None
        or mentee is None
        or Mentorship.objects.filter(mentor=mentor, mentee=mentee).exists()
    ):
        return
    areas = list(
        SkillArea.objects.filter(pk__in=["digital-security", "data-and-crm", "web-and-cms"])
    )
    offer, _created = MentorOffer.objects.get_or_create(
        user=mentor, defaults={"capacity": 3, "note": "Happy to help with security and data."}
    )
    offer.areas.set(areas)
    request = MentorRequest.objects.filter(user=mentee).exclude(state="withdrawn").first()
    if request is None:
        request = MentorRequest.objects.create(
            user=mentee, state=MentorRequest.State.MATCHED, note="Getting ready for certification."
        )
        request.areas.set(areas[:2])
    started = now - dt.timedelta(days=35)
    pair = Mentorship.objects.create(
        request=request,
        mentor=mentor,
        mentee=mentee,
        state=Mentorship.State.ACTIVE,
        mentor_accepted_at=started,
        mentee_accepted_at=started,
        started_at=started,
        checkin_30_sent_at=now - dt.timedelta(days=5),
    )
    pair.areas.set(areas[:2])


def _opportunities(rng) -> None:
    if Opportunity.objects.exists():
        return
    organizations = list(
        Organization.objects.filter(hosts__isnull=False).distinct().order_by("pk")[:20]
    )
    valid_areas = set(SkillArea.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    for kind, title, areas, pay_min, pay_max, period, remote in OPPORTUNITIES:
        organization = rng.choice(organizations)
        post = Opportunity.objects.create(
            organization=organization,
            posted_by=organization.hosts.order_by("pk").first(),
            kind=kind,
            title=title,
            description=f"{organization.name} is looking for help. {title}: tell us what you have done before.",
            region=organization.region,
            remote=remote or organization.region is None,
            pay_min=pay_min,
            pay_max=pay_max,
            pay_period=period,
            how_to_apply="https://example.org/apply",
            expires_on=today + dt.timedelta(days=rng.randint(10, 90)),
        )
        post.areas.set([a for a in areas if a in valid_areas] or list(valid_areas)[:1])
