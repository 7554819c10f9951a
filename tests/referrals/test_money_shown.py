"""What members paid, as a visitor reads it on the directory and the resource page."""

import pytest

from strategists.referrals import services
from tests.factories import UserFactory
from tests.referrals.conftest import listed

pytestmark = pytest.mark.django_db


def test_what_members_paid_reads_as_a_dollar_range_per_year(client):
    resource = listed("texting")
    for paid in (1200, 3000):
        services.review_save(
            resource=resource,
            author=UserFactory(),
            rating=4,
            used_for="texting members",
            would_recommend=True,
            cost_paid=paid,
        )

    directory = client.get("/where-to-go/directory/").content.decode()
    page = client.get(f"/where-to-go/r/{resource.public_id}/").content.decode()

    assert "members paid $1,200–$3,000/year" in directory
    assert "members paid $1,200–$3,000/year" in page
    assert "$1,200/year" in page and "$3,000/year" in page  # each review's own figure
