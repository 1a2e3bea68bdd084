"""The device list and a device's topology at 1366×768 (the bureau's office screens): the page never
scrolls sideways, and the device table fits the window without its own scroll bar."""

import pytest

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
OVERFLOW = """() => ({page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  tables: [...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)})"""


@pytest.fixture
def devices(seeded):
    from tongyun.catalog.choices import DeviceClass
    from tongyun.catalog.models import Device, System

    # the longest system name of the police unit, long addresses: the worst the real inventory brings
    system = max(System.objects.filter(unit__name="公安局顺义分局"), key=lambda s: len(s.name))
    switch = Device.objects.create(system=system, code="LAYOUT-SW-0001", kind="接入交换机", name="接入交换机 1",
                                   device_class=DeviceClass.SWITCH, ip_address="10.100.0.254",
                                   location="北京市顺义区仁和镇府前中街与新顺南大街交叉口东北角弱电井")
    cameras = [Device.objects.create(
        system=system, code=f"LAYOUT-CAM-{i:04d}", kind="多功能设备（AI多摄网络摄像机）", name=f"摄像机 {i}",
        device_class=DeviceClass.CAMERA, model="DS-2CD3T47G2-LIUF/SL", ip_address=f"172.16.0.{i + 1}",
        town="后沙峪镇", gb28181_id=f"110113000013200{i:05d}", upstream=switch,
        location=f"北京市顺义区后沙峪镇裕祥路与安泰大街交叉口西南角第 {i} 号立杆（朝东）",
        warranty_until="2027-12-31") for i in range(30)]
    return switch, cameras


@pytest.mark.parametrize("path", ["/catalog/devices/", "/catalog/devices/?q=LAYOUT"])
def test_device_list_fits_1366(new_page, login, seeded, devices, path):
    page = login(new_page(viewport=DESKTOP), "bureau_admin")
    page.goto(f"{seeded.url}{path}")
    assert page.locator("table").first.is_visible()
    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"] <= 0, overflow
    assert all(width <= 0 for width in overflow["tables"]), overflow


def test_device_topology_fits_1366(new_page, login, seeded, devices):
    switch, cameras = devices
    page = login(new_page(viewport=DESKTOP), "bureau_admin")
    page.goto(f"{seeded.url}/catalog/devices/{switch.pk}/")
    assert page.get_by_text("LAYOUT-CAM-0029").is_visible()  # the devices behind the switch
    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"] <= 0 and all(width <= 0 for width in overflow["tables"]), overflow
    page.goto(f"{seeded.url}/catalog/devices/{cameras[0].pk}/")
    assert page.get_by_role("link", name="接入交换机 1").first.is_visible()  # its upstream chain
    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"] <= 0 and all(width <= 0 for width in overflow["tables"]), overflow
