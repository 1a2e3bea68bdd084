"""Writes of monitoring: alert sources and their tokens (this module), and the ingestion of alerts
(tongyun.monitoring.ingestion, re-exported here: `services.ingest`, `services.correlate_event`), which puts
firing alerts into correlation groups (tongyun.monitoring.correlating) and keeps outages and device states
(tongyun.monitoring.outages).
"""

from __future__ import annotations

import hashlib
import secrets

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.parties.choices import Role

from . import receivers
from .choices import SourceKind
from .ingestion import IngestResult, correlate_event, ingest  # noqa: F401  (the public write API)
from .models import AlertSource

MAY_MANAGE_SOURCES = frozenset({Role.BUREAU_ADMIN})


def may_manage_sources(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role in MAY_MANAGE_SOURCES))


def _require_manager(user) -> None:
    if not may_manage_sources(user):
        raise PermissionDenied("monitoring.sources")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()




# ---------------------------------------------------------------- sources


def _new_token() -> tuple[str, str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), token[:8]


def _default_system(user, system_id: int | None) -> System | None:
    if system_id is None:
        return None
    system = System.objects.filter(pk=system_id).first()
    if system is None:
        raise ValidationError({"default_system_id": _("系统不存在")})
    return system


@transaction.atomic
def source_create(user, *, name: str, kind: str, mapping: dict | None = None, default_system_id: int | None = None,
                  enabled: bool = True) -> tuple[AlertSource, str]:
    """A new alert source; returns it with its token (shown once, only its hash is kept)."""
    _require_manager(user)
    if kind == SourceKind.BUILTIN:
        raise ValidationError({"kind": _("平台内置检测的来源由平台自动创建")})
    mapping = receivers.validate_mapping(mapping or {})
    if AlertSource.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("已有同名来源")})
    token, token_hash, prefix = _new_token()
    source = AlertSource(name=name.strip(), kind=kind, mapping=mapping, enabled=enabled, token_hash=token_hash,
                         token_prefix=prefix, default_system=_default_system(user, default_system_id))
    source.full_clean()
    with set_actor(user):
        source.save()
    return source, token


_UNSET = object()


@transaction.atomic
def source_update(user, source: AlertSource, *, name: str | None = None, enabled: bool | None = None,
                  default_system_id=_UNSET, mapping: dict | None = None) -> AlertSource:
    _require_manager(user)
    source = AlertSource.objects.select_for_update().get(pk=source.pk)
    if name is not None:
        if AlertSource.objects.filter(name=name.strip()).exclude(pk=source.pk).exists():
            raise ValidationError({"name": _("已有同名来源")})
        source.name = name.strip()
    if enabled is not None:
        source.enabled = enabled
    if default_system_id is not _UNSET:
        source.default_system = _default_system(user, default_system_id)
    if mapping is not None:
        source.mapping = receivers.validate_mapping(mapping)
    source.full_clean()
    with set_actor(user):
        source.save()
    return source


@transaction.atomic
def source_regenerate_token(user, source: AlertSource) -> tuple[AlertSource, str]:
    """A new token; the old one stops working at once."""
    _require_manager(user)
    token, token_hash, prefix = _new_token()
    source.token_hash, source.token_prefix = token_hash, prefix
    with set_actor(user):
        source.save(update_fields=["token_hash", "token_prefix"])
    return source, token


def source_authenticate(token: str) -> AlertSource | None:
    """The enabled source whose token this is."""
    if not token:
        return None
    return AlertSource.objects.filter(token_hash=hash_token(token), enabled=True).first()
