"""The 大屏 in a real browser at 1920×1080: it renders dark and full screen, draws its ECharts canvases, and
its figures follow a DeviceState change without a reload."""

import pytest
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.monitoring.models import DeviceState

pytestmark = pytest.mark.browser

WALL = {"width": 1920, "height": 1080}


def test_wall_display_updates_without_reload(new_page, login, seeded, tmp_path):
    from playwright.sync_api import expect

    system = System.objects.filter(unit__name="区经信局").order_by("row_no").first()
    now = timezone.now()
    devices = [Device.objects.create(system=system, kind="服务器", name=f"WALL-{i}", ip_address=f"10.7.0.{i}")
               for i in range(3)]
    for device in devices:
        DeviceState.objects.create(device=device, status="up", since=now, checked_at=now)

    page = new_page(viewport=WALL)
    login(page, "bureau_admin")
    page.goto(f"{seeded.url}/monitoring/wall/?refresh=2")
    expect(page.get_by_role("heading", name="顺义区信息化系统运维态势")).to_be_visible()
    expect(page.get_by_test_id("wall-up")).to_have_text("3")
    expect(page.get_by_test_id("wall-down")).to_have_text("0")
    # the two charts are drawn on canvases
    expect(page.locator("#chart-categories canvas")).to_have_count(1)
    expect(page.locator("#chart-severity canvas")).to_have_count(1)
    box = page.locator("#chart-categories").bounding_box()
    assert box["width"] > 400 and box["height"] > 300, box
    # full screen: nothing scrolls at 1920×1080, the figures are large enough to read from afar
    assert page.evaluate("document.documentElement.scrollHeight") <= WALL["height"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= WALL["width"] + 1
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('[data-testid=wall-up]')).fontSize)")
    assert size >= 60, size
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 18, 32)", background

    # a device goes down: the wall follows on its next poll, without a reload
    page.evaluate("window.__notReloaded = true")
    DeviceState.objects.filter(device=devices[0]).update(status="down", since=timezone.now())
    expect(page.get_by_test_id("wall-down")).to_have_text("1", timeout=15_000)
    expect(page.get_by_test_id("wall-up")).to_have_text("2")
    expect(page.get_by_test_id("wall-units")).to_contain_text("区经信局")
    assert page.evaluate("window.__notReloaded") is True
    assert page.requests.external() == []
    page.screenshot(path=tmp_path / "wall-1920x1080.png")
