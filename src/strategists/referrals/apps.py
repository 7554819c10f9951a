"""Registers the referrals app (the directory of resources and the ask engine) with Django."""

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "strategists.referrals"
