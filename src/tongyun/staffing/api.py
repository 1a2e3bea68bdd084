"""/api/v1/staffing/… — staff register, post rules, on-site posts and changes, duty rosters, readiness, safety."""

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router
from ninja.pagination import CursorPagination, paginate

from tongyun.catalog.models import System
from tongyun.core.permissions import require
from tongyun.core.schemas import Id, SaneDate, Year
from tongyun.core.scoping import scoped
from tongyun.incidents import selectors as incident_selectors

from . import selectors, services
from .models import StaffMember
from .schemas import (
    StaffingChangeIn,
    StaffingChangeOut,
    StaffingComplianceOut,
    StaffingLayerIn,
    StaffingMemberIn,
    StaffingMemberOut,
    StaffingOnDutyOut,
    StaffingOnsitePostOut,
    StaffingOverrideIn,
    StaffingPostIn,
    StaffingReadinessOut,
    StaffingRosterDetailOut,
    StaffingRosterIn,
    StaffingRosterOut,
    StaffingSafetyIn,
    StaffingSafetyMonthOut,
)

RosterDays = Annotated[int, Field(ge=1, le=366)]
router = Router(tags=["人员与值班"])
PAGE = {"ordering": ("id",), "page_size": 50, "max_page_size": 500}
TZ = selectors.TZ


def _member(person: StaffMember, user) -> dict:
    phones, personal = selectors.sees_phones(user), selectors.sees_personal_data(user)
    return {"id": person.pk, "name": person.name, "username": person.user.username if person.user_id else None,
            "phone": person.phone if phones else None, "id_number": person.id_number if personal else None,
            "social_insurance_months": person.social_insurance_months, "active": person.active,
            "posts": [{"post": h.post, "start": h.start, "end": h.end} for h in person.holdings.all()],
            "certificates": [{"kind": c.kind, "number": c.number if personal else "", "issuer": c.issuer,
                              "valid_until": c.valid_until} for c in person.certificates.all()]}


def _active_person(pk: int) -> StaffMember:
    return get_object_or_404(StaffMember.objects.filter(active=True), pk=pk)


@router.get("/staff", response=list[StaffingMemberOut])
def list_staff(request):
    """The contractor's people the user may see (a unit: those posted on its systems)."""
    return [_member(p, request.user) for p in selectors.staff_list(request.user).select_related("user")[:1000]]


@router.get("/staff/{staff_id}", response=StaffingMemberOut)
def get_staff(request, staff_id: Id):
    return _member(selectors.staff_get(request.user, staff_id), request.user)


@router.post("/staff", response=StaffingMemberOut)
def create_staff(request, body: StaffingMemberIn):
    person = services.create_staff(request.user, **body.dict())
    return _member(person, request.user)


@router.post("/staff/{staff_id}/posts", response=StaffingMemberOut)
def assign_post(request, staff_id: Id, body: StaffingPostIn):
    """Give a post; a second post at the same time is refused (ST-04, 400 naming the post held)."""
    person = selectors.staff_get(request.user, staff_id)
    services.assign_post(request.user, person, body.post, start=body.since)
    return _member(selectors.staff_get(request.user, staff_id), request.user)


@router.get("/compliance", response=StaffingComplianceOut)
def compliance(request, on: dt.date | None = None):
    """Each post rule met or short on a date (default today): minimum counts (ST-02), no dual posts (ST-04)."""
    require(request.user, "staffing.view")
    day = on or timezone.localdate()
    rules = selectors.compliance(day)
    return {"on": day, "compliant": all(r.met for r in rules),
            "rules": [{"label": r.label, "source": r.source, "required": r.required, "actual": r.actual,
                       "met": r.met} for r in rules]}


def _post_out(post) -> dict:
    return {"id": post.pk, "system_id": post.system_id, "unit_id": post.system.unit_id, "row_no": post.system.row_no,
            "label": post.label, "head_count": post.head_count, "pattern": post.pattern, "hours_text": post.hours_text,
            "source_line_start": post.source_line_start, "source_line_end": post.source_line_end,
            "current": [a.person.name for a in post.current], "vacant": post.vacant}


@router.get("/posts", response=list[StaffingOnsitePostOut])
def list_posts(request, on: dt.date | None = None):
    """On-site posts per system (ST-07) with who is posted on the date and the vacancies."""
    return [_post_out(p) for p in selectors.onsite_posts(request.user, on)]


@router.get("/posts/{post_id}", response=StaffingOnsitePostOut)
def get_post(request, post_id: Id):
    selectors.onsite_post_get(request.user, post_id)
    return _post_out(next(p for p in selectors.onsite_posts(request.user) if p.pk == post_id))


def _change_out(change) -> dict:
    return {"id": change.pk, "post_id": change.post_id, "system_id": change.post.system_id,
            "leaving": change.leaving.name if change.leaving_id else None, "replacement": change.replacement.name,
            "notified_on": change.notified_on, "effective_date": change.effective_date, "state": change.state}


@router.post("/posts/{post_id}/changes", response=StaffingChangeOut)
def request_change(request, post_id: Id, body: StaffingChangeIn):
    """Change of on-site staff (ST-05): effective at least 7 days after today's written notice, once the unit
    approves through the sign-off (`/api/v1/signoffs/{id}/decision`)."""
    post = selectors.onsite_post_get(request.user, post_id)
    change = services.request_change(
        request.user, post, leaving=_active_person(body.leaving_id) if body.leaving_id else None,
        replacement=_active_person(body.replacement_id), reason=body.reason,
        replacement_profile=body.replacement_profile, effective_date=body.effective_date)
    return _change_out(change)


