"""The directory of the benchmark (292 resources), ~150 reviews by demo people, and questions:
some answered and searchable, some waiting in the demo expert's inbox. The demo expert is also a
directory curator (granted by the coordinator), and one new web address waits for them to approve."""

import random
from pathlib import Path

from django.conf import settings
from django.db import transaction

from strategists.accounts.demo import COORDINATOR_EMAIL
from strategists.accounts.models import RoleGrant, User
from strategists.accounts.role_services import role_grant
from strategists.referrals import question_services, services
from strategists.referrals.models import Question, Resource, ResourceChange, Review, Routing
from strategists.referrals.transfer import resources_import

SHIPPED = Path(__file__).resolve().parent / "data" / "starter-resources.jsonl"
REVIEWS = 150
EXPERT_EMAIL = "expert@example.org"
CURATOR_EMAIL = EXPERT_EMAIL
LOGINS = [
    (
        "member@example.org",
        "asks “where to go” questions; one is answered, one waits for the expert",
    ),
    (CURATOR_EMAIL, "also a directory curator: a new web address waits at /where-to-go/curate/"),
]
# A help centre that moved: the coordinator proposes its new address, a second curator approves it.
CHANGE = ("R157", "https://help.actionnetwork.org/hc/en-us")
USES = [
    "Our local's contract campaign: we used it for {what}.",
    "We set it up for {what} during an organizing drive.",
    "Used it for {what}; the learning curve was a week for our two staff.",
    "Good for {what}. Support answered within a day.",
    "We tried it for {what} and it did the job on a small budget.",
]
COST_RANGES = {
    "free": (0, 0),
    "freemium": (0, 600),
    "paid": (300, 6000),
    "membership": (50, 500),
    "donation": (0, 150),
}
ANSWERED = [
    (
        "member@example.org",
        "What should we use to text all our members before the strike vote?",
        "For a strike vote, use a peer-to-peer texting tool so volunteers can handle replies, and keep the list "
        "in your own database. Start small with a test batch.",
        ["R008", "R006"],
    ),
    (
        "person0001@demo.example.org",
        "Our local's website got hacked and redirects to spam. Who can clean it up?",
        "Take the site offline, change every password, then get a malware cleanup service; afterwards add a web "
        "application firewall.",
        ["R098"],
    ),
    (
        "person0002@demo.example.org",
        "Where can I find other union communicators to swap ideas with?",
        "Join a peer listserv or community of labor communicators: people share templates and warn about vendors.",
        [],
    ),
]
OPEN = [
    (
        "member@example.org",
        "Is there a cheap way to translate our newsletter into Spanish every month?",
    ),
    ("person0003@demo.example.org", "How do we keep our member list safe when a staffer leaves?"),
    ("person0004@demo.example.org", "Which survey tool works for a bargaining survey on phones?"),
]


def resources_file() -> Path:
    shared = Path(settings.BASE_DIR).parents[2] / "shared" / "bench" / "resources.jsonl"
    return shared if shared.exists() else SHIPPED


def _reviews(rng: random.Random, log) -> None:
    people = list(User.objects.filter(email__endswith="@demo.example.org").order_by("pk")[:400])
    resources = list(Resource.objects.filter(status=Resource.Status.APPROVED).order_by("pk"))
    if not people or not resources:
        return
    taken = set(Review.objects.values_list("resource_id", "author_id"))
    reviews = []
    for _ in range(REVIEWS * 3):
        if len(reviews) >= REVIEWS:
            break
        resource, author = (
            rng.choice(resources[:120] if rng.random() < 0.6 else resources),
            rng.choice(people),
        )
        if (resource.pk, author.pk) in taken:
            continue
        taken.add((resource.pk, author.pk))
        low, high = COST_RANGES.get(resource.cost, (0, 0))
        rating = rng.choices([1, 2, 3, 4, 5], [1, 2, 5, 10, 8])[0]
        what = resource.tags[0] if resource.tags else resource.get_kind_display().lower()
        reviews.append(
            Review(
                resource=resource,
                author=author,
                rating=rating,
                used_for=rng.choice(USES).format(what=what),
                cost_paid=None
                if rng.random() < 0.2
                else (rng.randrange(low, high + 1, 50) if high else 0),
                would_recommend=rating >= 3,
            )
        )
    Review.objects.bulk_create(reviews)
    log(f"{Review.objects.count()} reviews")


def _questions(log) -> None:
    expert = User.objects.filter(email=EXPERT_EMAIL).first()
    people = {
        u.email: u
        for u in User.objects.filter(email__in={a for a, *_ in ANSWERED} | {a for a, _ in OPEN})
    }
    if expert is None or not expert.is_expert:
        return
    for email, text, body, cited in ANSWERED:
        if email not in people:
            continue
        question = question_services.question_post(asker=people[email], text=text)
        Routing.objects.get_or_create(question=question, expert=expert, defaults={"score": 1.0})
        answer = question_services.answer_post(
            question=question,
            author=expert,
            body=body,
            cited=list(Resource.objects.filter(public_id__in=cited)),
        )
        question_services.answer_accept(answer=answer, by=people[email])
    for email, text in OPEN:
        if email in people:
            question = question_services.question_post(asker=people[email], text=text)
            Routing.objects.get_or_create(question=question, expert=expert, defaults={"score": 1.0})
    log(
        f"{Question.objects.filter(status='answered').count()} answered questions, "
        f"{Question.objects.filter(status='open').count()} open"
    )


def _curation(log) -> None:
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    curator = User.objects.filter(email=CURATOR_EMAIL).first()
    if coordinator is None or curator is None:
        return
    if not RoleGrant.objects.filter(user=curator, role=RoleGrant.Kind.CURATOR).exists():
        role_grant(
            user=curator,
            role=RoleGrant.Kind.CURATOR,
            by=coordinator,
            reason="Keeps the directory's links honest.",
        )
    public_id, url = CHANGE
    resource = Resource.objects.filter(public_id=public_id, status=Resource.Status.APPROVED).first()
    if resource is not None and not ResourceChange.objects.exists() and resource.url != url:
        services.resource_change_propose(resource=resource, by=coordinator, url=url)
    log(
        f"curator {curator.email}; {ResourceChange.objects.filter(state='pending').count()} new web address waiting"
    )


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    rng = random.Random(seed)
    if not Resource.objects.exists():
        path = resources_file()
        with path.open(encoding="utf-8") as handle:
            report = resources_import(handle)
        log(f"{report.created} resources from {path.name}")
    else:
        log(f"{Resource.objects.count()} resources already there")
    if not Review.objects.filter(author__email__endswith="@demo.example.org").exists():
        _reviews(rng, log)
    if not Question.objects.exists():
        _questions(log)
    _curation(log)
