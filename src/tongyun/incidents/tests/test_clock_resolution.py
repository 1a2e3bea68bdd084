"""Which clock a fault gets (docs/sla-clock.md §7): every (system, severity) pair of the real 2026 catalog
resolves to a documented tier or to an explicit "the tender sets no numeric target" — no silent gap."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tongyun.catalog.choices import Severity, SlaForm
from tongyun.catalog.models import SlaTerm, System
from tongyun.incidents import compliance, services
from tongyun.incidents.clocks import CLOCKS, Resolution, resolve_term
from tongyun.incidents.models import MajorEventPeriod

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def _has_target(term) -> bool:
    return term is not None and any(getattr(term, f"{kind}_value") for kind in CLOCKS)


def report(user, system, severity, when, **kwargs):
    return services.report_incident(user, system=system, title="系统故障", severity=severity,
                                    reported_at=when, now=when + dt.timedelta(minutes=1), **kwargs)


def test_every_system_and_severity_resolves_to_a_documented_clock():
    """154 systems × every severity × in/out of business hours."""
    systems = list(System.objects.filter(row_no__isnull=False).order_by("row_no"))
    assert len(systems) == 154
    terms: dict[int, list[SlaTerm]] = {}
    for term in SlaTerm.objects.order_by("system_id", "position"):
        terms.setdefault(term.system_id, []).append(term)
    silent, no_target = [], set()
    for system in systems:
        for severity in Severity.values:
            for in_hours in (True, False):
                term, how = resolve_term(terms.get(system.pk, []), severity, in_hours=in_hours)
                if how == Resolution.NO_TARGET:
                    assert term is None
                    no_target.add(system.row_no)
                elif not _has_target(term):
                    no_target.add(system.row_no)   # a tier the tender gives no number ("即刻响应")
                if how not in {Resolution.SEVERITY, Resolution.NEAREST, Resolution.STRICTEST_CLASS,
                               Resolution.NO_TARGET}:
                    silent.append((system.row_no, severity, in_hours, how))
                # a system with any numeric target never falls through to "no target"
                numeric = any(_has_target(t) for t in terms.get(system.pk, []) if t.applies_when != "major_event")
                if numeric and how == Resolution.NO_TARGET:
                    silent.append((system.row_no, severity, in_hours, how))
    assert silent == []
    # the rows without a numeric target are exactly those the tender leaves without one
    without = {s.row_no for s in systems if not any(_has_target(t) for t in terms.get(s.pk, []))}
    assert without <= no_target
    assert {139, 142, 147, 149} <= without                 # "根据派单情况，及时维修"
    assert 2 in no_target                                  # row 2 in business hours: "即刻响应"


@pytest.mark.parametrize("row", [38, 39, 40, 41, 42, 43])
@pytest.mark.parametrize("severity", ["minor", "urgent"])
def test_health_template_minor_and_urgent_get_the_nearest_tier(row, severity):
    # lines 9302-9312 (row 40): 出现故障时在 1小时内响应 … 一般故障 1 个工作日 … 重大故障（服务中断）2 小时内应急恢复
    system = System.objects.get(row_no=row)
    assert system.sla_form == SlaForm.HEALTH_TEMPLATE
    term, how = resolve_term(list(system.sla_terms.all()), severity)
    assert how == Resolution.NEAREST
    assert term.severity == ("general" if severity == "minor" else "serious")
    assert term.response_value == 1


def test_asset_class_without_a_class_takes_the_strictest(user_of):
    row36 = System.objects.get(row_no=36)
    incident = report(user_of("dispatcher"), row36, "general", at(2026, 7, 7, 10, 0))
    # 后端设备：4 小时内修复（含响应时间） is the strictest of 12 h / 4 h / 24 h
    assert incident.repair_due == at(2026, 7, 7, 14, 0)
    assert incident.policy["resolution"] == Resolution.STRICTEST_CLASS
    chosen = report(user_of("dispatcher"), row36, "general", at(2026, 7, 7, 10, 0), tier_key="front_end")
    assert chosen.repair_due == at(2026, 7, 7, 22, 0)
    assert chosen.policy["resolution"] == Resolution.CHOSEN


def test_no_numeric_target_is_shown_and_counted(user_of, client_as):
    row139 = System.objects.get(row_no=139)
    incident = report(user_of("dispatcher"), row139, "serious", at(2026, 7, 7, 10, 0))
    assert incident.response_due is None and incident.repair_due is None
    assert incident.policy["no_numeric_target"] is True
    page = client_as("dispatcher").get(f"/incidents/{incident.pk}/")
    assert page.status_code == 200
    assert 'data-testid="no-numeric-target"' in page.content.decode()
    row1 = System.objects.get(row_no=1)
    report(user_of("dispatcher"), row1, "minor", at(2026, 7, 8, 10, 0))
    table = compliance.compliance_table(user_of("bureau_admin"), month="2026-07", group_by="system",
                                        now=at(2026, 7, 9, 10, 0))
    by_row = {r["system_id"]: r for r in table["rows"]}
    assert by_row[row139.pk]["no_target"] == 1 and by_row[row139.pk]["response_targets"] == 0
    assert by_row[row1.pk]["no_target"] == 0
    assert table["total"]["no_target"] == 1


def test_row_16_major_event_override(user_of):
    # line 5476: （5）重大活动/节假日保障：30 分钟内响应，2 小时内定位并解决问题
    row16 = System.objects.get(row_no=16)
    MajorEventPeriod.objects.create(name="国庆保障", start=at(2026, 10, 1, 0, 0), end=at(2026, 10, 8, 0, 0),
                                    response_value=1, response_unit="hour", repair_value=4, repair_unit="hour")
    inside = report(user_of("dispatcher"), row16, "minor", at(2026, 10, 3, 10, 0))
    assert inside.response_due == at(2026, 10, 3, 10, 30)     # the row's own 30 minutes, not the period's 1 h
    assert inside.repair_due == at(2026, 10, 3, 12, 0)        # the row's own 2 hours
    outside = report(user_of("dispatcher"), row16, "minor", at(2026, 10, 9, 10, 0))
    assert outside.response_due == at(2026, 10, 9, 18, 0)     # 轻微故障 8 小时内响应
    # the override applies only inside a period: without one it is never the governing tier
    term, how = resolve_term(list(row16.sla_terms.all()), "minor")
    assert term.tier_key == "minor" and how == Resolution.SEVERITY


def test_row_2_out_of_hours_response(user_of):
    # lines 2838-2842: 非工作时段…如需远程处理问题可在 30 分钟内响应; 工作时段 "即刻响应" (no number)
    row2 = System.objects.get(row_no=2)
    night = report(user_of("dispatcher"), row2, "general", at(2026, 7, 7, 21, 0))
    assert night.response_due == at(2026, 7, 7, 21, 30)
    day = report(user_of("dispatcher"), row2, "general", at(2026, 7, 7, 10, 0))
    assert day.response_due is None and day.policy["no_numeric_target"] is True


def test_row_22_repair_counts_from_arrival(user_of):
    # lines 6263-6275: 2 小时内做出响应，3 小时内到达故障现场，到达现场后 1 小时内修复
    row22 = System.objects.get(row_no=22)
    incident = report(user_of("dispatcher"), row22, "minor", at(2026, 7, 7, 10, 0))
    assert incident.response_due == at(2026, 7, 7, 12, 0)
    assert incident.arrival_due == at(2026, 7, 7, 13, 0)
    assert incident.policy["repair_from_arrival"] is True
