"""Who imports and exports: coordinators everything; hosts only their own organization's
trainings (attendee files in, their trainings' people out), read from their current hosting."""

import rules

from strategists.accounts.rules import is_coordinator, is_host, is_member


@rules.predicate
def started_import(user, job):
    return is_member(user) and job is not None and job.created_by_id == user.pk


# The import pages and the exports: the rows each person gets are narrowed in selectors/plan.
rules.add_perm("imports.use", is_coordinator | is_host)
rules.add_perm("imports.view_job", is_coordinator | (is_host & started_import))
rules.add_perm("imports.change_job", started_import & (is_coordinator | is_host))
