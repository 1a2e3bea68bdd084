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
    # Device availability (设备在线率): everyone reads it through scoping.
    "availability.view": frozenset(Role.values),
    # Request a maintenance window (planned 检修停机) for a system: the contractor's PM.
    "availability.request_window": frozenset({Role.PROJECT_MANAGER}),
    # Approve or reject a maintenance window: the bureau, or the administrator of the system's own unit
    # (the unit check is in tongyun.availability.services).
    "availability.approve": frozenset({Role.BUREAU_ADMIN, Role.UNIT_ADMIN}),
    # Ask the purchaser to accept an outage as not the contractor's (不可抗力, 施工), with evidence.
    "availability.request_acceptance": frozenset({Role.PROJECT_MANAGER, Role.DISPATCHER, Role.ENGINEER,
                                                  Role.ONSITE_STAFF, Role.ELECTRICIAN}),
    # Accept or refuse such an outage: only the purchaser (the bureau).
    "availability.accept_outage": frozenset({Role.BUREAU_ADMIN}),
    # Record a device outage found by an inspection or an incident (or otherwise known) by hand.
    "availability.record_outage": frozenset({Role.PROJECT_MANAGER, Role.DISPATCHER, Role.ENGINEER,
                                             Role.ONSITE_STAFF, Role.ELECTRICIAN, Role.BUREAU_ADMIN,
                                             Role.SUPERVISOR}),
    # Manage the built-in checks (HTTP/TCP/ICMP) of the systems: the bureau and the contractor's PM.
    "monitoring.checks": frozenset({Role.BUREAU_ADMIN, Role.PROJECT_MANAGER}),
    # Browse the audit trail.
    "audit.view": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR, Role.AUDIT_ADMIN}),
}


def register_capabilities(capabilities: dict[str, frozenset[str]]) -> None:
    """A domain adds its own capabilities in its AppConfig.ready(); a name is defined once."""
    for name, roles in capabilities.items():
        if name in CAPABILITIES and CAPABILITIES[name] != frozenset(roles):
            raise ValueError(f"capability {name!r} is already defined with other roles")
        CAPABILITIES[name] = frozenset(roles)


def can(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.role in CAPABILITIES[capability]


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(capability)
