"""The API's part of the demo: the program's own organization (which a coordinator's events get
when they name none) and tags on people, so `GET /api/v2/tags` and its taggings show something."""

from django.conf import settings

from strategists.accounts.constants import OrganizationType
from strategists.accounts.models import Organization, User
from strategists.api.models import Tag
from strategists.api.services import tag_create, tagging_create
from strategists.events.models import Registration


def build(*, log=print, seed: int = 1000) -> None:
    Organization.objects.get_or_create(
        slug=settings.PROGRAM_ORGANIZATION_SLUG,
        defaults={"name": "1000 Strategists program", "type": OrganizationType.OTHER},
    )
    if Tag.objects.exists():
        log(f"{Tag.objects.count()} tags already there")
        return
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    host = User.objects.filter(email="host@example.org").first()
    if coordinator is None or host is None:
        log("no demo coordinator or host: no tags")
        return
    volunteer, _ = tag_create(name="Volunteer", by=host)
    phone_bank, _ = tag_create(name="Phone bank", by=coordinator)
    tag_create(name="Press list", by=coordinator)
    # The host tags people registered to their organization's trainings; the coordinator anyone.
    registered = (
        Registration.objects.filter(event__organization__hosts=host, person__isnull=False)
        .values_list("person", flat=True)
        .distinct()
        .order_by("person")
    )
    for person in User.objects.filter(pk__in=list(registered[:4])):
        tagging_create(tag=volunteer, person=person, by=host)
    for person in User.objects.filter(email__endswith="@demo.example.org").order_by("pk")[:6]:
        tagging_create(tag=phone_bank, person=person, by=coordinator)
    log(f"3 tags, {volunteer.taggings.count() + phone_bank.taggings.count()} taggings")
