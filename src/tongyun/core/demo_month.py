"""A realistic demo month for a first run (`tongyun demo_month`, `scripts/start.sh --demo-month`).

Everything goes through the domains' services, dated relative to today, so a new user sees the platform
working: incidents in every state (on the engineer's 区经信局 systems), inspections done and overdue, alerts
with an outage, an availability outage record and the month's inspection report drafts. Idempotent: the
demo tickets carry the DEMO prefix and a second run finds them and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.parties.models import User

DEMO = "【演示】"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

# (title, severity, days ago, the moves after the report: (action, by, hours after the report, extra))
TICKETS = [
    ("门户网站无法访问", "urgent", 0, []),
    ("地图服务加载缓慢", "general", 0, [("triage", "dispatcher", 0.2, {})]),
    ("数据库连接数告警", "serious", 1, [("dispatch", "dispatcher", 0.3, {"assignee": "engineer"})]),
    ("交换机端口闪断", "general", 2, [("dispatch", "dispatcher", 0.2, {"assignee": "engineer"}),
                                 ("acknowledge", "engineer", 0.4, {})]),
    ("机房空调温度偏高", "general", 3, [("dispatch", "dispatcher", 0.2, {"assignee": "engineer"}),
                                  ("acknowledge", "engineer", 0.3, {}), ("arrive", "engineer", 1.5, {})]),
    ("备份任务失败", "minor", 4, [("dispatch", "dispatcher", 0.2, {"assignee": "engineer"}),
                              ("acknowledge", "engineer", 0.3, {}), ("start", "engineer", 1, {})]),
    ("用户账号无法登录", "general", 5, [("dispatch", "dispatcher", 0.2, {"assignee": "engineer"}),
                                  ("acknowledge", "engineer", 0.3, {}), ("start", "engineer", 1, {}),
                                  ("wait_user", "engineer", 2, {"note": "等待用户提供报错截图"})]),
    ("服务器硬盘告警", "serious", 7, [("dispatch", "dispatcher", 0.2, {"assignee": "engineer"}),
                                ("acknowledge", "engineer", 0.3, {}), ("arrive", "engineer", 1, {}),
                                ("resolve", "engineer", 3, {"cause": "硬盘坏道", "action_taken": "更换硬盘"})]),
    ("视频会议终端无声音", "general", 10, [("dispatch", "dispatcher", 0.2, {"assignee": "engineer"}),
                                    ("acknowledge", "engineer", 0.3, {}), ("start", "engineer", 1, {}),
                                    ("resolve", "engineer", 4, {"cause": "音频线松动", "action_taken": "重新连接"}),
                                    ("confirm", "unit_admin", 20, {"satisfaction": 5,
                                                                   "satisfaction_comment": "响应及时"})]),
    ("打印服务中断", "minor", 14, [("dispatch", "dispatcher", 0.2, {"assignee": "engineer"}),
                               ("acknowledge", "engineer", 0.3, {}), ("start", "engineer", 1, {}),
                               ("resolve", "engineer", 2, {"cause": "服务进程崩溃", "action_taken": "重启服务"}),
                               ("confirm", "unit_admin", 24, {"satisfaction": 4}),
                               ("close", "dispatcher", 25, {})]),
    ("重复报障", "minor", 6, [("cancel", "dispatcher", 0.5, {"note": "与前一工单重复"})]),
]


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=["dispatcher", "engineer", "unit_admin", "pm",
                                                                     "bureau_admin"])}


def _systems(engineer: User) -> list[System]:
    return list(System.objects.filter(assignments__user=engineer).order_by("row_no")[:5])


def _incidents(users, systems, now) -> int:
    from tongyun.incidents import attachments, services

    created = 0
    for n, (title, severity, days, moves) in enumerate(TICKETS):
        system = systems[n % len(systems)]
        reported = now - dt.timedelta(days=days, hours=2 + n % 3)
        incident = services.report_incident(
            users["dispatcher"], system=system, title=DEMO + title, severity=severity, source="phone",
            reported_at=reported, reporter_name="张明", reporter_phone="13800138000",
            location="区政务服务中心 3 层机房", now=reported)
        if n == 0:
            attachments.add_attachments(users["unit_admin"], incident,
                                        [ContentFile(PNG, name="现场照片.png")])
        for action, by, hours, extra in moves:
            extra = dict(extra)
            if "assignee" in extra:
                extra["assignee"] = users[extra["assignee"]]
            moment = min(reported + dt.timedelta(hours=hours), now)
            incident = services.take_action(users[by], incident, action, now=moment, **extra)
        created += 1
    return created


def _inspections(users, systems, today, now) -> tuple[int, int]:
    from tongyun.inspections import services
    from tongyun.inspections.models import InspectionPlan

    start = today - dt.timedelta(days=28)
    done = 0
    # A weekly plan of the demo month: the plan is configuration (the catalog's plans start today), its tasks
    # come from the same generation the catalog's plans use, backdated four weeks.
    plan, _made = InspectionPlan.objects.get_or_create(
        system=systems[0], name=DEMO + "每周巡检", defaults={"frequency": "weekly", "assignee": users["engineer"]})
    services.generate_tasks(plan, today=start, since=start)
    tasks = list(plan.tasks.filter(due_date__lt=today).order_by("scheduled_for"))
    for task in tasks[:-1]:  # all past weeks inspected but the last one, which stays overdue
        moment = timezone.make_aware(dt.datetime.combine(task.scheduled_for, dt.time(10)))
        for item in services.missing_required(task):
            value = {"passed": True}
            if item.kind == "number":
                value = {"number": item.min_value if item.min_value is not None else 0}
            elif item.kind == "text":
                value = {"text": "正常"}
            elif item.kind == "photo":
                value = {"photo": ContentFile(PNG, name="巡检.png")}
            services.record_result(users["engineer"], task, item, now=moment, **value)
        services.complete_task(users["engineer"], task, note="演示：巡检正常", now=moment + dt.timedelta(hours=1))
        done += 1
    return done, len(tasks) - done


def _monitoring(users, systems, now) -> int:
    from tongyun.availability import services as availability
    from tongyun.monitoring import receivers
    from tongyun.monitoring import services as monitoring
    from tongyun.monitoring.models import AlertSource

    source = AlertSource.objects.filter(name=DEMO + "监控").first()
    if source is None:
        source, _token = monitoring.source_create(users["bureau_admin"], name=DEMO + "监控", kind="generic",
                                                  default_system_id=systems[1].pk)
    device = Device.objects.filter(system=systems[1]).order_by("id").first()
    alerts = [receivers.Alert(fingerprint="demo-cpu", status="firing", starts_at=now - dt.timedelta(hours=3),
                              ends_at=None, labels={"alertname": "CPU 使用率过高"}, summary="CPU 使用率 95%",
                              raw={}, system_ref=systems[1].pk),
              receivers.Alert(fingerprint="demo-disk", status="firing", starts_at=now - dt.timedelta(days=2),
                              ends_at=None, labels={"alertname": "磁盘空间不足"}, summary="磁盘使用率 92%",
                              raw={}, system_ref=systems[2].pk)]
    monitoring.ingest(source, alerts, now=now)
    if device is not None:
        availability.record_outage(users["dispatcher"], device, start=now - dt.timedelta(days=9, hours=3),
                                   end=now - dt.timedelta(days=9, hours=1), fault="offline",
                                   note=DEMO + "停电两小时")
    return len(alerts)


def load(now: dt.datetime | None = None) -> dict:
    """Load the demo month once; a second call reports what is there and changes nothing."""
    from tongyun.incidents.models import Incident
    from tongyun.reports import services as reports
    from tongyun.reports import types as report_types

    now = now or timezone.now()
    today = timezone.localdate(now)
    if Incident.objects.filter(title__startswith=DEMO).exists():
        return {"loaded": False, "incidents": Incident.objects.filter(title__startswith=DEMO).count()}
    users = _users()
    systems = _systems(users["engineer"])
    with transaction.atomic():
        incidents = _incidents(users, systems, now)
        done, overdue = _inspections(users, systems, today, now)
        alerts = _monitoring(users, systems, now)
        # the running month's monthly inspection reports (drafts of the report engine), as the worker makes
        # them on the 1st for the month that ended
        first = today.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        drafts = reports.generate_period(report_types.get("inspections.monthly"), first, last, now=now)
    return {"loaded": True, "incidents": incidents, "inspections_done": done, "inspections_overdue": overdue,
            "alerts": alerts, "reports": drafts.created}
