"""开发工作: the tender's caps (rows 38–43, 48), the 5-working-day reply of row 57 across a holiday, approval by
the unit (and the bureau above the threshold), delivery and acceptance, the API."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tongyun.catalog.models import System
from tongyun.development import selectors, services
from tongyun.development.models import ChangeRequest, EffortCap
from tongyun.parties.models import User
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.signoffs import services as signoffs

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def caps(db):
    services.seed_tender_caps()
    return {cap.system.row_no: cap.person_months for cap in EffortCap.objects.select_related("system")}


def _unit_admin(system):
    return User.objects.filter(organisation=system.unit, role="unit_admin").order_by("username").first()


def _request(system, when, kind="new_function", title="新增统计报表"):
    return services.submit_request(_unit_admin(system), system_id=system.pk, kind=kind, title=title, now=when)


def _approve(request):
    signoff = signoff_selectors.signoff_for(request)
    for step in signoff.steps.all():
        decider = _unit_admin(request.system) if step.party == "unit" else User.objects.get(username="bureau_admin")
        signoffs.decide(decider, signoff, "approve")
    request.refresh_from_db()
    return request


def test_the_caps_of_the_tender(caps):
    assert caps == {38: Decimal("0.8"), 39: Decimal("0.4"), 40: Decimal("0.4"), 41: Decimal("0.4"),
                    42: Decimal("0.4"), 43: Decimal("0.4"), 48: Decimal("1.5")}
    assert services.seed_tender_caps() == 0


def test_the_reply_is_due_on_the_fifth_working_day_across_national_day(db, user_of):
    system = System.objects.get(row_no=57)
    # Tuesday 2026-09-29 (day 0) → 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12: 5th working day
    asked = dt.datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI)
    on_time = _request(system, asked)
    assert on_time.reply_due == dt.datetime(2026, 10, 12, 17, 30, tzinfo=SHANGHAI)
    services.reply(user_of("pm"), on_time, estimate=Decimal("0.3"), text="方案",
                   now=dt.datetime(2026, 10, 12, 17, 0, tzinfo=SHANGHAI))
    late = _request(system, asked, title="导出接口")
    services.reply(user_of("pm"), late, estimate=Decimal("0.2"), text="方案",
                   now=dt.datetime(2026, 10, 13, 9, 0, tzinfo=SHANGHAI))
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert not on_time.reply_late and late.reply_late


def test_row_41s_cap_refuses_a_half_person_month(caps, user_of):
    system = System.objects.get(row_no=41)
    request = _request(system, dt.datetime(2026, 5, 6, 9, 0, tzinfo=SHANGHAI))
    with pytest.raises(ValidationError) as error:
        services.reply(user_of("pm"), request, estimate=Decimal("0.5"), text="升级部署")
    assert "estimate_person_months" in error.value.message_dict and "0.4" in str(error.value)
    request.refresh_from_db()
    assert request.state == "requested" and request.estimate_person_months is None
    assert signoff_selectors.signoff_for(request) is None
    services.reply(user_of("pm"), request, estimate=Decimal("0.5"), text="升级部署",
                   separate_agreement="超出 0.1 人月另签补充协议（2026-05-08）")
    assert _approve(request).state == "approved"


def test_two_replies_that_fit_alone_cannot_both_be_approved(caps, user_of):
    system = System.objects.get(row_no=39)
    first = _request(system, dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), title="A")
    second = _request(system, dt.datetime(2026, 3, 2, 9, 5, tzinfo=SHANGHAI), title="B")
    services.reply(user_of("pm"), first, estimate=Decimal("0.3"), text="A")
    services.reply(user_of("pm"), second, estimate=Decimal("0.3"), text="B")
    assert _approve(first).state == "approved"
    with pytest.raises(ValidationError):
        _approve(second)
    second.refresh_from_db()
    assert second.state == "estimated"
    assert signoff_selectors.signoff_for(second).state == "pending"  # the refused approval changed nothing


def test_above_the_threshold_the_bureau_approves_too_then_delivery_and_acceptance(caps, user_of):
    system = System.objects.get(row_no=48)  # cap 1.5
    request = _request(system, dt.datetime(2026, 4, 1, 9, 0, tzinfo=SHANGHAI))
    services.reply(user_of("pm"), request, estimate=Decimal("1.2"), text="新功能")
    signoff = signoff_selectors.signoff_for(request)
    assert [s.party for s in signoff.steps.all()] == ["unit", "bureau"]
    request = _approve(request)
    services.deliver(user_of("pm"), request, note="已上线 v2.3")
    with pytest.raises(Http404):  # another unit's request
        services.accept(user_of("unit_admin_education"), request)
    services.accept(_unit_admin(system), request)
    request.refresh_from_db()
    assert request.state == "accepted"
    usage = {r["cap"].system.row_no: (r["used"], r["remaining"]) for r in selectors.cap_usage(user_of("pm"), 2026)}
    assert usage[48] == (Decimal("1.2"), Decimal("0.3"))


def test_an_upgrade_is_due_within_a_week(db):
    system = System.objects.get(row_no=40)
    asked = dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)
    assert _request(system, asked, kind="upgrade").delivery_due == asked + dt.timedelta(days=7)


def test_api_and_pages(caps, client, api_as, client_as, user_of):
    system = System.objects.get(row_no=41)
    unit = _unit_admin(system)
    headers = api_as(unit.username)
    body = {"system_id": system.pk, "kind": "interface", "title": "对接市级平台"}
    assert client.post("/api/v1/development/requests", {**body, "state": "accepted"},
                       content_type="application/json", headers=headers).status_code == 422
    created = client.post("/api/v1/development/requests", body, content_type="application/json", headers=headers)
    assert created.status_code == 201 and created.json()["state"] == "requested"
    pk = created.json()["id"]
    over = client.post(f"/api/v1/development/requests/{pk}/reply", {"estimate_person_months": "0.5", "reply": "x"},
                       content_type="application/json", headers=api_as("pm"))
    assert over.status_code == 422 and "estimate_person_months" in over.json()["errors"]
    assert client.get(f"/api/v1/development/requests/{pk}", headers=api_as("unit_admin_education")).status_code == 404
    assert client_as("engineer").get("/development/new/").status_code == 403
    page = client_as(unit.username).get(f"/development/{pk}/").content.decode()
    assert "对接市级平台" in page
    assert ChangeRequest.objects.filter(pk=pk, state="requested").exists()
