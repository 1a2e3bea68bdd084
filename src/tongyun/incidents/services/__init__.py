"""Writes of the incident domain, by sub-domain: tickets (report, lifecycle moves, reclassify, comment),
notifications (recipients, clock sweeps, delivery, read marks) and calendars (working calendar, business
hours, major-event periods). Everything is re-exported here, so `from tongyun.incidents import services`
keeps working."""

from .calendars import (
    _recompute_open,
    correct_calendar_day,
    declare_calendar_year,
    delete_major_event_period,
    remove_calendar_correction,
    save_major_event_period,
    set_business_hours,
)
from .common import (
    DOMAIN_DECIDED_ACTIONS,
    FIELD_ROLES,
    FUTURE_SLACK,
    MAY_BACKDATE,
    MAY_RECLASSIFY,
    MAY_REPORT,
    _check_target,
    _event,
    _iso,
    _role,
)
from .notifications import (
    DELIVERABLES,
    SWEEPS,
    _deliver,
    _enqueue_delivery,
    bureau_admins,
    closed_by,
    deliver_pending,
    deliverables,
    management_users,
    mark_all_read,
    mark_inbox_read,
    mark_read,
    mark_read_for_incident,
    message,
    notify,
    register_deliverable,
    sweep_clocks,
    unit_users,
)
from .tickets import _default_phone, _end_pause, comment, contact_defaults, reclassify, report_incident, take_action

__all__ = [
    "DELIVERABLES", "DOMAIN_DECIDED_ACTIONS", "FIELD_ROLES", "FUTURE_SLACK", "MAY_BACKDATE", "MAY_RECLASSIFY",
    "MAY_REPORT", "SWEEPS",
    "_check_target", "_default_phone", "_deliver", "_end_pause", "_enqueue_delivery", "_event", "_iso",
    "_recompute_open", "_role",
    "bureau_admins", "closed_by", "comment", "contact_defaults", "correct_calendar_day", "declare_calendar_year",
    "delete_major_event_period", "deliver_pending", "deliverables", "management_users", "mark_all_read",
    "mark_inbox_read", "mark_read",
    "mark_read_for_incident", "message", "notify", "reclassify", "register_deliverable",
    "remove_calendar_correction", "report_incident", "save_major_event_period", "set_business_hours",
    "sweep_clocks", "take_action", "unit_users",
]
