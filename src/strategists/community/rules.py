"""Who may do what in the community. Loaded by django-rules' autodiscovery."""

import rules

from strategists.accounts.rules import is_member

# --- the registry ---------------------------------------------------------------------------------
rules.add_perm("community.view_registry", rules.always_allow)
rules.add_perm("community.change_listing", is_member)
