"""The monthly inspection reports (月度巡检报告) move into the report engine (tongyun.reports, issue #14).

Each MonthlyInspectionReport becomes a reports.Report of the type `inspections.monthly` (state, the three
texts as narratives, its snapshot as data, deadline, first / last submission, confirmation time — so its
lateness stays what it was) with a sign-off of the flow `reports.inspections.monthly` in the matching state
(steps and events rebuilt from the report's history). MovedReport keeps old id → new id for the old
addresses. Self-contained on purpose (historical models, no app code): later changes to the sections must
not change what this migration wrote. The old model is removed by 0006.
"""

import datetime as dt

from django.db import migrations, models

TYPE_KEY = "inspections.monthly"
FLOW = "reports." + TYPE_KEY
NARRATIVES = (("巡检总结", "summary"), ("遗留风险", "open_risks"), ("改进建议", "improvements"))
STATES = {"draft": "draft", "submitted": "submitted", "returned": "returned", "confirmed": "signed"}
OUTCOMES = {"done": "已完成", "missed": "已逾期", "open": "未到期"}
SLA = {"met": "达标", "breached": "超时", "pending": "待定", "none": "无时限"}
SOURCE = ("RD-10 行 2 每月第一周提交上月巡检汇总，报请签署确认（L2884–L2892）；RD-12 行 14 月度巡检报告（L5083）；"
          "RD-14 行 62 月度巡检报告（L12838）；用户单位签字确认")


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _section(key, title, figures, tables):
    return {"key": key, "title": title, "available": True, "note": "", "text": "", "chart": None,
            "figures": [{"label": label, "value": value, "unit": unit} for label, value, unit in figures],
            "tables": [{"title": t, "headers": h, "rows": r, "note": ""} for t, h, r in tables]}


def _data(report, system, unit_name) -> dict:
    """The old snapshot in the engine's data layout (the renderers read `parts`); the snapshot itself is
    kept under `snapshot`."""
    snap = report.snapshot or {}
    counts = snap.get("counts", {})
    tasks = _section("inspections.month_tasks", "本月巡检任务", [
        ("巡检任务", counts.get("tasks", 0), "次"), ("现场巡检", counts.get("onsite", 0), "次"),
        ("远程巡检", counts.get("remote", 0), "次"), ("已完成", counts.get("done", 0), "次"),
        ("按时完成", counts.get("done_on_time", 0), "次"), ("逾期未巡检", counts.get("missed", 0), "次"),
        ("未到期", counts.get("open", 0), "次")], [
        ("巡检任务", ["计划日期", "巡检计划", "频次", "方式", "截止日期", "结果", "按时", "完成时间", "完成人", "已检项",
                   "异常项", "巡检小结"],
         [[t.get("scheduled_for"), t.get("plan"), t.get("frequency"), t.get("mode"), t.get("due_date"),
           OUTCOMES.get(t.get("outcome"), t.get("outcome")),
           ("是" if t.get("on_time") else "否") if t.get("outcome") == "done" else "",
           t.get("completed_at") or "", t.get("completed_by"), t.get("answered", 0), t.get("failed", 0),
           t.get("note", "")] for t in snap.get("tasks", [])])])
    findings = _section("inspections.month_findings", "巡检发现的异常项", [
        ("异常项", counts.get("findings", 0), "项"),
        ("已报障", sum(1 for f in snap.get("findings", []) if f.get("incident_id")), "项")], [
        ("巡检发现的异常项", ["日期", "巡检计划", "分类", "检查项", "记录", "说明", "设备", "故障工单"],
         [[f.get("scheduled_for"), f.get("plan"), f.get("section"), f.get("item"), f.get("value"), f.get("note"),
           f.get("device"), f.get("incident_number")] for f in snap.get("findings", [])])])

    def incident_rows(rows):
        return [[i.get("number"), i.get("title"), i.get("severity"), i.get("reported_at") or "",
                 i.get("resolved_at") or "", i.get("state"), SLA.get(i.get("response"), ""),
                 SLA.get(i.get("repair"), "")] for i in rows]

    headers = ["工单号", "故障摘要", "等级", "报障时间", "修复时间", "状态", "响应", "修复"]
    opened = _section("inspections.month_incidents", "巡检发现的故障", [
        ("巡检发现的故障", counts.get("inspection_incidents", 0), "次")],
        [("巡检发现的故障工单", headers, incident_rows(snap.get("inspection_incidents", [])))])
    incidents = _section("incidents.summary", "故障处置及服务时限", [
        ("故障数", counts.get("incidents", 0), "次"),
        *[(f"{'响应' if clock == 'response' else '修复'}{SLA[outcome]}", counts.get(f"{clock}_{outcome}", 0), "次")
          for clock in ("response", "repair") for outcome in ("met", "breached", "pending")]],
        [("故障工单及服务时限", headers, incident_rows(snap.get("incidents", [])))])
    at = report.generated_at or report.updated_at
    return {
        "type": TYPE_KEY, "title": "月度巡检报告", "scope": f"{unit_name} · {system.name}",
        "period": f"{report.month.year}年{report.month.month}月", "period_start": report.month.isoformat(),
        "period_end": _month_end(report.month).isoformat(), "systems": 1, "source": SOURCE, "documents": [],
        "parts": [{"title": "", "sections": [tasks, findings, opened, incidents]}],
        "narratives": [{"heading": heading, "text": getattr(report, field)} for heading, field in NARRATIVES],
        "computed_at": at.isoformat() if at else "", "snapshot": snap,
    }


