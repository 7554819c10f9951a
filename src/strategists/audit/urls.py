"""Where the audit log lives: /audit/ to browse it, and its CSV export."""

from django.urls import path

from strategists.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.export, name="export"),
]
