"""Browsing the audit trail: change entries recorded by django-auditlog (who, when, what, before and after)
and people's events (logins, failures, lockouts, denials, exports), with names and labels as people read them."""
from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tongyun.core.pagination import KeysetPagination
from tongyun.core.schemas import Id

from . import selectors

router = Router(tags=["audit"])


class AuditChangeOut(Schema):
    field: str
    before: str
    after: str


class EntryOut(Schema):
    id: int
    timestamp: datetime
    actor: str | None
    actor_name: str
    action: str
    action_label: str
    object_repr: str
    object_id: int | None
    model: str
    model_label: str
    remote_addr: str | None
    changes: list[AuditChangeOut]

    @staticmethod
    def resolve_actor(entry):
        return entry.actor.username if entry.actor else None

    @staticmethod
    def resolve_actor_name(entry):
        return selectors.actor_label(entry)

    @staticmethod
    def resolve_action(entry):
        return {0: "create", 1: "update", 2: "delete", 3: "access"}.get(entry.action, str(entry.action))

    @staticmethod
    def resolve_action_label(entry):
        return selectors.action_label(entry)

    @staticmethod
    def resolve_model(entry):
        return entry.content_type.model

    @staticmethod
    def resolve_model_label(entry):
        return selectors.model_label(entry)

    @staticmethod
    def resolve_changes(entry):
        return [{"field": f, "before": b, "after": a} for f, b, a in selectors.entry_changes(entry)]


class AuditEventOut(Schema):
    id: int
    timestamp: datetime
    kind: str
    kind_label: str
    username: str
    actor_name: str
    remote_addr: str | None
    path: str
    object_repr: str
    detail: str

    @staticmethod
    def resolve_kind_label(event):
        return str(event.get_kind_display())

    @staticmethod
    def resolve_actor_name(event):
        return selectors.actor_label(event) if event.actor else event.username


class AuditFilters(Schema):
    date_from: date | None = None
    date_to: date | None = None
    operator: str | None = None
    object: str | None = None


class AuditChangeFilters(AuditFilters):
    model: str | None = None
    action: int | None = Field(None, ge=0, le=3)  # auditlog's create/update/delete/access


class AuditEventFilters(AuditFilters):
    kind: str | None = None


@router.get("/entries", response=list[EntryOut])
@paginate(KeysetPagination, ordering=("-id",), page_size=50, max_page_size=500)
def list_entries(request, filters: Query[AuditChangeFilters]):
    return selectors.entry_list(request.user, None, filters.dict(exclude_none=True))


@router.get("/events", response=list[AuditEventOut])
@paginate(KeysetPagination, ordering=("-id",), page_size=50, max_page_size=500)
def list_events(request, filters: Query[AuditEventFilters]):
    """People's events: the audit administrator and the supervisor (404 for others)."""
    return selectors.event_list(request.user, filters.dict(exclude_none=True))


@router.get("/{model}/{object_id}", response=list[EntryOut])
def object_history(request, model: str, object_id: Id):
    _obj, entries = selectors.entries_for_object(request.user, model, object_id)
    return entries
