"""Writes of the inspection domain, by sub-domain: plans (checklists, plans from the catalog, task generation,
plan edit and approval), tasks (recording, completion, assignment) and feeds (iCalendar tokens); the monthly
inspection reports are reports of tongyun.reports (type `inspections.monthly`). Everything is re-exported
here, so `from tongyun.inspections import services` keeps working."""

from .common import FIELD_ROLES, PLAN_APPROVERS, PLAN_EDITORS, SCHEDULE_FIELDS, SERVICE_YEAR, _calendar, _role
from .feeds import active_feeds_q, create_feed, feed_token_hash, revoke_feed
from .plans import (
    Generation,
    approve_plan,
    checklist_for,
    checklist_items,
    create_plans_from_catalog,
    default_inspectors,
    generate_all,
    generate_tasks,
    may_approve_plan,
    may_edit_plan,
    planned_occurrences,
    regenerate_after_calendar_change,
    regenerate_system,
    seed_checklists,
    service_window,
    update_plan,
)
from .tasks import (
    ASSIGNERS,
    assign_tasks,
    complete_task,
    fail_item,
    may_record,
    missing_required,
    record_result,
    start_task,
)

__all__ = [
    "FIELD_ROLES", "PLAN_APPROVERS", "PLAN_EDITORS",
    "SCHEDULE_FIELDS", "SERVICE_YEAR", "Generation",
    "ASSIGNERS", "assign_tasks", "default_inspectors",
    "_calendar", "_role", "active_feeds_q", "approve_plan",
    "checklist_for", "checklist_items", "complete_task", "create_feed", "create_plans_from_catalog",
    "fail_item", "feed_token_hash", "generate_all", "generate_tasks",
    "may_approve_plan", "may_edit_plan", "may_record",
    "missing_required", "planned_occurrences", "record_result",
    "regenerate_after_calendar_change", "regenerate_system",
    "revoke_feed", "seed_checklists", "service_window", "start_task",
    "update_plan",
]
