from django.urls import path

from strategists.community import views

app_name = "community"

urlpatterns = [
    path("strategists/", views.registry, name="registry"),
    path("strategists/<int:pk>/", views.registry_profile, name="registry_profile"),
    path("strategists/me/", views.listing_settings, name="listing_settings"),
]
