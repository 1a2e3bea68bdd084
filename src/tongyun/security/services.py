"""Writes of the MLPS register, the assessment programme and the findings (MS-01, MS-02, MS-05).

Callers pass objects they fetched through `scoped()` (another unit's object is a 404 before it gets
here); the capability checks are here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.permissions import require
from tongyun.domain import sla_clock

from .choices import ASSESSMENT_QUOTAS, STAGE_ORDER, FindingAction, FindingStatus, MlpsStatus, ReminderKind, Stage
from .models import Assessment, AssessmentStep, Finding, FindingEvent, MlpsRecord, Reminder

# ---------------------------------------------------------------- the MLPS register (MS-02, MS-04)

_OWN = re.compile(r"暂由.{1,10}负责|不在本项目")
_NOT_REQUIRED = re.compile(r"不涉及|无等保|无要求|不用等保")


def status_from_tender(text: str, level: int | None, last_year: int | None) -> MlpsStatus:
    """The status as the tender's "五、等保测评" cell words it (e.g. "二级等保（2024 年已做）")."""
    text = text or ""
    if _OWN.search(text):
        return MlpsStatus.UNIT_OWN
    if "正在" in text:
        return MlpsStatus.IN_PROGRESS
    if "过期" in text:
        return MlpsStatus.EXPIRED
    if "未做" in text:
        return MlpsStatus.NEVER
    if last_year or re.search(r"已做", text):
        return MlpsStatus.ASSESSED
    if level is None and (_NOT_REQUIRED.search(text) or not text.strip()):
        return MlpsStatus.NOT_REQUIRED if text.strip() else MlpsStatus.UNSTATED
    return MlpsStatus.UNSTATED


def seed_mlps_register() -> int:
    """One register row per catalog system, from its tender cell (idempotent: existing rows are kept,
    so what the security officer entered — filing numbers — survives). Returns the rows created."""
    have = set(MlpsRecord.objects.values_list("system_id", flat=True))
    rows = [
        MlpsRecord(system=system, level=system.mlps_level, last_assessment_year=system.mlps_last_assessment_year,
                   status=status_from_tender(system.mlps_text, system.mlps_level, system.mlps_last_assessment_year),
                   tender_text=system.mlps_text, source_line_start=system.source_line_start,
                   source_line_end=system.source_line_end)
        for system in System.objects.exclude(pk__in=have)
    ]
    MlpsRecord.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def record_for(system: System) -> MlpsRecord:
    record = MlpsRecord.objects.filter(system=system).first()
    if record is None:
        seed_mlps_register()
        record = MlpsRecord.objects.get(system=system)
    return record


