"""Reads of the staffing domain, through tongyun.core.scoping.scoped()."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tongyun.core.feeds import secret_hash
from tongyun.core.permissions import can
from tongyun.core.scoping import scoped, sees_everything
from tongyun.domain import rosters

from . import rules
from .choices import ChangeState, Post
from .models import (
    Certificate,
    DutyRoster,
    EventReadiness,
    OnsiteAssignment,
    OnsiteChange,
    OnsitePost,
    PostHolding,
    RosterFeed,
    SafetySession,
    StaffMember,
    Training,
)

TZ = ZoneInfo("Asia/Shanghai")


def _on(qs, day: dt.date):
    return qs.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


# ---------------------------------------------------------------- register and post rules


def staff_list(user) -> QuerySet[StaffMember]:
    return scoped(StaffMember.objects.all(), user).distinct().prefetch_related("holdings", "certificates")


def staff_get(user, pk: int) -> StaffMember:
    return get_object_or_404(staff_list(user), pk=pk)


def sees_personal_data(user) -> bool:
    """ID numbers: only the PM (who keeps the register) and the bureau admin."""
    return can(user, "staffing.personal_data")


def sees_phones(user) -> bool:
    return can(user, "staffing.phones")


@dataclass
class RuleResult:
    label: str
    source: str
    required: str
    actual: int
    met: bool
    people: list[str]


def compliance(day: dt.date) -> list[RuleResult]:
    """Each post rule met or short on `day` (ST-02, ST-04), from the dated holdings and certificates."""
    holdings = list(_on(PostHolding.objects.select_related("person"), day))
    certificates = set(Certificate.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
                       .values_list("person_id", "kind"))
    results = []
    for rule in rules.POST_RULES:
        people = [h.person for h in holdings if h.post == rule.post]
        if rule.required_certificate:
            people = [p for p in people if (p.pk, rule.required_certificate) in certificates]
        n = len(people)
        met = n >= rule.minimum and (rule.maximum is None or n <= rule.maximum)
        required = f"{rule.minimum}" if rule.maximum == rule.minimum else f"≥{rule.minimum}"
        results.append(RuleResult(str(Post(rule.post).label), rule.source, required, n, met,
                                  [p.name for p in people]))
    per_person: dict[int, list[str]] = {}
    for h in holdings:
        per_person.setdefault(h.person_id, []).append(h.person.name)
    dual = sorted({names[0] for names in per_person.values() if len(names) > 1})
    results.append(RuleResult(str(rules.NO_DUAL_POSTS), "L27453", "0", len(dual), not dual, dual))
    return results


def compliant_on(day: dt.date) -> bool:
    return all(r.met for r in compliance(day))


def month_days(month: dt.date) -> list[dt.date]:
    n = month_calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=d) for d in range(1, n + 1)]


def compliant_days(month: dt.date) -> int:
    return sum(compliant_on(day) for day in month_days(month))


def expiring_certificates(today: dt.date | None = None, days: int = rules.CERTIFICATE_WARNING_DAYS):
    today = today or timezone.localdate()
    return (Certificate.objects.select_related("person")
            .filter(valid_until__isnull=False, valid_until__lte=today + dt.timedelta(days=days),
                    person__active=True).order_by("valid_until"))


# ---------------------------------------------------------------- on-site posts


def onsite_posts(user, day: dt.date | None = None) -> list[OnsitePost]:
    """The user's visible on-site posts, each with `.current` (assignments on `day`) and `.vacant`."""
    day = day or timezone.localdate()
    posts = list(scoped(OnsitePost.objects.select_related("system", "system__unit"), user).prefetch_related(
        Prefetch("assignments", queryset=OnsiteAssignment.objects.select_related("person"))))
    for post in posts:
        post.current = [a for a in post.assignments.all() if a.start <= day and (a.end is None or a.end >= day)]
        post.vacant = max(post.head_count - len(post.current), 0)
    return posts


def onsite_post_get(user, pk: int) -> OnsitePost:
    return get_object_or_404(scoped(OnsitePost.objects.select_related("system", "system__unit"), user), pk=pk)


def change_list(user) -> QuerySet[OnsiteChange]:
    return scoped(OnsiteChange.objects.select_related("post", "post__system", "leaving", "replacement"), user)


def change_get(user, pk: int) -> OnsiteChange:
    return get_object_or_404(change_list(user), pk=pk)


def pending_changes(user) -> QuerySet[OnsiteChange]:
    return change_list(user).filter(state=ChangeState.PENDING)


