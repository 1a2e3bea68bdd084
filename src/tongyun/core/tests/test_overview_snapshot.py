"""The district overview's expensive figures come from the worker (tongyun.core.snapshots): the task stores
them, the pages read them without running the heavy queries, and nobody outside the district roles is ever
shown them."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tongyun.catalog.models import System
from tongyun.core import indicators, snapshots
from tongyun.core.models import DistrictSnapshot
from tongyun.core.scoping import scoped
from tongyun.core.tasks import refresh_overview
from tongyun.incidents import compliance


@pytest.fixture
def trend_calls(monkeypatch):
    """Counts the trend's six-month scan (the overview's expensive query)."""
    calls = []
    real = compliance.repair_trend

    def spy(user, months, now=None):
        calls.append(user)
        return real(user, months, now)

    monkeypatch.setattr(compliance, "repair_trend", spy)
    return calls


@pytest.fixture
def systems_seen():
    """A temporary precomputed figure: how many systems the user sees (differs between a unit and the district)."""
    indicator = indicators.Indicator("test.systems_seen", "系统数", precomputed=True,
                                     provider=lambda user: indicators.Reading(scoped(System.objects.all(), user)
                                                                              .count(), "/catalog/"))
    indicators.register(indicator)
    yield indicator
    indicators.unregister(indicator.key)


def _chart_data(page: str) -> dict:
    return json.loads(re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', page,
                                re.S).group(1))


def test_the_task_stores_the_district_figures_and_queues_its_next_run(db, settings, trend_calls):
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"  # the suite's default
    before = timezone.now()
    assert refresh_overview.call() == len(settings.LANGUAGES)
    rows = {row.language: row for row in DistrictSnapshot.objects.all()}
    assert set(rows) == {code for code, _name in settings.LANGUAGES}
    trend = rows["zh-hans"].charts["incidents.sla_trend"]
    assert len(trend["categories"]) == 6 and trend["unit"] == "%"
    assert rows["zh-hans"].computed_at >= before
    assert len(trend_calls) == len(settings.LANGUAGES)  # computed once per language, by the task
    # the next run is queued, once however often it is scheduled
    queued = DBTaskResult.objects.filter(task_path=refresh_overview.module_path, status=TaskResultStatus.READY)
    assert queued.count() == 1 and queued.get().run_after >= before
    refresh_overview.call()
    assert queued.count() == 1


def test_the_page_shows_the_stored_figures_with_their_time_without_the_heavy_query(client_as, trend_calls):
    snapshots.refresh()
    row = DistrictSnapshot.objects.get(language="zh-hans")
    # make the stored chart recognisable, and two hours old
    row.charts["incidents.sla_trend"]["categories"][0] = "STORED"
    row.computed_at = timezone.now() - dt.timedelta(hours=2)
    row.save()
    calls_before = len(trend_calls)
    page = client_as("bureau_admin").get("/overview/").content.decode()
    assert len(trend_calls) == calls_before  # the page did not scan the months
    assert _chart_data(page)["incidents-sla_trend"]["categories"][0] == "STORED"
    stamp = timezone.localtime(row.computed_at)
    expected = f"{stamp:%H:%M}" if stamp.date() == timezone.localdate() else f"{stamp:%Y-%m-%d %H:%M}"
    assert re.search(rf'data-testid="overview-updated">更新于 {expected}<', page)
    # the cheap figures stay live: the open-tickets card is computed on the request
    assert 'data-indicator="incidents.open"' in page


def test_nothing_computed_yet_the_page_computes_inline_once_and_stores_it(client_as, trend_calls):
    assert not DistrictSnapshot.objects.exists()
    client = client_as("supervisor")
    first = client.get("/overview/").content.decode()
    assert len(trend_calls) == 1 and DistrictSnapshot.objects.filter(language="zh-hans").exists()
    assert "更新于" in first and len(_chart_data(first)["incidents-sla_trend"]["categories"]) == 6
    client.get("/overview/")
    client_as("pm").get("/overview/")
    assert len(trend_calls) == 1  # the others read what the first request stored


def test_a_units_figures_are_its_own_never_the_districts(client_as, user_of, systems_seen):
    snapshots.refresh()
    district = System.objects.count()
    assert DistrictSnapshot.objects.get(language="zh-hans").readings["test.systems_seen"]["value"] == district
    unit_admin = user_of("unit_admin")
    own = System.objects.filter(unit_id=unit_admin.organisation_id).count()
    assert 0 < own < district
    # a unit's user gets no snapshot: every figure is computed for it, through its scope
    assert indicators.district_snapshot(unit_admin) is None
    readings = dict(pair for _section, rows in indicators.readings(unit_admin) for pair in rows)
    assert readings[systems_seen].value == own
    engineer = user_of("engineer")
    assert indicators.district_snapshot(engineer) is None
    assert dict(pair for _s, rows in indicators.readings(engineer) for pair in rows)[systems_seen].value < district
    # the district roles read the stored figure (the bureau on the overview, the supervisor on the home)
    bureau = user_of("bureau_admin")
    snapshot = indicators.district_snapshot(bureau)
    assert snapshot is not None
    assert dict(pair for _s, rows in indicators.readings(bureau, snapshot=snapshot) for pair in rows)[
        systems_seen].value == district
    page = client_as("bureau_admin").get("/overview/").content.decode()
    assert re.search(rf'data-indicator="test.systems_seen">.*?<div class="figure">{district}<', page, re.S)
    assert client_as("unit_admin").get("/overview/").status_code == 403


def test_the_stored_readings_keep_their_type_and_a_new_indicator_is_computed_until_the_next_run(user_of):
    from decimal import Decimal

    reading = indicators.Reading(Decimal("12.50"), "/x/", unit="元", level="warning", note="备注")
    assert snapshots.decode_reading(json.loads(json.dumps(snapshots.encode_reading(reading)))) == reading
    snapshots.refresh()
    late = indicators.Indicator("test.late", "后注册", precomputed=True,
                                provider=lambda user: indicators.Reading(7, "/late/"))
    indicators.register(late)
    try:
        bureau = user_of("bureau_admin")
        readings = dict(pair for _s, rows in indicators.readings(bureau, snapshot=indicators.district_snapshot(
            bureau)) for pair in rows)
        assert readings[late].value == 7
    finally:
        indicators.unregister(late.key)


def test_english_pages_read_the_english_figures(client_as, settings):
    snapshots.refresh()
    zh = DistrictSnapshot.objects.get(language="zh-hans").charts["incidents.sla_trend"]
    en = DistrictSnapshot.objects.get(language="en").charts["incidents.sla_trend"]
    assert zh["categories"] == en["categories"]
    DistrictSnapshot.objects.filter(language="en").update(computed_at=timezone.now() - dt.timedelta(days=3))
    client = client_as("bureau_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/overview/").content.decode()
    stamp = timezone.localtime(DistrictSnapshot.objects.get(language="en").computed_at)
    assert f"{stamp:%Y-%m-%d %H:%M}" in page
