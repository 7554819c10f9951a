"""Credentials are signed in the background once a person has earned them."""

from django_tasks import task

from strategists.accounts.models import User
from strategists.curriculum import issuing


@task()
def issue_credentials(person_id: int) -> int:
    """Sign whatever this person has earned and doesn't hold yet; running it twice issues nothing twice."""
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        return 0
    return len(issuing.credentials_issue_for(person=person))
