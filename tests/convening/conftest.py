import datetime as dt
import zoneinfo

import pytest

from strategists.accounts.models import SkillArea
from strategists.convening.models import (
    Conference,
    ConferenceReviewer,
    Room,
    Session,
    TimeSlot,
    Track,
)

ZONE = "America/Detroit"
DETROIT = zoneinfo.ZoneInfo(ZONE)
FIRST_DAY = dt.date(2027, 3, 13)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on the conference's day `day` (0 or 1), Detroit wall-clock time."""
    return dt.datetime.combine(
        FIRST_DAY + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=DETROIT
    )


def make_conference(
    *, slug="labor-online-test", cfp_closes_at=None, rooms=("Hall A", "Room B")
) -> Conference:
    conference = Conference.objects.create(
        slug=slug,
        name="Labor Online Test",
        timezone=ZONE,
        starts_on=FIRST_DAY,
        days=2,
        venue="Cobo Center",
        cfp_closes_at=cfp_closes_at,
    )
    for position, name in enumerate(rooms):
        Room.objects.create(conference=conference, name=name, position=position)
    for position, area in enumerate(
        SkillArea.objects.filter(
            id__in=["email-and-lists", "digital-security", "web-and-cms"]
        ).order_by("position")
    ):
        Track.objects.create(
            conference=conference, skill_area=area, name=area.name, position=position
        )
    for day in (0, 1):
        for hour in (9, 11, 14):
            TimeSlot.objects.create(
                conference=conference, starts_at=at(day, hour), ends_at=at(day, hour + 1, 30)
            )
    return conference


def make_session(
    conference,
    *,
    title="Lists that win",
    speakers=(),
    room=None,
    starts_at=None,
    minutes=60,
    state=Session.State.PUBLISHED,
    track=None,
) -> Session:
    room = room or (conference.rooms.first() if starts_at else None)
    session = Session.objects.create(
        conference=conference,
        title=title,
        abstract=f"About {title}.",
        track=track or conference.tracks.first(),
        duration_minutes=minutes,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes) if starts_at else None,
        state=state,
    )
    session.speakers.set(speakers)
    session.languages.set(["en"])
    return session


def grant_reviewer(conference, user, by) -> ConferenceReviewer:
    return ConferenceReviewer.objects.create(conference=conference, user=user, granted_by=by)


@pytest.fixture
def conference(db):
    return make_conference()
