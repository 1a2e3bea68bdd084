"""`tongyun backup [--output FILE]`: one archive holding the database, the uploaded files and the secret key.

SQLite: an online, consistent copy through SQLite's backup API (the platform may keep running).
PostgreSQL: `pg_dump --format=custom` (consistent snapshot, the platform may keep running).
The archive (.tar.gz) holds `manifest.json`, `database.sqlite3` or `database.pgdump`, `media/` and
`secret_key` (sessions and signed links depend on it). It contains every secret of the platform: keep it
where the database is kept. Restore with `tongyun restore FILE` (docs/deployment.md).
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


def pg_environment(database: dict) -> dict:
    """libpq's environment for the configured database (the password never on a command line)."""
    env = {**os.environ, "PGHOST": str(database.get("HOST") or ""), "PGPORT": str(database.get("PORT") or ""),
           "PGUSER": str(database.get("USER") or ""), "PGDATABASE": str(database["NAME"])}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return {k: v for k, v in env.items() if v != ""}


class Command(BaseCommand):
    help = "Back up the database, the uploaded files and the secret key into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive path (default: DATA_DIR/backups/tongyun-<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(output) if output else settings.DATA_DIR / "backups" / f"tongyun-{stamp}.tar.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        database = settings.DATABASES["default"]
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            if connection.vendor == "sqlite":
                dump = work / "database.sqlite3"
                connection.ensure_connection()
                destination = sqlite3.connect(dump)
                with destination:
                    connection.connection.backup(destination)
                destination.close()
            elif connection.vendor == "postgresql":
                dump = work / "database.pgdump"
                result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)],
                                        env=pg_environment(database), capture_output=True, text=True)
                if result.returncode:
                    raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            else:
                raise CommandError(f"no backup for the {connection.vendor} database")
            manifest = {"format": 1, "created_at": stamp, "vendor": connection.vendor, "database": dump.name,
                        "migrations": MigrationRecorder(connection).migration_qs.count()}
            (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
            with tarfile.open(target, "w:gz") as archive:
                archive.add(work / "manifest.json", "manifest.json")
                archive.add(dump, dump.name)
                if Path(settings.MEDIA_ROOT).exists():
                    archive.add(settings.MEDIA_ROOT, "media")
                key = settings.DATA_DIR / "secret_key"
                if key.exists():
                    archive.add(key, "secret_key")
        target.chmod(0o600)
        self.stdout.write(str(target))


def copy_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    if source.exists():
        shutil.copytree(source, target)
