"""The hash chain over the audit trail (tamper evidence).

Every entry — a django-auditlog change entry or an Event — is sealed when it is written, inside the same
transaction: its canonical text is hashed together with the digest of the entry before it. `verify()`
recomputes the chain from the stored entries; an entry edited, deleted or inserted afterwards breaks it
at that point. The head row is locked while a link is added (SELECT … FOR UPDATE on PostgreSQL; SQLite
writers are serialised anyway), so concurrent writers extend the chain one after the other.
"""

import hashlib
import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.db import transaction

from .models import ChainHead, ChainLink, Event


def _canonical_change(entry: LogEntry) -> str:
    return json.dumps([entry.pk, entry.content_type_id, str(entry.object_pk), entry.action, entry.changes_text,
                       entry.changes, entry.actor_id, entry.remote_addr, entry.timestamp.isoformat(),
                       entry.object_repr], ensure_ascii=False, sort_keys=True, default=str)


def _canonical_event(event: Event) -> str:
    return json.dumps([event.pk, event.kind, event.actor_id, event.username, event.remote_addr, event.path,
                       event.object_repr, event.detail, event.timestamp.isoformat()],
                      ensure_ascii=False, sort_keys=True, default=str)


def _digest(previous: str, text: str) -> str:
    return hashlib.sha256((previous + "\n" + text).encode()).hexdigest()


def seal(source: str, entry) -> ChainLink:
    text = _canonical_change(entry) if source == ChainLink.Source.CHANGE else _canonical_event(entry)
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # the migration creates it; a flushed test database may not have it
            head = ChainHead.objects.create(pk=1)
        link = ChainLink.objects.create(source=source, entry_id=entry.pk, previous=head.digest,
                                        digest=_digest(head.digest, text))
        head.digest, head.length = link.digest, head.length + 1
        head.save(update_fields=["digest", "length"])
    return link


@dataclass
class Verification:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(batch: int = 2000) -> Verification:
    """Walk the chain from its first remaining link; report every break (a link, an entry, the head)."""
    problems: list[str] = []
    previous = None
    checked = 0
    last_id = 0
    while True:
        links = list(ChainLink.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not links:
            break
        changes = LogEntry.objects.in_bulk([x.entry_id for x in links if x.source == ChainLink.Source.CHANGE])
        events = Event.objects.in_bulk([x.entry_id for x in links if x.source == ChainLink.Source.EVENT])
        for link in links:
            last_id = link.id
            checked += 1
            if previous is not None and link.previous != previous:
                problems.append(f"link {link.id}: does not follow the link before it (a link was removed)")
            entry = (changes if link.source == ChainLink.Source.CHANGE else events).get(link.entry_id)
            if entry is None:
                problems.append(f"link {link.id}: {link.source} entry {link.entry_id} was deleted")
            else:
                text = _canonical_change(entry) if link.source == ChainLink.Source.CHANGE else _canonical_event(entry)
                if _digest(link.previous, text) != link.digest:
                    problems.append(f"link {link.id}: {link.source} entry {link.entry_id} was altered")
            previous = link.digest
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and previous is not None and head.digest != previous:
        problems.append("the chain's last links were removed (head does not match)")
    sealed_changes = ChainLink.objects.filter(source=ChainLink.Source.CHANGE).values("entry_id")
    sealed_events = ChainLink.objects.filter(source=ChainLink.Source.EVENT).values("entry_id")
    first = ChainLink.objects.order_by("id").first()
    since = _timestamp_of(first) if first is not None else None
    if since is not None:
        unsealed = (LogEntry.objects.filter(timestamp__gte=since).exclude(pk__in=sealed_changes)
                    .count() + Event.objects.filter(timestamp__gte=since)
                    .exclude(pk__in=sealed_events).count())
        if unsealed:
            problems.append(f"{unsealed} entries were inserted outside the chain")
    return Verification(checked, problems)


def _timestamp_of(link: ChainLink):
    model = LogEntry if link.source == ChainLink.Source.CHANGE else Event
    entry = model.objects.filter(pk=link.entry_id).first()
    return entry.timestamp if entry else None
