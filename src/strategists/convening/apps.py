from django.apps import AppConfig


class ConveningConfig(AppConfig):
    name = "strategists.convening"
