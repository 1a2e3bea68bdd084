"""Writing the audit trail: people's events (the change entries are django-auditlog's), each sealed into
the hash chain (tongyun.audit.chain) in the writer's transaction."""

from django.db import transaction

from .chain import seal
from .models import ChainLink, Event


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


@transaction.atomic
def record_event(kind: str, *, request=None, actor=None, username: str = "", object_repr: str = "",
                 detail: str = "") -> Event:
    if actor is None and request is not None and getattr(request, "user", None) is not None \
            and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    event = Event.objects.create(
        kind=kind, actor=actor, username=(username or (actor.username if actor else ""))[:150],
        remote_addr=client_address(request), path=(request.get_full_path()[:300] if request is not None else ""),
        object_repr=str(object_repr)[:300], detail=detail)
    seal(ChainLink.Source.EVENT, event)
    return event
