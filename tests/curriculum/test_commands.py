import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from strategists.curriculum import issuing
from strategists.curriculum.models import Credential, SigningKey
from tests.curriculum.conftest import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(world):
    approved(world.member, "web-and-cms", 2)
    return issuing.credentials_issue(people=[world.member])[0]


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_credentials_lists_issued_credentials_as_json(credential):
    assert json.loads(run("credentials", "--json")) == [
        {
            "id": str(credential.pk),
            "holder_email": "member@example.net",
            "achievement": "Web and CMS: L2 Strategist",
            "status": "valid",
        }
    ]


def test_revoke_sets_the_status_and_verify_reports_it(credential, tmp_path, capsys):
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential.document))

    before = run("verify", str(path))  # returns normally: exit status 0
    run("revoke", str(credential.pk), "--reason", "Issued to the wrong person")

    assert (
        before.splitlines()[0]
        == "valid: the signature matches the issuer's key and the credential is in force"
    )
    assert Credential.objects.get().revoked_reason == "Issued to the wrong person"
    assert json.loads(run("credentials", "--json"))[0]["status"] == "revoked"
    with pytest.raises(SystemExit) as exit_after:
        call_command("verify", str(path))
    assert exit_after.value.code == 1
    assert capsys.readouterr().out.splitlines()[-3:] == [
        "revoked: the issuer has revoked this credential",
        "achievement: Web and CMS: L2 Strategist",
        "issuer: did:web:127.0.0.1%3A8000",
    ]


def test_verify_reports_a_tampered_file(credential, tmp_path, capsys):
    document = copy.deepcopy(credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Something else"
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document))

    with pytest.raises(SystemExit) as exit_code:
        call_command("verify", str(path))

    assert exit_code.value.code == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "tampered: signature does not match: the credential was changed after signing"
    )


def test_verify_says_when_a_file_is_not_json(tmp_path, capsys, db):
    path = tmp_path / "notes.txt"
    path.write_text("hello")

    with pytest.raises(SystemExit):
        call_command("verify", str(path))

    assert capsys.readouterr().out == "malformed: this is not JSON\n"


def test_revoke_refuses_an_unknown_id(db):
    with pytest.raises(CommandError, match="is not a credential id"):
        call_command("revoke", "nope", "--reason", "x")


def test_credentials_key_creates_once_then_rotates(db, signing_keys):
    created = run("credentials_key", "--create")
    again = run("credentials_key", "--create")
    rotated = run("credentials_key", "--rotate")

    assert created.startswith("Created key-1 in ")
    assert again.startswith("A signing key already exists (key-1); use --rotate for a new one.")
    assert rotated.startswith("key-2 now signs new credentials; older keys stay published.")
    assert sorted(p.name for p in signing_keys.iterdir()) == ["key-1.multibase", "key-2.multibase"]
    assert oct(signing_keys.joinpath("key-1.multibase").stat().st_mode & 0o777) == "0o600"
    assert [(key.number, key.retired_at is None) for key in SigningKey.objects.all()] == [
        (1, False),
        (2, True),
    ]
