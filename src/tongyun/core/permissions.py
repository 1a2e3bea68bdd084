"""What each role may do (writes). Reads are decided by tongyun.core.scoping."""

from django.core.exceptions import PermissionDenied

from tongyun.parties.choices import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    # Edit the catalog directly or by Excel import: the bureau owns the contract's catalog.
    "catalog.edit": frozenset({Role.BUREAU_ADMIN}),
    # Record a change of a system during the year (upgrade, shutdown, new start date).
    "catalog.record_change": frozenset({Role.BUREAU_ADMIN, Role.PROJECT_MANAGER}),
    # Assign field staff to systems.
    "catalog.assign_staff": frozenset({Role.BUREAU_ADMIN, Role.PROJECT_MANAGER, Role.DISPATCHER}),
    # Export the catalog to Excel: anyone who can read it, but only what they can read.
    "catalog.export": frozenset(Role.values),
    # Enter the official holiday arrangement of a year, correct single days, set business hours.
    "incidents.calendar": frozenset({Role.BUREAU_ADMIN}),
    # Plan major-event protection periods (重保期).
    "incidents.major_events": frozenset({Role.BUREAU_ADMIN}),
    # Read the SLA settings pages (calendar, business hours, major-event periods) without changing them.
    "incidents.view_settings": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR}),
    # See SLA compliance figures (a unit sees its own systems' figures through scoping).
    "incidents.compliance": frozenset(Role.values),
    # Browse the audit trail.
    "audit.view": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR}),
}


def can(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.role in CAPABILITIES[capability]


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(capability)
