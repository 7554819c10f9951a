"""Admin page of the API's tokens: who holds one, since when, and a "revoke" action. Tokens are
created only by `strategists api-token`, which prints the raw value once."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from strategists.api.models import ApiToken
from strategists.api.services import api_tokens_revoke
from strategists.common.admin_site import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__name", "prefix"]
    list_select_related = ["user"]
    # The digest is of no use to anyone reading it here.
    fields = ["user", "prefix", "created_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request, queryset):
        revoked = api_tokens_revoke(
            token_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d token revoked: it no longer works.",
                "%(count)d tokens revoked: they no longer work.",
                len(revoked),
            )
            % {"count": len(revoked)},
            messages.SUCCESS,
        )
