import pytest
from django.urls import reverse

from strategists.accounts.models import Organization
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_coordinator_adds_an_organization_with_its_hosts(client_for, world):
    host = UserFactory(email="new.host@example.net")

    response = client_for("coordinator").post(
        reverse("accounts:organization_new"),
        {
            "name": "Teamsters Local 700",
            "type": "local-union",
            "parent": "",
            "city": "Chicago, IL",
            "website": "teamsters700.org",
            "host_emails": "New.Host@example.net\n",
        },
    )

    organization = Organization.objects.get(name="Teamsters Local 700")
    assert response.status_code == 302
    assert (
        organization.slug,
        organization.region_id,
        organization.website,
        list(organization.hosts.all()),
    ) == ("teamsters-local-700", "east-north-central", "https://teamsters700.org", [host])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "local 1001"}, "name", "An organization with this name already exists."),
        (
            {"host_emails": "nobody@example.net"},
            "host_emails",
            "No account for: nobody@example.net. Ask them to sign up first.",
        ),
        (
            {"type": "secret-society"},
            "type",
            "Select a valid choice. secret-society is not one of the available choices.",
        ),
        (
            {"city": "Springfield, ZZ"},
            "city",
            "We don't know the city “Springfield, ZZ”. Type a US or Canadian city, like “Detroit, MI”.",
        ),
    ],
)
def test_organization_form_refuses_bad_input(client_for, world, data, field, message):
    response = client_for("coordinator").post(
        reverse("accounts:organization_new"), {"name": "New org", "type": "worker-center", **data}
    )

    assert response.context["form"].errors[field] == [message]


@pytest.mark.parametrize("count", [1, 3])
def test_organization_list_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    for _ in range(count):
        OrganizationFactory().hosts.add(UserFactory())
    client = client_for("coordinator")
    with django_assert_num_queries(4):
        client.get(reverse("accounts:organizations"))
