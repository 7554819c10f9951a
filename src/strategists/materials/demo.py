"""The host kit (timeline, outreach templates, room, accessibility, the day itself) in English,
Spanish and French; each skill area's library with shared guides and links; and materials on
the newest completed trainings and on the San Francisco training the demo host runs."""

import re
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from strategists.accounts.models import SkillArea, User
from strategists.events.models import Event
from strategists.materials import services
from strategists.materials.models import Material

DATA = Path(__file__).resolve().parent / "data"
LOGINS = [
    ("host@example.org", "the host kit: /host-kit/; materials of their training on its page"),
]
SECTION = re.compile(r"^## (\w+): (.+)$")
# (area, title, kind, link, description): public resources trainers point people to.
LIBRARY_LINKS = [
    (
        "digital-security",
        "Surveillance Self-Defense (EFF)",
        "link",
        "https://ssd.eff.org/",
        "Step-by-step guides to two-factor authentication, secure messaging and threat modeling.",
    ),
    (
        "digital-security",
        "Security Planner",
        "link",
        "https://securityplanner.consumerreports.org/",
        "Answer a few questions, get a personal plan: good homework after the training.",
    ),
    (
        "email-and-lists",
        "M+R Benchmarks",
        "link",
        "https://mrbenchmarks.com/",
        "Open, click and response rates of nonprofit email and texting, to set your own goals.",
    ),
]
# (area, title, file name, text): short guides as files, the kind trainers hand out.
LIBRARY_FILES = [
    (
        "email-and-lists",
        "Texting script for a turnout push",
        "texting-script.md",
        "# Texting script: turnout for a membership meeting\n\n"
        "1. Hi {first name}, it's {name} from {local}. Are you coming to the meeting Thursday "
        "at 6 about the new contract?\n"
        "2. Yes: Great! Can you bring one coworker? Reply with their name and I'll save a seat.\n"
        "3. Maybe: What would make it easier: a ride, childcare, food? We have all three.\n"
        "4. No: Thanks for telling me. What's the one thing you want the bargaining team to "
        "hear? I'll pass it on.\n"
        "5. STOP: remove at once, no reply.\n\n"
        "Send between 10:00 and 20:00 local time. Log every answer in the CRM the same day.\n",
    ),
    (
        "digital-security",
        "Two-factor check-up for officers",
        "two-factor-checkup.md",
        "# Two-factor check-up (20 minutes, do it in pairs)\n\n"
        "- Email account of the local: two-factor on? Backup codes printed and locked away?\n"
        "- Social media accounts: two admins at least, each with two-factor.\n"
        "- Bank and payroll: a hardware key or an authenticator app, never text messages.\n"
        "- The member list and the CRM: who still has access who left? Remove them today.\n"
        "- Password manager: one shared vault for the local's accounts, not a spreadsheet.\n",
    ),
    (
        "data-and-crm",
        "Clean your list in an afternoon",
        "list-cleanup.md",
        "# Clean your list in an afternoon\n\n"
        "1. Export members with their last contact date.\n"
        "2. Merge duplicates by email first, then by phone.\n"
        "3. Mark addresses that bounced twice; don't delete them, they are still members.\n"
        "4. Fill worksite and shift from the dues list: segments need them.\n"
        "5. Write down who owns the list and where the export lives.\n",
    ),
]


def kit_items(language: str) -> list[dict]:
    """The kit's items from data/host_kit.<language>.txt: "## section: Title" then the text."""
    items, current = [], None
    for line in (DATA / f"host_kit.{language}.txt").read_text(encoding="utf-8").splitlines():
        match = SECTION.match(line)
        if match:
            current = {"kit_section": match[1], "title": match[2], "lines": []}
            items.append(current)
        elif current is not None:
            current["lines"].append(line)
    return [
        {
            "kit_section": item["kit_section"],
            "title": item["title"],
            "body": "\n".join(item["lines"]).strip(),
            "language": language,
            "position": position,
        }
        for position, item in enumerate(items)
    ]


def _file(name: str, text: str) -> ContentFile:
    return ContentFile(text.encode("utf-8"), name=name)


def _training_materials(event: Event, by, areas: list[SkillArea]) -> int:
    area = areas[0] if areas else None
    services.material_add(
        by=by,
        event=event,
        area=area,
        title=f"Slides: {event.title}",
        kind=Material.Kind.SLIDES,
        visibility=Material.Visibility.PUBLIC,
        url=f"https://slides.example.org/training-{event.pk}",
        description="The day's slides, shared in the library of the areas taught.",
    )
    services.material_add(
        by=by,
        event=event,
        title="Agenda and exercises",
        kind=Material.Kind.FILE,
        visibility=Material.Visibility.ATTENDEES,
        file=_file("agenda.md", f"# {event.title}\n\n10:00 Welcome\n10:30 Exercises\n"),
        original_name="agenda-and-exercises.md",
        description="For registrants: the exercises with your own data, and the wifi password.",
    )
    if event.state == Event.State.COMPLETED:
        services.material_add(
            by=by,
            event=event,
            title="Recording of the morning session",
            kind=Material.Kind.RECORDING,
            visibility=Material.Visibility.ATTENDEES,
            url=f"https://video.example.org/training-{event.pk}",
            description="For attendees only: the recording is not public.",
        )
        return 3
    return 2


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    if Material.objects.exclude(kit_section="").exists():
        log(f"{Material.objects.count()} materials already there")
        return
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    expert = User.objects.filter(email="expert@example.org").first()
    kit = 0
    for language in ("en", "es", "fr"):
        for item in kit_items(language):
            services.material_add(by=coordinator, **item)
            kit += 1
    areas = {area.pk: area for area in SkillArea.objects.all()}
    library = 0
    for area, title, kind, url, description in LIBRARY_LINKS:
        services.material_add(
            by=expert,
            area=areas[area],
            title=title,
            kind=kind,
            url=url,
            description=description,
            visibility=Material.Visibility.PUBLIC,
        )
        library += 1
    for area, title, name, text in LIBRARY_FILES:
        services.material_add(
            by=expert,
            area=areas[area],
            title=title,
            kind=Material.Kind.FILE,
            file=_file(name, text),
            original_name=name,
            visibility=Material.Visibility.PUBLIC,
        )
        library += 1
    trainings = 0
    recent = Event.objects.filter(state=Event.State.COMPLETED).order_by("-starts_at")[:3]
    upcoming = Event.objects.filter(
        state=Event.State.APPROVED, organization__slug="san-francisco-labor-council"
    ).order_by("starts_at")[:1]
    for event in [*recent, *upcoming]:
        host = event.organization.hosts.order_by("pk").first() or coordinator
        trainings += _training_materials(event, host, list(event.skill_areas.all()))
    log(
        f"host kit: {kit} items in 3 languages; {library} in the libraries; {trainings} on trainings"
    )
