"""`tongyun restore FILE --yes`: put back what `tongyun backup` saved — the database (replacing the current
one completely), the uploaded files and the secret key. Stop the web processes and the workers first
(docs/deployment.md); the archive's database kind must match the configured one."""

import json
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import copy_tree, pg_environment


class Command(BaseCommand):
    help = "Restore an archive made by `tongyun backup` (replaces the database and the uploaded files)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")
        parser.add_argument("--keep-secret-key", action="store_true",
                            help="keep this machine's secret key instead of the archive's")

    def handle(self, *args, archive, yes=False, keep_secret_key=False, **options):
        if not yes:
            raise CommandError("restore replaces the current database and files: add --yes to confirm")
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            try:
                with tarfile.open(archive, "r:gz") as tar:
                    tar.extractall(work, filter="data")
                manifest = json.loads((work / "manifest.json").read_text())
            except (OSError, tarfile.TarError, ValueError, KeyError) as error:
                raise CommandError(f"not a tongyun backup: {error}") from error
            if manifest.get("vendor") != connection.vendor:
                raise CommandError(f"the archive holds a {manifest.get('vendor')} database, "
                                   f"this platform uses {connection.vendor}")
            dump = work / manifest["database"]
            if connection.vendor == "sqlite":
                connection.ensure_connection()
                source = sqlite3.connect(dump)
                with source:
                    source.backup(connection.connection)
                source.close()
            else:
                connection.close()
                result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                         "--dbname", settings.DATABASES["default"]["NAME"], str(dump)],
                                        env=pg_environment(settings.DATABASES["default"]), capture_output=True,
                                        text=True)
                if result.returncode:
                    raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
            copy_tree(work / "media", Path(settings.MEDIA_ROOT))
            if (work / "secret_key").exists() and not keep_secret_key:
                key = settings.DATA_DIR / "secret_key"
                key.write_text((work / "secret_key").read_text())
                key.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"restored {archive} ({manifest['created_at']})"))