def onsite_full_days(system_ids: list[int], month: dt.date) -> dict[int, int | None]:
    """Days of the month every on-site post of the system had its head count (None: no on-site post)."""
    posts = list(OnsitePost.objects.filter(system_id__in=system_ids).prefetch_related("assignments"))
    result: dict[int, int | None] = {}
    by_system: dict[int, list[OnsitePost]] = {}
    for post in posts:
        by_system.setdefault(post.system_id, []).append(post)
    days = month_days(month)
    for system_id, its_posts in by_system.items():
        result[system_id] = sum(all(
            sum(1 for a in p.assignments.all() if a.start <= d and (a.end is None or a.end >= d)) >= p.head_count
            for p in its_posts) for d in days)
    return result


# ---------------------------------------------------------------- duty rosters


def roster_list(user) -> QuerySet[DutyRoster]:
    return scoped(DutyRoster.objects.select_related("system", "system__unit"), user).prefetch_related(
        "layers", "overrides")


def roster_get(user, pk: int) -> DutyRoster:
    return get_object_or_404(roster_list(user), pk=pk)


def roster_feed_by_token(token: str) -> RosterFeed | None:
    """The live feed of this secret, if its owner is active and still sees the roster (None: a 404)."""
    feed = (RosterFeed.objects.select_related("roster", "roster__system", "owner")
            .filter(token_hash=secret_hash(token), revoked_at__isnull=True, owner__is_active=True).first())
    if feed is None or not scoped(DutyRoster.objects.filter(pk=feed.roster_id), feed.owner).exists():
        return None
    return feed


def roster_feeds_of(user, roster: DutyRoster) -> QuerySet[RosterFeed]:
    """One's own links of a roster (nobody sees another person's)."""
    return RosterFeed.objects.filter(roster=roster, owner=user)


def _calendar():
    from tongyun.incidents.clocks import working_calendar

    return working_calendar()


@lru_cache(maxsize=256)
def _layer_days(calendar, first: dt.date, last: dt.date, kind: str, rrule: str) -> frozenset[dt.date]:
    # The calendar object is rebuilt whenever the bureau changes the declarations: a new cache key.
    return rosters.layer_days(first, last, calendar, kind=kind, rrule_text=rrule)


def roster_model(roster: DutyRoster, start: dt.datetime, end: dt.datetime, calendar=None):
    """The roster as the pure arithmetic sees it: (layers bottom → top, overrides)."""
    calendar = calendar or _calendar()
    first, last = (start.astimezone(TZ).date() - dt.timedelta(days=1), end.astimezone(TZ).date())
    layers = []
    for layer in sorted(roster.layers.all(), key=lambda x: x.position):
        days = None
        if layer.day_kind != "all" or layer.rrule:
            days = _layer_days(calendar, first, last, layer.day_kind, layer.rrule)
        window = (layer.window_start, layer.window_end) if layer.window_start is not None else None
        layers.append(rosters.Layer(start=layer.rotation_start, shift=dt.timedelta(hours=layer.shift_hours),
                                    members=tuple(layer.members), days=days, window=window, name=layer.name))
    overrides = [rosters.Override(o.start, o.end, o.person_id) for o in roster.overrides.all()]
    return layers, overrides


def roster_schedule(roster: DutyRoster, start: dt.datetime, end: dt.datetime, calendar=None) -> list[dict]:
    layers, overrides = roster_model(roster, start, end, calendar)
    slots = rosters.final_schedule(layers, overrides, start, end) if layers or overrides else []
    people = StaffMember.objects.in_bulk({s.member for s in slots})
    return [{"start": s.start, "end": s.end, "person": people.get(s.member), "source": s.source} for s in slots]


def roster_gaps(roster: DutyRoster, start: dt.datetime, end: dt.datetime, calendar=None):
    """The uncovered intervals of a 7×24 roster (a roster for set hours only has no gaps to report)."""
    layers, overrides = roster_model(roster, start, end, calendar)
    if not roster.round_the_clock:
        return []
    return rosters.gaps(layers, overrides, start, end)


def on_duty(system_id: int, at: dt.datetime | None = None) -> StaffMember | None:
    """Who is on duty for the system now (the first roster of the system that has someone)."""
    at = at or timezone.now()
    calendar = None
    for roster in DutyRoster.objects.filter(system_id=system_id).prefetch_related("layers", "overrides"):
        calendar = calendar or _calendar()
        layers, overrides = roster_model(roster, at - dt.timedelta(days=1), at + dt.timedelta(days=1), calendar)
        if not layers and not overrides:
            continue
        slot = rosters.on_duty(layers, overrides, at)
        if slot is not None:
            return StaffMember.objects.select_related("user").filter(pk=slot.member).first()
    return None


