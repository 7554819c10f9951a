"""Where imports and exports live: /imports/ for the history, upload, preview and progress, and
/imports/export/ for the CSV downloads."""

from django.urls import path

from strategists.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.history, name="history"),
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("export/people.csv", views.export_people, name="export_people"),
    path("export/registrations.csv", views.export_registrations, name="export_registrations"),
    path("export/attendance.csv", views.export_attendance, name="export_attendance"),
]
