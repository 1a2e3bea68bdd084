"""Read an API list's page as `.values()` rows shaped like its response schema — checked once, at import.

Why: django-ninja validates every object of a page through pydantic with a `DjangoGetter` (a Python
`__getattr__` per field, a Django template `Variable` per dotted alias such as `system.name`), after Django
built one model instance per row and per `select_related` table. For a 50-row page that was 80–90 % of an
API list request (issue #16). A `RowPlan` instead asks the database for exactly the schema's columns and
copies them into dicts in the schema's field order: what pydantic would have produced, without the work.

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
    """Attribute access to one `.values()` row, for properties and resolvers (`pk` is the primary key).

    `once(key, compute)` gives a value computed once per page (the rows of one `shape` call share it): a
    resolver deriving a state from today's date asks for the date once, not once per row.
    """

    __slots__ = ("_row", "_pk", "_page")

    def __init__(self, row: dict, pk: str, page: dict | None = None):
        self._row = row
        self._pk = pk
        self._page = {} if page is None else page

    def once(self, key: str, compute):
        try:
            return self._page[key]
        except KeyError:
            value = self._page[key] = compute()
            return value

    def __getattr__(self, name: str):
        if name == "pk":
            name = self._pk
        try:
            return self._row[name]
        except KeyError:
            raise AttributeError(f"{name!r} is not among the columns the row plan reads (add it to needs)") \
                from None


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
    """The columns of `model` that `schema` shows, and how to turn a `.values()` row into its dict."""

    def __init__(self, model: type[models.Model], schema, *, needs: tuple[str, ...] = ()):
        self.model, self.schema = model, schema
        self.pk = model._meta.pk.attname
        columns: list[str] = []
        self.shape_of: list[tuple[str, str | None, object]] = []  # (output name, column, computed)
        for name, info in schema.model_fields.items():
            path = info.alias or name
            problem = f"{schema.__name__}.{name} ({model.__name__}.{path})"
            if info.metadata:
                raise ImproperlyConfigured(f"{problem}: constrained fields are validated; a row plan cannot be used")
            resolver = inspect.getattr_static(schema, f"resolve_{name}", None)
            if resolver is not None:
                if not isinstance(resolver, staticmethod):
                    raise ImproperlyConfigured(f"{problem}: only static resolve_{name}(obj) can read a row")
                self.shape_of.append((name, None, resolver.__func__))
                continue
            prop = inspect.getattr_static(model, path, None)
            if isinstance(prop, property):
                self.shape_of.append((name, None, prop.fget))
                continue
            column = path.replace(".", "__")
            field, nullable = self._resolve(model, path.split("."), problem)
            annotation, optional = _split_optional(info.annotation)
            if nullable and not optional:
                raise ImproperlyConfigured(f"{problem}: the column can be null but the schema field is not optional")
            if not _matches(annotation, _expected(field)):
                raise ImproperlyConfigured(f"{problem}: {annotation!r} is not the column's type {_expected(field)}")
            columns.append(column)
            self.shape_of.append((name, column, None))
        self.columns = tuple(dict.fromkeys([*columns, *needs, self.pk]))
        self.computed = any(computed for _n, _c, computed in self.shape_of)

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
        """The queryset reading only the plan's columns, as dicts (select_related no longer applies)."""
        return queryset.values(*self.columns)

    def shape(self, rows: list[dict]) -> list[dict]:
        """Each row as the schema's dict: its fields in its order, computed fields computed."""
        shape_of, pk = self.shape_of, self.pk
        if not self.computed:
            return [{name: row[column] for name, column, _c in shape_of} for row in rows]
        shaped, page = [], {}
        for row in rows:
            view = RowView(row, pk, page)
            shaped.append({name: row[column] if computed is None else computed(view)
                           for name, column, computed in shape_of})
        return shaped
