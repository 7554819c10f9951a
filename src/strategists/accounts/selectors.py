from django.db.models import QuerySet

from strategists.accounts.models import City, ExpertProfile, Organization, User


def city_search(query: str, limit: int = 20) -> QuerySet[City]:
    from strategists.accounts.reference import fold

    return City.objects.filter(ascii_name__startswith=fold(query.strip())).select_related(
        "subdivision"
    )[:limit]


def city_from_label(label: str) -> City | None:
    """Find the city a person typed as 'Detroit, MI' or 'Detroit' (largest match wins)."""
    from strategists.accounts.reference import fold

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
        User.objects.select_related("city__subdivision", "organization", "expert_profile__home_city__subdivision")
        .prefetch_related("languages", "expert_profile__skill_areas", "expert_profile__languages")
        .get(pk=pk)
    )


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.select_related("city__subdivision", "region", "parent")


def expert_list() -> QuerySet[ExpertProfile]:
    return (
        ExpertProfile.objects.filter(is_active=True, user__is_active=True)
        .select_related("user", "home_city__subdivision")
        .prefetch_related("skill_areas", "languages")
    )
