"""iCalendar feed tokens (the secret is shown once; only its SHA-256 is kept)."""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.core.feeds import new_secret, secret_hash
from tongyun.core.scoping import scoped

from ..models import (
    FeedToken,
)

# ---------------------------------------------------------------- iCalendar feeds


@transaction.atomic
def create_feed(user, system: System | None = None) -> FeedToken:
    """A secret feed URL: the user's own tasks, or (anyone who sees it) one system's tasks."""
    if not user.is_authenticated:
        raise PermissionDenied
    if system is not None and not scoped(System.objects.filter(pk=system.pk), user).exists():
        raise PermissionDenied
    token, digest = new_secret()
    with set_actor(user):
        feed = FeedToken.objects.create(token_hash=digest, token_prefix=token[:6], owner=user, system=system)
    feed.token = token  # the secret itself, for this once: it is not stored
    return feed


def feed_token_hash(token: str) -> str:
    return secret_hash(token)


@transaction.atomic
def revoke_feed(user, feed: FeedToken, now: dt.datetime | None = None) -> None:
    if feed.owner_id != user.pk and not user.is_superuser:
        raise PermissionDenied
    if feed.revoked_at is None:
        feed.revoked_at = now or timezone.now()
        with set_actor(user):
            feed.save(update_fields=["revoked_at"])


def active_feeds_q() -> Q:
    return Q(revoked_at__isnull=True, owner__is_active=True)
