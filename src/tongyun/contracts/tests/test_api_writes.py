"""API writes of the contract, fees, adjustments, payments and memoranda: the same services as the pages,
bureau only where the pages are, bad input named and nothing changed."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl

from tongyun.catalog import services as catalog_services
from tongyun.contracts.models import Contract, FeeAdjustment, Memorandum, Rule, SystemFee
from tongyun.contracts.tests.test_money import UNIT, setup  # noqa: F401
from tongyun.signoffs.selectors import signoff_for

CONTRACT = {"number": "API-001", "title": "顺义区2026年信息系统运维服务", "purchaser": "甲方", "contractor": "乙方",
            "signed_on": "2025-12-25", "effective_on": "2026-01-01", "price": "8000000.00",
            "period_start": "2026-01-01", "period_end": "2026-12-31"}


def send(client, method, path, headers, body=None):
    return getattr(client, method)(f"/api/v1/contracts{path}", body, content_type="application/json",
                                   headers=headers)


def test_the_contract_payments_and_fees_are_written_by_the_bureau_only(db, client, api_as, system_of):
    bureau, unit, pm = api_as("bureau_admin"), api_as("unit_admin_education"), api_as("pm")
    assert send(client, "put", "/contract", unit, CONTRACT).status_code == 403
    assert send(client, "put", "/contract", bureau, {**CONTRACT, "price": "-1"}).status_code == 422
    bad = send(client, "put", "/contract", bureau, {**CONTRACT, "period_end": "2025-06-30"})
    assert bad.status_code == 422 and "period_end" in bad.json()["errors"]
    assert send(client, "put", "/contract", bureau, {**CONTRACT, "surprise": 1}).status_code == 422
    assert not Contract.objects.exists()  # nothing written by the refused ones
    made = send(client, "put", "/contract", bureau, CONTRACT)
    assert made.status_code == 200 and made.json()["price"] == "8000000.00"
    again = send(client, "put", "/contract", bureau, {**CONTRACT, "price": "9000000.00"})
    assert again.json()["id"] == made.json()["id"] and Contract.objects.get().price == Decimal("9000000.00")

    # payments: no invoice → not paid; invoice, then paid
    assert send(client, "post", "/payments/1/paid", bureau, {}).status_code == 422
    assert send(client, "post", "/payments/1/invoice", pm, {"invoice_number": "No.1",
                                                           "received_on": "2026-02-01"}).status_code == 403
    assert send(client, "post", "/payments/4/invoice", bureau, {"invoice_number": "x",
                                                               "received_on": "2026-02-01"}).status_code == 422
    assert send(client, "post", "/payments/1/invoice", bureau, {"invoice_number": "No.1",
                                                               "received_on": "2026-02-01"}).status_code == 200
    paid = send(client, "post", "/payments/1/paid", bureau, {"paid_on": "2026-02-10"}).json()
    assert paid[0]["state"] == "paid" and paid[0]["invoice_number"] == "No.1"

    system = system_of(UNIT)
    assert send(client, "post", "/fees", unit, {"system_id": system.pk, "annual_fee": "100"}).status_code == 403
    assert send(client, "post", "/fees", bureau, {"system_id": system.pk, "annual_fee": "-5"}).status_code == 422
    assert send(client, "post", "/fees", bureau, {"system_id": 2**63, "annual_fee": "5"}).status_code == 422
    fee = send(client, "post", "/fees", bureau, {"system_id": system.pk, "annual_fee": "36500", "note": "标书"})
    assert fee.status_code == 200 and fee.json()["annual_fee"] == "36500.00"
    # another unit's system is a 404 for a unit (before any role check)
    other = system_of("区经信局")
    assert send(client, "post", "/fees", unit, {"system_id": other.pk, "annual_fee": "1"}).status_code == 404

    # the workbook: a bad row names row and column and changes nothing; a good one imports
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "系统服务费"
    sheet.append(["序号", "用户单位", "系统名称", "年度服务费（元）", "备注"])
    sheet.append([system.row_no, "", "", 73000, ""])
    sheet.append([9999, "", "", 1000, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    refused = client.post("/api/v1/contracts/fees/import", {"file": io.BytesIO(buffer.getvalue())}, headers=bureau)
    assert refused.status_code == 422
    assert refused.json()["problems"] == [{"sheet": "系统服务费", "row": 3, "column": "序号",
                                           "reason": "没有序号为 9999 的系统"}]
    assert SystemFee.objects.get(system=system).annual_fee == Decimal("36500.00")
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    assert client.post("/api/v1/contracts/fees/import", {"file": io.BytesIO(buffer.getvalue())},
                       headers=unit).status_code == 403
    done = client.post("/api/v1/contracts/fees/import", {"file": io.BytesIO(buffer.getvalue())}, headers=bureau)
    assert done.json() == {"imported": 1} and SystemFee.objects.get(system=system).annual_fee == Decimal("73000.00")


def test_adjustments_by_the_api(setup, client, api_as, user_of):  # noqa: F811
    s = setup
    bureau = api_as("bureau_admin")
    catalog_services.record_system_change(user_of("bureau_admin"), s["system"], kind="shutdown",
                                          effective_date=dt.date(2026, 7, 1), description="停运")
    assert send(client, "post", "/adjustments/sync", api_as("unit_admin_education")).status_code == 403
    created = send(client, "post", "/adjustments/sync", bureau).json()
    assert len(created) == 1 and created[0]["computed_fee"] == "59506.85"  # 120000 × 181 / 365
    path = f"/adjustments/{created[0]['id']}"
    refused = send(client, "patch", path, bureau, {"override_fee": "60000"})  # an override needs a reason
    assert refused.status_code == 422 and "override_reason" in refused.json()["errors"]
    ok = send(client, "patch", path, bureau, {"override_fee": "60000", "override_reason": "按月核减",
                                              "bureau_notice_on": "2026-06-15"}).json()
    assert ok["adjusted_fee"] == "60000.00"
    # a later PATCH of the unit's notice keeps the override and the bureau's notice
    send(client, "patch", path, bureau, {"unit_notice_on": "2026-06-20"})
    adjustment = FeeAdjustment.objects.get(pk=created[0]["id"])
    assert adjustment.override_fee == Decimal("60000.00") and adjustment.bureau_notice_on == dt.date(2026, 6, 15)
    assert adjustment.unit_notice_on == dt.date(2026, 6, 20)
    assert send(client, "patch", path, api_as("unit_admin_education"), {"unit_notice_on": "2026-06-21"}
                ).status_code == 403


def test_a_memorandum_written_through_the_api_and_signed(setup, client, api_as, user_of):  # noqa: F811
    s = setup
    unit, bureau, pm = api_as("unit_admin_education"), api_as("bureau_admin"), api_as("pm")
    assert send(client, "post", "/memoranda", pm, {"system_id": s["system"].pk,
                                                    "effective_month": "2026-01"}).status_code == 403
    assert send(client, "post", "/memoranda", unit, {"system_id": s["system"].pk,
                                                      "effective_month": "2026-13"}).status_code == 422
    memo = send(client, "post", "/memoranda", unit, {"system_id": s["system"].pk, "effective_month": "2026-01"})
    assert memo.status_code == 200
    memo = memo.json()
    assert memo["version"] == 1 and len(memo["rules"]) > 3  # the district template
    patched = send(client, "patch", f"/memoranda/{memo['id']}", unit, {"cycle": "quarterly",
                                                                        "cap_fee_percent": None}).json()
    assert patched["cycle"] == "quarterly" and patched["cap_fee_percent"] is None
    assert send(client, "patch", f"/memoranda/{memo['id']}", unit, {"cycle": "weekly"}).status_code == 422
    rule = {"indicator": "manual", "label": "值班记录完整", "comparison": "false", "consequence": "amount",
            "value": "300"}
    added = send(client, "post", f"/memoranda/{memo['id']}/rules", unit, rule)
    assert added.status_code == 200 and added.json()["custom"] is True
    bad = send(client, "post", f"/memoranda/{memo['id']}/rules", unit, {**rule, "indicator": "nonsense"})
    assert bad.status_code == 422 and "indicator" in bad.json()["errors"]
    edited = send(client, "put", f"/rules/{added.json()['id']}", unit, {**rule, "value": "500"}).json()
    assert edited["value"] == "500.00"
    first = memo["rules"][0]["id"]
    assert send(client, "delete", f"/rules/{first}", unit).status_code == 204
    assert not Rule.objects.filter(pk=first).exists()
    assert send(client, "post", f"/memoranda/{memo['id']}/submit", unit).json()["state"] == "signing"
    # signed by the three parties through the sign-off API; then the memorandum is read-only
    signoff = signoff_for(Memorandum.objects.get(pk=memo["id"]), "contracts.memorandum")
    for headers in (unit, pm, bureau):
        assert client.post(f"/api/v1/signoffs/{signoff.pk}/decision", {"decision": "approve", "comment": "同意"},
                           content_type="application/json", headers=headers).status_code == 200
    assert Memorandum.objects.get(pk=memo["id"]).state == "in_force"
    assert send(client, "put", f"/rules/{added.json()['id']}", unit, rule).status_code == 422
    assert send(client, "patch", f"/memoranda/{memo['id']}", unit, {"cycle": "monthly"}).status_code == 422
    # another unit's memorandum and rules are 404s
    other = api_as("unit_admin_police")
    assert send(client, "patch", f"/memoranda/{memo['id']}", other, {"cycle": "monthly"}).status_code == 404
    assert send(client, "delete", f"/rules/{added.json()['id']}", other).status_code == 404
