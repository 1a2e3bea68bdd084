"""Writes of the staffing domain. Each checks the capability, validates, and records in one transaction."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.feeds import new_secret
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.domain import schedules
from tongyun.signoffs import services as signoff_services

from . import rules
from .choices import ChangeState, DayKind, Post
from .models import (
    Certificate,
    DutyLayer,
    DutyOverride,
    DutyRoster,
    EventReadiness,
    MaintenanceGroup,
    OnsiteAssignment,
    OnsiteChange,
    OnsitePost,
    PostHolding,
    PreEventTask,
    RosterFeed,
    SafetySession,
    StaffMember,
    Training,
)
from .onsite_seed import SEED

CHANGE_FLOW = "staffing.onsite_change"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _today() -> dt.date:
    return timezone.localdate()


def _overlapping(qs, start: dt.date, end: dt.date | None):
    """Rows of a dated queryset (start, end inclusive, end None = open) overlapping [start, end]."""
    qs = qs.filter(Q(end__isnull=True) | Q(end__gte=start))
    return qs if end is None else qs.filter(start__lte=end)


# ---------------------------------------------------------------- staff register


def create_staff(user, *, name: str, phone: str = "", id_number: str = "", social_insurance_months: int = 0,
                 account=None, note: str = "") -> StaffMember:
    require(user, "staffing.manage")
    if not name.strip():
        raise ValidationError({"name": _("请填写姓名")})
    return StaffMember.objects.create(name=name.strip(), phone=phone, id_number=id_number, user=account,
                                      social_insurance_months=social_insurance_months, note=note)


def add_certificate(user, person: StaffMember, *, kind: str, number: str = "", issuer: str = "",
                    valid_until: dt.date | None = None, scan=None) -> Certificate:
    require(user, "staffing.manage")
    certificate = Certificate(person=person, kind=kind, number=number, issuer=issuer, valid_until=valid_until)
    if scan is not None:
        certificate.scan = scan
    certificate.full_clean()
    certificate.save()
    return certificate


def _has_valid(person: StaffMember, kind: str, on: dt.date) -> bool:
    return person.certificates.filter(kind=kind).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)).exists()


def assign_post(user, person: StaffMember, post: str, *, start: dt.date, end: dt.date | None = None) -> PostHolding:
    """Give a person a post from `start`. A second post at the same time is refused (ST-04), and so is a post
    whose required certificate the person lacks on that day (电工证（低压）, L27451)."""
    require(user, "staffing.manage")
    if post not in Post.values:
        raise ValidationError({"post": _("未知岗位“%(post)s”") % {"post": post}})
    if end is not None and end < start:
        raise ValidationError({"end": _("截止日期不能早于起始日期")})
    with transaction.atomic():
        StaffMember.objects.select_for_update().filter(pk=person.pk).first()
        held = _overlapping(person.holdings.all(), start, end).first()
        if held is not None:
            raise ValidationError({"post": _(
                "%(person)s 已担任“%(held)s”（自 %(since)s 起），不得兼任“%(post)s”："
                "上述岗位人员不得兼任两个或以上的职务"
                "（ST-04，L27453）") % {"person": person.name, "held": held.get_post_display(), "since": held.start,
                                      "post": Post(post).label}})
        rule = rules.RULE_BY_POST[post]
        if rule.required_certificate and not _has_valid(person, rule.required_certificate, start):
            raise ValidationError({"post": _("%(person)s 没有 %(day)s 有效的%(cert)s，不能担任%(post)s（持证上岗）") % {
                "person": person.name, "day": start, "post": Post(post).label,
                "cert": dict(Certificate._meta.get_field("kind").choices)[rule.required_certificate]}})
        return PostHolding.objects.create(person=person, post=post, start=start, end=end)


def end_post(user, holding: PostHolding, *, end: dt.date) -> PostHolding:
    require(user, "staffing.manage")
    if end < holding.start:
        raise ValidationError({"end": _("截止日期不能早于起始日期")})
    holding.end = end
    holding.save(update_fields=["end"])
    return holding


# ---------------------------------------------------------------- on-site posts


def seed_onsite_posts() -> int:
    """Create the on-site posts of the tender rows (idempotent); return how many were created.
    A row whose catalog count disagrees with the checked seed stops the seeding: one of them is wrong."""
    created = 0
    systems = {s.row_no: s for s in System.objects.filter(row_no__in={p.row for p in SEED})}
    with transaction.atomic():
        for seed in SEED:
            system = systems.get(seed.row)
            if system is None:
                continue
            if system.onsite_staff_count and system.onsite_staff_count != seed.head_count:
                raise ValueError(f"row {seed.row}: catalog says {system.onsite_staff_count} on-site staff, "
                                 f"the checked seed {seed.head_count}")
            _post, made = OnsitePost.objects.get_or_create(
                system=system, label=seed.label,
                defaults={"head_count": seed.head_count, "pattern": seed.pattern, "hours_text": seed.hours_text,
                          "source_text": system.onsite_staff_text[:200], "source_line_start": seed.cell[0],
                          "source_line_end": seed.cell[1], "pattern_line": seed.pattern_line})
            created += made
    # upgrades recorded before the rule existed owe their training too
    from tongyun.catalog.models import SystemChange

    for change in SystemChange.objects.filter(kind="upgrade", system__row_no__in=list(rules.UPGRADE_TRAINING_ROWS),
                                              training__isnull=True).select_related("system"):
        created += training_after_change(change) is not None
    return created


def assign_onsite(user, post: OnsitePost, person: StaffMember, *, start: dt.date) -> OnsiteAssignment:
    """Fill a vacant place of an on-site post (a change of someone already posted goes by request_change)."""
    require(user, "staffing.manage")
    with transaction.atomic():
        OnsitePost.objects.select_for_update().filter(pk=post.pk).first()
        current = _overlapping(post.assignments.all(), start, None)
        if current.filter(person=person).exists():
            raise ValidationError({"person": _("%(person)s 已在该岗位") % {"person": person.name}})
        if current.count() >= post.head_count:
            raise ValidationError({"person": _("该岗位已满员（%(n)s 人）；更换驻场人员请提交变更申请，"
                                               "提前 7 天书面通知用户单位")
                                   % {"n": post.head_count}})
        return OnsiteAssignment.objects.create(post=post, person=person, start=start)


def request_change(user, post: OnsitePost, *, leaving: StaffMember | None, replacement: StaffMember, reason: str,
                   replacement_profile: str, effective_date: dt.date, notified_on: dt.date | None = None
                   ) -> OnsiteChange:
    """ST-05: written notice to the unit at least 7 calendar days before the change; the unit decides."""
    require(user, "staffing.manage")
    notified_on = notified_on or _today()
    errors = {}
    if not reason.strip():
        errors["reason"] = _("请写明调整原因")
    if not replacement_profile.strip():
        errors["replacement_profile"] = _("请附接替人员简历")
    earliest = notified_on + dt.timedelta(days=rules.NOTICE_DAYS)
    if effective_date < earliest:
        errors["effective_date"] = _("生效日期最早为 %(earliest)s：须提前 7 天书面通知用户单位"
                                     "（ST-05，L28550–L28556），"
                                     "通知日期 %(notified)s") % {"earliest": earliest, "notified": notified_on}
    if leaving is not None and leaving.pk == replacement.pk:
        errors["replacement"] = _("接替人员不能是调离人员本人")
    if leaving is not None and not _overlapping(post.assignments.filter(person=leaving), notified_on, None).exists():
        errors["leaving"] = _("%(person)s 不在该岗位") % {"person": leaving.name}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        change = OnsiteChange.objects.create(post=post, leaving=leaving, replacement=replacement, reason=reason,
                                             replacement_profile=replacement_profile, notified_on=notified_on,
                                             effective_date=effective_date, requested_by=user)
        due = dt.datetime.combine(effective_date, dt.time(0), timezone.get_default_timezone())
        signoff_services.start(user, change, CHANGE_FLOW, system=post.system, due_at=due, comment=reason,
                               title=_("驻场人员变更：%(system)s %(post)s，%(who)s → %(new)s，%(day)s 生效") % {
                                   "system": post.system.name, "post": post.label,
                                   "who": leaving.name if leaving else _("（空缺）"), "new": replacement.name,
                                   "day": effective_date})
    return change


def change_approved(signoff) -> None:
    """The unit agreed: the change takes effect on its date, or today if the approval came later."""
    change = OnsiteChange.objects.select_for_update().get(pk=signoff.subject_id)
    effective = max(change.effective_date, timezone.localdate(signoff.ended_at or timezone.now()))
    if change.leaving_id:
        for assignment in _overlapping(change.post.assignments.filter(person_id=change.leaving_id), effective, None):
            assignment.end = effective - dt.timedelta(days=1)
            assignment.save(update_fields=["end"])
    OnsiteAssignment.objects.create(post=change.post, person=change.replacement, start=effective)
    change.state = ChangeState.APPROVED
    change.effective_date = effective
    change.save(update_fields=["state", "effective_date"])


def change_rejected(signoff) -> None:
    OnsiteChange.objects.filter(pk=signoff.subject_id).update(state=ChangeState.REJECTED)


# ---------------------------------------------------------------- duty rosters


def create_roster(user, system: System, *, name: str, round_the_clock: bool = True) -> DutyRoster:
    require(user, "staffing.rosters")
    if not name.strip():
        raise ValidationError({"name": _("请填写名称")})
    return DutyRoster.objects.create(system=system, name=name.strip(), round_the_clock=round_the_clock)


def add_layer(user, roster: DutyRoster, *, name: str, rotation_start: dt.datetime, shift_hours: int,
              members: list[StaffMember], day_kind: str = DayKind.ALL, rrule: str = "",
              window_start: dt.time | None = None, window_end: dt.time | None = None) -> DutyLayer:
    require(user, "staffing.rosters")
    errors = {}
    if not members:
        errors["members"] = _("请至少选择一名轮值人员")
    if not 1 <= shift_hours <= 24 * 14:
        errors["shift_hours"] = _("每班时长应在 1 到 336 小时之间")
    if day_kind not in DayKind.values:
        errors["day_kind"] = _("未知的适用日")
    if (window_start is None) != (window_end is None) or (window_start is not None and window_start == window_end):
        errors["window_end"] = _("每日时段须同时填写开始和结束，且不相同")
    if rrule:
        try:
            rrule = schedules.validate_rrule(rrule)
        except schedules.ScheduleError as problem:
            errors["rrule"] = _("重复规则无效：%(problem)s") % {"problem": problem}
    if errors:
        raise ValidationError(errors)
    position = (roster.layers.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return DutyLayer.objects.create(roster=roster, position=position, name=name or _("第 %(n)s 层") % {"n": position},
                                    rotation_start=rotation_start, shift_hours=shift_hours, day_kind=day_kind,
                                    rrule=rrule, window_start=window_start, window_end=window_end,
                                    members=[m.pk for m in members])


def add_override(user, roster: DutyRoster, *, person: StaffMember, start: dt.datetime, end: dt.datetime,
                 reason: str = "") -> DutyOverride:
    require(user, "staffing.rosters")
    if end <= start:
        raise ValidationError({"end": _("结束时间须晚于开始时间")})
    return DutyOverride.objects.create(roster=roster, person=person, start=start, end=end, reason=reason)


@transaction.atomic
def create_roster_feed(user, roster: DutyRoster) -> RosterFeed:
    """A new secret iCalendar link of the roster for this person; their previous link of it stops now
    (regenerating is how a leaked link is revoked). The secret is on the returned row this once only."""
    if not user.is_authenticated or not scoped(DutyRoster.objects.filter(pk=roster.pk), user).exists():
        raise PermissionDenied
    now = timezone.now()
    with set_actor(user):
        for old in RosterFeed.objects.filter(roster=roster, owner=user, revoked_at__isnull=True):
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
        token, digest = new_secret()
        feed = RosterFeed.objects.create(roster=roster, owner=user, token_hash=digest, token_prefix=token[:6],
                                         created_at=now)
    feed.token = token  # not stored
    return feed


@transaction.atomic
def revoke_roster_feed(user, feed: RosterFeed) -> None:
    if feed.owner_id != user.pk:
        raise PermissionDenied
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        with set_actor(user):
            feed.save(update_fields=["revoked_at"])


# ---------------------------------------------------------------- major events, safety, trainings


def readiness_for(period) -> EventReadiness:
    readiness, _created = EventReadiness.objects.get_or_create(period=period)
    return readiness


@transaction.atomic
def add_group(user, readiness: EventReadiness, *, name: str, members: list[StaffMember]) -> MaintenanceGroup:
    """A maintenance group of the period (DP-04). One person is in one group of a period: the groups must be
    distinct teams, or "3 groups of 2" could be met by 2 people."""
    require(user, "staffing.readiness")
    # lock the period's readiness, so that two concurrent additions cannot both place the same person
    EventReadiness.objects.select_for_update().filter(pk=readiness.pk).first()
    taken = {member.pk: group.name for group in readiness.groups.prefetch_related("members")
             for member in group.members.all()}
    doubled = [f"{member.name}（{taken[member.pk]}）" for member in members if member.pk in taken]
    if doubled:
        raise ValidationError({"members": _("同一重保期内一人只能在一个维护组：%(names)s 已在其他维护组") % {
            "names": "、".join(doubled)}})
    group = MaintenanceGroup.objects.create(readiness=readiness, name=name)
    group.members.set(members)
    return group


def set_vehicle(user, readiness: EventReadiness, *, plate: str, driver: StaffMember | None) -> EventReadiness:
    require(user, "staffing.readiness")
    readiness.vehicle_plate, readiness.driver = plate.strip(), driver
    readiness.save(update_fields=["vehicle_plate", "driver"])
    return readiness


def add_task(user, readiness: EventReadiness, *, description: str) -> PreEventTask:
    require(user, "staffing.readiness")
    return PreEventTask.objects.create(readiness=readiness, description=description)


def complete_task(user, task: PreEventTask, *, done_on: dt.date, result: str,
                  reported_on: dt.date | None = None) -> PreEventTask:
    require(user, "staffing.readiness")
    if not result.strip():
        raise ValidationError({"result": _("请填写检修清洁结果")})
    task.done_on, task.result, task.reported_on = done_on, result, reported_on
    task.save(update_fields=["done_on", "result", "reported_on"])
    return task


def record_safety_session(user, *, held_on: dt.date, topic: str, trainer: str, attendees=(),
                          signed_list=None) -> SafetySession:
    require(user, "staffing.safety")
    session = SafetySession(held_on=held_on, topic=topic, trainer=trainer)
    if signed_list is not None:
        session.signed_list = signed_list
    session.full_clean(exclude=["attendees"])
    session.save()
    session.attendees.set(attendees)
    return session


def plan_trainings(year: int) -> int:
    """Plan the trainings the rows require (OT-01) for a year, spread evenly; idempotent."""
    created = 0
    for row, (times, basis) in rules.TRAINING_ROWS.items():
        system = System.objects.filter(row_no=row).first()
        if system is None:
            continue
        for n in range(times):
            month = 12 * (n + 1) // (times + 1)
            planned = dt.date(year, max(month, 1), 15)
            _t, made = Training.objects.get_or_create(system=system, planned_on=planned,
                                                      defaults={"topic": _("用户培训"), "basis": basis})
            created += made
    # upgrades recorded before the rule existed owe their training too
    from tongyun.catalog.models import SystemChange

    for change in SystemChange.objects.filter(kind="upgrade", system__row_no__in=list(rules.UPGRADE_TRAINING_ROWS),
                                              training__isnull=True).select_related("system"):
        created += training_after_change(change) is not None
    return created


def training_after_change(change) -> Training | None:
    """Hook "system_change_recorded": an upgrade of a row that asks for a training after each upgrade
    (rules.UPGRADE_TRAINING_ROWS) owes one, due UPGRADE_TRAINING_WORKING_DAYS working days after the
    upgrade takes effect. One per change (a one-to-one link): recording it again changes nothing."""
    from tongyun.catalog.choices import ChangeKind
    from tongyun.incidents.clocks import working_calendar

    system = change.system
    if change.kind != ChangeKind.UPGRADE or system.row_no not in rules.UPGRADE_TRAINING_ROWS:
        return None
    start = dt.datetime.combine(change.effective_date, dt.time(12), SHANGHAI)
    due = working_calendar().add_working_days(start, rules.UPGRADE_TRAINING_WORKING_DAYS)
    due_on = timezone.localtime(due).date()
    training, _created = Training.objects.get_or_create(after_change=change, defaults={
        "system": system, "planned_on": due_on, "due_on": due_on, "topic": _("系统升级后培训"),
        "basis": _("招标文件第 %(row)s 行：需要在系统升级后提供培训（%(lines)s）") % {
            "row": system.row_no, "lines": rules.UPGRADE_TRAINING_ROWS[system.row_no]}})
    return training


def record_training(user, training: Training, *, held_on: dt.date, attendance: int, materials=None) -> Training:
    require(user, "staffing.safety")
    training.held_on, training.attendance = held_on, attendance
    if materials is not None:
        training.materials = materials
    training.save()
    return training


def change_withdrawn(signoff) -> None:
    OnsiteChange.objects.filter(pk=signoff.subject_id).update(state=ChangeState.WITHDRAWN)
