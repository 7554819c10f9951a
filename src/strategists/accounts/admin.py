"""Admin pages of accounts: people, organizations and the roles they were granted, read-only.
Roles change only through the role services (granting writes the RoleGrant row, the flags the
rules read and the audit entry together), on the roles page the admin links to."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import (
    ExpertApplication,
    HostRequest,
    Organization,
    RoleGrant,
    User,
)
from strategists.common.admin_site import ReadOnlyAdmin


def _roles_page_link() -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("accounts:roles"),
        _("Grant, suspend or revoke on the roles page"),
    )


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    fields = ["role", "organization", "state", "granted_by", "changed_by", "reason", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class PersonAdmin(ReadOnlyAdmin):
    list_display = [
        "email",
        "name",
        "organization",
        "is_active",
        "is_coordinator",
        "is_curator",
        "is_superuser",
        "date_joined",
        "last_login",
    ]
    list_filter = ["is_active", "is_coordinator", "is_curator", "is_staff", "is_superuser"]
    search_fields = ["email", "name"]
    list_select_related = ["organization"]
    ordering = ["-date_joined"]
    # Everything but the password hash.
    fields = [
        "email",
        "name",
        "pronouns",
        "organization",
        "role",
        "city",
        "preferred_language",
        "is_active",
        "email_verified_at",
        "is_staff",
        "is_superuser",
        "is_coordinator",
        "is_curator",
        "date_joined",
        "last_login",
        "roles",
    ]
    readonly_fields = fields
    inlines = [RoleGrantInline]

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return _roles_page_link()


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "organization", "state", "granted_by", "updated_at", "change"]
    list_filter = ["role", "state"]
    search_fields = ["user__email", "user__name", "organization__name"]
    list_select_related = ["user", "organization", "granted_by"]
    readonly_fields = ["change"]

    @admin.display(description=_("change"))
    def change(self, obj):
        return _roles_page_link()


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "type", "city", "parent"]
    list_filter = ["type"]
    search_fields = ["name", "slug"]
    list_select_related = ["city__subdivision", "parent"]


@admin.register(ExpertApplication)
class ExpertApplicationAdmin(ReadOnlyAdmin):
    list_display = ["user", "state", "organization", "created_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user", "organization", "decided_by"]


@admin.register(HostRequest)
class HostRequestAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "state", "created_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    search_fields = ["user__email", "user__name", "organization__name"]
    list_select_related = ["user", "organization", "decided_by"]
