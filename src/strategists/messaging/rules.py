"""Who may write to whom and read the message log. Which segment a person may write to is
checked again on every request by segments.py (a training's hosts, the dashboard's coordinators)."""

import rules

from strategists.accounts.rules import is_coordinator, is_host, is_member


@rules.predicate
def sent_it(user, message):
    return is_member(user) and message is not None and message.sender_id == user.pk


rules.add_perm("messaging.compose", is_host | is_coordinator)
rules.add_perm("messaging.view_messages", is_host | is_coordinator)
rules.add_perm("messaging.view_message", sent_it | is_coordinator)
rules.add_perm("messaging.change_preferences", is_member)
