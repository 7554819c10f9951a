"""The goals pages' addresses: the progress page at /progress/, the dashboard under /dashboard/."""

from django.urls import path

from strategists.goals import views

app_name = "goals"

# Included at the site's root: these are full paths.
urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("progress/<slug:table>.csv", views.progress_csv, name="progress_csv"),
    path("progress/<slug:chart>.svg", views.progress_svg, name="progress_svg"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard/targets/", views.targets, name="targets"),
    path("dashboard/targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("dashboard/year/", views.year_edit, name="year_edit"),
]
