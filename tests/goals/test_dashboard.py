"""The dashboard's numbers equal the database, counted by hand from the program fixture."""

import datetime as dt
import html
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from strategists.events.models import Registration, TrainerAssignment
from strategists.goals import dashboard
from strategists.goals.dashboard import Filters
from strategists.referrals import services as referral_services
from strategists.referrals.models import Question
from tests.factories import EventFactory, ExpertProfileFactory, OrganizationFactory, UserFactory
from tests.goals.conftest import past_training

DAY = dt.timedelta(days=1)


def rows(response, slug):
    return [row.cells for row in response.context["tables"][slug].rows]


def test_dashboard_hosts_with_no_date(client_for, program):
    response = client_for("coordinator").get("/dashboard/")

    assert rows(response, "hosts") == [
        [
            "Idle Federation",
            "State labor federation",
            "East North Central",
            "Host of Idle Federation",
        ],
        ["Local 1001", "Local union", "East North Central", "Hana Host"],
    ]
    assert response.context["tables"]["hosts"].total == 2
    assert (
        response.context["tables"]["hosts"].rows[0].href
        == f"/accounts/organizations/{program.organizations['idle'].pk}/"
    )


def test_dashboard_trainings_missing_trainers(client_for, program):
    response = client_for("coordinator").get("/dashboard/")

    short, empty = program.events["short"], program.events["empty"]
    assert rows(response, "trainers") == [
        [
            "Short",
            timezone.localdate(short.starts_at),
            "Seattle, WA",
            "Seattle Worker Center",
            1,
            1,
        ],
        ["Empty", timezone.localdate(empty.starts_at), "Detroit, MI", "Auto Workers Local 7", 0, 0],
    ]
    assert [row.href for row in response.context["tables"]["trainers"].rows] == [
        f"/trainings/{short.pk}/",
        f"/trainings/{empty.pk}/",
    ]
    assert [row.flag for row in response.context["tables"]["trainers"].rows] == ["warn", "bad"]


def test_dashboard_expert_load(client_for, program):
    response = client_for("coordinator").get("/dashboard/")

    assert rows(response, "experts") == [
        ["Busy Expert", "East North Central", 3, 2, 150.0],
        ["Calm Expert", "East North Central", 1, 4, 25.0],
        ["Ed Expert", "East North Central", 0, 4, 0.0],
    ]
    assert response.context["tables"]["experts"].rows[0].flag == "bad"


def test_dashboard_reviews_waiting(client_for, program):
    response = client_for("coordinator").get("/dashboard/")

    evidence = response.context["tables"]["reviews"].rows[0]
    assert evidence.cells[:2] == ["Evidence for a skill level", 2]
    assert evidence.cells[2] == timezone.localdate()
    assert evidence.href == "/skills/reviews/"


def test_dashboard_no_shows(client_for, program):
    response = client_for("coordinator").get("/dashboard/")

    assert rows(response, "no-shows") == [
        ["East North Central", 1, 4, 3, 1, 25.0],
        ["Pacific", 1, 3, 1, 2, 66.7],
    ]
    detroit, seattle = program.events["detroit"], program.events["seattle"]
    assert rows(response, "no-show-trainings") == [
        ["Seattle 1", timezone.localdate(seattle.starts_at), 3, 1, 2, 66.7],
        ["Detroit 1", timezone.localdate(detroit.starts_at), 4, 3, 1, 25.0],
    ]
    assert (
        response.context["tables"]["no-show-trainings"].rows[0].href
        == f"/trainings/{seattle.pk}/attendees/"
    )


def test_dashboard_filters_by_region_type_and_language(client_for, program):
    client = client_for("coordinator")

    pacific = client.get("/dashboard/", {"region": "pacific"})
    federations = client.get("/dashboard/", {"organization_type": "state-federation"})
    french = client.get("/dashboard/", {"language": "fr"})

    assert [r[0] for r in rows(pacific, "trainers")] == ["Short"]
    assert rows(pacific, "no-shows") == [["Pacific", 1, 3, 1, 2, 66.7]]
    assert [r[0] for r in rows(federations, "hosts")] == ["Idle Federation"]
    assert rows(federations, "no-shows") == []
    assert rows(french, "trainers") == []
    assert rows(french, "experts") == []


def test_dashboard_bad_filter_is_ignored(client_for, program):
    response = client_for("coordinator").get(
        "/dashboard/", {"region": "atlantis", "language": "xx"}
    )

    assert response.status_code == 200
    assert response.context["filters"] == Filters()
    assert response.context["form"].errors.keys() == {"region", "language"}


def test_dashboard_csv_has_every_row_and_links(client_for, program):
    response = client_for("coordinator").get("/dashboard/no-shows.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "Region,Past trainings,Registered,Came,No-shows,No-show rate (%),Link",
        "East North Central,1,4,3,1,25.0,http://testserver/trainings/?region=east-north-central",
        "Pacific,1,3,1,2,66.7,http://testserver/trainings/?region=pacific",
    ]


def test_dashboard_unknown_table_is_404(client_for, world):
    assert client_for("coordinator").get("/dashboard/nothing.csv").status_code == 404


def test_table_rows_are_capped_and_counted(program):
    table = dashboard.expert_load(Filters(), program.year, limit=2)

    assert (len(table.rows), table.total, table.more) == (2, 3, 1)


