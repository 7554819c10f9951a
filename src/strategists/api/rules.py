"""Who may tag whom: coordinators anyone; hosts only people registered to a training of an
organization they host for today (a host removed from it loses them at once). Loaded by
django-rules' autodiscovery."""

import rules

from strategists.accounts.rules import is_coordinator, is_host, is_member
from strategists.events.models import Registration


@rules.predicate
def registered_with_hosted_organization(user, person):
    return (
        is_member(user)
        and person is not None
        and Registration.objects.filter(person=person, event__organization__hosts=user).exists()
    )


rules.add_perm("api.use_tags", is_host | is_coordinator)
rules.add_perm("api.tag_person", registered_with_hosted_organization | is_coordinator)