def on_duty_now(user, at: dt.datetime | None = None, limit: int = 20) -> list[tuple[DutyRoster, StaffMember]]:
    """(roster, person on duty) for the rosters the user may see that have someone on duty now."""
    at = at or timezone.now()
    calendar = None
    found: list[tuple[DutyRoster, int]] = []
    for roster in roster_list(user)[:limit]:
        calendar = calendar or _calendar()
        layers, overrides = roster_model(roster, at - dt.timedelta(days=1), at + dt.timedelta(days=1), calendar)
        slot = rosters.on_duty(layers, overrides, at) if layers or overrides else None
        if slot is not None:
            found.append((roster, slot.member))
    people = StaffMember.objects.in_bulk([member for _roster, member in found])
    return [(roster, people[member]) for roster, member in found if member in people]


def on_duty_user(system_id: int, at: dt.datetime | None = None):
    """The account of the person on duty, for the dispatch page (None when the person has no account)."""
    person = on_duty(system_id, at)
    return person.user if person is not None and person.user_id else None


# ---------------------------------------------------------------- major events


@dataclass
class ReadinessCheck:
    missing: list[str]
    due: bool  # a week before the period or later: what is missing must be named now

    @property
    def ready(self) -> bool:
        return not self.missing


def readiness_check(readiness: EventReadiness, today: dt.date | None = None) -> ReadinessCheck:
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    period = readiness.period
    missing: list[str] = []
    groups = list(readiness.groups.prefetch_related("members"))
    full = [g for g in groups if g.members.count() >= rules.MIN_GROUP_SIZE]
    if len(full) < rules.MIN_EVENT_GROUPS:
        missing.append(_("系统维护组 %(n)s 个（每组至少 2 人），要求不少于 3 个（DP-04，L27569–L27573），"
                         "缺 %(short)s 个") % {
            "n": len(full), "short": rules.MIN_EVENT_GROUPS - len(full)})
    if not readiness.vehicle_plate or readiness.driver_id is None:
        missing.append(_("额外工程车及专职司机未落实（DP-05，L27579–L27583）"))
    tasks = list(readiness.tasks.all())
    if not tasks:
        missing.append(_("未安排重保前检修清洁（DP-01，L27547–L27557）"))
    for task in tasks:
        if task.done_on is None or task.reported_on is None:
            missing.append(_("检修清洁“%(task)s”未完成或未通报甲方") % {"task": task.description})
    from tongyun.incidents.selectors import major_event_systems

    for system in major_event_systems(period).filter(row_no__in=rules.MAJOR_EVENT_DUTY_ROWS):
        rosters_of = list(DutyRoster.objects.filter(system=system).prefetch_related("layers", "overrides"))
        if not rosters_of:
            missing.append(_("第 %(row)s 行“%(system)s”要求重保值班，未排值班表") % {"row": system.row_no,
                                                                               "system": system.name})
            continue
        if all(roster_gaps(r, period.start, period.end) for r in rosters_of):
            missing.append(_("第 %(row)s 行“%(system)s”重保期值班有空档") % {"row": system.row_no,
                                                                        "system": system.name})
    due = today >= period.start.astimezone(TZ).date() - dt.timedelta(days=rules.READINESS_LEAD_DAYS)
    return ReadinessCheck(missing, due)


# ---------------------------------------------------------------- safety education, trainings


def safety_sessions() -> QuerySet[SafetySession]:
    return SafetySession.objects.prefetch_related("attendees")


def safety_held(month: dt.date) -> bool:
    start = month.replace(day=1)
    return SafetySession.objects.filter(held_on__gte=start, held_on__lte=month_days(start)[-1]).exists()


def months_without_safety_education(year: int, today: dt.date | None = None) -> list[dt.date]:
    """The months of `year` up to the current one with no safety session (ST-09: at least one a month)."""
    today = today or timezone.localdate()
    days = SafetySession.objects.filter(held_on__year=year).values_list("held_on", flat=True)
    held = {d.replace(day=1) for d in days}
    months = [dt.date(year, m, 1) for m in range(1, 13) if dt.date(year, m, 1) <= today]
    return [m for m in months if m not in held]


def training_list(user) -> QuerySet[Training]:
    return scoped(Training.objects.select_related("system", "system__unit", "after_change"), user)


def may_see_register(user) -> bool:
    return sees_everything(user)
