"""Where trainings live: /trainings/ for the list, proposals, registration and check-in."""

from django.urls import path

from strategists.events import signup_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("propose/", views.event_propose, name="propose"),
    path("mine/", views.my_events, name="mine"),
    path("queue/", views.review_queue, name="queue"),
    path("calendar.ics", views.program_ics, name="program_ics"),
    path("feed/<str:token>.ics", views.feed_ics, name="feed_ics"),
    path("registration/<str:token>/", views.registration_manage, name="registration"),
    path(
        "registration/<str:token>/answers/",
        signup_views.registration_answers,
        name="registration_answers",
    ),
    path("signup/<str:token>/", signup_views.signup_confirm, name="signup_confirm"),
    path(
        "registration/<str:token>/<str:action>/",
        views.registration_action,
        name="registration_action",
    ),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/review/", views.event_review, name="review"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/register/", signup_views.register, name="register"),
    path("<int:pk>/questions/", signup_views.questions, name="questions"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        signup_views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/sources/", signup_views.sources, name="sources"),
    path("<int:pk>/my-registration/", views.my_registration_link, name="my_registration_link"),
    path("<int:pk>/calendar.ics", views.event_ics, name="ics"),
    path("<int:pk>/attendees/", views.attendees, name="attendees"),
    path("<int:pk>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("<int:pk>/check-in/", views.checkin, name="checkin"),
    path("<int:pk>/check-in/<int:registration_pk>/", views.checkin_toggle, name="checkin_toggle"),
    path("<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path("<int:pk>/complete/", views.complete, name="complete"),
]
