"""Applying a django-filter FilterSet the same way in every selector (pages and API share it)."""

from django.db.models import QuerySet


def filtered(filterset_class, queryset: QuerySet, params) -> QuerySet:
    """Apply a filter set; invalid parameters raise ValueError naming the field (400 in the API)."""
    filterset = filterset_class(params or {}, queryset=queryset)
    if not filterset.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        raise ValueError(problems)
    return filterset.qs
