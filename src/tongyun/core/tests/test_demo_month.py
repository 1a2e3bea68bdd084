"""The first-run demo month: every incident state, inspections done and overdue, alerts, reports; idempotent."""

import pytest
from django.core.management import call_command

from tongyun.core import demo_month
from tongyun.incidents.models import Incident
from tongyun.inspections.models import InspectionTask
from tongyun.monitoring.models import Event, Outage
from tongyun.reports.models import Report

pytestmark = pytest.mark.django_db


def test_demo_month_loads_once_through_the_services(client_as, capsys):
    call_command("demo_month")
    assert "demo month:" in capsys.readouterr().out
    demo = Incident.objects.filter(title__startswith=demo_month.DEMO)
    states = set(demo.values_list("state", flat=True))
    assert {"reported", "triaged", "dispatched", "acknowledged", "on_site", "in_progress", "waiting_user",
            "resolved", "closed", "cancelled"} <= states
    assert demo.exclude(events=None).count() == demo.count()  # every ticket has its timeline
    tasks = InspectionTask.objects.filter(plan__name__startswith=demo_month.DEMO)
    assert tasks.filter(state="done").count() >= 2 and tasks.filter(state="pending").exists()
    assert Event.objects.filter(fingerprint__startswith="demo-").count() == 2
    assert Outage.objects.exists()
    # the month's inspection report drafts, now reports of the engine, one per system in service
    drafts = Report.objects.filter(type_key="inspections.monthly", state="draft")
    assert drafts.count() > 100 and drafts.filter(system__unit__name="区经信局").exists()
    count = Incident.objects.count()
    call_command("demo_month")
    assert "already loaded" in capsys.readouterr().out and Incident.objects.count() == count
    board = client_as("dispatcher").get("/incidents/board/").content.decode()
    assert demo_month.DEMO + "门户网站无法访问" in board
