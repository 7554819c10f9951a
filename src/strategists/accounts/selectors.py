"""Reads of people, places, organizations and roles that views and the API share."""

from django.db.models import Q, QuerySet

from strategists.accounts.models import (
    City,
    ExpertApplication,
    HostRequest,
    Organization,
    RoleGrant,
    User,
)
from strategists.common.text import fold


def city_search(query: str, limit: int = 20) -> QuerySet[City]:
    return City.objects.filter(ascii_name__startswith=fold(query.strip())).select_related(
        "subdivision"
    )[:limit]


def city_from_label(label: str) -> City | None:
    """Find the city a person typed as 'Detroit, MI' or 'Detroit' (largest match wins)."""
    label = (label or "").strip()
    if not label:
        return None
    name, _, code = label.partition(",")
    cities = City.objects.filter(ascii_name=fold(name.strip()))
    if code.strip():
        cities = cities.filter(subdivision__code__iexact=code.strip()[:2])
    return cities.order_by("-population").first()


def person_with_profile(pk: int) -> User:
    return (
        User.objects.select_related(
            "city__subdivision", "organization", "expert_profile__home_city__subdivision"
        )
        .prefetch_related("languages", "expert_profile__skill_areas", "expert_profile__languages")
        .get(pk=pk)
    )


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.select_related("city__subdivision", "region", "parent")


def role_grants(*, role: str = "", state: str = "", query: str = ""):
    """Every granted role, for the coordinators' roles page."""
    grants = RoleGrant.objects.select_related("user", "organization", "granted_by", "changed_by")
    if role:
        grants = grants.filter(role=role)
    if state:
        grants = grants.filter(state=state)
    if query:
        grants = grants.filter(
            Q(user__name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(organization__name__icontains=query)
        )
    return grants.order_by("role", "user__name")


def pending_expert_applications():
    return (
        ExpertApplication.objects.filter(state=ExpertApplication.State.PENDING)
        .select_related("user", "organization")
        .prefetch_related("skill_areas")
        .order_by("created_at")
    )


def host_requests_for(user):
    """Pending host requests this person may decide: coordinators all, hosts their organizations'."""
    requests = (
        HostRequest.objects.filter(state=HostRequest.State.PENDING)
        .select_related("user", "organization")
        .order_by("created_at")
    )
    if user.is_coordinator:
        return requests
    return requests.filter(organization__hosts=user).exclude(user=user)


def latest_expert_application(user):
    return user.expert_applications.prefetch_related("skill_areas").order_by("-created_at").first()
