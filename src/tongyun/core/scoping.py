"""Who may see what — the one place access scoping is decided.

Every selector, page and API endpoint passes its queryset through `scoped()`.

- bureau (甲方), supervisor (监理) and the contractor's PM, dispatcher and officers see everything;
- a user-unit account sees its own unit's systems and everything attached to them;
- contractor field staff (engineer, on-site staff, electrician) see the systems they are assigned to;
- anyone else (no role, no organisation) sees nothing.

A scoped model declares how it reaches the catalog: `scope_unit_field` (ORM path to the user unit)
and `scope_system_field` (ORM path to the system, or None when the row is not attached to one).
"""

from django.db.models import Model, QuerySet

from tongyun.parties.choices import Role

SEES_EVERYTHING = frozenset(
    {
        Role.BUREAU_ADMIN,
        Role.BUREAU_STAFF,
        Role.SUPERVISOR,
        Role.PROJECT_MANAGER,
        Role.DISPATCHER,
        Role.SECURITY_OFFICER,
        Role.DATA_QUALITY_OFFICER,
    }
)
SEES_OWN_UNIT = frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF})
SEES_ASSIGNED = frozenset({Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN})


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in SEES_EVERYTHING))


def scoped(queryset: QuerySet, user) -> QuerySet:
    """Restrict `queryset` to the rows `user` may see."""
    model: type[Model] = queryset.model
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    if user.role in SEES_OWN_UNIT and user.organisation_id:
        return queryset.filter(**{model.scope_unit_field: user.organisation_id})
    if user.role in SEES_ASSIGNED:
        from tongyun.catalog.models import Assignment

        assigned = Assignment.objects.filter(user=user)
        if model.scope_system_field is None:
            return queryset.filter(**{f"{model.scope_unit_field}__in": assigned.values("system__unit_id")})
        return queryset.filter(**{f"{model.scope_system_field}__in": assigned.values("system_id")})
    return queryset.none()
