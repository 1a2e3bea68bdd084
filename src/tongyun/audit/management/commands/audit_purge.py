import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand

from tongyun.audit.retention import purge_before


class Command(BaseCommand):
    help = ("Delete audit entries older than the retention (TONGYUN_AUDIT_RETENTION_DAYS, never under 183 days: "
            "GB/T 22239 asks for six months). The chain is re-anchored: verification starts at the oldest kept entry.")

    def handle(self, *args, **options):
        from django.utils import timezone

        cutoff = timezone.now() - dt.timedelta(days=settings.TONGYUN_AUDIT_RETENTION_DAYS)
        removed = purge_before(cutoff)
        self.stdout.write(f"removed {removed} entries older than {cutoff:%Y-%m-%d}")
