"""A backup restores into an empty database of the other kind, SQLite to PostgreSQL and back,
and gives the same data; the signing keys travel only in their own file."""

import json
import os
import subprocess
import sys
import uuid

import psycopg

POPULATE = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "strategists.settings"
import django
django.setup()
from strategists.accounts import role_services
from strategists.accounts.models import Organization, SkillArea, User
from strategists.common.audit import audit_log
coordinator = User.objects.create_user(email="cora@example.net", name="Cora Ortiz", password="x-y-z-123456", is_coordinator=True)
member = User.objects.create_user(email="ana@example.net", name="Ana Muñoz", password="x-y-z-123456")
local = Organization.objects.create(name="Local 1001", slug="local-1001", type="local-union")
role_services.role_grant(user=member, role="host", organization=local, by=coordinator, reason="Chairs the committee.")
role_services.expert_application_submit(user=coordinator, skill_areas=SkillArea.objects.all()[:2], experience="Ten years", references="Pat")
audit_log("test.note", member, actor=coordinator, data={"note": "é ü"})
"""

EXCLUDE = ["-e", "contenttypes", "-e", "auth.permission", "-e", "sessions"]


def _postgres_admin_url() -> str:
    url = os.environ.get("STRATEGISTS_DATABASE_URL", "")
    return (
        url.rsplit("/", 1)[0]
        if url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432"
    )


def _run(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "strategists", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )


def _dump(env, path):
    _run(env, "dumpdata", *EXCLUDE, "-o", str(path))
    objects = json.loads(path.read_text())
    return {(o["model"], str(o["pk"])): o["fields"] for o in objects}


def test_backup_restores_from_sqlite_to_postgresql_and_back(tmp_path):
    admin = _postgres_admin_url()
    pg_name = f"restore_{uuid.uuid4().hex[:10]}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    sqlite_a = {
        **base,
        "STRATEGISTS_VAR_DIR": str(tmp_path / "a"),
        "STRATEGISTS_DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
    }
    postgres = {
        **base,
        "STRATEGISTS_VAR_DIR": str(tmp_path / "p"),
        "STRATEGISTS_DATABASE_URL": f"{admin}/{pg_name}",
    }
    sqlite_b = {
        **base,
        "STRATEGISTS_VAR_DIR": str(tmp_path / "b"),
        "STRATEGISTS_DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}",
    }
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{pg_name}"')
    try:
        _run(sqlite_a, "migrate", "-v0")
        subprocess.run([sys.executable, "-c", POPULATE], env=sqlite_a, check=True, timeout=120)
        (tmp_path / "a" / "keys").mkdir(parents=True)
        (tmp_path / "a" / "keys" / "key-1.pem").write_text("not a real key")
        backup = _run(
            sqlite_a, "backup", str(tmp_path / "one.json.gz"), "--keys", str(tmp_path / "keys.json")
        )
        _run(postgres, "restore", str(tmp_path / "one.json.gz"))
        _run(postgres, "backup", str(tmp_path / "two.json"))
        _run(sqlite_b, "restore", str(tmp_path / "two.json"), "--keys", str(tmp_path / "keys.json"))

        original = _dump(sqlite_a, tmp_path / "a.json")
        assert _dump(postgres, tmp_path / "p.json") == original
        assert _dump(sqlite_b, tmp_path / "b.json") == original
        assert original[("accounts.rolegrant", "1")]["reason"] == "Chairs the committee."
        assert "SIGNING KEYS (1)" in backup.stdout
        assert "not a real key" not in (tmp_path / "two.json").read_text()
        assert (tmp_path / "b" / "keys" / "key-1.pem").read_text() == "not a real key"
    finally:
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def test_restore_refuses_a_database_that_holds_people(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    env = {
        **base,
        "STRATEGISTS_VAR_DIR": str(tmp_path),
        "STRATEGISTS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    _run(env, "migrate", "-v0")
    subprocess.run([sys.executable, "-c", POPULATE], env=env, check=True, timeout=120)
    _run(env, "backup", str(tmp_path / "x.json"))

    refused = subprocess.run(
        [sys.executable, "-m", "strategists", "restore", str(tmp_path / "x.json")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert refused.returncode == 1
    assert "This database already holds 2 people" in refused.stderr
