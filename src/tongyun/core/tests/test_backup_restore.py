"""`tongyun backup` and `tongyun restore`: a round trip on a database of its own (a fresh SQLite file, and a
fresh PostgreSQL database when the suite runs on PostgreSQL) — what was there at backup time comes back,
what was added later is gone, uploaded files and the secret key come back too."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2]

ROUND_TRIP = r"""
import subprocess, sys
from pathlib import Path
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from tongyun.parties.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("before_backup", password="x")
evidence = Path(settings.MEDIA_ROOT) / "evidence" / "probe.pdf"
evidence.parent.mkdir(parents=True, exist_ok=True)
evidence.write_bytes(b"%PDF-1.4 probe")
key = (settings.DATA_DIR / "secret_key").read_text()
archive = settings.DATA_DIR / "backup.tar.gz"
call_command("backup", output=str(archive), verbosity=0)
assert archive.stat().st_mode & 0o077 == 0, "the archive holds secrets: owner only"

User.objects.filter(username="before_backup").delete()
User.objects.create_user("after_backup", password="x")
evidence.write_bytes(b"overwritten")
(settings.DATA_DIR / "secret_key").write_text("another key")
try:
    call_command("restore", str(archive), verbosity=0)
    raise SystemExit("restore without --yes must refuse")
except Exception as error:
    assert "--yes" in str(error)
call_command("restore", str(archive), yes=True, verbosity=0)
from django.db import connection
connection.close()
names = set(User.objects.values_list("username", flat=True))
assert "before_backup" in names and "after_backup" not in names, names
assert evidence.read_bytes() == b"%PDF-1.4 probe"
assert (settings.DATA_DIR / "secret_key").read_text() == key
print("ROUND TRIP OK", connection.vendor)
"""


def _run(tmp_path, database_url=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TONGYUN_") and k != "DATABASE_URL"}
    env.update({"PYTHONPATH": str(SOURCE.parent), "DJANGO_SETTINGS_MODULE": "tongyun.settings",
                "TONGYUN_DATA_DIR": str(tmp_path)})
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "-c", ROUND_TRIP], env=env, capture_output=True, text=True, timeout=600)


def test_backup_and_restore_round_trip_on_sqlite(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0 and "ROUND TRIP OK sqlite" in result.stdout, result.stdout + result.stderr


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL run only")
def test_backup_and_restore_round_trip_on_postgresql(tmp_path):
    import psycopg

    base = os.environ["DATABASE_URL"]
    name = f"tongyun_restore_{uuid.uuid4().hex[:8]}"
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = _run(tmp_path, base.rsplit("/", 1)[0] + f"/{name}")
        assert result.returncode == 0 and "ROUND TRIP OK postgresql" in result.stdout, result.stdout + result.stderr
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
