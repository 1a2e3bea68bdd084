"""Applying a django-filter FilterSet the same way in every selector (pages and API share it)."""

from functools import cache

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters import filters as f

# django-filter's own filter() methods, which return the queryset unchanged for an empty value
_NOOP_WHEN_EMPTY = {f.Filter.filter, f.ChoiceFilter.filter, f.MultipleChoiceFilter.filter}


@cache
def _empty_is_identity(filterset_class) -> bool:
    """True when filtering with no parameters provably returns the queryset unchanged: no required filter,
    no custom form, no override of filter_queryset/qs, and every filter one of django-filter's own (or a
    `method=` filter, which django-filter skips on an empty value)."""
    base = django_filters.FilterSet
    if filterset_class.filter_queryset is not base.filter_queryset or filterset_class.qs is not base.qs:
        return False
    if filterset_class._meta.form is not forms.Form:
        return False
    for declared in filterset_class.base_filters.values():
        if declared.extra.get("required"):
            return False
        if declared.method is None and type(declared).filter not in _NOOP_WHEN_EMPTY:
            return False
    return True


def filtered(filterset_class, queryset: QuerySet, params) -> QuerySet:
    """Apply a filter set; invalid parameters raise ValueError naming the field (400 in the API)."""
    if not params and _empty_is_identity(filterset_class):
        # Building and validating the filter form costs ~1–4 ms per request; with nothing to filter by,
        # the answer is the queryset itself (every unfiltered list and API first page).
        return queryset
    filterset = filterset_class(params or {}, queryset=queryset)
    if not filterset.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        raise ValueError(problems)
    return filterset.qs
