"""Where the planner lives: /planner/ for years, plan runs and trainer requests."""

from django.urls import path

from strategists.planner import views

app_name = "planner"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("new/", views.year_create, name="year_create"),
    path("<int:pk>/", views.year_detail, name="year_detail"),
    path("<int:pk>/edit/", views.year_edit, name="year_edit"),
    path("<int:pk>/regions/", views.region_limits, name="region_limits"),
    path("<int:pk>/calendar/new/", views.calendar_add, name="calendar_add"),
    path("<int:pk>/calendar/<int:entry_pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("<int:pk>/instance.json", views.year_instance, name="year_instance"),
    path("<int:pk>/plan/", views.plan_start, name="plan_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/lock/", views.lock_toggle, name="lock_toggle"),
    path("runs/<int:pk>/accept/", views.run_accept, name="run_accept"),
    path("replacements/<int:pk>/ask/", views.replacement_ask, name="replacement_ask"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_respond, name="request_respond"),
]
