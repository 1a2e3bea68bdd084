"""Monitoring API: the three alert receivers (authenticated by the source's own token), alert sources
(bureau admin), received events and correlation groups (scoped)."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from ninja.security import APIKeyQuery, HttpBearer

from tongyun.core.pagination import KeysetPagination, paginate_rows
from tongyun.core.schemas import Id

from . import receivers, selectors, services
from .choices import SourceKind
from .models import Event
from .schemas import (
    AlertEventOut,
    EventFilters,
    GroupDetailOut,
    GroupOut,
    MonitoringMessage,
    ReceivedOut,
    SourceIn,
    SourceOut,
    SourcePatch,
    SourceWithTokenOut,
    ZabbixIn,
)

router = Router(tags=["monitoring"])
PAGE = {"ordering": ("-id",), "page_size": 50, "max_page_size": 500}


class SourceBearer(HttpBearer):
    """Authorization: Bearer <the source's token>."""

    def authenticate(self, request, token):
        return services.source_authenticate(token)


class SourceQueryToken(APIKeyQuery):
    """?token=<the source's token>, for senders that cannot set a header."""

    param_name = "token"

    def authenticate(self, request, key):
        return services.source_authenticate(key)


SOURCE_AUTH = [SourceBearer(), SourceQueryToken()]


def _check_kind(source, kind: str) -> None:
    if source.kind != kind and kind != SourceKind.GENERIC:
        raise ValidationError({"token": _("此令牌属于“%(kind)s”类型的来源，请发送到 %(path)s") % {
            "kind": source.get_kind_display(), "path": selectors.RECEIVER_PATHS.get(source.kind, "")}})


def _json_body(request):
    try:
        return json.loads(request.body or b"null")
    except ValueError as error:
        raise NinjaValidationError([{"loc": ["body"], "msg": f"invalid JSON: {error}", "type": "json_invalid"}]) \
            from error


def _ingest_batch(source, parse, request) -> dict:
    """Store the good items of a batch and report the refused ones (200); 422 when nothing can be stored."""
    try:
        batch = parse(_json_body(request))
    except receivers.BatchInvalid as invalid:
        raise NinjaValidationError(invalid.errors) from invalid
    if batch.rejected and not batch.alerts:
        raise NinjaValidationError([error for item in batch.rejected for error in item["errors"]])
    result = services.ingest(source, batch.alerts).as_dict()
    result["received"] += len(batch.rejected)
    return {**result, "rejected": batch.rejected}


def _body_schema(schema: dict) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


BATCH_RESPONSES = {200: ReceivedOut, 401: MonitoringMessage, 422: MonitoringMessage}


@router.post("/alertmanager", auth=SOURCE_AUTH, response=BATCH_RESPONSES,
             openapi_extra=_body_schema({"$ref": "#/components/schemas/AlertmanagerIn"}))
def receive_alertmanager(request):
    """Prometheus Alertmanager webhook (`webhook_configs`, payload version "4").

    Alerts are taken one by one: an invalid alert (a NUL byte in a label, no start) is left out and listed in
    `rejected` while the others are stored, and the answer is 200 so that Alertmanager does not resend them;
    422 when no alert of the body can be stored."""
    source = request.auth
    _check_kind(source, SourceKind.ALERTMANAGER)
    return _ingest_batch(source, receivers.parse_alertmanager_batch, request)


@router.post("/zabbix", auth=SOURCE_AUTH, response=BATCH_RESPONSES)
def receive_zabbix(request, payload: ZabbixIn):
    """Zabbix webhook media type (the parameters are listed in docs/monitoring.md)."""
    source = request.auth
    _check_kind(source, SourceKind.ZABBIX)
    alerts = receivers.parse_zabbix(payload)
    return services.ingest(source, alerts, ignored=0 if alerts else 1).as_dict()


@router.post("/events", auth=SOURCE_AUTH, response=BATCH_RESPONSES,
             openapi_extra=_body_schema({"oneOf": [
                 {"$ref": "#/components/schemas/GenericEventIn"},
                 {"type": "array", "items": {"$ref": "#/components/schemas/GenericEventIn"}}]}))
def receive_events(request):
    """Generic JSON: one event object, or an array of them (invalid items of an array are listed in
    `rejected`, the others stored)."""
    return _ingest_batch(request.auth, receivers.parse_generic_batch, request)


# ---------------------------------------------------------------- sources (bureau admin)


def _source_out(source, token: str | None = None) -> dict:
    out = {"id": source.pk, "name": source.name, "kind": source.kind, "enabled": source.enabled,
           "default_system_id": source.default_system_id, "token_prefix": source.token_prefix,
           "mapping": source.mapping, "effective_mapping": receivers.effective_mapping(source.kind, source.mapping),
           "created_at": source.created_at, "receiver_path": selectors.RECEIVER_PATHS.get(source.kind, "")}
    if token is not None:
        out["token"] = token
    return out


@router.get("/sources", response=list[SourceOut])
def list_sources(request):
    return [_source_out(s) for s in selectors.source_list(request.user)]


@router.post("/sources", response={201: SourceWithTokenOut})
def create_source(request, body: SourceIn):
    source, token = services.source_create(request.user, name=body.name, kind=body.kind, mapping=body.mapping,
                                           default_system_id=body.default_system_id, enabled=body.enabled)
    return Status(201, _source_out(source, token))


@router.get("/sources/{source_id}", response=SourceOut)
def get_source(request, source_id: Id):
    return _source_out(selectors.source_get(request.user, source_id))


@router.patch("/sources/{source_id}", response=SourceOut)
def update_source(request, source_id: Id, body: SourcePatch):
    source = selectors.source_get(request.user, source_id)
    fields = body.dict(exclude_unset=True)
    kwargs = {k: fields[k] for k in ("name", "enabled", "mapping", "default_system_id") if k in fields}
    return _source_out(services.source_update(request.user, source, **kwargs))


@router.post("/sources/{source_id}/token", response=SourceWithTokenOut)
def regenerate_token(request, source_id: Id):
    source, token = services.source_regenerate_token(request.user, selectors.source_get(request.user, source_id))
    return _source_out(source, token)


# ---------------------------------------------------------------- events and groups (scoped)


@router.get("/alerts", response=list[AlertEventOut])
@paginate_rows(Event, AlertEventOut, **PAGE)
def list_events(request, filters: Query[EventFilters]):
    """Received alerts (events); `unmapped=true` lists those the mapping could not place."""
    return selectors.event_list(request.user, filters.dict(exclude_none=True))


@router.get("/groups", response=list[GroupOut])
@paginate(KeysetPagination, **PAGE)
def list_groups(request):
    return selectors.group_list(request.user)


@router.get("/groups/{group_id}", response=GroupDetailOut)
def get_group(request, group_id: Id):
    group = selectors.group_get(request.user, group_id)
    devices = list(selectors.group_devices(group))
    return {**{f: getattr(group, f) for f in ("id", "key", "system_id", "likely_cause_id", "opened_at",
                                               "last_event_at", "closed_at", "incident_id", "firing_count")},
            "severity": selectors.group_severity(group), "devices": devices[:500], "device_count": len(devices),
            "events": list(selectors.group_events(group)[:500])}
