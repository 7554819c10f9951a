"""A database named by a sqlite:/// URL is as safe for several processes as the default file."""

import json
import os
import subprocess
import sys

PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "strategists.settings"
import django
django.setup()
from django.db import connection
cursor = connection.cursor()
cursor.execute("PRAGMA journal_mode")
journal = cursor.fetchone()[0]
cursor.execute("PRAGMA busy_timeout")
busy = cursor.fetchone()[0]
cursor.execute("PRAGMA foreign_keys")
keys = cursor.fetchone()[0]
print(json.dumps([journal, busy, keys, connection.settings_dict["OPTIONS"]["transaction_mode"]]))
"""


def test_a_sqlite_url_gets_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    env = {
        **os.environ,
        "STRATEGISTS_DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
        "STRATEGISTS_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["wal", 20000, 1, "IMMEDIATE"]
