"""The page cache: anonymous visitors share one page per data version; nobody else ever does."""

import re
import time

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from strategists.common import pagecache
from strategists.common.pagecache import CSRF_PLACEHOLDER
from strategists.events import registration_services
from strategists.events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([a-zA-Z0-9]{64})"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 5
    pagecache._local.clear()  # the conftest clears the shared cache; this is its local copy
    yield
    pagecache._local.clear()


def seats(response) -> str:
    return re.search(r'<dd id="seats">([^<]*)</dd>', response.content.decode()).group(1)


def cached_pages() -> list[dict]:
    keys = [key.split(":", 2)[2] for key in list(cache._cache) if ":pagecache:page:" in key]
    return [page for key in keys if (page := cache.get(key)) is not None]


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("events:list"),
        reverse("goals:progress"),
        reverse("curriculum:framework"),
        reverse("referrals:directory"),
    ],
)
def test_two_anonymous_visitors_get_byte_identical_pages_from_one_render(
    world, url, django_assert_num_queries
):
    EventFactory(title="Lists and texts")
    Client().get(url)  # the progress page's first visit stores a forecast: a new version
    first = Client().get(url)

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == first.content
    assert b"csrfmiddlewaretoken" not in second.content
    assert second["ETag"] == first["ETag"]
    assert "Set-Cookie" not in second


def test_event_page_cached_without_the_token_and_each_visitor_gets_their_own(world):
    event = EventFactory(title="Lists and texts")
    url = reverse("events:detail", args=[event.pk])
    ana, ben = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    first, second = ana.get(url), ben.get(url)

    (page,) = cached_pages()
    assert CSRF_PLACEHOLDER in page["content"]
    assert TOKEN.search(page["content"].decode()) is None
    tokens = [TOKEN.search(r.content.decode()).group(1) for r in (first, second)]
    assert [_unmask_cipher_token(t) for t in tokens] == [
        ana.cookies["csrftoken"].value,
        ben.cookies["csrftoken"].value,
    ]
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())
    # The token Ben got from the cache is good for his form: the form answers, not a 403.
    posted = ben.post(
        reverse("events:register", args=[event.pk]),
        {"csrfmiddlewaretoken": tokens[1], "name": "Ben", "email": "ben@example.org"},
    )
    assert posted.status_code == 302
    assert posted["Location"] == reverse("events:detail", args=[event.pk])


def test_signed_in_person_never_gets_the_anonymous_page_nor_fills_the_cache(world, client):
    event = EventFactory(title="Lists and texts")
    url = reverse("events:detail", args=[event.pk])
    anonymous = Client().get(url)
    client.force_login(world.member)

    signed_in = client.get(url)

    assert b"Sign out" in signed_in.content
    assert b"Sign out" not in anonymous.content
    assert signed_in.context["user"] == world.member  # rendered, not from the cache
    assert [b"Sign out" in page["content"] for page in cached_pages()] == [False]


def test_seats_left_change_at_once_for_visitors_and_the_person_who_registered(world, client):
    event = EventFactory(title="Lists and texts", capacity=20)
    url = reverse("events:detail", args=[event.pk])
    assert seats(Client().get(url)) == "20 of 20 seats left"
    client.force_login(world.member)

    client.post(reverse("events:register", args=[event.pk]))

    assert seats(Client().get(url)) == "19 of 20 seats left"
    mine = client.get(url)
    assert (seats(mine), b"You&#x27;re registered." in mine.content) == (
        "19 of 20 seats left",
        True,
    )
    registration_services.registration_create(event=event, person=world.other)
    assert seats(Client().get(url)) == "18 of 20 seats left"


def test_a_change_no_signal_sees_shows_within_the_time_to_live(world, settings):
    settings.PAGE_CACHE_SECONDS = 1
    event = EventFactory(title="Lists and texts", capacity=20)
    url = reverse("events:detail", args=[event.pk])
    Client().get(url)
    Event.objects.filter(pk=event.pk).update(capacity=30)  # an UPDATE: no post_save

    stale = seats(Client().get(url))
    time.sleep(1.1)

    assert (stale, seats(Client().get(url))) == ("20 of 20 seats left", "30 of 30 seats left")


def test_while_one_request_renders_a_changed_page_the_others_get_the_previous_one(world):
    event = EventFactory(title="Lists and texts", capacity=20)
    url = reverse("events:detail", args=[event.pk])
    Client().get(url)
    registration_services.registration_create(event=event, person=world.other)
    (key,) = [k.split(":", 2)[2] for k in list(cache._cache) if ":pagecache:page:" in k]
    cache.add(f"{key}:rendering", 1)  # another request is rendering the new page

    meanwhile = seats(Client().get(url))
    cache.delete(f"{key}:rendering")

    assert (meanwhile, seats(Client().get(url))) == ("20 of 20 seats left", "19 of 20 seats left")


