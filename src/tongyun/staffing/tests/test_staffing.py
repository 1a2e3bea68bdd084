"""Staffing: posts seeded from the tender, post rules over time, on-site changes with the 7-day rule and the
unit's approval, rosters across the Spring Festival, dispatch suggestion, readiness, safety, Excel, access."""

import datetime as dt
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from tongyun.catalog.models import System
from tongyun.core import facts
from tongyun.core.excel import WorkbookInvalid
from tongyun.incidents import services as incident_services
from tongyun.incidents.models import MajorEventPeriod
from tongyun.signoffs import services as signoff_services
from tongyun.signoffs.selectors import signoff_for
from tongyun.staffing import excel, selectors, services
from tongyun.staffing.choices import CertificateKind, ChangeState, DayKind, Post
from tongyun.staffing.models import OnsitePost, StaffMember
from tongyun.staffing.onsite_seed import SEED

TZ = ZoneInfo("Asia/Shanghai")
TENDER = Path(__file__).resolve().parents[4] / "docs" / "tender" / "000_78531836804d5cc0.txt"


def at(y, m, d, h=0):
    return dt.datetime(y, m, d, h, tzinfo=TZ)


@pytest.fixture
def pm(user_of):
    return user_of("pm")


def person(pm, name, **kwargs):
    return services.create_staff(pm, name=name, **kwargs)


# ---------------------------------------------------------------- seeded posts


def test_onsite_posts_are_seeded_from_the_tender_rows(db):
    assert services.seed_onsite_posts() == 36
    assert services.seed_onsite_posts() == 0  # idempotent
    posts = list(OnsitePost.objects.select_related("system"))
    assert len({p.system_id for p in posts}) == 34
    assert sum(p.head_count for p in posts) == 79
    lines = TENDER.read_text(encoding="utf-8").split("\n")
    for post in posts:
        row = post.system.row_no
        if row == 87:  # "技术维护1人，值机中心不少于 3人，属地运维不少于 6人" over L17160–L17186
            cell = "".join(line.replace(" ", "") for line in lines[post.source_line_start - 1:post.source_line_end])
            assert re.search(f"{post.label}(不少于)?{post.head_count}人", cell), (row, post.label, cell)
            continue
        # the cell: the count is the last word of its line (the line just before the service start date)
        cell = lines[post.source_line_start - 1].split()
        assert cell[-1] == str(post.head_count), (row, cell)
        assert post.system.onsite_staff_count == post.head_count, row
        if post.pattern_line:
            text = lines[post.pattern_line - 1].replace("×", "*").replace("x", "*").replace(" ", "")
            hours = post.pattern.split("+")[0].replace("x", "*")
            assert post.pattern == "hours" or hours in text, (row, post.pattern, text)
    assert {p.row for p in SEED} == {p.system.row_no for p in posts}
    # every catalog row with an on-site number has its post
    counted = set(System.objects.filter(onsite_staff_count__gt=0).values_list("row_no", flat=True))
    assert counted == {p.system.row_no for p in posts} - {87}


# ---------------------------------------------------------------- post rules


def _full_team(pm, start=dt.date(2026, 1, 1)):
    for post in (Post.PROJECT_MANAGER, Post.DISPATCHER, Post.SECURITY_OFFICER, Post.DATA_QUALITY_OFFICER):
        services.assign_post(pm, person(pm, f"P-{post}"), post, start=start)
    for n in range(10):
        services.assign_post(pm, person(pm, f"弱电{n}"), Post.WEAK_CURRENT, start=start)
    electricians = []
    for n in range(4):
        e = person(pm, f"电工{n}")
        until = dt.date(2026, 3, 10) if n == 0 else dt.date(2027, 12, 31)
        services.add_certificate(pm, e, kind=CertificateKind.LOW_VOLTAGE, number=f"T{n}", valid_until=until)
        services.assign_post(pm, e, Post.ELECTRICIAN, start=start)
        electricians.append(e)
    return electricians


