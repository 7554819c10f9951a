from django.urls import include, path
from django.views.i18n import set_language

from strategists.common import health
from strategists.goals import views as goals_views

urlpatterns = [
    path("", goals_views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("strategists.accounts.urls")),
    path("trainings/", include("strategists.events.urls")),
    path("planner/", include("strategists.planner.urls")),
    path("where-to-go/", include("strategists.referrals.urls")),
    path("conference/", include("strategists.convening.urls")),
    path("api/", include("strategists.api.urls")),
    # These apps own public paths at the root: /skills/, /credentials/, /.well-known/did.json,
    # /progress/, /dashboard/.
    path("", include("strategists.curriculum.urls")),
    path("", include("strategists.goals.urls")),
]

handler404 = "strategists.common.views.page_not_found"
handler500 = "strategists.common.views.server_error"
