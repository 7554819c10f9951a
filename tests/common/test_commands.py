import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from strategists.accounts.models import (
    ExpertApplication,
    ExpertProfile,
    HostRequest,
    Organization,
    RoleGrant,
    User,
)

PRODUCTION_ENV = {
    "STRATEGISTS_SECRET_KEY": "k" * 20 + "production-secret-key-with-enough-entropy-0123456789",
    "STRATEGISTS_ALLOWED_HOSTS": "strategists.example.org",
    "STRATEGISTS_PUBLIC_URL": "https://strategists.example.org",
    "STRATEGISTS_HTTPS": "1",
    "STRATEGISTS_DEBUG": "0",
}


def _clean_environment(tmp_path) -> dict:
    # The test process allows async-unsafe ORM calls for Playwright; a deployment never does.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("STRATEGISTS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {**env, "STRATEGISTS_VAR_DIR": str(tmp_path)}


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {**_clean_environment(tmp_path), **PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "strategists", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # Silenced on purpose (settings.py says why): django-ratelimit doesn't list Django's own
    # RedisCache as shared, and without Redis the limits count per process.
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (2 silenced).",
    )


def test_check_deploy_warns_without_production_variables(tmp_path):
    env = _clean_environment(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "strategists", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert "security.W004" in result.stderr + result.stdout


@pytest.mark.django_db
def test_demo_builds_the_network_and_is_idempotent(capsys):
    call_command("demo")
    first = (User.objects.count(), Organization.objects.count(), ExpertProfile.objects.count())
    call_command("demo")
    second = (User.objects.count(), Organization.objects.count(), ExpertProfile.objects.count())

    output = capsys.readouterr().out
    assert first == second
    assert first[0] >= 1500 and first[2] >= 120
    assert User.objects.get(email="coordinator@example.org").is_coordinator is True
    assert "coordinator@example.org" in output
    # Everyone holds their role as a grant; one application and one host request wait.
    active_experts = set(
        ExpertProfile.objects.filter(is_active=True).values_list("user_id", flat=True)
    )
    assert (
        set(
            RoleGrant.objects.filter(role="expert", state="active").values_list(
                "user_id", flat=True
            )
        )
        == active_experts
    )
    assert RoleGrant.objects.get(user__email="host@example.org", role="host").organization.name == (
        "San Francisco Labor Council"
    )
    assert list(
        ExpertApplication.objects.filter(state="pending").values_list("user__email", flat=True)
    ) == ["applicant@example.org"]
    assert list(
        HostRequest.objects.filter(state="pending").values_list("user__email", "organization__name")
    ) == [("member@example.org", "Metro Detroit AFL-CIO")]
    assert User.objects.get(email="applicant@example.org").is_expert is False
    assert {
        "AFL-CIO",
        "SEIU",
        "San Francisco Labor Council",
        "Blue State Digital",
        "MoveOn",
    } <= set(Organization.objects.values_list("name", flat=True))
    assert set(Organization.objects.values_list("type", flat=True)) >= {
        "international-union",
        "state-federation",
        "central-labor-council",
        "local-union",
        "worker-center",
        "online-progressive",
        "consulting-firm",
        "canadian-counterpart",
    }
