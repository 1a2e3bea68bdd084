import re

import pytest
from django.core.management import call_command

from tongyun.catalog.models import Device, SlaTerm, System, SystemChange

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    return re.findall(r'href="/catalog/systems/(\d+)/"', html)


def test_catalog_list_shows_154_systems_to_the_bureau(client_as):
    page = client_as("bureau_admin").get("/catalog/systems/").content.decode()
    assert "共 154 条" in page


@pytest.mark.parametrize("query, expected", [
    ("category=公共安全", lambda: System.objects.filter(category="公共安全")),
    ("deployment_kind=district_idc", lambda: System.objects.filter(deployment_kind="district_idc")),
    ("mlps_level=2", lambda: System.objects.filter(mlps_level=2)),
    ("start_month=1", lambda: System.objects.filter(service_start__month=1)),
    ("q=门禁", lambda: System.objects.filter(name__icontains="门禁") | System.objects.filter(
        description__icontains="门禁") | System.objects.filter(unit__name__icontains="门禁")),
])
def test_catalog_filters(client_as, query, expected):
    page = client_as("bureau_admin").get(f"/catalog/systems/?{query}&per_page=500").content.decode()
    wanted = {str(pk) for pk in expected().values_list("pk", flat=True)}
    assert wanted
    assert set(_rows(page)) == wanted


def test_htmx_request_gets_only_the_table(client_as):
    client = client_as("bureau_admin")
    full = client.get("/catalog/systems/?category=教育教务").content.decode()
    partial = client.get("/catalog/systems/?category=教育教务", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in partial
    assert set(_rows(partial)) == set(_rows(full)) != set()


def test_bad_filter_is_explained_not_a_500(client_as):
    response = client_as("bureau_admin").get("/catalog/systems/?start_month=abc")
    assert response.status_code == 200
    assert "start_month" in response.content.decode()


def test_system_detail_shows_all_obligations(client_as):
    system = System.objects.get(row_no=1)
    page = client_as("unit_admin").get(f"/catalog/systems/{system.pk}/").content.decode()
    for text in (system.name, "8 小时", "7 工作日", "30 分钟", "每月", "等保", "2026-01-01", "2026-12-31",
                 f"原文第 {system.source_line_start}–{system.source_line_end} 行"):
        assert text in page, text


def test_device_and_unit_pages(client_as):
    device = Device.objects.select_related("system__unit").first()
    client = client_as("bureau_admin")
    page = client.get(f"/catalog/devices/{device.pk}/").content.decode()
    assert device.system.name in page and device.kind in page
    page = client.get(f"/catalog/units/{device.system.unit_id}/").content.decode()
    for system in System.objects.filter(unit=device.system.unit):
        assert system.name in page
    assert "共" in client.get("/catalog/units/").content.decode()
    assert client.get("/catalog/devices/?q=服务器").status_code == 200


def test_pm_records_a_shutdown_from_the_page(client_as):
    system = System.objects.get(row_no=10)
    client = client_as("pm")
    response = client.post(f"/catalog/systems/{system.pk}/changes/", {
        "kind": "shutdown", "effective_date": "2026-11-01", "description": "用户单位通知系统停用"})
    assert response.status_code == 302
    system.refresh_from_db()
    assert str(system.service_end) == "2026-10-31"
    assert system.status == "shut_down"
    page = client.get(f"/catalog/systems/{system.pk}/").content.decode()
    assert "用户单位通知系统停用" in page and "2026-12-31 → 2026-10-31" in page.replace("service_end: ", "")


def test_bad_change_form_names_the_field_and_changes_nothing(client_as):
    system = System.objects.get(row_no=10)
    client = client_as("pm")
    response = client.post(f"/catalog/systems/{system.pk}/changes/",
                           {"kind": "shutdown", "effective_date": "", "description": "x"}, follow=True)
    assert "生效日期" in response.content.decode()
    assert not SystemChange.objects.filter(system=system).exists()
    assert client_as("unit_admin").post(f"/catalog/systems/{System.objects.get(row_no=1).pk}/changes/",
                                        {"kind": "other", "effective_date": "2026-11-01",
                                         "description": "x"}).status_code == 403


@pytest.mark.parametrize("username, sees", [("engineer", 5), ("electrician", 5), ("onsite", 5)])
def test_field_home_lists_the_systems_they_answer_for(client_as, username, sees):
    page = client_as(username).get("/").content.decode()
    section = page.split("我负责的系统")[1].split("</ul>")[0]
    assert section.count('href="/catalog/systems/') == sees


@pytest.mark.parametrize("username", ["bureau_admin", "supervisor", "pm", "dispatcher"])
def test_district_roles_get_no_system_list_on_their_home(client_as, username):
    # their home is their work (and, for the bureau, the district figures), not 154 system links
    page = client_as(username).get("/").content.decode()
    assert "我负责的系统" not in page and "本单位的系统" not in page


def test_unit_home_shows_its_own_systems(client_as, user_of):
    page = client_as("unit_admin_education").get("/").content.decode()
    count = System.objects.filter(unit__name="区教委").count()
    section = page.split("本单位的系统")[1].split("</ul>")[0]
    assert section.count('href="/catalog/systems/') == min(count, 50)


def test_english_is_available(client_as):
    client = client_as("bureau_admin")
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get("/catalog/systems/").content.decode()
    assert '<html lang="en">' in page
    assert "系统目录" not in page.split("<main")[0]  # the menu is translated


def test_bootstrap_is_idempotent_and_keeps_edits(user_of):
    system = System.objects.get(row_no=1)
    system.name = "本地改过的名称"
    system.save()
    terms = SlaTerm.objects.count()
    call_command("bootstrap", verbosity=0)
    call_command("bootstrap", verbosity=0)
    assert System.objects.count() == 154
    assert SlaTerm.objects.count() == terms
    assert System.objects.get(row_no=1).name == "本地改过的名称"


def test_chinese_by_default_even_for_an_english_browser(client_as):
    client = client_as("bureau_admin")
    page = client.get("/catalog/systems/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="zh-hans">' in page and "系统目录" in page


def test_system_page_says_when_the_tender_is_silent_on_the_inspection_mode(client_as):
    client = client_as("bureau_admin")
    row2 = client.get(f"/catalog/systems/{System.objects.get(row_no=2).pk}/").content.decode()
    assert "远程" in row2 and "现场" in row2 and "招标文件未写明" not in row2  # 每周远程 / 每月现场
    row1 = client.get(f"/catalog/systems/{System.objects.get(row_no=1).pk}/").content.decode()
    assert "方式：招标文件未写明" in row1 and "未指明" not in row1  # 项目巡检，每月一次: how, it does not say
