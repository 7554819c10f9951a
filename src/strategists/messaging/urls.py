"""Messaging's addresses, under /messages/."""

from django.urls import path

from strategists.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.message_list, name="list"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/phone/", views.phone, name="phone"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sms/inbound/", views.sms_inbound, name="sms_inbound"),
]