def _moment(value, fallback):
    try:
        return dt.datetime.fromisoformat(value) if value else fallback
    except (TypeError, ValueError):
        return fallback


def _signoff(apps, report, new, content_type):
    """The sign-off of the moved report, in the state the old report was in."""
    SignOff = apps.get_model("signoffs", "SignOff")
    SignOffStep = apps.get_model("signoffs", "SignOffStep")
    SignOffEvent = apps.get_model("signoffs", "SignOffEvent")
    history = list(report.history or [])
    starter_id = report.submitted_by_id or next((h.get("by_id") for h in history if h.get("by_id")), None)
    if starter_id is None:
        return
    started = report.first_submitted_at or report.submitted_at
    state = report.state
    signoff = SignOff.objects.create(
        flow=FLOW, title=new.title, subject_type=content_type, subject_id=new.pk, unit_id=new.unit_id,
        system_id=new.system_id, state="completed" if state == "confirmed" else "pending",
        current_position={"submitted": 1, "returned": 0}.get(state),
        current_party={"submitted": "unit", "returned": "contractor"}.get(state, ""), due_at=new.due_at,
        version=1, started_by_id=starter_id, started_at=started,
        ended_at=report.confirmed_at if state == "confirmed" else None)
    confirm_comment = next((h.get("comment", "") for h in reversed(history) if h.get("action") == "confirm"), "")
    decided = state in ("submitted", "confirmed")
    SignOffStep.objects.bulk_create([
        SignOffStep(signoff=signoff, position=0, party="contractor", label="服务商提交",
                    decision="approve" if decided else "", decided_by_id=report.submitted_by_id if decided else None,
                    decided_at=report.submitted_at if decided else None),
        SignOffStep(signoff=signoff, position=1, party="unit", label="用户单位签字确认",
                    decision="approve" if state == "confirmed" else "",
                    decided_by_id=report.confirmed_by_id if state == "confirmed" else None,
                    decided_at=report.confirmed_at if state == "confirmed" else None,
                    comment=confirm_comment if state == "confirmed" else ""),
    ])
    events = [SignOffEvent(signoff=signoff, action="start", actor_id=starter_id, at=started)]
    for entry in history:
        actor, at, comment = entry.get("by_id") or starter_id, _moment(entry.get("at"), started), entry.get("comment", "")
        action = entry.get("action")
        if action in ("submit", "resubmit"):
            events.append(SignOffEvent(signoff=signoff, position=0, action="approve", actor_id=actor, at=at,
                                       comment=comment or "提交"))
        elif action == "return":
            events.append(SignOffEvent(signoff=signoff, position=1, action="return", actor_id=actor, at=at,
                                       comment=comment, to_position=0))
        elif action == "confirm":
            events.append(SignOffEvent(signoff=signoff, position=1, action="approve", actor_id=actor, at=at,
                                       comment=comment))
    SignOffEvent.objects.bulk_create(events)


def forwards(apps, schema_editor):
    Old = apps.get_model("inspections", "MonthlyInspectionReport")
    MovedReport = apps.get_model("inspections", "MovedReport")
    Report = apps.get_model("reports", "Report")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="reports", model="report")
    for old in Old.objects.select_related("system", "system__unit").order_by("id").iterator():
        system = old.system
        title = f"{old.month.year}年{old.month.month}月 {system.name} 月度巡检报告"[:300]
        new = Report.objects.create(
            type_key=TYPE_KEY, title=title, scope_key=f"system:{system.pk}", system_id=system.pk,
            unit_id=system.unit_id, period_start=old.month, period_end=_month_end(old.month), version=1,
            state=STATES.get(old.state, "draft"), due_at=old.due_at,
            narratives={heading: getattr(old, field) for heading, field in NARRATIVES if getattr(old, field)},
            data=_data(old, system, system.unit.name), data_at=old.generated_at,
            first_submitted_at=old.first_submitted_at, submitted_at=old.submitted_at,
            signed_at=old.confirmed_at if old.state == "confirmed" else None,
            created_at=old.generated_at or old.updated_at, created_by_id=None)
        MovedReport.objects.create(id=old.pk, report_id=new.pk)
        if old.state != "draft":
            _signoff(apps, old, new, content_type)


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0004_merge_0003_cadence_vocabulary_0003_feed_token_hashed"),
        ("reports", "0001_initial"),
        ("signoffs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="MovedReport",
            fields=[
                ("id", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("report_id", models.PositiveBigIntegerField(unique=True)),
            ],
            options={"verbose_name": "已迁移的月度巡检报告", "verbose_name_plural": "已迁移的月度巡检报告"},
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
