"""Writes of the report engine: generate drafts, refresh, write the narratives, submit, correct.

Who does what: the contractor's project manager drafts and submits (the first step of the report's
sign-off); the parties of the type sign in order through tongyun.signoffs (return with a comment →
the report is editable again; resubmit → the snapshot is taken again). Signed → immutable; a correction
is a new version. Generation is idempotent: the worker may run twice or late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tongyun.catalog.models import System
from tongyun.core.scoping import scoped
from tongyun.domain import report_periods
from tongyun.parties.choices import Role
from tongyun.signoffs import flows
from tongyun.signoffs import services as signoffs
from tongyun.signoffs.choices import Party, SignOffState
from tongyun.signoffs.models import SignOff

from . import engine, types
from .choices import EDITABLE_STATES, Cadence, Level, ReportState
from .models import Report

SHANGHAI = ZoneInfo("Asia/Shanghai")
DRAFTERS = frozenset({Role.PROJECT_MANAGER})
STEP_LABELS = {Party.CONTRACTOR: "服务商提交", Party.UNIT: "用户单位签字确认", Party.SUPERVISOR: "监理确认",
               Party.BUREAU: "区经信局确认"}
SUBMIT_ACTION = _lazy("在报告页面提交（重新生成数据快照）")


# ---------------------------------------------------------------- flows


def register_flows() -> None:
    for report_type in types.registered():
        flows.register(flows.FlowType(
            key=report_type.flow_key, label=report_type.title,
            # the contractor's step is the report's submission (reports.services.submit), never a generic
            # approval: after a return, resubmitting takes the snapshot the parties sign again
            steps=[flows.Step(Party.CONTRACTOR, label=STEP_LABELS[Party.CONTRACTOR], subject_action=SUBMIT_ACTION),
                   *(flows.Step(party, label=STEP_LABELS.get(party, "")) for party in report_type.signers)],
            on_complete=_signed, on_return=_returned, on_withdraw=_withdrawn))


def _report_of(signoff) -> Report:
    return Report.objects.select_for_update().get(pk=signoff.subject_id)


def _signed(signoff) -> None:
    report = _report_of(signoff)
    report.state, report.signed_at = ReportState.SIGNED, signoff.ended_at
    report.save(update_fields=["state", "signed_at"])


def _returned(signoff, to_position: int) -> None:
    if to_position == 0:  # back to the contractor: editable again, resubmitted later
        report = _report_of(signoff)
        report.state = ReportState.RETURNED
        report.save(update_fields=["state"])


def _withdrawn(signoff) -> None:
    report = _report_of(signoff)
    report.state = ReportState.RETURNED
    report.save(update_fields=["state"])


# ---------------------------------------------------------------- scope, period, deadline


def due_at(report_type: types.ReportType, start: dt.date, end: dt.date) -> dt.datetime | None:
    calendar = None
    if report_type.deadline[0] == "working_days_after":
        from tongyun.incidents.clocks import working_calendar

        calendar = working_calendar()
    day = report_periods.due_date(report_type.deadline, report_periods.Period(start, end), calendar)
    return None if day is None else dt.datetime.combine(day, dt.time(23, 59, 59), SHANGHAI)


def in_service(start: dt.date, end: dt.date):
    return (System.objects.filter(service_start__isnull=False, service_start__lte=end)
            .filter(Q(service_end__isnull=True) | Q(service_end__gte=start)))


def scope_systems(report: Report) -> list[int]:
    if report.system_id:
        return [report.system_id]
    systems = in_service(report.period_start, report.period_end)
    if report.unit_id:
        systems = systems.filter(unit_id=report.unit_id)
    return list(systems.order_by("row_no", "id").values_list("id", flat=True))


def scope_label(report: Report) -> str:
    if report.system_id:
        return f"{report.system.unit.name} · {report.system.name}"
    if report.unit_id:
        return report.unit.name
    return _("顺义区（全部系统）")


def _scope_key(system=None, unit=None) -> str:
    if system is not None:
        return f"system:{system.pk}"
    if unit is not None:
        return f"unit:{unit.pk}"
    return "district"


def _title(report_type, label: str, start: dt.date, end: dt.date) -> str:
    return f"{report_periods.label(report_type.cadence, report_periods.Period(start, end))} {label} {report_type.title}"


def compute(report: Report, now: dt.datetime | None = None) -> dict:
    report_type = types.get(report.type_key)
    return engine.build(report_type, system_ids=scope_systems(report), scope_label=scope_label(report),
                        start=report.period_start, end=report.period_end, narratives=report.narratives, now=now)


# ---------------------------------------------------------------- generate


def _check_drafter(user) -> None:
    if user is not None and not (user.is_superuser or user.role in DRAFTERS):
        raise PermissionDenied(_("只有项目经理可以编制报告"))


def generate(report_type: types.ReportType, *, start: dt.date, end: dt.date, system=None, unit=None, user=None,
             now: dt.datetime | None = None) -> tuple[Report, bool]:
    """The draft of a type, scope and period (created once; an existing one is returned as it is)."""
    _check_drafter(user)
    now = now or timezone.now()
    if end < start:
        raise ValidationError({"period_end": _("结束日期不能早于开始日期")})
    if report_type.level == Level.SYSTEM and system is None:
        raise ValidationError({"system": _("此类报告需要选择系统")})
    if report_type.level == Level.UNIT and unit is None:
        raise ValidationError({"unit": _("此类报告需要选择用户单位")})
    if report_type.level != Level.SYSTEM:
        system = None
    if report_type.level == Level.DISTRICT:
        unit = None
    if system is not None:
        if report_type.rows and system.row_no not in report_type.rows:
            raise ValidationError({"system": _("此类报告不适用于该系统（适用序号：%(rows)s）")
                                   % {"rows": "、".join(map(str, report_type.rows))}})
        unit = system.unit
    key = _scope_key(system, unit)
    existing = (Report.objects.filter(type_key=report_type.key, scope_key=key, period_start=start)
                .order_by("-version").first())
    if existing is not None:
        return existing, False
    report = _draft(report_type, start, end, system=system, unit=unit, user=user, now=now,
                    due=due_at(report_type, start, end))
    report.data, report.data_at = compute(report, now), now
    report.save()
    return report, True


def _draft(report_type: types.ReportType, start: dt.date, end: dt.date, *, system, unit, user, now: dt.datetime,
           due: dt.datetime | None) -> Report:
    label = f"{system.name}" if system else (unit.name if unit else str(_("顺义区")))
    return Report(type_key=report_type.key, title=_title(report_type, label, start, end)[:300],
                  scope_key=_scope_key(system, unit), system=system, unit=unit, period_start=start, period_end=end,
                  due_at=due, created_at=now, created_by=user)


@dataclass
class Outcome:
    created: int = 0
    existing: int = 0


def targets(report_type: types.ReportType, start: dt.date, end: dt.date) -> list[dict]:
    """The scopes a periodic type has reports for in a period: its systems, units or the district."""
    if report_type.level == Level.DISTRICT:
        return [{}]
    systems = in_service(start, end).select_related("unit")
    if report_type.rows:
        systems = systems.filter(row_no__in=report_type.rows)
    if report_type.level == Level.SYSTEM:
        return [{"system": system} for system in systems.order_by("row_no", "id")]
    units = {system.unit_id: system.unit for system in systems}
    return [{"unit": unit} for _pk, unit in sorted(units.items())]


# Reports built together by generate_period: each section's batched queries serve a chunk of scopes; the
# chunk bounds the memory of the data dicts held before they are written.
BATCH_SIZE = 80


def generate_period(report_type: types.ReportType, start: dt.date, end: dt.date,
                    now: dt.datetime | None = None) -> Outcome:
    """Every draft of a type and period not made yet (the worker's run): the same reports as `generate` one by
    one, but each section is computed once for a chunk of scopes (engine.build_many) and the drafts are
    written in one transaction per chunk — what makes the 154 systems' month one set of queries per section."""
    now = now or timezone.now()
    existing = set(Report.objects.filter(type_key=report_type.key, period_start=start)
                   .values_list("scope_key", flat=True))
    every = targets(report_type, start, end)
    missing = [target for target in every if _scope_key(**target) not in existing]
    outcome = Outcome(existing=len(every) - len(missing))
    if not missing:
        return outcome
    due = due_at(report_type, start, end)  # the same for every scope of the period: computed once
    unit_systems: dict[int, list[int]] = {}
    if report_type.level == Level.UNIT:
        for pk, unit_id in in_service(start, end).order_by("row_no", "id").values_list("id", "unit_id"):
            unit_systems.setdefault(unit_id, []).append(pk)
    for index in range(0, len(missing), BATCH_SIZE):
        reports, scopes = [], []
        for target in missing[index:index + BATCH_SIZE]:
            system, unit = target.get("system"), target.get("unit")
            if system is not None:
                unit = system.unit
            report = _draft(report_type, start, end, system=system, unit=unit, user=None, now=now, due=due)
            reports.append(report)
            system_ids = unit_systems.get(unit.pk, []) if system is None and unit is not None else scope_systems(report)
            scopes.append(engine.Scope(system_ids, scope_label(report)))  # a unit's systems: read once above
        for report, data in zip(reports, engine.build_many(report_type, scopes, start=start, end=end, now=now),
                                strict=True):
            report.data, report.data_at = data, now
        # One INSERT each, in one transaction: the audit log records every draft (bulk_create sends no
        # signals), and PostgreSQL's multi-row bulk_create (UNNEST of arrays) quotes the ~35 kB data dicts
        # in Python on the client — slower than these INSERTs with their audit entries.
        with transaction.atomic():
            for report in reports:
                report.save(force_insert=True)
        outcome.created += len(reports)
    return outcome


def periods_to_generate(report_type: types.ReportType, today: dt.date) -> list[report_periods.Period]:
    """The period that just ended (the last few for daily and weekly: a worker down for days catches up),
    and — for a deadline inside the period (row 13: by the 30th of the quarter's last month) — the running
    period from the first day of its last month."""
    if not report_type.is_periodic:
        return []
    result = report_periods.recent_periods(report_type.cadence, today)
    current = report_periods.period_containing(report_type.cadence, today)
    if report_type.deadline[0] in ("last_month_day", "period_end") and today >= current.end.replace(day=1):
        result.append(current)
    return result


def generate_due(today: dt.date | None = None, now: dt.datetime | None = None) -> Outcome:
    """Every periodic type's drafts for the periods due at `today` (idempotent)."""
    today = today or timezone.localdate(timezone=SHANGHAI)
    total = Outcome()
    for report_type in types.registered():
        for period in periods_to_generate(report_type, today):
            outcome = generate_period(report_type, period.start, period.end, now=now)
            total.created += outcome.created
            total.existing += outcome.existing
    return total


# ---------------------------------------------------------------- edit, submit, correct


def _locked(user, report: Report) -> Report:
    if not scoped(Report.objects.filter(pk=report.pk), user).exists():
        raise Http404
    return Report.objects.select_for_update().get(pk=report.pk)


def _editable(report: Report) -> None:
    if report.state not in EDITABLE_STATES:
        raise ValidationError({"state": _("报告%(state)s，不能修改") % {"state": report.get_state_display()}})


def update(user, report: Report, *, narratives: dict[str, str], now: dt.datetime | None = None) -> Report:
    """The drafter writes the type's headings (and the data is computed again)."""
    _check_drafter(user)
    report_type = types.get(report.type_key)
    allowed = [str(h) for h in report_type.narratives]
    unknown = [h for h in narratives if h not in allowed]
    if unknown:
        raise ValidationError({"narratives": _("此类报告没有“%(h)s”一节") % {"h": unknown[0]}})
    with transaction.atomic():
        report = _locked(user, report)
        _editable(report)
        report.narratives = {**report.narratives, **{h: str(t)[:20000] for h, t in narratives.items()}}
        now = now or timezone.now()
        report.data, report.data_at = compute(report, now), now
        report.save(update_fields=["narratives", "data", "data_at"])
    return report


def refresh(user, report: Report, now: dt.datetime | None = None) -> Report:
    _check_drafter(user)
    with transaction.atomic():
        report = _locked(user, report)
        _editable(report)
        now = now or timezone.now()
        report.data, report.data_at = compute(report, now), now
        report.save(update_fields=["data", "data_at"])
    return report


def signoff_of(report: Report) -> SignOff | None:
    from tongyun.signoffs.selectors import signoff_for

    return signoff_for(report, types.get(report.type_key).flow_key)


def submit(user, report: Report, *, comment: str = "", now: dt.datetime | None = None) -> Report:
    """The contractor submits: the data is frozen, the sign-off starts (or, after a return, moves on)."""
    _check_drafter(user)
    now = now or timezone.now()
    report_type = types.get(report.type_key)
    with transaction.atomic():
        report = _locked(user, report)
        _editable(report)
        report.data, report.data_at = compute(report, now), now
        report.state, report.submitted_at = ReportState.SUBMITTED, now
        report.first_submitted_at = report.first_submitted_at or now
        report.save(update_fields=["data", "data_at", "state", "submitted_at", "first_submitted_at"])
        signoff = (SignOff.objects.filter(subject_id=report.pk, flow=report_type.flow_key,
                                          state=SignOffState.PENDING).order_by("-version").first())
        if signoff is None:
            signoff = signoffs.start(user, report, report_type.flow_key, title=report.title, unit=report.unit,
                                     system=report.system, due_at=report.due_at, now=now, comment=comment)
        if signoff.current_position != 0:
            raise ValidationError({"state": _("报告正在签署中")})
        signoffs.decide(user, signoff, "approve", comment=comment or _("提交"), now=now, by_subject=True)
    return report


def correct(user, report: Report, *, reason: str, now: dt.datetime | None = None) -> Report:
    """A correction of a signed report: a new version (draft) supersedes it; the signed one is kept."""
    _check_drafter(user)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明更正原因")})
    now = now or timezone.now()
    with transaction.atomic():
        old = _locked(user, report)
        if old.state != ReportState.SIGNED:
            raise ValidationError({"state": _("只有已签署的报告才能更正（出新版本）")})
        old.state = ReportState.SUPERSEDED
        old.save(update_fields=["state"])
        new = Report(type_key=old.type_key, title=old.title, scope_key=old.scope_key, system=old.system,
                     unit=old.unit, period_start=old.period_start, period_end=old.period_end,
                     version=old.version + 1, supersedes=old, due_at=old.due_at, narratives=old.narratives,
                     created_at=now, created_by=user,
                     first_submitted_at=old.first_submitted_at)  # lateness stays that of the first submission
        new.data, new.data_at = compute(new, now), now
        new.save()
    return new


def create(user, type_key: str, *, start: dt.date, end: dt.date, system_id: int | None = None,
           unit_id: int | None = None) -> Report:
    """A report made by hand (end of term, an event, a service report, or a periodic one early)."""
    try:
        report_type = types.get(type_key)
    except LookupError:
        raise ValidationError({"type": _("未知的报告类型“%(key)s”") % {"key": type_key}}) from None
    system = unit = None
    if system_id is not None:  # another unit's system does not exist for the user: 404, like its pages
        system = scoped(System.objects.select_related("unit"), user).filter(pk=system_id).first()
        if system is None:
            raise Http404
    if unit_id is not None:
        from tongyun.parties.models import Organisation

        unit = scoped(Organisation.objects.all(), user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404
    _check_drafter(user)
    if report_type.cadence not in (Cadence.TERM, Cadence.EVENT, Cadence.ONCE):
        period = report_periods.period_containing(report_type.cadence, start)
        start, end = period.start, period.end
    report, _created = generate(report_type, start=start, end=end, system=system, unit=unit, user=user)
    return report


def decide(user, report: Report, decision: str, *, comment: str = "", to_position: int | None = None,
           now: dt.datetime | None = None) -> SignOff:
    """A signer's decision on the report (its sign-off): only once the contractor has submitted it."""
    signoff = SignOff.objects.filter(subject_id=report.pk, flow=types.get(report.type_key).flow_key,
                                     state=SignOffState.PENDING).first()
    if signoff is None or report.state != ReportState.SUBMITTED:
        raise ValidationError({"decision": _("报告尚未提交（或已签署完成），不能签署")})
    return signoffs.decide(user, signoff, decision, comment=comment, to_position=to_position, now=now)
