"""Where to go: suggest a resource, review it, find it by asking; ask the experts, get an
answer, accept it, and find that answer by asking again."""

import pytest

from strategists.referrals.models import Question, Resource
from tests.browser.conftest import sign_in
from tests.factories import ExpertProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suggest_review_ask_question_answer_accept_and_find(new_page, live_server, settings):
    settings.PUBLIC_URL = live_server.url
    UserFactory(name="Mona Member", email="mona@example.net")
    # Ed answers questions and, granted the curator role, curates the directory.
    ExpertProfileFactory(
        user__name="Ed Expert", user__email="ed@example.net", user__is_curator=True
    )
    _journey(new_page)


def _journey(context):

    # A member suggests a resource.
    member = context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(member, "mona@example.net")
    member.goto("/where-to-go/suggest/")
    member.get_by_label("Name").fill("Picket Shift Planner")
    member.get_by_label("Kind").select_option("software")
    member.get_by_label("Web address").fill("https://picket.example.org")
    member.get_by_label("In one sentence, what is it?").fill(
        "Schedules picket line shifts so every gate is covered."
    )
    member.get_by_label("Online to offline").check()
    member.get_by_label("Tags").fill("picket, strike, shifts")
    member.get_by_label("Cost").select_option("free")
    member.get_by_label("Region served").select_option("us")
    member.get_by_role("button", name="Save").click()
    member.get_by_text("A curator will review your suggestion soon").wait_for()
    resource = Resource.objects.get(name="Picket Shift Planner")
    assert resource.status == "pending"

    # The curator approves it from the queue.
    expert = context(viewport={"width": 1200, "height": 900})
    sign_in(expert, "ed@example.net")
    expert.goto("/where-to-go/curate/")
    expert.get_by_role("button", name="Approve").click()
    expert.get_by_text("Listed: Picket Shift Planner").wait_for()

    # The member reviews it.
    member.goto(f"/where-to-go/r/{resource.public_id}/")
    member.get_by_role("link", name="Review it").click()
    member.locator("input[name=rating][value='5']").check()
    member.get_by_label("What did you use it for?").fill("Covering four gates during our strike.")
    member.get_by_label("What did it cost you, in dollars a year?").fill("0")
    member.get_by_role("button", name="Save").click()
    member.get_by_text("Thank you for your review.").wait_for()
    assert "★ 5.0/5 from 1 review" in member.locator("#rating").inner_text()

    # Asking in plain words finds it.
    member.goto("/where-to-go/")
    member.get_by_label("Your question").fill(
        "we walk out monday, how do we cover every gate with picket shifts"
    )
    member.get_by_role("button", name="Ask", exact=True).click()
    member.locator("#results").get_by_role("link", name="Picket Shift Planner").wait_for()

    # A question the directory can't answer goes to the experts.
    member.get_by_label("Your question").fill(
        "who can check our union's digital security before the strike"
    )
    member.get_by_role("button", name="Ask", exact=True).click()
    member.get_by_role("link", name="Not what you need? Ask the experts").click()
    assert (
        member.get_by_label("Your question").input_value()
        == "who can check our union's digital security before the strike"
    )
    member.get_by_role("button", name="Send to the experts").click()
    member.get_by_text("Your question went to 1 experts").wait_for()
    question = Question.objects.get()

    # The expert answers from their inbox, citing the resource.
    expert.goto("/where-to-go/questions/")
    expert.locator("#inbox").get_by_role("link", name=question.text).click()
    expert.get_by_label("Your answer").fill(
        "Run a security checkup with a volunteer, and plan the picket with this."
    )
    expert.get_by_label("Resources you recommend (ids, e.g. R012, R045)").fill(resource.public_id)
    expert.get_by_role("button", name="Send answer").click()
    expert.get_by_text("your answer was sent to the person who asked").wait_for()

    # The asker accepts it.
    member.goto(f"/where-to-go/questions/{question.pk}/")
    member.get_by_role("button", name="Accept this answer").click()
    member.get_by_text("Others who ask something similar will find this answer.").wait_for()

    # Asking again finds the answered question.
    member.goto("/where-to-go/")
    member.get_by_label("Your question").fill("digital security checkup for our union")
    member.get_by_role("button", name="Ask", exact=True).click()
    member.locator("#answered").get_by_role("link", name=question.text).wait_for()
    assert "Run a security checkup" in member.locator("#answered").inner_text()
