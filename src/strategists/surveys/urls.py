"""Where surveys live: /survey/<token>/ for attendees, /survey/results/ for those who read them."""

from django.urls import path

from strategists.surveys import views

app_name = "surveys"

urlpatterns = [
    path("results/", views.results, name="results"),
    path("results/<int:pk>/", views.training_results, name="training_results"),
    path("<str:token>/", views.answer, name="answer"),
]
