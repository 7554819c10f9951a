"""Where the conference lives: /conference/<slug>/ for agenda, proposals, seats, check-in."""

from django.urls import path

from strategists.convening import seat_views, views

app_name = "convening"

urlpatterns = [
    path("", views.conference_index, name="index"),
    path("<slug:slug>/", views.conference_detail, name="detail"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/agenda.json", views.agenda_json, name="agenda_json"),
    path("<slug:slug>/sessions/<int:pk>/", views.session_detail, name="session"),
    path("<slug:slug>/sessions/<int:pk>/follow/", views.session_follow, name="session_follow"),
    path("<slug:slug>/my-schedule/", views.my_schedule, name="my_schedule"),
    path("<slug:slug>/my-schedule/<str:token>.ics", views.schedule_feed, name="schedule_feed"),
    path("<slug:slug>/register/", seat_views.register, name="register"),
    path("<slug:slug>/register/cancel/", seat_views.register_cancel, name="register_cancel"),
    path("<slug:slug>/scholarships/", seat_views.scholarships, name="scholarships"),
    path(
        "<slug:slug>/scholarships/<int:pk>/decide/",
        seat_views.scholarship_decide,
        name="scholarship_decide",
    ),
    path("<slug:slug>/delegations/", seat_views.delegations, name="delegations"),
    path("<slug:slug>/delegations/<int:pk>/", seat_views.delegation, name="delegation"),
    path("<slug:slug>/sessions/<int:pk>/check-in/", seat_views.checkin, name="checkin"),
    path("<slug:slug>/sessions/<int:pk>/attendance/", seat_views.attendance, name="attendance"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/proposals/mine/", views.my_proposals, name="my_proposals"),
    path("<slug:slug>/proposals/", views.proposals, name="proposals"),
    path("<slug:slug>/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<slug:slug>/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path(
        "<slug:slug>/proposals/<int:pk>/confirm/", views.proposal_confirm, name="proposal_confirm"
    ),
    path("<slug:slug>/proposals/<int:pk>/decide/", views.decide, name="decide"),
    path("<slug:slug>/invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/review/", views.review_list, name="review_list"),
    path("<slug:slug>/review/<int:pk>/", views.review, name="review"),
    path("<slug:slug>/reviewers/", views.reviewers, name="reviewers"),
    path("<slug:slug>/reviewers/<int:pk>/revoke/", views.reviewer_revoke, name="reviewer_revoke"),
    path("<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/schedule/place/", views.place, name="place"),
    path("<slug:slug>/schedule/<int:pk>/unplace/", views.unplace, name="unplace"),
    path("<slug:slug>/schedule/publish/", views.publish, name="publish"),
]
