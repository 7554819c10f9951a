"""The navigation every page shows, with the entries a person's role unlocks."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The main navigation; an entry shows once its app's URL exists.
NAVIGATION = [
    ("events:list", _("Trainings")),
    ("referrals:ask", _("Ask")),
    ("referrals:directory", _("Where to go")),
    ("curriculum:framework", _("Skills")),
    ("goals:progress", _("Progress")),
    ("convening:index", _("Conferences")),
    ("community:circles", _("Circles")),
    ("community:registry", _("Strategists")),
    ("community:opportunities", _("Opportunities")),
]
MEMBER_NAVIGATION = [
    ("curriculum:my_path", _("My path")),
    ("events:mine", _("My trainings")),
    ("community:mentoring", _("Mentoring")),
]
COORDINATOR_NAVIGATION = [
    ("events:queue", _("Review queue")),
    ("accounts:organizations", _("Organizations")),
    ("accounts:roles", _("Roles")),
    ("goals:dashboard", _("Dashboard")),
    ("planner:year_list", _("Planner")),
    ("audit:log", _("Audit log")),
    ("imports:history", _("Imports")),
    ("webhooks:list", _("Webhooks")),
]


def _items(entries):
    items = []
    for name, label in entries:
        try:
            items.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return items


def program(request):
    nav = _items(NAVIGATION)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        nav += _items(MEMBER_NAVIGATION)
        if user.is_coordinator:
            nav += _items(COORDINATOR_NAVIGATION)

    return {
        "PROGRAM_TARGET": settings.PROGRAM_TARGET,
        "PUBLIC_URL": settings.PUBLIC_URL,
        "NAV_ITEMS": nav,
    }
