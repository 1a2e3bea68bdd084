"""Writes of the inspection domain, by sub-domain: plans (checklists, plans from the catalog, task generation,
plan edit and approval), tasks (recording, completion, assignment), feeds (iCalendar tokens) and reports
(monthly inspection reports). Everything is re-exported here, so `from tongyun.inspections import services`
keeps working."""

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
from .reports import (
    EDITABLE_REPORT_STATES,
    REPORT_DUE_DAY,
    REPORT_EDITORS,
    REPORT_SIGNERS,
    REPORT_SUBMITTERS,
    REPORT_TEXT_FIELDS,
    ReportGeneration,
    _shanghai,
    build_snapshots,
    confirm_report,
    following_month,
    generate_monthly_reports,
    may_edit_report,
    may_refresh_report,
    may_sign_report,
    may_submit_report,
    refresh_report,
    report_due,
    report_month,
    return_report,
    sla_outcome,
    submit_report,
    systems_in_service,
    update_report,
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
    "EDITABLE_REPORT_STATES", "FIELD_ROLES", "PLAN_APPROVERS", "PLAN_EDITORS", "REPORT_DUE_DAY", "REPORT_EDITORS",
    "REPORT_SIGNERS", "REPORT_SUBMITTERS", "REPORT_TEXT_FIELDS", "SCHEDULE_FIELDS", "SERVICE_YEAR", "Generation",
    "ReportGeneration",
    "ASSIGNERS", "assign_tasks", "default_inspectors",
    "_calendar", "_role", "_shanghai", "active_feeds_q", "approve_plan", "build_snapshots",
    "checklist_for", "checklist_items", "complete_task", "confirm_report", "create_feed", "create_plans_from_catalog",
    "fail_item", "feed_token_hash", "following_month", "generate_all", "generate_monthly_reports", "generate_tasks",
    "may_approve_plan", "may_edit_plan", "may_edit_report", "may_record", "may_refresh_report", "may_sign_report",
    "may_submit_report", "missing_required", "planned_occurrences", "record_result", "refresh_report",
    "regenerate_after_calendar_change", "regenerate_system", "report_due", "report_month", "return_report",
    "revoke_feed", "seed_checklists", "service_window", "sla_outcome", "start_task", "submit_report",
    "systems_in_service", "update_plan", "update_report",
]
