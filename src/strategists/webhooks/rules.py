"""Who manages webhooks: coordinators only (deliveries carry people's names and addresses)."""

import rules

from strategists.accounts.rules import is_coordinator

rules.add_perm("webhooks.manage", is_coordinator)
