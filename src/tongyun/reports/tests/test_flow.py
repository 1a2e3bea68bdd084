"""Sign-off of a report: order (the unit signs only after the contractor submits), return and resubmit,
immutable once signed, corrections as new versions, lateness; the outputs read back; pages and API."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tongyun.reports import selectors, services
from tongyun.reports.choices import ReportState

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db
ON_TIME = dt.datetime(2026, 11, 5, 10, 0, tzinfo=SH)
LATE = dt.datetime(2026, 11, 10, 10, 0, tzinfo=SH)


def test_unit_cannot_sign_before_the_contractor_submits(monthly, user_of):
    with pytest.raises(ValidationError, match="尚未提交"):
        services.decide(user_of("unit_admin"), monthly, "approve")
    with pytest.raises(PermissionDenied):
        services.submit(user_of("unit_admin"), monthly)  # only the contractor submits
    services.submit(user_of("pm"), monthly, now=ON_TIME)
    monthly.refresh_from_db()
    assert monthly.state == ReportState.SUBMITTED and not monthly.is_late()
    signoff = services.signoff_of(monthly)
    assert [s.party for s in signoff.steps.all()] == ["contractor", "unit"] and signoff.current_position == 1
    with pytest.raises(Http404):  # another unit's report does not exist for it
        services.decide(user_of("unit_admin_police"), monthly, "approve")
    services.decide(user_of("unit_admin"), monthly, "approve", comment="确认")
    monthly.refresh_from_db()
    assert monthly.state == ReportState.SIGNED and monthly.signed_at is not None
    # immutable once signed
    for write in (lambda: services.submit(user_of("pm"), monthly), lambda: services.refresh(user_of("pm"), monthly),
                  lambda: services.update(user_of("pm"), monthly, narratives={"本月工作小结": "改"})):
        with pytest.raises(ValidationError):
            write()
    # a correction is a new version; the signed one is kept, superseded
    new = services.correct(user_of("pm"), monthly, reason="补录一次故障")
    monthly.refresh_from_db()
    assert monthly.state == ReportState.SUPERSEDED and new.version == 2 and new.supersedes == monthly
    assert new.state == ReportState.DRAFT and new.data["parts"]


def test_return_with_comment_and_resubmit(monthly, user_of):
    pm, unit = user_of("pm"), user_of("unit_admin")
    services.submit(pm, monthly, now=LATE)
    monthly.refresh_from_db()
    assert monthly.is_late()  # submitted after 7 November
    with pytest.raises(ValidationError):
        services.decide(unit, monthly, "return")  # a return needs a comment
    services.decide(unit, monthly, "return", comment="请补充本月工作小结")
    monthly.refresh_from_db()
    assert monthly.state == ReportState.RETURNED
    services.update(pm, monthly, narratives={"本月工作小结": "完成月度巡检，处置故障两起。"})
    services.submit(pm, monthly)
    monthly.refresh_from_db()
    assert monthly.state == ReportState.SUBMITTED
    assert monthly.data["narratives"] == [{"heading": "本月工作小结", "text": "完成月度巡检，处置故障两起。"}]
    services.decide(unit, monthly, "approve")
    monthly.refresh_from_db()
    assert monthly.state == ReportState.SIGNED and monthly.is_late()  # lateness stays that of the first submission
    events = [e.action for e in services.signoff_of(monthly).events.all()]
    assert events == ["start", "approve", "return", "approve", "approve"]


def test_lateness_and_counts(monthly, user_of):
    before_deadline = dt.datetime(2026, 11, 6, tzinfo=SH)
    after_deadline = dt.datetime(2026, 11, 8, tzinfo=SH)
    assert not monthly.is_late(before_deadline) and monthly.is_late(after_deadline)
    counts = {row["unit"]: row for row in selectors.report_counts(user_of("bureau_admin"), now=after_deadline)}
    assert counts["区经信局"]["late"] == 1 and counts["区经信局"]["due"] == 0
    counts = {row["unit"]: row for row in selectors.report_counts(user_of("bureau_admin"), now=before_deadline)}
    assert counts["区经信局"]["due"] == 1 and counts["区经信局"]["late"] == 0
    assert selectors.report_counts(user_of("unit_admin_police")) == []  # sees only its own unit's


def test_pdf_and_word_read_back(monthly, client_as):
    from docx import Document
    from pypdf import PdfReader

    client = client_as("unit_admin")
    incident_number = monthly.data["parts"][0]["sections"][0]["tables"][0]["rows"][0][0]
    response = client.get(f"/reports/{monthly.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")  # lines wrap anywhere in CJK
    assert "系统运维月报" in text and "故障处置及服务时限" in text and incident_number in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert round(float(width) / 72 * 25.4) == 210 and round(float(height) / 72 * 25.4) == 297  # A4

    response = client.get(f"/reports/{monthly.pk}/report.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text == monthly.title
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert incident_number in cells and "设备停机次数" in cells
    assert round(doc.sections[0].top_margin.mm) == 37 and round(doc.sections[0].left_margin.mm) == 28

    response = client.get(f"/reports/{monthly.pk}/report.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    values = {c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert incident_number in values and "GIS-01" in values


def test_page_and_api_show_the_same_numbers(monthly, client_as, api_as, client):
    page = client_as("unit_admin").get(f"/reports/{monthly.pk}/")
    assert page.status_code == 200 and "设备停机记录" in page.content.decode()
    printable = client_as("unit_admin").get(f"/reports/{monthly.pk}/print/").content.decode()
    assert "@page" in printable and "37mm" in printable
    body = client.get(f"/api/v1/reports/{monthly.pk}", headers=api_as("unit_admin")).json()
    assert body["data"] == monthly.data and body["late"] is monthly.is_late()
    listing = client.get("/api/v1/reports?type_key=om_monthly_system", headers=api_as("unit_admin")).json()
    assert [r["id"] for r in listing["results"]] == [monthly.pk]


def test_api_submit_and_sign(monthly, api_as, client):
    unit = api_as("unit_admin")
    early = client.post(f"/api/v1/reports/{monthly.pk}/decision", {"decision": "approve"},
                        content_type="application/json", headers=unit)
    assert early.status_code == 422 and "decision" in early.json()["errors"]
    response = client.post(f"/api/v1/reports/{monthly.pk}/submit", {"comment": "请审阅"},
                           content_type="application/json", headers=api_as("pm"))
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert response.json()["may_decide"] is False
    unknown = client.post(f"/api/v1/reports/{monthly.pk}/decision", {"decision": "approve", "extra": 1},
                          content_type="application/json", headers=unit)
    assert unknown.status_code == 422
    police = client.post(f"/api/v1/reports/{monthly.pk}/decision", {"decision": "approve"},
                         content_type="application/json", headers=api_as("unit_admin_police"))
    assert police.status_code == 404
    signed = client.post(f"/api/v1/reports/{monthly.pk}/decision", {"decision": "approve"},
                         content_type="application/json", headers=unit)
    assert signed.status_code == 200 and signed.json()["state"] == "signed"


def test_cross_unit_pages_are_404(monthly, client_as, api_as, client):
    police = client_as("unit_admin_police")
    for url in (f"/reports/{monthly.pk}/", f"/reports/{monthly.pk}/report.pdf", f"/reports/{monthly.pk}/print/"):
        assert police.get(url).status_code == 404, url
    assert client.get(f"/api/v1/reports/{monthly.pk}", headers=api_as("unit_admin_police")).status_code == 404
    assert police.get("/reports/").status_code == 200 and monthly.title not in police.get("/reports/").content.decode()


def test_the_overview_counts_late_reports(monthly, user_of):
    """The district overview's figures (core.indicators): today is past October's deadline (7 November)."""
    from tongyun.core import indicators

    readings = {i.key: i.provider(user_of("bureau_admin")) for i in indicators.registered()
                if i.key.startswith("reports.")}
    assert readings["reports.late"].value == 1 and readings["reports.late"].url == "/reports/overview/"
    assert readings["reports.awaiting_signature"].value == 0
    services.submit(user_of("pm"), monthly)
    assert indicators_value("reports.awaiting_signature", user_of("bureau_admin")) == 1
    assert indicators_value("reports.late", user_of("unit_admin_police")) == 0  # another unit's report


def indicators_value(key, user):
    from tongyun.core import indicators

    return next(i for i in indicators.registered() if i.key == key).provider(user).value
