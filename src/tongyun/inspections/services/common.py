"""What the inspection services share: roles, the service year, the working calendar."""

from __future__ import annotations

from tongyun.domain.working_calendar import WorkingCalendar
from tongyun.parties.choices import Role

SERVICE_YEAR = 2026  # the tender's service year (服务期 2026-01-01 … 2026-12-31)
FIELD_ROLES = frozenset({Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN})
PLAN_EDITORS = frozenset({Role.PROJECT_MANAGER})
PLAN_APPROVERS = frozenset({Role.UNIT_ADMIN})
SCHEDULE_FIELDS = ("frequency", "rrule")



def _calendar() -> WorkingCalendar:
    from tongyun.incidents.clocks import working_calendar

    return working_calendar()


def _role(user) -> str:
    return Role.BUREAU_ADMIN if user.is_superuser and not user.role else user.role
