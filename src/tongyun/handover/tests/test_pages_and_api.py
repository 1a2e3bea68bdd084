"""The hand-over pages and API: the bureau's progress, the contractor's hand-over form, the unit's
confirmation, the bureau-only actions, bad input named and nothing changed, the English catalogue."""

import datetime as dt

from tongyun.catalog.models import System
from tongyun.handover import services
from tongyun.handover.models import Item, Obstruction
from tongyun.handover.tests.test_handover import unit_admin_of


def test_the_bureau_opens_and_follows_the_hand_over(db, client_as, api_as, client, user_of):
    assert client_as("unit_admin").post("/handover/open/").status_code == 403
    unit_headers = api_as("unit_admin")
    assert client.post("/api/v1/handover/checklists/open", headers=unit_headers).status_code == 403
    bureau = api_as("bureau_admin")
    opened = client.post("/api/v1/handover/checklists/open", headers=bureau).json()
    assert opened == {"created": System.objects.count()}
    progress = client.get("/api/v1/handover/progress", headers=bureau).json()
    assert progress["systems"] == System.objects.count() and progress["pending"] == Item.objects.count()
    page = client_as("bureau_admin").get("/handover/")
    assert page.status_code == 200 and "顺义区河（湖）长制管理信息化系统" in page.content.decode()

    system = System.objects.get(row_no=67)
    checklist = client.get(f"/api/v1/handover/checklists?unit={system.unit_id}", headers=bureau).json()
    mine = next(c for c in checklist if c["system_id"] == system.pk)
    detail = client.get(f"/api/v1/handover/checklists/{mine['id']}", headers=bureau).json()
    source = next(i for i in detail["items"] if i["kind"] == "source_backup")
    assert source["source_lines"] == "L13803"

    # the contractor hands the source code over through the API; a password in the text is refused (422,
    # field named, nothing changed)
    pm = api_as("pm")
    url = f"/api/v1/handover/items/{source['id']}/deliver"
    refused = client.post(url, {"handed_over_on": "2026-12-31", "detail": "root password=abc"},
                          content_type="application/json", headers=pm)
    assert refused.status_code == 422 and "detail" in refused.json()["errors"]
    assert Item.objects.get(pk=source["id"]).state == "pending"
    assert client.post(url, {"handed_over_on": "2026-12-31", "extra": 1}, content_type="application/json",
                       headers=pm).status_code == 422
    done = client.post(url, {"handed_over_on": "2026-12-31", "detail": "光盘 2 张"}, content_type="application/json",
                       headers=pm).json()
    assert done["state"] == "awaiting" and done["signoff_id"]
    # the unit confirms through the sign-off API
    unit = unit_admin_of(system)
    headers = api_as(unit.username)
    assert client.post(f"/api/v1/signoffs/{done['signoff_id']}/decision", {"decision": "approve", "comment": "收到"},
                       content_type="application/json", headers=headers).status_code == 200
    assert Item.objects.get(pk=source["id"]).state == "confirmed"

    # the page form: the documents item, handed over on the page by the PM
    documents = Item.objects.get(checklist_id=mine["id"], kind="documents")
    pm_page = client_as("pm")
    bad = pm_page.post(f"/handover/items/{documents.pk}/deliver/", {f"i{documents.pk}-detail": "x"})
    assert bad.status_code == 422 and "移交日期" in bad.content.decode()
    good = pm_page.post(f"/handover/items/{documents.pk}/deliver/",
                        {f"i{documents.pk}-handed_over_on": "2026-12-30", f"i{documents.pk}-detail": "3 册"})
    assert good.status_code == 302
    documents.refresh_from_db()
    assert documents.state == "awaiting" and documents.handed_over_on == dt.date(2026, 12, 30)

    # a refusal: no contract yet → a clear error and nothing recorded; the supervisor may not record one
    assert client.post(f"/api/v1/handover/checklists/{mine['id']}/obstructions",
                       {"occurred_on": "2026-12-31", "description": "拒不移交"}, content_type="application/json",
                       headers=api_as("supervisor")).status_code == 403
    missing = client.post(f"/api/v1/handover/checklists/{mine['id']}/obstructions",
                          {"occurred_on": "2026-12-31", "description": "拒不移交"}, content_type="application/json",
                          headers=bureau)
    assert missing.status_code == 422 and "contract" in missing.json()["errors"]
    assert not Obstruction.objects.exists()


def test_pages_in_english(db, client_as, user_of):
    from django.conf import settings

    services.open_checklists(user_of("bureau_admin"))
    client = client_as("bureau_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    checklist = Item.objects.filter(kind="source_backup").first().checklist
    page = client.get(f"/handover/{checklist.pk}/").content.decode()
    assert "Source-code backup" in page and "Hand-over checklist" in page
    assert "Hand-over" in client.get("/handover/").content.decode()
