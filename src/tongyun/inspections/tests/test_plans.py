"""Plans from the tender's cadences, a year of tasks, regeneration after a plan change, approval."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongyun.catalog.models import InspectionCadence, System
from tongyun.inspections import services
from tongyun.inspections.choices import PlanStatus, TaskState
from tongyun.inspections.models import ChecklistTemplate, InspectionPlan, InspectionTask

JAN1 = dt.date(2026, 1, 1)


@pytest.fixture
def plans(db):
    return services.create_plans_from_catalog(today=JAN1)


def test_every_system_has_plans_matching_its_cadences(plans):
    assert System.objects.count() == 154
    assert not System.objects.filter(inspection_plans__isnull=True).exists()
    for cadence in InspectionCadence.objects.all():
        plan = InspectionPlan.objects.get(source_cadence=cadence)
        assert (plan.system_id, plan.frequency, plan.mode, plan.tender_text) == \
            (cadence.system_id, cadence.frequency, cadence.mode, cadence.text)
    # rows whose tender states no frequency get one on-demand plan, with no dates
    without = System.objects.filter(inspection_cadences__isnull=True)
    assert without.count() == 12
    for system in without:
        (plan,) = system.inspection_plans.all()
        assert plan.frequency == "on_demand" and plan.source_cadence is None
        assert not plan.tasks.exists()
    several = [s for s, n in Counter(InspectionPlan.objects.values_list("system_id", flat=True)).items() if n > 1]
    assert len(several) >= 20


# (tender row, frequency, mode, words of the tender, tasks in a full service year)
CADENCES = [
    (1, "monthly", "unspecified", "每月一次", 12),
    (12, "quarterly", "unspecified", "每季度一轮巡检", 4),
    (14, "weekly", "unspecified", "每周对全系统硬件进行一次巡检", None),
    (16, "four_per_year", "onsite", "每年 4 次现场巡检", None),
    (16, "weekly", "remote", "每周远程巡检", None),
    (17, "ten_daily", "unspecified", "每十天一次巡检", None),
    (21, "weekly", "onsite", "每周进行 1 次定期现场巡检", None),
    (26, "weekly", "remote", "每周一次远程巡检", None),
    (29, "semiannual", "onsite", "每年对前端设施开展不低于 2次的例行现场巡检", None),
    (50, "daily", "unspecified", "每天一次巡检", None),
    (56, "semimonthly", "unspecified", "每月 2 次巡检", None),
    (74, "annual", "unspecified", "一年一次", None),
    (86, "semiannual", "unspecified", "每半年一次巡检", None),
    (127, "working_daily", "unspecified", "工作日每日一巡检", None),
]


@pytest.mark.parametrize(("row", "frequency", "mode", "words", "expected"), CADENCES)
def test_plans_follow_the_tender_wording(plans, row, frequency, mode, words, expected):
    system = System.objects.get(row_no=row)
    tender = f"{system.inspection_text}\n{system.work_content}".replace("\n", "")
    assert words.replace(" ", "") in tender.replace(" ", ""), (row, words)
    plan = InspectionPlan.objects.get(system=system, frequency=frequency, mode=mode)
    assert words in plan.tender_text
    tasks = list(plan.tasks.order_by("scheduled_for"))
    start, end = services.service_window(system)
    assert tasks and all(start <= t.scheduled_for <= t.due_date <= end for t in tasks)
    full_year = start == JAN1
    counts = {"monthly": 12, "quarterly": 4, "four_per_year": 4, "semiannual": 2, "annual": 1, "ten_daily": 36,
              "semimonthly": 24, "weekly": 52, "daily": 365}
    if full_year and frequency in counts:
        assert len(tasks) == counts[frequency], (row, frequency)
    if expected is not None:
        assert len(tasks) == expected
    if frequency == "working_daily":
        assert dt.date(2026, 2, 14) in {t.scheduled_for for t in tasks} or start > dt.date(2026, 2, 14)


def test_a_full_year_has_no_duplicates_and_respects_service_start(plans):
    keys = InspectionTask.objects.values_list("plan_id", "scheduled_for")
    assert keys.count() == len(set(keys)) > 5000
    late = System.objects.filter(service_start=dt.date(2026, 7, 25))
    assert late.exists()
    for system in late:
        tasks = InspectionTask.objects.filter(system=system)
        assert tasks.exists()
        assert not tasks.filter(scheduled_for__lt=dt.date(2026, 7, 25)).exists()
        first = tasks.order_by("scheduled_for").first()
        assert first.scheduled_for == dt.date(2026, 7, 27)  # Sat 07-25 → Mon 07-27
    # no task on a non-working day except for 7×24 daily plans
    cal = services._calendar()
    for task in InspectionTask.objects.exclude(plan__frequency="daily").only("scheduled_for")[:3000]:
        assert cal.is_working_day(task.scheduled_for)
    # unknown start date (tender: "2026年3月"): no tasks are invented
    for system in System.objects.filter(service_start__isnull=True):
        assert not InspectionTask.objects.filter(system=system).exists()


def test_creation_is_idempotent(plans):
    counts = (InspectionPlan.objects.count(), InspectionTask.objects.count(), ChecklistTemplate.objects.count())
    again = services.create_plans_from_catalog(today=JAN1)
    assert again == {"plans_created": 0, "checklists_created": 0, "checklist_items_created": 0, "tasks_created": 0}
    assert counts == (InspectionPlan.objects.count(), InspectionTask.objects.count(),
                      ChecklistTemplate.objects.count())
    total = services.generate_all(today=JAN1)
    assert total.touched == 0


def test_go_live_mid_year_does_not_invent_missed_tasks(db):
    services.create_plans_from_catalog(today=dt.date(2026, 6, 15))
    assert not InspectionTask.objects.filter(scheduled_for__lt=dt.date(2026, 6, 15)).exists()
    assert InspectionTask.objects.filter(scheduled_for__gte=dt.date(2026, 6, 15)).exists()


def test_go_live_inside_a_period_still_creates_that_periods_inspection(db):
    """Issue 8: starting in Q4 (Sun 11-15), row 23's quarterly inspection of Q4 is created, from the next
    working day and due at the quarter's end; regenerating the same day or later adds no second one."""
    today = dt.date(2026, 11, 15)
    services.create_plans_from_catalog(today=today)
    row23 = System.objects.get(row_no=23)
    (plan,) = InspectionPlan.objects.filter(system=row23, frequency="quarterly")
    assert [(t.scheduled_for, t.due_date) for t in plan.tasks.all()] == [(dt.date(2026, 11, 16),
                                                                          dt.date(2026, 12, 31))]
    # a monthly plan going live on 11-15 gets November's inspection (due 11-30) and December's
    row1 = InspectionPlan.objects.get(system__row_no=1, frequency="monthly")
    assert [(t.scheduled_for, t.due_date) for t in row1.tasks.order_by("scheduled_for")] == [
        (dt.date(2026, 11, 16), dt.date(2026, 11, 30)), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))]
    for later in (today, dt.date(2026, 11, 20), dt.date(2026, 12, 2)):
        assert services.generate_tasks(plan, today=later).created == 0
        assert services.generate_tasks(row1, today=later).created == 0
    assert plan.tasks.count() == 1 and row1.tasks.count() == 2


