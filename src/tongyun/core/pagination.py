"""Keyset (cursor) pagination of every API list, with bounded inputs.

django-ninja's `CursorPagination` clamps `page_size` silently and trusts the position inside a cursor;
here `page_size` is 1 … the list's maximum (422 naming it otherwise), and a cursor whose position is not
a value of the ordering field (a hand-made or damaged cursor, an id beyond 64 bits) is a 422 naming
`cursor`, never a 500.
"""

from functools import wraps

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import CursorPagination, paginate

from .rows import RowPlan
from .schemas import MAX_ID, reject_control_characters

MAX_PAGE_SIZE = 500


def _bad_cursor() -> ValidationError:
    return ValidationError([{"loc": ["query", "cursor"], "msg": "无效的游标（请使用上一页返回的 next 或 previous）",
                             "type": "value_error"}])


class KeysetPagination(CursorPagination):
    class Input(Schema):
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description=f"1 … {MAX_PAGE_SIZE}")
        # a real cursor is ~40 characters; 256 four-byte characters, percent-encoded (3 KB), still fit the
        # request line gunicorn accepts (8,190 bytes) — a longer bound answered 414 from the server, not 422
        cursor: str | None = Field(None, max_length=256)

    def _find_position(self, queryset, cursor):
        if cursor.p is not None:
            try:
                reject_control_characters(cursor.p)
                field = queryset.model._meta.get_field(self._order_attribute)
                value = field.to_python(cursor.p)
            except (FieldDoesNotExist, DjangoValidationError, ValueError, TypeError) as error:
                raise _bad_cursor() from error
            if isinstance(field, models.IntegerField | models.AutoField) and not -MAX_ID <= value <= MAX_ID:
                raise _bad_cursor()
        return super()._find_position(queryset, cursor)


class RowsKeysetPagination(KeysetPagination):
    """KeysetPagination reading the page as `.values_list()` rows of a `core.rows.RowPlan` (see paginate_rows)."""

    def __init__(self, *, rows: RowPlan, **kwargs):
        self.rows = rows
        super().__init__(**kwargs)
        if self._order_attribute not in rows.index:
            raise ImproperlyConfigured(f"{rows.schema.__name__}: the ordering field {self._order_attribute!r} "
                                       "must be one of the columns read")
        self._order_position = rows.index[self._order_attribute]

    def _get_position(self, item) -> str:
        return str(item[self._order_position])

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(self.rows.values(queryset), pagination, request, **params)
        # the keys in the order of ninja's paginated Output schema, so the JSON is byte for byte the same
        return {"previous": result["previous"], "next": result["next"],
                "results": self.rows.shape(result[self.items_attribute])}


def paginate_rows(model, schema, *, needs: tuple[str, ...] = (), **page):
    """`@paginate(KeysetPagination, **page)` for a list of `schema`, answered without per-object validation.

    The page is read as `.values_list()` rows of the schema's columns (a RowPlan, checked against the model once,
    here at import) and rendered by the API's own JSON renderer: the same response as the validated way
    (tests/test_rows.py compares them), several times cheaper. The route keeps `response=list[schema]`,
    so the OpenAPI document does not change.
    """
    plan = RowPlan(model, schema, needs=needs)

    def decorator(view):
        paginated = paginate(RowsKeysetPagination, rows=plan, **page)(view)

        @wraps(paginated)
        def rendered(request, **kwargs):
            result = paginated(request, **kwargs)
            if not isinstance(result, dict):
                return result
            from tongyun.api import api  # the root API (imports every router, this module among them)

            return api.create_response(request, result, status=200)

        return rendered

    return decorator
