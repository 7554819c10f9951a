"""Constituency targets: the form (good and bad input), the numbers against each, the program year."""

import pytest
from django.core.cache import cache

from strategists.goals.models import ConstituencyTarget, ProgramYear
from strategists.goals.services import target_set
from tests.factories import UserFactory


def test_targets_count_recruited_trained_certified(client_for, program, world):
    target_set(
        year=program.year, by=None, organization_type="local-union", role="webmaster", target=10
    )
    target_set(
        year=program.year, by=None, organization_type="worker-center", role="organizer", target=2
    )

    response = client_for("coordinator").get("/dashboard/targets/")

    rows = [
        (
            r.target.organization_type,
            r.target.role,
            r.target.target,
            r.recruited,
            r.trained,
            r.certified,
            r.gap,
        )
        for r in response.context["rows"]
    ]
    assert rows == [
        ("local-union", "webmaster", 10, 4, 3, 1, 9),
        ("worker-center", "organizer", 2, 4, 1, 0, 2),
    ]
    assert [r.flags for r in response.context["rows"]] == [
        {"recruited": "bad", "trained": "bad", "certified": "bad"},
        {"recruited": "ok", "trained": "warn", "certified": "bad"},
    ]
    unreached = {
        g.organization_type: [o.name for o in g.organizations]
        for g in response.context["unreached"]
    }
    assert unreached == {"local-union": ["Local 1001"], "worker-center": []}


def test_setting_a_target_twice_changes_it(client_for, year):
    client = client_for("coordinator")
    data = {"organization_type": "international-union", "role": "webmaster", "target": "30"}

    first = client.post("/dashboard/targets/", data)
    second = client.post("/dashboard/targets/", {**data, "target": "35"})

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(ConstituencyTarget.objects.values_list("organization_type", "role", "target")) == [
        ("international-union", "webmaster", 35)
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"organization_type": "international-union", "role": "webmaster", "target": "0"},
            "target",
        ),
        (
            {"organization_type": "international-union", "role": "webmaster", "target": "-3"},
            "target",
        ),
        (
            {"organization_type": "international-union", "role": "webmaster", "target": "thirty"},
            "target",
        ),
        (
            {"organization_type": "international-union", "role": "webmaster", "target": "1000001"},
            "target",
        ),
        ({"organization_type": "international-union", "role": "webmaster", "target": ""}, "target"),
        ({"organization_type": "pirates", "role": "webmaster", "target": "3"}, "organization_type"),
        ({"organization_type": "international-union", "role": "captain", "target": "3"}, "role"),
        ({"role": "webmaster", "target": "3"}, "organization_type"),
    ],
)
def test_targets_form_rejects_bad_input(client_for, year, data, field):
    response = client_for("coordinator").post("/dashboard/targets/", data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert ConstituencyTarget.objects.count() == 0


def test_removing_a_target(client_for, year):
    target = target_set(
        year=year, by=None, organization_type="labor-media", role="journalist", target=5
    )

    response = client_for("coordinator").post(f"/dashboard/targets/{target.pk}/delete/")

    assert (response.status_code, ConstituencyTarget.objects.count()) == (302, 0)


@pytest.mark.parametrize("count", [1, 3])
def test_targets_page_query_count(client_for, year, django_assert_num_queries, count):
    for organization_type in ["labor-media", "student-group", "worker-center"][:count]:
        target_set(
            year=year, by=None, organization_type=organization_type, role="student", target=5
        )
    client = client_for("coordinator")
    client.get("/dashboard/targets/")
    cache.clear()

    # session, user, year, targets (for the cache key), targets, recruited and certified by
    # constituency, trained by constituency, organizations not reached
    with django_assert_num_queries(8):
        response = client.get("/dashboard/targets/")
    # session, user, year, targets: the counts come from the cache
    with django_assert_num_queries(4):
        cached = client.get("/dashboard/targets/")

    assert len(response.context["rows"]) == count
    assert [(r.target.pk, r.recruited, r.trained, r.certified) for r in cached.context["rows"]] == [
        (r.target.pk, r.recruited, r.trained, r.certified) for r in response.context["rows"]
    ]


def test_targets_follow_a_new_person_and_a_new_target(client_for, program, world):
    client = client_for("coordinator")
    target_set(
        year=program.year, by=None, organization_type="local-union", role="webmaster", target=10
    )
    assert [
        (r.recruited, r.trained) for r in client.get("/dashboard/targets/").context["rows"]
    ] == [(4, 3)]

    UserFactory(organization=program.organizations["union"], role="webmaster")
    target_set(
        year=program.year, by=None, organization_type="worker-center", role="organizer", target=5
    )

    rows = client.get("/dashboard/targets/").context["rows"]
    assert [(r.target.organization_type, r.recruited, r.trained) for r in rows] == [
        ("local-union", 5, 3),
        ("worker-center", 4, 1),
    ]


def test_targets_csv(client_for, year):
    target_set(year=year, by=None, organization_type="labor-media", role="journalist", target=5)

    response = client_for("coordinator").get("/dashboard/targets.csv")

    assert response.content.decode().splitlines() == [
        "Organization type,Role,Target,Recruited,Trained,Certified,Gap",
        "Labor media,Journalist,5,0,0,0,5",
    ]


def test_program_year_can_be_changed(client_for, year):
    response = client_for("coordinator").post(
        "/dashboard/year/",
        {"name": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "target": "1200"},
    )

    assert response.status_code == 302
    assert ProgramYear.objects.filter(pk=year.pk).values_list("name", "target").get() == (
        "2027",
        1200,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"name": "x", "starts_on": "2027-01-01", "ends_on": "2026-12-31", "target": "1000"},
            "ends_on",
        ),
        (
            {"name": "x", "starts_on": "2027-01-01", "ends_on": "2030-01-01", "target": "1000"},
            "ends_on",
        ),
        (
            {"name": "x", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "target": "0"},
            "target",
        ),
        (
            {"name": "x", "starts_on": "someday", "ends_on": "2027-12-31", "target": "10"},
            "starts_on",
        ),
        ({"name": "", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "target": "10"}, "name"),
    ],
)
def test_program_year_form_rejects_bad_input(client_for, year, data, field):
    response = client_for("coordinator").post("/dashboard/year/", data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