def test_cadence_vocabulary_schedules(db):
    services.create_plans_from_catalog(today=JAN1)
    # row 31 每季度 2 次: two per quarter
    semi = InspectionPlan.objects.get(system__row_no=31, frequency="semiquarterly")
    start, _ = services.service_window(semi.system)
    days = [t.scheduled_for for t in semi.tasks.order_by("scheduled_for")]
    quarters = Counter((d.month - 1) // 3 for d in days)
    assert all(n == 2 for q, n in quarters.items() if dt.date(2026, 3 * q + 1, 1) >= start)
    # row 19 每 15 天一次
    every15 = InspectionPlan.objects.get(system__row_no=19, frequency="every_n_days")
    assert every15.rrule == "FREQ=DAILY;INTERVAL=15"
    dues = [t.due_date for t in every15.tasks.order_by("scheduled_for")]
    assert all((b - a).days == 15 for a, b in zip(dues[:-2], dues[1:-1], strict=True))
    # row 2: weekly remote and monthly on site, each its own plan with its mode
    assert set(InspectionPlan.objects.filter(system__row_no=2).values_list("frequency", "mode")) == {
        ("weekly", "remote"), ("monthly", "onsite")}


def _snapshot(queryset):
    return sorted(queryset.values_list("id", "plan_id", "scheduled_for", "due_date", "state", "assignee_id"))


def test_regeneration_after_a_plan_change_touches_only_that_plans_future(plans, user_of):
    system = System.objects.get(row_no=16)  # weekly remote + 4× per year on site
    weekly = InspectionPlan.objects.get(system=system, frequency="weekly")
    assert InspectionPlan.objects.filter(system=system, frequency="four_per_year").exists()
    elsewhere = _snapshot(InspectionTask.objects.exclude(plan=weekly))
    today = dt.date(2026, 6, 10)
    past_done = weekly.tasks.filter(scheduled_for__lt=today).first()
    past_done.state, past_done.completed_at = TaskState.DONE, dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    past_done.save()
    started = weekly.tasks.filter(scheduled_for__gte=dt.date(2026, 6, 15)).order_by("scheduled_for").first()
    started.state, started.started_at = TaskState.IN_PROGRESS, dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)
    started.save()
    past = _snapshot(weekly.tasks.filter(scheduled_for__lt=today))
    future_mondays = set(weekly.tasks.filter(scheduled_for__gte=today).values_list("scheduled_for", flat=True))

    outcome = services.update_plan(user_of("pm"), weekly, rrule="FREQ=WEEKLY;BYDAY=WE", today=today)

    weekly.refresh_from_db()
    assert weekly.rrule == "FREQ=WEEKLY;BYDAY=WE" and weekly.status == PlanStatus.DRAFT
    assert _snapshot(InspectionTask.objects.exclude(plan=weekly)) == elsewhere  # other plans untouched
    assert _snapshot(weekly.tasks.filter(scheduled_for__lt=today)) == past  # the past untouched
    assert InspectionTask.objects.get(pk=started.pk).state == TaskState.IN_PROGRESS  # started kept
    future = weekly.tasks.filter(scheduled_for__gte=today, state=TaskState.PENDING)
    assert all(d.scheduled_for.weekday() == 2 or not _is_wednesday_working(d.scheduled_for)
               for d in future)
    # every future Monday but the started one goes, except a shifted date both rules share (Thu 10-08:
    # Mon 10-05 and Wed 10-07 are National Day) — kept, with its new due date
    assert outcome.deleted + outcome.updated == len(future_mondays) - 1
    assert outcome.updated == 1 and weekly.tasks.filter(scheduled_for=dt.date(2026, 10, 8)).exists()
    assert outcome.created == future.count() - 1  # all new but the kept 10-08
    keys = weekly.tasks.values_list("scheduled_for", flat=True)
    assert keys.count() == len(set(keys))
    # doing it again changes nothing
    assert services.generate_tasks(weekly, today=today).touched == 0


