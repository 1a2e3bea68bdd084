from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from tongyun.core.permissions import can
from tongyun.core.scoping import scoped

# The models whose history can be browsed, by URL name.
BROWSABLE = {
    "system": "catalog.system",
    "slaterm": "catalog.slaterm",
    "device": "catalog.device",
    "inspectioncadence": "catalog.inspectioncadence",
    "assignment": "catalog.assignment",
    "organisation": "parties.organisation",
}


def _content_type(model_name: str) -> ContentType:
    if model_name not in BROWSABLE:
        raise Http404
    app_label, model = BROWSABLE[model_name].split(".")
    return ContentType.objects.get_by_natural_key(app_label, model)


def entry_list(user, model_name: str | None = None) -> QuerySet[LogEntry]:
    """All audit entries, newest first; only bureau and supervisor may browse them."""
    if not can(user, "audit.view"):
        raise Http404
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if model_name:
        entries = entries.filter(content_type=_content_type(model_name))
    return entries


def entries_for_object(user, model_name: str, object_id: int) -> tuple[object | None, QuerySet[LogEntry]]:
    """The history of one object (which may since have been deleted)."""
    content_type = _content_type(model_name)
    entries = entry_list(user).filter(content_type=content_type, object_id=object_id)
    model = content_type.model_class()
    obj = scoped(model.objects.all(), user).filter(pk=object_id).first()
    if obj is None and not entries.exists():
        raise Http404
    return obj, entries


def entry_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows of one entry, with field names as the model names them."""
    rows = []
    model = entry.content_type.model_class()
    for field_name, values in (entry.changes_dict or {}).items():
        try:
            label = str(model._meta.get_field(field_name).verbose_name)
        except Exception:  # a field removed since
            label = field_name
        before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        rows.append((label, before, after))
    return rows
