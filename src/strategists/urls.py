"""The site's map: which URL prefix each app serves, plus the admin, health and error pages."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from strategists.common import health
from strategists.common import views as common_views
from strategists.goals import views as goals_views

urlpatterns = [
    path("", goals_views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/<str:code>/", common_views.language_switch, name="language_switch"),
    path("healthz", health.healthz, name="healthz"),
    # The Django admin, for superusers (common/admin_site.py); each app registers in its admin.py.
    # Its sign-in is the site's own (throttled; `next` is checked there).
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("strategists.accounts.urls")),
    path("trainings/", include("strategists.events.urls")),
    path("planner/", include("strategists.planner.urls")),
    path("where-to-go/", include("strategists.referrals.urls")),
    path("conference/", include("strategists.convening.urls")),
    path("api/", include("strategists.api.urls")),
    path("audit/", include("strategists.audit.urls")),
    path("messages/", include("strategists.messaging.urls")),
    path("imports/", include("strategists.imports.urls")),
    path("survey/", include("strategists.surveys.urls")),
    path("webhooks/", include("strategists.webhooks.urls")),
    # These apps own public paths at the root: /skills/, /credentials/, /.well-known/did.json,
    # /progress/, /dashboard/; materials adds /trainings/<id>/materials/, /skills/<area>/library/,
    # /host-kit/ and /materials/.
    path("", include("strategists.curriculum.urls")),
    path("", include("strategists.materials.urls")),
    path("", include("strategists.goals.urls")),
    path("", include("strategists.community.urls")),
]

handler400 = "strategists.common.badinput.bad_request"
handler404 = "strategists.common.views.page_not_found"
handler500 = "strategists.common.views.server_error"
