"""Home = my work: each role's home lists its own items, each a link (tongyun.core.worklist providers of
the incident and inspection domains, and the dispatcher's on-duty list)."""

import datetime as dt
import re

from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.incidents import services
from tongyun.inspections.models import InspectionPlan, InspectionTask


def _report(user, system, title, ago=dt.timedelta(0), severity="urgent"):
    now = timezone.now()
    return services.report_incident(user, system=system, title=title, severity=severity, reported_at=now - ago,
                                    now=now)


def _links(page: str) -> set[str]:
    section = page.split('data-testid="my-work"')[1].split("</section>")[0]
    return set(re.findall(r'href="([^"]+)" data-testid="work-item"', section))


def test_dispatcher_home_lists_unassigned_and_breached_tickets(client_as, user_of):
    row1 = System.objects.get(row_no=1)
    late = _report(user_of("dispatcher"), row1, "HOME-LATE", ago=dt.timedelta(hours=3))
    page = client_as("dispatcher").get("/").content.decode()
    links = _links(page)
    assert f"/incidents/{late.pk}/" in links  # 待派单: the ticket itself
    assert "/incidents/?clock=unassigned" in links and "/incidents/?clock=breached" in links
    assert "HOME-LATE" in page and "待派单" in page
    # the counts+pie landing is gone
    assert "category-chart" not in page and 'data-testid="system-count"' not in page


def test_engineer_home_lists_my_tickets_by_deadline_and_my_inspections(client_as, user_of):
    engineer = user_of("engineer")
    system = System.objects.filter(assignments__user=engineer).order_by("row_no").first()
    later = _report(user_of("dispatcher"), system, "HOME-LATER", severity="minor")
    sooner = _report(user_of("dispatcher"), system, "HOME-SOONER", ago=dt.timedelta(hours=2))
    for incident in (later, sooner):
        services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=engineer)
    other = _report(user_of("dispatcher"), system, "HOME-NOT-MINE")
    today = timezone.localdate()
    plan = InspectionPlan.objects.create(system=system, name="HOME-PLAN", frequency="monthly")
    overdue = InspectionTask.objects.create(plan=plan, system=system, scheduled_for=today - dt.timedelta(days=9),
                                            due_date=today - dt.timedelta(days=2), assignee=engineer)
    due_today = InspectionTask.objects.create(plan=plan, system=system, scheduled_for=today, due_date=today,
                                              assignee=engineer)
    page = client_as("engineer").get("/").content.decode()
    links = _links(page)
    assert {f"/incidents/{later.pk}/", f"/incidents/{sooner.pk}/"} <= links
    assert f"/incidents/{other.pk}/" not in links  # not assigned to me
    assert page.index("HOME-SOONER") < page.index("HOME-LATER")  # by deadline
    assert {f"/inspections/tasks/{overdue.pk}/", f"/inspections/tasks/{due_today.pk}/"} <= links
    assert "我的逾期巡检" in page and "我今天的巡检" in page
    # the electrician, assigned elsewhere, gets none of it
    assert not _links(client_as("electrician").get("/").content.decode()) & links


def test_unit_home_has_the_report_button_its_open_tickets_and_those_to_confirm(client_as, user_of):
    row1 = System.objects.get(row_no=1)  # 区经信局
    open_ticket = _report(user_of("unit_admin"), row1, "HOME-UNIT-OPEN")
    resolved = _report(user_of("unit_admin"), row1, "HOME-UNIT-RESOLVED")
    engineer = user_of("engineer")
    services.take_action(user_of("dispatcher"), resolved, "dispatch", assignee=engineer)
    services.take_action(engineer, resolved, "acknowledge")
    services.take_action(engineer, resolved, "start")
    services.take_action(engineer, resolved, "resolve", cause="断电", action_taken="恢复供电")
    for username in ("unit_admin", "unit_staff"):
        page = client_as(username).get("/").content.decode()
        assert 'data-testid="report-button"' in page and 'href="/incidents/new/"' in page
        links = _links(page)
        assert f"/incidents/{open_ticket.pk}/" in links and f"/incidents/{resolved.pk}/" in links
        assert page.index("待我确认修复") < page.index("HOME-UNIT-RESOLVED")
    other = client_as("unit_admin_education").get("/").content.decode()
    assert "HOME-UNIT-OPEN" not in other and "HOME-UNIT-RESOLVED" not in other
    # field staff and the dispatcher have no 报障 button on their home
    assert 'data-testid="report-button"' not in client_as("engineer").get("/").content.decode()


def test_bureau_and_supervisor_home_shows_the_district_figures_each_a_link(client_as, user_of):
    _report(user_of("dispatcher"), System.objects.get(row_no=1), "HOME-DISTRICT", ago=dt.timedelta(hours=3))
    for username in ("bureau_admin", "supervisor"):
        page = client_as(username).get("/").content.decode()
        figures = page.split('data-testid="district-figures"')[1].split("</section>")[0]
        assert 'href="/overview/"' in figures
        assert 'data-indicator="incidents.open_breached"' in figures
        assert 'href="/incidents/?clock=open_breached"' in figures
    assert 'data-testid="district-figures"' not in client_as("unit_admin").get("/").content.decode()
    assert 'data-testid="district-figures"' not in client_as("dispatcher").get("/").content.decode()


def test_a_person_without_work_is_told_so(client_as):
    page = client_as("unit_admin_education").get("/").content.decode()
    assert 'data-testid="nothing-waiting"' in page and "报障" in page