def test_a_second_post_is_refused(db, pm):
    someone = person(pm, "张三")
    services.assign_post(pm, someone, Post.WEAK_CURRENT, start=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.assign_post(pm, someone, Post.DISPATCHER, start=dt.date(2026, 2, 1))
    assert "不得兼任" in str(refused.value) and "弱电维修员" in str(refused.value)
    assert someone.holdings.count() == 1
    # after the first post ends, the person may take another
    services.end_post(pm, someone.holdings.get(), end=dt.date(2026, 1, 31))
    services.assign_post(pm, someone, Post.DISPATCHER, start=dt.date(2026, 2, 1))


def test_electrician_rule_short_from_the_day_a_licence_expires(db, pm):
    _full_team(pm)
    before = {r.label: r for r in selectors.compliance(dt.date(2026, 3, 10))}
    after = {r.label: r for r in selectors.compliance(dt.date(2026, 3, 11))}
    assert before["电工"].met and before["电工"].actual == 4
    assert not after["电工"].met and after["电工"].actual == 3
    assert all(r.met for r in before.values())
    # history is kept: January is still compliant; the March fact counts 10 compliant days
    assert selectors.compliant_on(dt.date(2026, 1, 15))
    system = System.objects.first()
    assert facts.values("staffing.compliant_days", [system.pk], dt.date(2026, 3, 1)) == {system.pk: 10}
    # and the PM is told about the certificate before it expires
    assert [c.number for c in selectors.expiring_certificates(dt.date(2026, 2, 20))] == ["T0"]


def test_an_electrician_without_a_valid_licence_cannot_take_the_post(db, pm):
    e = person(pm, "无证电工")
    services.add_certificate(pm, e, kind=CertificateKind.LOW_VOLTAGE, valid_until=dt.date(2025, 12, 31))
    with pytest.raises(ValidationError, match="电工证"):
        services.assign_post(pm, e, Post.ELECTRICIAN, start=dt.date(2026, 1, 1))


# ---------------------------------------------------------------- on-site change (ST-05)


@pytest.fixture
def posted(db, pm):
    services.seed_onsite_posts()
    post = OnsitePost.objects.get(system__row_no=3)  # 区经信局, 1 person 5×8
    first = person(pm, "驻场甲")
    services.assign_onsite(pm, post, first, start=dt.date(2026, 1, 1))
    return post, first, person(pm, "驻场乙")


def test_onsite_change_needs_seven_days_notice_and_the_units_approval(posted, pm, user_of):
    post, first, second = posted
    notice = dt.date(2026, 3, 1)
    with pytest.raises(ValidationError) as refused:
        services.request_change(pm, post, leaving=first, replacement=second, reason="调岗",
                                replacement_profile="5 年经验",
                                effective_date=notice + dt.timedelta(days=6), notified_on=notice)
    assert "effective_date" in refused.value.message_dict
    change = services.request_change(pm, post, leaving=first, replacement=second, reason="调岗",
                                     replacement_profile="5 年经验", effective_date=notice + dt.timedelta(days=7),
                                     notified_on=notice)
    # not yet approved: the first person stays on the post past the requested date
    current = {p.pk: [a.person for a in p.current] for p in selectors.onsite_posts(pm, dt.date(2026, 3, 9))}
    assert current[post.pk] == [first]
    signoff = signoff_for(change, services.CHANGE_FLOW)
    # another unit cannot decide (404); the unit of the system does
    with pytest.raises(Http404):
        signoff_services.decide(user_of("unit_admin_education"), signoff, "approve")
    signoff_services.decide(user_of("unit_admin"), signoff, "approve", comment="同意", now=at(2026, 3, 3, 10))
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED and change.effective_date == dt.date(2026, 3, 8)
    on = {d: [a.person for a in next(p for p in selectors.onsite_posts(pm, d) if p.pk == post.pk).current]
          for d in (dt.date(2026, 3, 7), dt.date(2026, 3, 8))}
    assert on == {dt.date(2026, 3, 7): [first], dt.date(2026, 3, 8): [second]}


def test_a_late_approval_takes_effect_on_the_approval_day(posted, pm, user_of):
    post, first, second = posted
    change = services.request_change(pm, post, leaving=first, replacement=second, reason="x", replacement_profile="y",
                                     effective_date=dt.date(2026, 3, 8), notified_on=dt.date(2026, 3, 1))
    signoff_services.decide(user_of("unit_admin"), signoff_for(change, services.CHANGE_FLOW), "approve",
                            now=at(2026, 3, 12, 9))
    change.refresh_from_db()
    assert change.effective_date == dt.date(2026, 3, 12)
    assert first.onsite_assignments.get().end == dt.date(2026, 3, 11)


def test_change_via_api_refuses_six_days_and_unit_approves_on_the_page(posted, api_as, client, client_as):
    post, first, second = posted
    headers = api_as("pm")
    from django.utils import timezone

    today = timezone.localdate()
    body = {"leaving_id": first.pk, "replacement_id": second.pk, "reason": "调岗", "replacement_profile": "简历",
            "effective_date": str(today + dt.timedelta(days=6))}
    refused = client.post(f"/api/v1/staffing/posts/{post.pk}/changes", body, content_type="application/json",
                          headers=headers)
    assert refused.status_code == 422 and "effective_date" in refused.json()["errors"]
    body["effective_date"] = str(today + dt.timedelta(days=7))
    accepted = client.post(f"/api/v1/staffing/posts/{post.pk}/changes", body, content_type="application/json",
                           headers=headers)
    assert accepted.status_code == 200 and accepted.json()["state"] == "pending"
    page = client_as("unit_admin").get(f"/staffing/changes/{accepted.json()['id']}/").content.decode()
    assert "驻场乙" in page and "同意" in page
    assert client_as("unit_admin_education").get(f"/staffing/changes/{accepted.json()['id']}/").status_code == 404


# ---------------------------------------------------------------- rosters


def test_a_roster_across_the_2026_spring_festival_has_a_gap(db, pm, client_as):
    services.seed_onsite_posts()
    system = System.objects.get(row_no=15)  # 7×24 on-site
    a, b, c = person(pm, "值班A"), person(pm, "值班B"), person(pm, "值班C")
    roster = services.create_roster(pm, system, name="春节值班")
    services.add_layer(pm, roster, name="工作日", rotation_start=at(2026, 2, 9), shift_hours=24, members=[a, b],
                       day_kind=DayKind.WORKING)
    services.add_layer(pm, roster, name="周末", rotation_start=at(2026, 2, 9), shift_hours=24, members=[c],
                       rrule="FREQ=WEEKLY;BYDAY=SA,SU")
    gaps = selectors.roster_gaps(roster, at(2026, 2, 9), at(2026, 3, 2))
    assert gaps == [(at(2026, 2, 16), at(2026, 2, 21)), (at(2026, 2, 23), at(2026, 2, 24))]
    page = client_as("pm").get(f"/staffing/rosters/{roster.pk}/?from=2026-02-09&days=21").content.decode()
    assert "2026-02-16 00:00 – 2026-02-21 00:00" in page
    # an override for the holiday weekdays closes the gap
    services.add_override(pm, roster, person=c, start=at(2026, 2, 16), end=at(2026, 2, 24), reason="春节")
    assert selectors.roster_gaps(roster, at(2026, 2, 9), at(2026, 3, 2)) == []


def test_bad_layer_input_is_refused(db, pm):
    roster = services.create_roster(pm, System.objects.first(), name="R")
    with pytest.raises(ValidationError) as refused:
        services.add_layer(pm, roster, name="x", rotation_start=at(2026, 1, 1), shift_hours=0, members=[],
                           rrule="FREQ=HOURLY")
    assert {"members", "shift_hours", "rrule"} <= set(refused.value.message_dict)


def test_the_dispatch_page_suggests_the_on_duty_person(db, pm, user_of, client_as):
    from django.utils import timezone

    system = System.objects.filter(unit__name="区经信局").order_by("row_no").first()
    onsite = person(pm, "值班驻场", account=user_of("onsite"), phone="13900000001")
    roster = services.create_roster(pm, system, name="日常")
    services.add_layer(pm, roster, name="全天", rotation_start=timezone.now() - dt.timedelta(hours=1), shift_hours=24,
                       members=[onsite])
    incident = incident_services.report_incident(user_of("unit_admin"), system=system, title="断网", severity="general")
    assert selectors.on_duty_user(system.pk) == user_of("onsite")
    page = client_as("dispatcher").get(f"/incidents/{incident.pk}/").content.decode()
    suggestion = re.search(r'data-testid="duty-suggestion".*?</p>', page, re.S).group(0)
    assert str(user_of("onsite")) in suggestion
    select = re.search(r'<select name="dispatch-assignee".*?</select>', page, re.S).group(0)
    assert re.search(rf'<option value="{user_of("onsite").pk}" selected>', select)
    assert "未结工单 0" in select
    # the roster is given to the unit with the duty engineer's phone (DP-12), on the page, Excel and iCalendar
    unit = client_as("unit_admin")
    assert "13900000001" in unit.get("/staffing/rosters/").content.decode()
    book = openpyxl.load_workbook(io.BytesIO(unit.get("/staffing/rosters/export/").content))
    assert any("13900000001" in str(c) for row in book.active.iter_rows(values_only=True) for c in row)
    link = services.create_roster_feed(user_of("unit_admin"), roster)
    ics = Client().get(f"/staffing/feeds/{link.token}.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert b"13900000001" in ics.content
    assert client_as("unit_admin_education").post(f"/staffing/rosters/{roster.pk}/feeds/").status_code == 404


# ---------------------------------------------------------------- major events


def test_major_event_readiness_short_by_one_group(db, pm):
    period = MajorEventPeriod.objects.create(name="两会", start=at(2026, 3, 4), end=at(2026, 3, 12), all_systems=False)
    readiness = services.readiness_for(period)
    people = [person(pm, f"组员{n}") for n in range(7)]
    services.add_group(pm, readiness, name="一组", members=people[0:2])
    services.add_group(pm, readiness, name="二组", members=people[2:4])
    services.add_group(pm, readiness, name="三组", members=people[4:5])  # one person only: does not count
    services.set_vehicle(pm, readiness, plate="京A12345", driver=people[6])
    task = services.add_task(pm, readiness, description="前端点位检修清洁")
    services.complete_task(pm, task, done_on=dt.date(2026, 2, 25), result="完成", reported_on=dt.date(2026, 2, 26))
    check = selectors.readiness_check(readiness, today=dt.date(2026, 2, 26))
    assert check.due and len(check.missing) == 1 and "缺 1 个" in check.missing[0]
    services.add_group(pm, readiness, name="四组", members=[people[5], person(pm, "组员7")])
    assert selectors.readiness_check(readiness, today=dt.date(2026, 2, 26)).ready


def test_one_person_is_in_one_group_of_a_period(db, pm):
    period = MajorEventPeriod.objects.create(name="两会", start=at(2026, 3, 4), end=at(2026, 3, 12), all_systems=False)
    other = MajorEventPeriod.objects.create(name="国庆", start=at(2026, 10, 1), end=at(2026, 10, 8), all_systems=False)
    readiness = services.readiness_for(period)
    a, b, c = person(pm, "甲"), person(pm, "乙"), person(pm, "丙")
    services.add_group(pm, readiness, name="一组", members=[a, b])
    with pytest.raises(ValidationError) as refused:
        services.add_group(pm, readiness, name="二组", members=[b, c])
    assert "乙（一组）" in refused.value.message_dict["members"][0]
    assert readiness.groups.count() == 1  # nothing created
    # another period is another set of groups
    assert services.add_group(pm, services.readiness_for(other), name="一组", members=[a, b]).members.count() == 2


def test_readiness_names_the_duty_rows_without_a_roster(db, pm):
    period = MajorEventPeriod.objects.create(name="国庆", start=at(2026, 10, 1), end=at(2026, 10, 8), all_systems=True)
    missing = selectors.readiness_check(services.readiness_for(period), today=dt.date(2026, 9, 1)).missing
    duty = [m for m in missing if "要求重保值班" in m]
    assert len(duty) == 8 and any("第 64 行" in m for m in duty)


# ---------------------------------------------------------------- safety education


def test_a_month_without_safety_education_is_flagged(db, pm):
    services.record_safety_session(pm, held_on=dt.date(2026, 1, 20), topic="用电安全", trainer="李工")
    services.record_safety_session(pm, held_on=dt.date(2026, 3, 5), topic="登高作业", trainer="李工")
    assert selectors.months_without_safety_education(2026, today=dt.date(2026, 4, 15)) == [
        dt.date(2026, 2, 1), dt.date(2026, 4, 1)]
    system = System.objects.first()
    assert facts.values("staffing.safety_education_held", [system.pk], dt.date(2026, 2, 1)) == {system.pk: False}
    assert facts.values("staffing.safety_education_held", [system.pk], dt.date(2026, 3, 1)) == {system.pk: True}


# ---------------------------------------------------------------- Excel, personal data, access


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "服务商人员"
    sheet.append(["姓名", "手机", "身份证号", "账号", "本单位社保月数", "岗位", "岗位起始日期"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_bad_staff_workbook_names_row_and_column_and_changes_nothing(db, pm, client_as):
    before = StaffMember.objects.count()
    content = _workbook([["王五", "139", "", "", 6, "弱电维修员", "2026-01-01"],
                         ["赵六", "", "", "", "三个月", "厨师", "2026-01-01"],
                         ["钱七", "", "", "nobody", 3, "", ""]])
    with pytest.raises(WorkbookInvalid) as invalid:
        excel.import_staff(pm, content)
    assert {(p.row, p.column) for p in invalid.value.problems} == {(3, "本单位社保月数"), (3, "岗位")}
    response = client_as("pm").post("/staffing/staff/import/", {"workbook": io.BytesIO(content)})
    assert response.status_code == 400 and "厨师" in response.content.decode()
    # the rows that convert but break a rule are refused too, and the valid rows are rolled back
    with pytest.raises(WorkbookInvalid) as invalid:
        excel.import_staff(pm, _workbook([["王五", "139", "", "", 6, "弱电维修员", "2026-01-01"],
                                          ["钱七", "", "", "nobody", 3, "", ""]]))
    assert [(p.row, p.column) for p in invalid.value.problems] == [(3, "账号")]
    assert StaffMember.objects.count() == before
    assert excel.import_staff(pm, _workbook([["王五", "139", "", "", 6, "弱电维修员", "2026-01-01"]])) == 1
    assert StaffMember.objects.get(name="王五").holdings.get().post == Post.WEAK_CURRENT


def test_personal_data_only_to_roles_that_need_it(posted, pm, api_as, client):
    post, first, _second = posted
    first.phone, first.id_number = "13700000002", "110101199001011234"
    first.save()
    as_unit = client.get("/api/v1/staffing/staff", headers=api_as("unit01")).json()
    assert [p["name"] for p in as_unit] == ["驻场甲"]
    assert as_unit[0]["phone"] is None and as_unit[0]["id_number"] is None
    as_dispatcher = client.get(f"/api/v1/staffing/staff/{first.pk}", headers=api_as("dispatcher")).json()
    assert as_dispatcher["phone"] == "13700000002" and as_dispatcher["id_number"] is None
    as_pm = client.get(f"/api/v1/staffing/staff/{first.pk}", headers=api_as("pm")).json()
    assert as_pm["id_number"] == "110101199001011234"
    assert client.get(f"/api/v1/staffing/staff/{first.pk}", headers=api_as("unit_admin_education")).status_code == 404


def test_district_wide_pages_are_refused_to_units(db, client_as, api_as, client):
    for url in ("/staffing/events/", "/staffing/safety/"):
        assert client_as("unit_admin").get(url).status_code == 403
        assert client_as("supervisor").get(url).status_code == 200
    assert client.get("/api/v1/staffing/compliance", headers=api_as("unit_admin")).status_code == 403
    assert client.get("/api/v1/staffing/compliance", headers=api_as("bureau_staff")).json()["rules"]


def test_only_the_pm_and_dispatcher_build_rosters(db, api_as, client, user_of):
    other = System.objects.exclude(unit=user_of("unit_admin_education").organisation).first()
    body = {"system_id": other.pk, "name": "x"}
    assert client.post("/api/v1/staffing/rosters", body, content_type="application/json",
                       headers=api_as("dispatcher")).status_code == 200
    assert client.post("/api/v1/staffing/rosters", body, content_type="application/json",
                       headers=api_as("unit_admin_education")).status_code == 403


def test_the_pages_and_the_home_work_list_render(db, client_as, pm):
    services.seed_onsite_posts()
    person(pm, "新人")  # 0 months of social insurance: flagged
    for username in ("pm", "unit_admin", "dispatcher"):
        assert client_as(username).get("/").status_code == 200, username
    page = client_as("pm").get("/staffing/staff/").content.decode()
    assert "岗位配置规则" in page and "不足 3 个月" in page
    assert "要求 79 人，在岗 0 人，空缺 79 人" in client_as("bureau_admin").get("/staffing/posts/").content.decode()
    for url in ("/staffing/rosters/", "/staffing/trainings/", "/staffing/events/", "/staffing/safety/"):
        assert client_as("pm").get(url).status_code == 200, url
