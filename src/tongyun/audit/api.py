from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from tongyun.core.pagination import KeysetPagination
from tongyun.core.schemas import Id

from . import selectors

router = Router(tags=["audit"])


class EntryOut(Schema):
    id: int
    timestamp: datetime
    actor: str | None
    action: str
    object_repr: str
    object_id: int | None
    model: str
    changes: list[dict]

    @staticmethod
    def resolve_actor(entry):
        return entry.actor.username if entry.actor else None

    @staticmethod
    def resolve_action(entry):
        return {0: "create", 1: "update", 2: "delete", 3: "access"}.get(entry.action, str(entry.action))

    @staticmethod
    def resolve_model(entry):
        return entry.content_type.model

    @staticmethod
    def resolve_changes(entry):
        return [{"field": f, "before": b, "after": a} for f, b, a in selectors.entry_changes(entry)]


@router.get("/entries", response=list[EntryOut])
@paginate(KeysetPagination, ordering=("-id",), page_size=50, max_page_size=500)
def list_entries(request, model: str | None = None):
    return selectors.entry_list(request.user, model)


@router.get("/{model}/{object_id}", response=list[EntryOut])
def object_history(request, model: str, object_id: Id):
    _obj, entries = selectors.entries_for_object(request.user, model, object_id)
    return entries
