"""Where the community lives: /strategists/, circles, mentoring and opportunities."""

from django.urls import path

from strategists.community import views

app_name = "community"

urlpatterns = [
    path("strategists/", views.registry, name="registry"),
    path("strategists/<int:pk>/", views.registry_profile, name="registry_profile"),
    path("strategists/me/", views.listing_settings, name="listing_settings"),
]

urlpatterns += [
    path("circles/", views.circle_list, name="circles"),
    path("circles/new/", views.circle_new, name="circle_new"),
    path("circles/about/<str:public_id>/", views.resource_threads, name="resource_threads"),
    path("circles/<slug:slug>/", views.circle_detail, name="circle"),
    path("circles/<slug:slug>/join/", views.circle_join, name="circle_join"),
    path("circles/<slug:slug>/leave/", views.circle_leave, name="circle_leave"),
    path(
        "circles/<slug:slug>/members/<int:pk>/approve/",
        views.membership_approve,
        name="membership_approve",
    ),
    path("circles/<slug:slug>/threads/new/", views.thread_new, name="thread_new"),
    path("circles/<slug:slug>/threads/<int:pk>/", views.thread_detail, name="thread"),
    path("circles/<slug:slug>/threads/<int:pk>/report/", views.post_report, name="post_report"),
    path("circles/<slug:slug>/threads/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("circles/<slug:slug>/reports/", views.circle_reports, name="circle_reports"),
    path(
        "circles/<slug:slug>/reports/<int:pk>/dismiss/", views.report_dismiss, name="report_dismiss"
    ),
    path("circles/<slug:slug>/moderators/", views.circle_moderators, name="circle_moderators"),
    path(
        "circles/<slug:slug>/moderators/<int:pk>/revoke/",
        views.moderator_revoke,
        name="moderator_revoke",
    ),
]

urlpatterns += [
    path("mentoring/", views.mentoring, name="mentoring"),
    path("mentoring/ask/", views.mentor_ask, name="mentor_ask"),
    path("mentoring/offer/", views.mentor_offer, name="mentor_offer"),
    path(
        "mentoring/requests/<int:pk>/withdraw/",
        views.mentor_request_withdraw,
        name="mentor_request_withdraw",
    ),
    path("mentoring/pairs/<int:pk>/respond/", views.mentorship_respond, name="mentorship_respond"),
    path("mentoring/matches/", views.mentoring_matches, name="mentoring_matches"),
    path("mentoring/matches/propose/", views.mentoring_propose, name="mentoring_propose"),
]

urlpatterns += [
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/removed/", views.opportunity_moderation, name="opportunity_moderation"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/remove/", views.opportunity_remove, name="opportunity_remove"),
]
