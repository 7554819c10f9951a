"""Who may see the coordinator's dashboard and change the targets and the program year."""

import rules

from strategists.accounts.rules import is_coordinator

rules.add_perm("goals.view_dashboard", is_coordinator)
rules.add_perm("goals.change_targets", is_coordinator)
