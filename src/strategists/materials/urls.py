"""Where materials live: beside each training (/trainings/<id>/materials/), each skill area
(/skills/<area>/library/), the host kit (/host-kit/) and the files (/materials/<id>/file/)."""

from django.urls import path

from strategists.materials import views

app_name = "materials"

urlpatterns = [
    path("trainings/<int:pk>/materials/", views.event_materials, name="event"),
    path("skills/<slug:area>/library/", views.area_library, name="library"),
    path("host-kit/", views.host_kit, name="host_kit"),
    path("materials/<int:pk>/file/", views.material_file, name="file"),
    path("materials/<int:pk>/remove/", views.material_remove, name="remove"),
]
