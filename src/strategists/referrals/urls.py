"""Where "Where to go" lives: /where-to-go/ for asking, the directory and reviews."""

from django.urls import path

from strategists.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("directory/", views.directory, name="directory"),
    path("suggest/", views.suggest, name="suggest"),
    path("curate/", views.curate, name="curate"),
    path("curate/changes/<int:pk>/approve/", views.change_approve, name="change_approve"),
    path("curate/changes/<int:pk>/reject/", views.change_reject, name="change_reject"),
    path("r/<str:public_id>/", views.resource_detail, name="resource"),
    path("r/<str:public_id>/edit/", views.resource_edit, name="edit"),
    path("r/<str:public_id>/approve/", views.resource_approve, name="approve"),
    path("r/<str:public_id>/retire/", views.resource_retire, name="retire"),
    path("r/<str:public_id>/merge/", views.resource_merge, name="merge"),
    path("r/<str:public_id>/review/", views.review, name="review"),
    path("reviews/<int:pk>/hide/", views.review_hide, name="review_hide"),
    path("reviews/<int:pk>/show/", views.review_show, name="review_show"),
    path("questions/", views.questions, name="questions"),
    path("questions/ask/", views.question_new, name="question_new"),
    path("questions/<int:pk>/", views.question_detail, name="question"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/accept/<int:answer_pk>/", views.accept, name="accept"),
]