def test_a_page_that_is_gone_leaves_the_cache(world):
    event = EventFactory(title="Lists and texts")
    url = reverse("events:detail", args=[event.pk])
    Client().get(url)
    Event.objects.filter(pk=event.pk).delete()

    assert Client().get(url).status_code == 404
    assert cached_pages() == []


def test_unchanged_page_answers_304_and_a_change_a_new_page(world):
    event = EventFactory(title="Lists and texts")
    url = reverse("events:list")
    first = Client().get(url)

    again = Client().get(url, headers={"If-None-Match": first["ETag"]})
    since = Client().get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    event.title = "Lists, texts and maps"
    event.save()
    changed = Client().get(url, headers={"If-None-Match": first["ETag"]})

    assert (again.status_code, again.content, since.status_code) == (304, b"", 304)
    assert first["Cache-Control"] == "no-cache"
    assert changed.status_code == 200
    assert b"Lists, texts and maps" in changed.content
    assert changed["ETag"] != first["ETag"]


def test_event_page_with_a_token_is_not_modified_only_for_the_same_visitor(world):
    event = EventFactory(title="Lists and texts")
    url = reverse("events:detail", args=[event.pk])
    ana = Client()
    first = ana.get(url)

    mine = ana.get(url, headers={"If-None-Match": first["ETag"]})
    someone_else = Client().get(url, headers={"If-None-Match": first["ETag"]})

    assert (mine.status_code, someone_else.status_code) == (304, 200)
    assert "Last-Modified" not in first


def test_each_language_has_its_own_page(world):
    url = reverse("events:list")
    english = Client().get(url)
    spanish = Client(headers={"Accept-Language": "es"}).get(url)
    french = Client()
    french.cookies["django_language"] = "fr"

    assert english["Content-Language"] == "en"
    assert spanish["Content-Language"] == "es"
    assert french.get(url)["Content-Language"] == "fr"
    assert len({english.content, spanish.content}) == 2


def test_visitor_with_messages_gets_a_fresh_page_and_it_is_not_kept(world, client):
    url = reverse("home")
    Client().get(url)
    client.cookies["messages"] = "anything"

    response = client.get(url)

    assert response.context is not None  # rendered
    assert len(cached_pages()) == 1


def test_page_cache_off_renders_every_time(world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get(reverse("home"))

    assert Client().get(reverse("home")).context is not None
    assert cached_pages() == []


# The footer's language links ---------------------------------------------------------------


def test_language_link_sets_the_cookie_and_goes_back_to_the_page(client):
    response = client.get(reverse("language_switch", args=["es"]), {"next": "/trainings/?q=a"})

    assert (response.status_code, response["Location"]) == (302, "/trainings/?q=a")
    assert response.cookies["django_language"].value == "es"
    assert client.get(reverse("home"))["Content-Language"] == "es"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "", "javascript:x"]
)
def test_language_link_never_leaves_the_site(client, next_url):
    response = client.get(reverse("language_switch", args=["fr"]), {"next": next_url})

    assert response["Location"] == reverse("home")


def test_language_link_to_an_unknown_language_is_404(client):
    response = client.get(reverse("language_switch", args=["xx"]), {"next": "/"})

    assert (response.status_code, "django_language" in response.cookies) == (404, False)


def test_language_links_are_rate_limited(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "language": {"ip": "2/m"}}
    url = reverse("language_switch", args=["es"])

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_every_page_has_the_language_links_and_no_token_for_visitors(client):
    page = client.get(reverse("home")).content.decode()

    assert re.findall(r'href="/i18n/(\w+)/\?next=/"', page) == ["en", "es", "fr"]
    assert "csrfmiddlewaretoken" not in page


def test_with_the_cache_down_pages_render_and_saves_succeed(world, monkeypatch):
    class Down:
        def __getattr__(self, name):
            def down(*args, **kwargs):
                raise ConnectionError("cache down")

            return down

    monkeypatch.setattr(pagecache, "cache", Down())  # Redis away, for the page cache only

    event = EventFactory(title="Lists and texts", capacity=20)  # bumps: must not fail
    response = Client().get(reverse("events:detail", args=[event.pk]))

    assert (response.status_code, seats(response)) == (200, "20 of 20 seats left")
    assert "ETag" not in response