def _link(page, text: str) -> str:
    """The href of the dashboard's row headed ``text``, as the browser sees it."""
    match = re.search(
        r'<th scope="row"><a href="([^"]+)">' + re.escape(text) + "</a></th>", page.content.decode()
    )
    assert match, f"no link for {text!r}"
    return html.unescape(match.group(1))


def test_dashboard_suggested_resources_link_to_the_curation_queue(client_for, program, world):
    suggestion = referral_services.resource_suggest(
        by=world.member,
        kind="guide",
        name="Texting for locals",
        url="",
        summary="How to run a texting program.",
        description="",
        tags=[],
        cost="free",
        region="us",
        skill_areas=["web-and-cms"],
    )
    client = client_for("coordinator")

    page = client.get("/dashboard/")
    queue = client.get(_link(page, "Suggested resources"))

    assert page.context["tables"]["reviews"].rows[1].cells[:2] == ["Suggested resources", 1]
    assert queue.status_code == 200
    assert list(queue.context["pending"]) == [suggestion]
    assert "Texting for locals" in queue.content.decode()


def test_dashboard_unanswered_questions_link_to_the_question(client_for, program, world):
    question = Question.objects.create(
        asker=world.member, text="Which texting tool handles opt-outs?"
    )
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - 4 * DAY)
    client = client_for("coordinator")

    page = client.get("/dashboard/")
    detail = client.get(_link(page, "Which texting tool handles opt-outs?"))

    assert rows(page, "questions") == [
        ["Which texting tool handles opt-outs?", timezone.localdate() - 4 * DAY, 4, "en"]
    ]
    assert detail.status_code == 200
    assert detail.context["question"] == question
    assert "Which texting tool handles opt-outs?" in detail.content.decode()


def _items(count, world):
    """``count`` rows in every dashboard table but the per-region ones."""
    for index in range(count):
        OrganizationFactory().hosts.add(UserFactory())
        EventFactory(organization=world.organization)
        ExpertProfileFactory()
        past_training(
            organization=world.organization,
            people=[UserFactory(), UserFactory()],
            came=1,
            days_ago=10 + index,
        )


# session, user, program year, hosts and their hosts (prefetch), trainings missing trainers,
# experts, pending evidence, suggested resources, questions, then the no-show counts by training
# and those trainings (shared by the two no-show tables); cached: session, user, program year
QUERIES = 12
CACHED_QUERIES = 3


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count(client_for, world, year, django_assert_num_queries, count):
    _items(count, world)
    client = client_for("coordinator")
    cache.clear()

    with django_assert_num_queries(QUERIES):
        response = client.get("/dashboard/")
    with django_assert_num_queries(CACHED_QUERIES):
        cached = client.get("/dashboard/")

    tables = response.context["tables"]
    assert [
        len(tables[slug].rows) for slug in ("hosts", "trainers", "experts", "no-show-trainings")
    ] == [count, count, count + 1, count]
    assert [table.rows for table in cached.context["tables"].values()] == [
        table.rows for table in tables.values()
    ]


def test_dashboard_no_shows_follow_a_check_in(client_for, program):
    """The cached no-show counts move with the data version: a check-in shows on the next view."""
    client = client_for("coordinator")
    assert rows(client.get("/dashboard/"), "no-shows")[1] == ["Pacific", 1, 3, 1, 2, 66.7]
    registration = (
        program.events["seattle"].registrations.filter(checked_in_at__isnull=True).first()
    )
    registration.checked_in_at = timezone.now()
    registration.save()

    assert rows(client.get("/dashboard/"), "no-shows")[1] == ["Pacific", 1, 3, 2, 1, 33.3]


def test_no_show_counts_match_a_direct_count(program):
    """The per-training counts both no-show tables are built from equal counting the rows one by one."""
    counts = dashboard.past_training_counts(Filters(), program.year, timezone.now())

    expected = []
    for event in (program.events["detroit"], program.events["seattle"]):
        seats = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        expected.append(
            (event.pk, seats.count(), seats.filter(checked_in_at__isnull=False).count())
        )
    assert sorted((t.event_id, t.registered, t.came) for t in counts) == sorted(expected)


def test_dashboard_follows_a_trainer_accepting(client_for, program):
    """The cached tables move with the dashboard version: an assignment shows on the next view."""
    client = client_for("coordinator")
    assert [row[0] for row in rows(client.get("/dashboard/"), "trainers")] == ["Short", "Empty"]

    assignment = TrainerAssignment.objects.get(
        event=program.events["short"], trainer=program.experts["calm"]
    )
    assignment.status = TrainerAssignment.Status.ACCEPTED
    assignment.save()

    assert [row[0] for row in rows(client.get("/dashboard/"), "trainers")] == ["Empty"]


def test_dashboard_follows_a_new_host(client_for, program):
    client = client_for("coordinator")
    before = {row[0] for row in rows(client.get("/dashboard/"), "hosts")}
    organization = OrganizationFactory(name="Brand New Council", slug="new-council")

    organization.hosts.add(UserFactory(organization=organization))

    assert {row[0] for row in rows(client.get("/dashboard/"), "hosts")} == before | {
        "Brand New Council"
    }
