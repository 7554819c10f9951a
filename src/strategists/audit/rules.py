"""Who reads the audit log: coordinators only (it names people, their actions and IP hashes)."""

import rules

from strategists.accounts.rules import is_coordinator

rules.add_perm("audit.view_log", is_coordinator)
