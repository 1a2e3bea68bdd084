import re

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from tongyun.core.permissions import can
from tongyun.core.scoping import scoped

from .choices import CHANGE_ACTIONS, EventKind
from .models import Event

NO_RELATED = re.compile(r"^\w+\.\w+\.None$")  # how django-auditlog writes an empty relation
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


def _dates(entries, filters, field="timestamp"):
    """date_from / date_to (inclusive, local days); a date that is not one is ignored."""
    for key, lookup in (("date_from", "gte"), ("date_to", "lte")):
        day = parse_date(str(filters.get(key) or "")) if filters.get(key) else None
        if day is not None and 1 <= day.year <= 9998:
            entries = entries.filter(**{f"{field}__date__{lookup}": day})
    return entries


def entry_list(user, model_name: str | None = None, filters: dict | None = None) -> QuerySet[LogEntry]:
    """Change entries, newest first, for those who may browse them; filters: date_from, date_to,
    operator (username or name), object (text of the object), action (0-3), model."""
    if not can(user, "audit.view"):
        raise Http404
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    filters = filters or {}
    model_name = model_name or filters.get("model")
    if model_name:
        entries = entries.filter(content_type=_content_type(model_name))
    entries = _dates(entries, filters)
    if operator := (filters.get("operator") or "").strip():
        entries = entries.filter(Q(actor__username__icontains=operator) | Q(actor__full_name__icontains=operator))
    if text := (filters.get("object") or "").strip():
        entries = entries.filter(object_repr__icontains=text)
    if str(filters.get("action", "")) in ("0", "1", "2", "3"):
        entries = entries.filter(action=int(filters["action"]))
    return entries


def event_list(user, filters: dict | None = None) -> QuerySet[Event]:
    """People's events (logins, failures, lockouts, denials, exports…) for the audit administrator and the
    supervisor; filters: date_from, date_to, operator, object (object or path), kind."""
    if not can(user, "audit.people"):
        raise Http404
    events = Event.objects.select_related("actor").order_by("-timestamp", "-id")
    filters = filters or {}
    events = _dates(events, filters)
    if operator := (filters.get("operator") or "").strip():
        events = events.filter(Q(username__icontains=operator) | Q(actor__full_name__icontains=operator))
    if text := (filters.get("object") or "").strip():
        events = events.filter(Q(object_repr__icontains=text) | Q(path__icontains=text) | Q(detail__icontains=text))
    if (kind := filters.get("kind")) in EventKind.values:
        events = events.filter(kind=kind)
    return events


def recent_logins(user, count: int = 2) -> list[Event]:
    """The person's last logins, newest first: [this one, the one before, …] (shown as 上次登录)."""
    return list(Event.objects.filter(actor=user, kind=EventKind.LOGIN).order_by("-timestamp", "-id")[:count])


def entries_for_object(user, model_name: str, object_id: int) -> tuple[object | None, QuerySet[LogEntry]]:
    """The history of one object (which may since have been deleted)."""
    content_type = _content_type(model_name)
    entries = entry_list(user).filter(content_type=content_type, object_id=object_id)
    model = content_type.model_class()
    obj = scoped(model.objects.all(), user).filter(pk=object_id).first()
    if obj is None and not entries.exists():
        raise Http404
    return obj, entries


def actor_label(entry) -> str:
    """Who, as people read it: the name and the username; the platform itself when no one."""
    actor = entry.actor
    if actor is None:
        return _("系统")
    return f"{actor.full_name}（{actor.username}）" if actor.full_name else actor.username


def action_label(entry: LogEntry) -> str:
    return str(CHANGE_ACTIONS.get(entry.action, entry.action))


def model_label(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else entry.content_type.model


def _display(field, value) -> str:
    """A stored value as a person reads it: labels of choices, names of related objects, 是/否, — for none."""
    if value is None or value in ("None", "") or NO_RELATED.match(str(value)):
        return "—"
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    internal = field.get_internal_type() if hasattr(field, "get_internal_type") else ""
    if internal == "BooleanField":
        return str(_("是")) if str(value) in ("True", "true", "1") else str(_("否"))
    if internal in ("ForeignKey", "OneToOneField"):
        try:
            related = field.related_model._default_manager.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return str(value)
        return str(related) if related is not None else _("（已删除 %(id)s）") % {"id": value}
    return str(value)


def entry_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows of one entry, with field names and values as people read them."""
    rows = []
    model = entry.content_type.model_class()
    for field_name, values in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(field_name) if model is not None else None
            label = str(getattr(field, "verbose_name", field_name))
        except FieldDoesNotExist:  # a field removed since
            field, label = None, field_name
        if field is not None and field.auto_created and not field.concrete:
            continue  # a reverse relation (django-auditlog writes "app.Model.None" for it): not a field of the object
        before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        rows.append((label, _display(field, before), _display(field, after)))
    return rows
