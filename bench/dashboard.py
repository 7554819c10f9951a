"""Dashboard and progress pages at full scale: prints p95 response time per page.

    .venv/bin/python bench/dashboard.py                      # a temporary SQLite file
    STRATEGISTS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/dashboard.py

Flags: ``--keep`` leaves the scratch database in place at the end, ``--reuse``
measures a kept one without building it again (migrations still run, so new indexes apply),
``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) for every query of the dashboard's tables.
``BENCH_DB`` names the scratch database (default ``strategists_bench``).

On PostgreSQL it creates a scratch database ``strategists_bench`` next to the one in the URL and
drops it at the end. Builds 100,000 people, 2,000 trainings and 500,000 registrations with
bulk_create; goal: p95 < 200 ms per page on PostgreSQL.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PEOPLE, TRAININGS, REGISTRATIONS, ORGANIZATIONS, EXPERTS, CERTIFIED = (
    100_000,
    2_000,
    500_000,
    3_000,
    1_000,
    1_000,
)
RUNS = 20
SCRATCH = os.environ.get("BENCH_DB", "strategists_bench")
UNUSABLE = "!"  # an unusable password hash: nobody signs in to the bench people


def scratch_database(keep: bool = False, reuse: bool = False) -> tuple[str, object]:
    """The database URL to use, and a function that removes it."""
    url = os.environ.get("STRATEGISTS_DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        if not reuse:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
                connection.execute(f"CREATE DATABASE {SCRATCH}")

        def drop():
            from django.db import connections

            connections.close_all()
            if keep:
                print(f"kept the database {SCRATCH}")
                return
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")

        return urlunsplit(parts._replace(path=f"/{SCRATCH}")), drop
    if keep or reuse:  # a fixed place, to measure it again with --reuse
        folder = str(Path(tempfile.gettempdir()) / f"{SCRATCH}-sqlite")
        Path(folder).mkdir(exist_ok=True)
    else:
        folder = tempfile.mkdtemp(prefix="strategists-bench-")
    path = Path(folder) / "bench.sqlite3"
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def remove():
        if keep or reuse:
            print(f"kept the database {path}")
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        Path(folder).rmdir()

    return f"sqlite:///{path}", remove


def build(rng: random.Random) -> None:
    import datetime as dt

    from django.utils import timezone

    from strategists.accounts.constants import LANGUAGES, OrganizationType, Role
    from strategists.accounts.models import City, ExpertProfile, Organization, User
    from strategists.curriculum.models import Certification
    from strategists.events.models import Event, Registration, TrainerAssignment
    from strategists.goals.models import ConstituencyTarget
    from strategists.goals.services import program_year_ensure

    now = timezone.now().replace(microsecond=0)
    cities = list(City.objects.order_by("-population")[:400])
    types, roles = [t.value for t in OrganizationType], [r.value for r in Role]
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                name=f"Organization {i}",
                slug=f"organization-{i}",
                type=rng.choice(types),
                city=(c := rng.choice(cities)),
                region_id=c.region_id,
            )
            for i in range(ORGANIZATIONS)
        ],
        batch_size=5000,
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"person{i}@bench.example",
                name=f"Person {i}",
                password=UNUSABLE,
                city=rng.choice(cities),
                organization=rng.choice(organizations),
                role=rng.choice(roles),
            )
            for i in range(PEOPLE)
        ],
        batch_size=5000,
    )
    User.objects.create(
        email="coordinator@bench.example",
        name="Coordinator",
        is_coordinator=True,
        password=UNUSABLE,
    )
    Organization.hosts.through.objects.bulk_create(
        [
            Organization.hosts.through(organization_id=org.pk, user_id=people[i].pk)
            for i, org in enumerate(organizations)
        ],
        batch_size=5000,
    )
    User.languages.through.objects.bulk_create(
        [
            User.languages.through(user_id=p.pk, language_id=rng.choice(LANGUAGES)[0])
            for p in people[:50_000]
        ],
        batch_size=5000,
    )
    experts = ExpertProfile.objects.bulk_create(
        [
            ExpertProfile(
                user=people[-i - 1],
                home_city=rng.choice(cities),
                max_trainings_per_year=rng.randint(2, 8),
            )
            for i in range(EXPERTS)
        ],
        batch_size=5000,
    )
    ExpertProfile.languages.through.objects.bulk_create(
        [ExpertProfile.languages.through(expertprofile_id=e.pk, language_id="en") for e in experts],
        batch_size=5000,
    )
    year = program_year_ensure()
    year.starts_on = timezone.localdate() - dt.timedelta(days=182)
    year.ends_on = year.starts_on + dt.timedelta(days=364)
    year.save()
    events = []
    for i in range(TRAININGS):
        starts = now + dt.timedelta(days=rng.uniform(-180, 180))
        c = rng.choice(cities)
        past = starts < now
        events.append(
            Event(
                organization=rng.choice(organizations),
                title=f"Training {i}",
                city=c,
                timezone=c.timezone,
                capacity=400,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=6),
                state=(
                    Event.State.COMPLETED
                    if past
                    else rng.choice([Event.State.APPROVED] * 4 + [Event.State.PROPOSED])
                ),
            )
        )
    events = Event.objects.bulk_create(events, batch_size=2000)
    Event.languages.through.objects.bulk_create(
        [Event.languages.through(event_id=e.pk, language_id="en") for e in events], batch_size=5000
    )
    TrainerAssignment.objects.bulk_create(
        [
            TrainerAssignment(
                event=e,
                trainer=rng.choice(experts).user,
                status=rng.choice(["accepted", "requested"]),
            )
            for e in events
            for _ in range(rng.randint(0, 2))
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    seen, batch = set(), []
    while len(seen) < REGISTRATIONS:
        event, person = rng.choice(events), rng.choice(people)
        if (event.pk, person.pk) in seen:
            continue
        seen.add((event.pk, person.pk))
        came = event.starts_at < now and rng.random() < 0.8
        batch.append(
            Registration(
                event=event,
                person=person,
                status="registered",
                checked_in_at=event.starts_at if came else None,
                token=f"t{len(seen)}",
            )
        )
        if len(batch) == 20_000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)
    Certification.objects.bulk_create(
        [
            Certification(person=p, certified_at=now - dt.timedelta(days=rng.uniform(0, 150)))
            for p in rng.sample(people[: PEOPLE - EXPERTS], CERTIFIED)
        ],
        batch_size=5000,
    )
    ConstituencyTarget.objects.bulk_create(
        [
            ConstituencyTarget(
                program_year=year, organization_type=t, role=r, target=rng.randint(10, 100)
            )
            for t in types
            for r in roles[:4]
        ]
    )


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def measure(client, url: str) -> list[float]:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def explain(client, page: str, slower_than_ms: float = 20.0) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) for every query of ``page`` slower than ``slower_than_ms``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    print(
        f"  {page}: {len(queries)} queries, {sum(float(q['time']) for q in queries) * 1000:.0f} ms in the database"
    )
    for query in queries:
        if float(query["time"]) * 1000 < slower_than_ms:
            continue
        print(f"\n    -- {float(query['time']) * 1000:.0f} ms: {query['sql'][:600]}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                print("\n".join(f"      {line}" for (line,) in cursor.fetchall()))


def main() -> None:
    keep, reuse, plans = "--keep" in sys.argv, "--reuse" in sys.argv, "--explain" in sys.argv
    url, remove = scratch_database(keep=keep or reuse, reuse=reuse)
    os.environ["STRATEGISTS_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    os.environ.setdefault("STRATEGISTS_DEBUG", "1")  # static files from the finders, no manifest
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        if not reuse:
            build(random.Random(1000))
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if engine == "postgresql":
            from django.db import connection

            with (
                connection.cursor() as cursor
            ):  # as autovacuum would after a bulk load: index-only scans
                cursor.execute("VACUUM ANALYZE")
        print(
            f"{engine}: {'reused' if reuse else 'built'} {PEOPLE:,} people, {TRAININGS:,} trainings, "
            f"{REGISTRATIONS:,} registrations in {time.perf_counter() - started:.0f} s"
        )
        from strategists.accounts.models import User
        from strategists.goals import services as goals_services

        client = Client()
        cache.clear()
        goals_services.forecast_snapshots_clear()
        started = time.perf_counter()
        client.get("/progress/")
        print(
            f"  /progress/ first view (no forecast stored yet): {(time.perf_counter() - started) * 1000:,.0f} ms"
        )
        started = time.perf_counter()
        goals_services.forecast_refresh()
        print(
            f"  forecast computed in the background task: {(time.perf_counter() - started) * 1000:,.0f} ms"
        )
        client.force_login(User.objects.get(email="coordinator@bench.example"))
        pages = [
            "/progress/",
            "/dashboard/",
            "/dashboard/?region=pacific&language=en",
            "/dashboard/?organization_type=local-union",
            "/dashboard/targets/",
        ]
        if plans:
            for page in pages:
                cache.clear()
                explain(client, page)
        for page in pages:
            cache.clear()
            started = time.perf_counter()
            client.get(page)
            cold = (time.perf_counter() - started) * 1000
            samples = measure(client, page)
            print(
                f"  {page:<45} p95 {p95(samples):7.1f} ms   median {statistics.median(samples):7.1f} ms"
                f"   cold {cold:7.1f} ms"
            )
        print("  per table, uncached (one run each, ms):")
        from strategists.goals import dashboard, selectors

        year, filters = selectors.current_year(), dashboard.Filters()
        cache.clear()
        for slug in dashboard.TABLES:
            started = time.perf_counter()
            dashboard.table(slug, filters, year)
            print(f"    {slug:<22} {(time.perf_counter() - started) * 1000:8.1f}")
        for name, step in [
            ("map points", lambda: selectors.training_points(year)),
            ("constituency rows", lambda: selectors.constituency_rows(year)),
            (
                "unreached organizations",
                lambda: selectors.unreached_organizations(
                    year, [t.organization_type for t in year.targets.all()]
                ),
            ),
            ("pipeline by region", lambda: selectors.pipeline_by_region(year)),
        ]:
            started = time.perf_counter()
            step()
            print(f"    {name:<22} {(time.perf_counter() - started) * 1000:8.1f}")
    finally:
        remove()


if __name__ == "__main__":
    main()
