"""Read an API list's page as `.values_list()` rows shaped like its response schema — checked once, at import.

Why: django-ninja validates every object of a page through pydantic with a `DjangoGetter` (a Python
`__getattr__` per field, a Django template `Variable` per dotted alias such as `system.name`), after Django
built one model instance per row and per `select_related` table. For a 50-row page that was 80–90 % of an
API list request (issue #16). A `RowPlan` instead asks the database for exactly the schema's columns and
zips them into dicts in the schema's field order: what pydantic would have produced, without the work.

That is only the same answer if pydantic would not have changed a value, so the plan checks every field of
the schema against the model when it is built (at import) and refuses what it cannot prove unchanged: a
field must be a model column of the same Python type (an `int` for an integer column or a foreign key's
`_id`, `str` or a `str` enum for a text column, `datetime`, `date`, `Decimal`, `bool`, `dict`/`Any` for
JSON), optional whenever the column or a relation on its path can be null, and without pydantic
constraints. Two kinds of computed fields are allowed: a model `@property` (e.g. `Incident.number`) and a
ninja `resolve_<field>` static method; both are called with a `RowView` of the row, so they may read only
the columns the plan fetches (the schema's, plus `needs`). `tests/test_rows.py` compares both ways.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models

_TYPES: dict[type, tuple[type, ...]] = {
    models.AutoField: (int,), models.BigAutoField: (int,), models.SmallAutoField: (int,),
    models.IntegerField: (int,),  # and its subclasses (Positive…, Big…, Small…)
    models.CharField: (str,), models.TextField: (str,), models.GenericIPAddressField: (str,),
    models.BooleanField: (bool,), models.DateTimeField: (dt.datetime,), models.DateField: (dt.date,),
    models.DecimalField: (Decimal,), models.FloatField: (float,), models.JSONField: (dict, typing.Any),
    models.TimeField: (dt.time,),
}


class RowView:
    """Attribute access to one row of a plan's `values_list()`, for properties and resolvers (`pk` is the
    primary key). Each plan has its own subclass (`RowPlan.view`) with a property per column read: a
    resolver's `task.state` is one property call, not a failed lookup ending in `__getattr__`.

    `once(key, compute)` gives a value computed once per page (the rows of one `shape` call share it): a
    resolver deriving a state from today's date asks for the date once, not once per row.
    """

    __slots__ = ("_row", "_page")

    def __init__(self, row: tuple, page: dict | None = None):
        self._row = row
        self._page = {} if page is None else page

    def once(self, key: str, compute):
        try:
            return self._page[key]
        except KeyError:
            value = self._page[key] = compute()
            return value

    def __getattr__(self, name: str):  # only for a name the plan does not read
        raise AttributeError(f"{name!r} is not among the columns the row plan reads (add it to needs)")


def _column_property(position: int) -> property:
    return property(lambda view: view._row[position])


def _view_class(name: str, index: dict[str, int], pk: str) -> type[RowView]:
    """The RowView subclass of one plan: a property per column read, and `pk`."""
    taken = {"once", "pk"} | set(dir(RowView))
    clashes = sorted(column for column in index if column in taken or column.startswith("_"))
    if clashes:
        raise ImproperlyConfigured(f"{name}: the columns {clashes} cannot be read as attributes of a row")
    attributes = {column: _column_property(position) for column, position in index.items()}
    return type(f"{name}Row", (RowView,), {"__slots__": (), "pk": _column_property(index[pk]), **attributes})


def _expected(field: models.Field) -> tuple[type, ...]:
    if field.is_relation:  # the "_id" column of a foreign key: the target's primary key
        return _expected(field.target_field)
    for kind in type(field).__mro__:
        if kind in _TYPES:
            if kind is models.DateField and isinstance(field, models.DateTimeField):
                continue
            return _TYPES[kind]
    raise TypeError(f"no known Python type for {type(field).__name__}")


def _split_optional(annotation) -> tuple[object, bool]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return annotation, optional
    return annotation, False


def _matches(annotation, expected: tuple[type, ...]) -> bool:
    if annotation is typing.Any:
        return typing.Any in expected
    origin = typing.get_origin(annotation) or annotation
    if not isinstance(origin, type):
        return False
    if origin in expected:
        return True
    # a str enum (e.g. IncidentSource) dumps to the same JSON string as the column's str
    return str in expected and issubclass(origin, str) and issubclass(origin, enum.Enum)


class RowPlan:
    """The columns of `model` that `schema` shows, and how to turn a `.values_list()` row into its dict."""

    def __init__(self, model: type[models.Model], schema, *, needs: tuple[str, ...] = ()):
        self.model, self.schema = model, schema
        self.pk = model._meta.pk.attname
        # one column per schema field, in the schema's order, so that a row becomes the field's dict in one
        # dict(zip(names, row)); a computed field's place reads the primary key, its value then replaced
        slots: list[str] = []
        self.names: tuple[str, ...] = tuple(schema.model_fields)
        self.computed: list[tuple[str, object]] = []  # (output name, function of a RowView)
        for name, info in schema.model_fields.items():
            path = info.alias or name
            problem = f"{schema.__name__}.{name} ({model.__name__}.{path})"
            if info.metadata:
                raise ImproperlyConfigured(f"{problem}: constrained fields are validated; a row plan cannot be used")
            resolver = inspect.getattr_static(schema, f"resolve_{name}", None)
            if resolver is not None:
                if not isinstance(resolver, staticmethod):
                    raise ImproperlyConfigured(f"{problem}: only static resolve_{name}(obj) can read a row")
                self.computed.append((name, resolver.__func__))
                slots.append("")
                continue
            prop = inspect.getattr_static(model, path, None)
            if isinstance(prop, property):
                self.computed.append((name, prop.fget))
                slots.append("")
                continue
            column = path.replace(".", "__")
            field, nullable = self._resolve(model, path.split("."), problem)
            annotation, optional = _split_optional(info.annotation)
            if nullable and not optional:
                raise ImproperlyConfigured(f"{problem}: the column can be null but the schema field is not optional")
            if not _matches(annotation, _expected(field)):
                raise ImproperlyConfigured(f"{problem}: {annotation!r} is not the column's type {_expected(field)}")
            slots.append(column)
        extra = [c for c in dict.fromkeys([*needs, self.pk]) if c not in slots]
        # the columns read: a computed field's slot reads the primary key (values_list allows it twice)
        self.columns = tuple([column or self.pk for column in slots] + extra)
        # column → position, for RowView and the pagination's cursor (the first place a column is read)
        self.index: dict[str, int] = {}
        for position, column in enumerate([*slots, *extra]):
            if column:
                self.index.setdefault(column, position)
        self.view = _view_class(schema.__name__, self.index, self.pk)

    @staticmethod
    def _resolve(model, hops: list[str], problem: str) -> tuple[models.Field, bool]:
        nullable = False
        field = None
        for index, hop in enumerate(hops):
            try:
                field = model._meta.get_field(hop)
            except FieldDoesNotExist:
                raise ImproperlyConfigured(f"{problem}: {hop!r} is not a field of {model.__name__}") from None
            nullable = nullable or field.null
            if index < len(hops) - 1:
                if not field.many_to_one and not field.one_to_one:
                    raise ImproperlyConfigured(f"{problem}: {hop!r} is not a foreign key")
                model = field.related_model
            elif field.is_relation and field.attname != hop:
                raise ImproperlyConfigured(f"{problem}: name the column ({field.attname}), not the relation")
        return field, nullable

    def values(self, queryset):
        """The queryset reading only the plan's columns, as tuples (select_related no longer applies)."""
        return queryset.values_list(*self.columns)

    def shape(self, rows: list[tuple]) -> list[dict]:
        """Each row as the schema's dict: its fields in its order, computed fields computed."""
        names = self.names
        if not self.computed:
            # zip stops at the fields: the columns read only for resolvers (needs, the pk) stay out
            return [dict(zip(names, row, strict=False)) for row in rows]
        shaped, page, view_of, computed = [], {}, self.view, self.computed
        for row in rows:
            item = dict(zip(names, row, strict=False))
            view = view_of(row, page)
            for name, function in computed:
                item[name] = function(view)  # a key set again keeps its place: the schema's order holds
            shaped.append(item)
        return shaped
