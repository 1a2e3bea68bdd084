"""Keyset (cursor) pagination of every API list, with bounded inputs.

django-ninja's `CursorPagination` clamps `page_size` silently and trusts the position inside a cursor;
here `page_size` is 1 … the list's maximum (422 naming it otherwise), and a cursor whose position is not
a value of the ordering field (a hand-made or damaged cursor, an id beyond 64 bits) is a 422 naming
`cursor`, never a 500.
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import CursorPagination

from .schemas import MAX_ID, reject_control_characters

MAX_PAGE_SIZE = 500


def _bad_cursor() -> ValidationError:
    return ValidationError([{"loc": ["query", "cursor"], "msg": "无效的游标（请使用上一页返回的 next 或 previous）",
                             "type": "value_error"}])


class KeysetPagination(CursorPagination):
    class Input(Schema):
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description=f"1 … {MAX_PAGE_SIZE}")
        cursor: str | None = Field(None, max_length=2000)

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