def _is_wednesday_working(day):
    return day.weekday() == 2


def test_frequency_change_and_assignee(plans, user_of):
    plan = InspectionPlan.objects.get(system__row_no=1)
    today = dt.date(2026, 9, 1)
    outcome = services.update_plan(user_of("pm"), plan, frequency="quarterly", today=today)
    plan.refresh_from_db()
    assert plan.rrule == "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1"
    assert list(plan.tasks.filter(scheduled_for__gte=today).values_list("scheduled_for", flat=True)) == \
        [dt.date(2026, 10, 8)]
    assert outcome.deleted == 3 and outcome.created == 0  # 09-01, 11-02, 12-01 went; 10-08 kept (refreshed)
    onsite = user_of("onsite")
    services.update_plan(user_of("pm"), plan, assignee=onsite, today=today)
    assert set(plan.tasks.filter(scheduled_for__gte=today).values_list("assignee_id", flat=True)) == {onsite.pk}
    assert not plan.tasks.filter(scheduled_for__lt=today, assignee=onsite).exists()


def test_only_the_pm_edits_and_only_the_unit_approves(plans, user_of):
    plan = InspectionPlan.objects.select_related("system__unit").get(system__row_no=1)  # 区经信局
    for username in ("engineer", "unit_admin", "bureau_admin"):
        with pytest.raises(PermissionDenied):
            services.update_plan(user_of(username), plan, name="x")
    with pytest.raises(ValidationError):
        services.update_plan(user_of("pm"), plan, rrule="FREQ=HOURLY")
    for username in ("pm", "unit_admin_education", "unit_staff", "bureau_admin"):
        with pytest.raises(PermissionDenied):
            services.approve_plan(user_of(username), plan)
    services.approve_plan(user_of("unit_admin"), plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == user_of("unit_admin")
    # a schedule change sends it back for approval; a name change does not
    services.update_plan(user_of("pm"), plan, name="月度巡检（含机房）", today=JAN1)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    services.update_plan(user_of("pm"), plan, frequency="bimonthly", today=JAN1)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.approved_by is None


def test_checklists_follow_the_tender(plans):
    video = InspectionPlan.objects.filter(system__row_no=12).first()  # 乡村卡口视频巡控: hardware only
    labels = [i.label for i in services.checklist_for(video).items.all()]
    assert {"摄像机在线", "图像清晰度", "镜头清洁", "固定情况"} <= set(labels)
    assert "接口清单核对" not in labels
    office = InspectionPlan.objects.filter(system__row_no=2).first()
    labels = [i.label for i in services.checklist_for(office).items.all()]
    assert {"接口清单核对", "功能清单核对", "软件进程运行正常", "关键业务功能可用", "登录量", "业务处理状态正常",
            "服务器运行状态与健康度", "存储设备运行状态与健康度"} <= set(labels)
    room = InspectionPlan.objects.filter(system__row_no=74).first()  # 机房巡检, UPS
    labels = [i.label for i in services.checklist_for(room).items.all()]
    assert "机房温度" in labels and "UPS 运行状态" in labels
    assert ChecklistTemplate.objects.filter(system__isnull=True).count() == 8
