"""The admin app with the superuser-only site (admin_site.py); imported while apps load, so it
imports nothing else."""

from django.contrib.admin.apps import AdminConfig


class StrategistsAdminConfig(AdminConfig):
    default_site = "strategists.common.admin_site.SuperuserAdminSite"
