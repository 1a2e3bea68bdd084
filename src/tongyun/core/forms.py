"""Helpers shared by the pages' forms."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError, rename: Callable[[str], str] | None = None) -> None:
    """Put a service's ValidationError on the form: each field's problems under that field (renamed when the
    service names it differently), the rest — and errors without fields — on the form itself."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        name = rename(field) if rename else field
        form.add_error(name if name in form.fields else None, problems)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the Django documentation's recipe): photos of a replacement, of a fault."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []
