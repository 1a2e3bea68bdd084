"""Retention of the audit trail: entries are kept at least TONGYUN_AUDIT_RETENTION_DAYS (≥ 183 days)."""

import datetime as dt

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ChainLink, Event


@transaction.atomic
def purge_before(cutoff: dt.datetime) -> int:
    """Delete the entries before `cutoff` with their links (the oldest first, so the chain stays a chain)."""
    floor = timezone.now() - dt.timedelta(days=max(183, settings.TONGYUN_AUDIT_RETENTION_DAYS))
    cutoff = min(cutoff, floor)  # never less than six months, whatever is asked
    old_changes = LogEntry.objects.filter(timestamp__lt=cutoff)
    old_events = Event.objects.filter(timestamp__lt=cutoff)
    ChainLink.objects.filter(source=ChainLink.Source.CHANGE, entry_id__in=old_changes.values("pk")).delete()
    ChainLink.objects.filter(source=ChainLink.Source.EVENT, entry_id__in=old_events.values("pk")).delete()
    removed = old_changes.delete()[0] + old_events.delete()[0]
    return removed
