"""The district overview: the indicators and panels the domains register (tongyun.core.indicators),
each figure and chart point a link to its list, for the bureau, the supervisor and the PM only."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.core import indicators
from tongyun.incidents import services


def _report(user, system, title, ago):
    now = timezone.now()
    return services.report_incident(user, system=system, title=title, severity="urgent", reported_at=now - ago,
                                    now=now)


def test_the_domains_register_the_overviews_figures():
    keys = {indicator.key for indicator in indicators.registered()}
    assert {"incidents.open", "incidents.open_breached", "incidents.repair_met_pct",
            "inspections.completion_pct", "inspections.overdue", "inspections.reports_late",
            "availability.below_target", "contracts.deductions", "staffing.rules_unmet",
            "spares.low_stock"} <= keys


def test_a_key_is_registered_once():
    indicator = indicators.Indicator("test.once", "x", lambda user: None)
    indicators.register(indicator)
    try:
        with pytest.raises(ValueError):
            indicators.register(indicators.Indicator("test.once", "x", lambda user: None))
    finally:
        indicators.unregister("test.once")


def test_overview_figures_are_links_and_count_what_they_say(client_as, user_of):
    row1 = System.objects.get(row_no=1)
    _report(user_of("dispatcher"), row1, "OVERVIEW-LATE", dt.timedelta(hours=3))
    _report(user_of("dispatcher"), row1, "OVERVIEW-FRESH", dt.timedelta(0))
    client = client_as("bureau_admin")
    page = client.get("/overview/").content.decode()
    card = re.search(r'<a class="card figure-card \w+" href="([^"]+)" data-indicator="incidents.open_breached">'
                     r'.*?<div class="figure">(\d+)', page, re.S)
    url, value = card.group(1), int(card.group(2))
    assert value == 1
    # the figure's link opens the list of exactly those tickets
    listed = client.get(url).content.decode()
    assert "OVERVIEW-LATE" in listed and "OVERVIEW-FRESH" not in listed
    open_card = re.search(r'href="([^"]+)" data-indicator="incidents.open">.*?<div class="figure">(\d+)', page, re.S)
    assert int(open_card.group(2)) == 2
    # the charts' data: a point per unit, each with the URL of its list
    data = json.loads(re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    by_unit = data["incidents-open_by_unit"]
    index = by_unit["categories"].index(row1.unit.name)
    assert by_unit["series"][0]["data"][index] == 2 and by_unit["series"][1]["data"][index] == 1
    assert by_unit["series"][1]["urls"][index] == f"/incidents/?clock=open_breached&unit={row1.unit_id}"
    trend = data["incidents-sla_trend"]
    assert len(trend["categories"]) == 6 and trend["unit"] == "%"
    # ECharts from the vendored copy, no CDN
    assert "/static/vendor/echarts-" in page and "cdn" not in page.lower()


@pytest.mark.parametrize("username, status", [
    ("bureau_admin", 200), ("bureau_staff", 200), ("supervisor", 200), ("pm", 200),
    ("dispatcher", 403), ("engineer", 403), ("unit_admin", 403),
])
def test_who_opens_the_overview(client_as, username, status):
    assert client_as(username).get("/overview/").status_code == status


def test_the_big_screen_mode(client_as):
    page = client_as("bureau_admin").get("/overview/?screen=1").content.decode()
    assert 'class="screen"' in page and "退出大屏" in page
