"""Base classes and bounded types of the API's inputs.

`InputSchema` is the base of every request body: an unknown field is refused (422 naming it) instead of
being silently ignored, and text carrying NUL or other control characters (other than tab and line
breaks) is refused with the field named — PostgreSQL cannot store NUL, and such text is never meant.
Text inside lists and objects (labels, mappings) is checked too.

The bounded types keep hostile numbers and dates out of the database: an id is a positive 64-bit integer
(SQLite and PostgreSQL both store ids as signed 64-bit; a larger number used to reach the database and fail
there with a 500), and a date lies in the years the platform can mean (`DATE_MIN`…`DATE_MAX`: year 316 or
0001-01-01 are typing mistakes, and the latter overflows once converted to UTC).
"""

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_ID = 2**63 - 1  # the largest id a database stores (signed 64-bit)
# The platform holds the 2026 contract, its predecessors' history and its successors: dates outside these
# years are mistakes. Inclusive bounds.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)


def reject_control_characters(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("含有不允许的控制字符（如 NUL）")
    return value


def _check_text(value: Any) -> None:
    """Every string in a value, also in nested lists and objects (keys included): gathered, then searched
    once, joined by a tab (allowed, so the joins add no match). A request of a hundred alerts holds some
    1,700 strings; a call and a search for each were a tenth of its parsing."""
    if isinstance(value, str):
        reject_control_characters(value)
        return
    texts: list[str] = []
    _gather_text(value, texts)
    if texts:
        reject_control_characters("\t".join(texts))


def _gather_text(value: Any, texts: list[str]) -> None:
    if isinstance(value, str):
        texts.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if type(key) is str:
                texts.append(key)
            else:
                _gather_text(key, texts)
            if type(item) is str:
                texts.append(item)
            else:
                _gather_text(item, texts)
    elif isinstance(value, list | tuple | set):
        for item in value:
            if type(item) is str:
                texts.append(item)
            else:
                _gather_text(item, texts)


def _date_in_bounds(value: dt.date) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"日期须在 {DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()} 之间")
    return value


# A database id: 1 … 2^63-1 (path parameters, filters and body fields naming an object).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A year of the platform's range.
Year = Annotated[int, Field(ge=DATE_MIN.year, le=DATE_MAX.year)]
# Dates and moments of the platform's range.
SaneDate = Annotated[dt.date, AfterValidator(_date_in_bounds)]
SaneDatetime = Annotated[dt.datetime, AfterValidator(_date_in_bounds)]


class _RequestSchema(Schema):
    """What a request brings (a body, query parameters): no NUL or other control character in any text."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler, info: ValidationInfo) -> Any:
        """A request's body or parameters are a dict: validated as they are. ninja's own validator (for
        reading Django objects) wraps every input in a getter whose attribute lookups cost a receiver more
        than the rest of parsing a hundred alerts."""
        if type(values) is dict:  # (not a QueryDict or an object)
            return handler(values)
        return super()._run_root_validator(values, handler, info)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value):
        _check_text(value)
        return value


class InputSchema(_RequestSchema):
    model_config = ConfigDict(extra="forbid")


class FilterSchema(_RequestSchema):
    """Query parameters of a list (unknown query parameters stay ignored, as browsers and proxies add
    their own)."""