@router.get("/changes", response=list[StaffingChangeOut])
@paginate(CursorPagination, **PAGE)
def list_changes(request):
    return selectors.change_list(request.user)


@router.get("/changes/{change_id}", response=StaffingChangeOut)
def get_change(request, change_id: Id):
    return _change_out(selectors.change_get(request.user, change_id))


def _roster_out(roster) -> dict:
    return {"id": roster.pk, "system_id": roster.system_id, "unit_id": roster.system.unit_id, "name": roster.name,
            "round_the_clock": roster.round_the_clock}


@router.get("/rosters", response=list[StaffingRosterOut])
def list_rosters(request):
    """The duty rosters of the systems the user may see (DP-12: the unit's own)."""
    return [_roster_out(r) for r in selectors.roster_list(request.user)]


@router.get("/rosters/{roster_id}", response=StaffingRosterDetailOut)
def get_roster(request, roster_id: Id, start: SaneDate | None = None, days: RosterDays = 7):
    """Who is on duty from `start` (default today) for `days` days, and the uncovered intervals (7×24)."""
    roster = selectors.roster_get(request.user, roster_id)
    begin = dt.datetime.combine(start or timezone.localdate(), dt.time(0), TZ)
    end = begin + dt.timedelta(days=max(1, min(days, 366)))
    schedule = selectors.roster_schedule(roster, begin, end)
    return {**_roster_out(roster),
            "schedule": [{"start": s["start"], "end": s["end"], "person": s["person"].name if s["person"] else None,
                          "phone": s["person"].phone if s["person"] else None, "source": s["source"]}
                         for s in schedule],
            "gaps": [{"start": a, "end": b} for a, b in selectors.roster_gaps(roster, begin, end)]}


@router.post("/rosters", response=StaffingRosterOut)
def create_roster(request, body: StaffingRosterIn):
    require(request.user, "staffing.rosters")
    system = get_object_or_404(scoped(System.objects.all(), request.user), pk=body.system_id)
    return _roster_out(services.create_roster(request.user, system, name=body.name,
                                              round_the_clock=body.round_the_clock))


@router.post("/rosters/{roster_id}/layers", response=StaffingRosterOut)
def add_layer(request, roster_id: Id, body: StaffingLayerIn):
    """Add a rotation layer on top (higher layers win); members take turns in the order given."""
    roster = selectors.roster_get(request.user, roster_id)
    people = StaffMember.objects.in_bulk(body.member_ids)
    members = [people[i] for i in body.member_ids if i in people]
    data = body.dict(exclude={"member_ids"})
    services.add_layer(request.user, roster, members=members, **data)
    return _roster_out(roster)


@router.post("/rosters/{roster_id}/overrides", response=StaffingRosterOut)
def add_override(request, roster_id: Id, body: StaffingOverrideIn):
    roster = selectors.roster_get(request.user, roster_id)
    services.add_override(request.user, roster, person=_active_person(body.person_id), start=body.starts_at,
                          end=body.ends_at, reason=body.reason)
    return _roster_out(roster)


@router.get("/on-duty", response=list[StaffingOnDutyOut])
def on_duty(request):
    """Who is on duty now on each roster the user may see."""
    now = timezone.now()
    answer = []
    for roster in selectors.roster_list(request.user):
        schedule = selectors.roster_schedule(roster, now - dt.timedelta(days=1), now + dt.timedelta(days=1))
        slot = next((s for s in schedule if s["start"] <= now < s["end"]), None)
        person = slot["person"] if slot else None
        answer.append({"system_id": roster.system_id, "roster_id": roster.pk, "person": person.name if person else None,
                       "phone": person.phone if person else None, "until": slot["end"] if slot else None})
    return answer


@router.get("/readiness", response=list[StaffingReadinessOut])
def readiness(request):
    """Major-event readiness (DP-01 … DP-05) of every major-event period, with what is missing."""
    require(request.user, "staffing.view")
    answer = []
    for period in incident_selectors.major_event_periods():
        check = selectors.readiness_check(services.readiness_for(period))
        answer.append({"period_id": period.pk, "name": period.name, "start": period.start, "end": period.end,
                       "ready": check.ready, "due": check.due, "missing": check.missing})
    return answer


@router.get("/safety", response=list[StaffingSafetyMonthOut])
def safety_months(request, year: Year | None = None):
    """Each month of the year up to now: was there a safety education session (ST-09)?"""
    require(request.user, "staffing.view")
    year = year or timezone.localdate().year
    missing = set(selectors.months_without_safety_education(year))
    today = timezone.localdate()
    months = [dt.date(year, m, 1) for m in range(1, 13) if dt.date(year, m, 1) <= today]
    return [{"month": m, "held": m not in missing} for m in months]


@router.post("/safety", response=list[StaffingSafetyMonthOut])
def record_safety(request, body: StaffingSafetyIn):
    attendees = list(StaffMember.objects.filter(pk__in=body.attendee_ids))
    services.record_safety_session(request.user, held_on=body.held_on, topic=body.topic, trainer=body.trainer,
                                   attendees=attendees)
    return safety_months(request, body.held_on.year)