def update_mlps_record(user, record: MlpsRecord, **fields) -> MlpsRecord:
    require(user, "security.mlps_edit")
    allowed = {"level", "filing_number", "last_assessment_year", "status", "note"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError({name: _("不可修改的字段")})
        setattr(record, name, value)
    if record.level is not None and not 1 <= record.level <= 5:
        raise ValidationError({"level": _("等保级别应为 1–5")})
    record.full_clean()
    record.save()
    return record


# ---------------------------------------------------------------- the assessment programme (MS-01)


def quota(year: int) -> dict[int, int]:
    return ASSESSMENT_QUOTAS.get(year, {})


@transaction.atomic
def select_for_assessment(user, system: System, year: int = 2026) -> Assessment:
    """The bureau puts a system in the year's programme; refused beyond the quota of its level."""
    require(user, "security.select_assessments")
    record = record_for(system)
    limits = quota(year)
    if record.status == MlpsStatus.UNIT_OWN:
        raise ValidationError({"system_id": _("该系统的等保测评由用户单位自行负责，不在本项目范围内")})
    if record.level not in limits:
        raise ValidationError({"system_id": _("%(year)s 年测评计划只含等保级别 %(levels)s 的系统") % {
            "year": year, "levels": "、".join(str(level) for level in sorted(limits)) or "-"}})
    if Assessment.objects.filter(system=system, year=year).exists():
        raise ValidationError({"system_id": _("该系统已在 %(year)s 年测评计划中") % {"year": year}})
    # Serialise selections of one level on PostgreSQL so two at once cannot both take the last place.
    list(MlpsRecord.objects.select_for_update().filter(level=record.level).values_list("pk", flat=True)[:1])
    taken = Assessment.objects.filter(year=year, level=record.level).count()
    if taken >= limits[record.level]:
        raise ValidationError({"system_id": _("%(year)s 年%(level)s级等保测评名额 %(quota)s 个已选满") % {
            "year": year, "level": record.level, "quota": limits[record.level]}})
    return Assessment.objects.create(system=system, year=year, level=record.level, selected_by=user)


@transaction.atomic
def remove_from_programme(user, assessment: Assessment) -> None:
    require(user, "security.select_assessments")
    if assessment.steps.exists():
        raise ValidationError(_("测评已开始，不能移出计划"))
    assessment.delete()


def next_stage(stage: str) -> str:
    index = STAGE_ORDER.index(Stage(stage))
    if index + 1 >= len(STAGE_ORDER):
        raise ValidationError(_("测评已完成"))
    return STAGE_ORDER[index + 1]


@transaction.atomic
def advance_assessment(user, assessment: Assessment, *, completed_on: dt.date, note: str = "",
                       assessor: str | None = None, report=None, score: Decimal | None = None,
                       conclusion: str = "") -> Assessment:
    """Complete the current stage and move to the next. The report stage needs the report, the score and
    the conclusion."""
    require(user, "security.manage_assessments")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    stage = assessment.stage
    if stage == Stage.DONE:
        raise ValidationError(_("测评已完成"))
    previous = assessment.steps.order_by("-id").first()
    if previous is not None and completed_on < previous.completed_on:
        raise ValidationError({"completed_on": _("完成日期不能早于上一阶段（%(day)s）") % {
            "day": previous.completed_on.isoformat()}})
    if assessor:
        assessment.assessor = assessor
    if stage == Stage.REPORT:
        problems = {}
        if report is None and not assessment.report:
            problems["report"] = _("请上传测评报告")
        if score is None:
            problems["score"] = _("请填写测评得分")
        elif not Decimal(0) <= score <= Decimal(100):
            problems["score"] = _("得分应在 0–100 之间")
        if not conclusion:
            problems["conclusion"] = _("请选择测评结论")
        if problems:
            raise ValidationError(problems)
        if report is not None:
            assessment.report = report
        assessment.score, assessment.conclusion = score, conclusion
    AssessmentStep.objects.create(assessment=assessment, stage=stage, completed_on=completed_on, note=note,
                                  recorded_by=user)
    assessment.stage = next_stage(stage)
    assessment.full_clean(exclude=["report"])
    assessment.save()
    if assessment.stage == Stage.DONE:
        MlpsRecord.objects.filter(system_id=assessment.system_id).update(
            last_assessment_year=assessment.year, status=MlpsStatus.ASSESSED)
    return assessment


# ---------------------------------------------------------------- findings and remediation (MS-05)


def finding_deadline(system: System, found_at: dt.datetime, value: int, unit: str) -> dt.datetime:
    """"24 小时内完成整改" is calendar time, holidays included; working days follow the calendar."""
    from tongyun.incidents.clocks import calendar_for

    calendar = calendar_for(system) if unit == "working_day" else None
    return sla_clock.deadline(found_at, sla_clock.Target(value, unit), calendar)


@transaction.atomic
def record_finding(user, system: System, *, title: str, severity: str, source: str, found_at=None,
                   description: str = "", device=None, assessment=None, owner=None, limit_value: int = 24,
                   limit_unit: str = "hour") -> Finding:
    require(user, "security.record_findings")
    if device is not None and device.system_id != system.pk:
        raise ValidationError({"device_id": _("设备不属于该系统")})
    if assessment is not None and assessment.system_id != system.pk:
        raise ValidationError({"assessment_id": _("测评不属于该系统")})
    if not limit_value or limit_value < 1:
        raise ValidationError({"limit_value": _("整改时限应为正整数")})
    found_at = found_at or timezone.now()
    if timezone.is_naive(found_at):
        raise ValidationError({"found_at": _("发现时间需带时区")})
    finding = Finding(system=system, device=device, assessment=assessment, title=title, severity=severity,
                      source=source, found_at=found_at, description=description, owner=owner,
                      limit_value=limit_value, limit_unit=limit_unit, recorded_by=user,
                      due_at=finding_deadline(system, found_at, limit_value, limit_unit))
    finding.full_clean(exclude=["fix_evidence"])
    finding.save()
    FindingEvent.objects.create(finding=finding, action=FindingAction.RECORDED, by=user, at=timezone.now())
    return finding


def _may_fix(user, finding: Finding) -> None:
    if finding.owner_id == user.pk:
        return
    require(user, "security.fix_findings")


@transaction.atomic
def fix_finding(user, finding: Finding, *, description: str, evidence=None, fixed_at=None) -> Finding:
    """The owner records the fix with its evidence; the security officer verifies it next."""
    _may_fix(user, finding)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.OPEN:
        raise ValidationError(_("该问题不在待整改状态"))
    if not (description or "").strip():
        raise ValidationError({"description": _("请填写整改情况")})
    if evidence is None and not finding.fix_evidence:
        raise ValidationError({"evidence": _("请上传整改证明")})
    now = timezone.now()
    fixed_at = fixed_at or now
    if fixed_at > now or fixed_at < finding.found_at:
        raise ValidationError({"fixed_at": _("整改时间应在发现之后、当前时间之前")})
    finding.fix_description, finding.fixed_at, finding.status = description.strip(), fixed_at, FindingStatus.FIXED
    if evidence is not None:
        finding.fix_evidence = evidence
    finding.save()
    FindingEvent.objects.create(finding=finding, action=FindingAction.FIXED, by=user, at=now, note=description)
    _start_verification(user, finding)
    return finding


# The verification of a fix is a sign-off (docs/signoffs.md), never fields of the finding: the contractor
# fixes (fix_finding starts it), the security officer verifies, the system's unit confirms (MS-05: the
# contractor remediates the unit's assessment findings; the unit is the one whose system it is). A party
# that refuses rejects the sign-off and the finding goes back to be fixed again (a new sign-off then).
FINDING_FLOW = "security.finding_fix"


def finding_signoff(finding: Finding):
    from tongyun.signoffs import selectors as signoff_selectors

    return signoff_selectors.signoff_for(finding, FINDING_FLOW)


def _start_verification(user, finding: Finding) -> None:
    from tongyun.signoffs import services as signoffs

    signoffs.start(user, finding, FINDING_FLOW, title=_("整改验证：%(title)s") % {"title": finding.title},
                   system=finding.system)


def on_verification_complete(signoff) -> None:
    """Both the officer and the unit approved: the finding is closed, its reminders done."""
    finding = Finding.objects.select_for_update().get(pk=signoff.subject_id)
    last = signoff.steps.order_by("-position").first()
    finding.status, finding.closed_at = FindingStatus.CLOSED, signoff.ended_at
    finding.save(update_fields=["status", "closed_at"])
    Reminder.objects.filter(finding=finding).update(done=True)
    FindingEvent.objects.create(finding=finding, action=FindingAction.VERIFIED, by=last.decided_by,
                                at=signoff.ended_at, note=last.comment)


def on_verification_rejected(signoff) -> None:
    """A party refused the fix: back to the owner (the deadline stays, so a late refix counts overdue)."""
    finding = Finding.objects.select_for_update().get(pk=signoff.subject_id)
    refused = signoff.steps.exclude(decision="").order_by("-position").first()
    finding.status, finding.fixed_at = FindingStatus.OPEN, None
    finding.save(update_fields=["status", "fixed_at"])
    FindingEvent.objects.create(finding=finding, action=FindingAction.RETURNED, by=refused.decided_by,
                                at=signoff.ended_at, note=refused.comment)


def on_verification_withdrawn(signoff) -> None:
    """The one who recorded the fix took it back: the finding is to be fixed again."""
    finding = Finding.objects.select_for_update().get(pk=signoff.subject_id)
    finding.status, finding.fixed_at = FindingStatus.OPEN, None
    finding.save(update_fields=["status", "fixed_at"])


@transaction.atomic
def verify_finding(user, finding: Finding, *, accepted: bool, note: str = "") -> Finding:
    """The decision of whoever's turn it is on the fix's sign-off (the security officer, then the unit):
    accepted moves it on (the last approval closes the finding), refused sends the finding back."""
    from tongyun.signoffs import services as signoffs

    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    signoff = finding_signoff(finding)
    if finding.status != FindingStatus.FIXED or signoff is None or not signoff.is_open:
        raise ValidationError(_("该问题尚未整改，无法验证"))
    if not signoffs.may_decide(user, signoff):
        raise PermissionDenied(_("当前环节不由您验证"))
    if not accepted and not (note or "").strip():
        raise ValidationError({"note": _("退回时请说明原因")})
    signoffs.decide(user, signoff, "approve" if accepted else "reject", comment=(note or "").strip())
    finding.refresh_from_db()
    return finding


def sweep_overdue_findings(now: dt.datetime | None = None) -> int:
    """One reminder per finding that passed its deadline unfixed (at most once, however often it runs)."""
    now = now or timezone.now()
    overdue = Finding.objects.filter(status=FindingStatus.OPEN, due_at__lte=now).values_list(
        "pk", "system_id", "due_at")
    rows = [Reminder(kind=ReminderKind.FINDING_OVERDUE, key=f"finding:{pk}:overdue", finding_id=pk,
                     system_id=system_id, due_on=timezone.localtime(due_at).date())
            for pk, system_id, due_at in overdue]
    before = Reminder.objects.filter(kind=ReminderKind.FINDING_OVERDUE).count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Reminder.objects.filter(kind=ReminderKind.FINDING_OVERDUE).count() - before
