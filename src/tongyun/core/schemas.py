"""Base classes of the API's bodies.

`InputSchema` is the base of every request body: an unknown field is refused (422 naming it) instead of
being silently ignored, and text carrying NUL or other control characters (other than tab and line
breaks) is refused with the field named — PostgreSQL cannot store NUL, and such text is never meant.
"""

import re

from ninja import Schema
from pydantic import ConfigDict, field_validator

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def reject_control_characters(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("含有不允许的控制字符（如 NUL）")
    return value


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value):
        if isinstance(value, str):
            return reject_control_characters(value)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    reject_control_characters(item)
        return value
