"""Where coordinators manage webhooks: /webhooks/ and each endpoint's delivery log."""

from django.urls import path

from strategists.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("new/", views.endpoint_create, name="create"),
    path("<int:pk>/", views.endpoint_detail, name="detail"),
    path("<int:pk>/edit/", views.endpoint_edit, name="edit"),
    path("<int:pk>/pause/", views.endpoint_pause, name="pause"),
    path("<int:pk>/resume/", views.endpoint_resume, name="resume"),
    path("<int:pk>/ping/", views.endpoint_ping, name="ping"),
    path("<int:pk>/deliveries/<int:delivery_pk>/", views.delivery_detail, name="delivery"),
    path(
        "<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
