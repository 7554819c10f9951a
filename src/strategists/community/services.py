"""Every write a person can make in the community: keyword-only, atomic, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.community import selectors
from strategists.community.models import RegistryListing

# --- the registry ---------------------------------------------------------------------------------


@transaction.atomic
def listing_update(*, user: User, listed: bool, ask_me_about: str = "") -> RegistryListing:
    """Opt in or out of the public registry. Only a certified person can opt in; anyone can
    opt out, and it takes effect on the next page view."""
    if listed and not selectors.is_currently_certified(user):
        raise ValidationError(_("Only certified strategists can be listed in the registry."))
    listing, _created = RegistryListing.objects.select_for_update().get_or_create(user=user)
    before = {"listed": listing.listed, "ask_me_about": listing.ask_me_about}
    listing.ask_me_about = ask_me_about.strip()
    if listed and not listing.listed:
        listing.listed_at = timezone.now()
    elif not listed:
        listing.listed_at = None
    listing.listed = listed
    listing.full_clean()
    listing.save()
    audit_log("registry.listed" if listed else "registry.unlisted", listing, actor=user, before=before,
              after={"listed": listing.listed, "ask_me_about": listing.ask_me_about})
    return listing
