"""Report reminders are stored notifications (ReportNotification, the shared Deliverable): once per report,
kind, person and channel; delivered by the platform's delivery; listed in the one in-app inbox together with
the incidents' and the certificates' notifications; read when the report is opened."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from tongyun.incidents.channels import CHANNELS
from tongyun.incidents.models import Notification
from tongyun.reports import reminders, services
from tongyun.reports.models import ReportNotification
from tongyun.staffing import notices
from tongyun.staffing import services as staffing
from tongyun.staffing.choices import CertificateKind

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db
THREE_DAYS_BEFORE = dt.datetime(2026, 11, 5, tzinfo=SH)  # monthly is due on 7 November


@pytest.fixture
def sent(monkeypatch, settings):
    settings.TONGYUN_NOTIFY_CHANNELS = ["in_app", "email"]
    messages = []
    for name in ("in_app", "email"):
        monkeypatch.setattr(CHANNELS[name], "send", lambda recipient, subject, body, name=name: messages.append(
            (name, recipient.username, subject)))
    return messages


def test_a_reminder_is_stored_once_per_person_and_channel_and_delivered(monthly, user_of, sent):
    assert reminders.remind(now=THREE_DAYS_BEFORE) == {"due": 1, "sign": 0}
    rows = ReportNotification.objects.filter(report=monthly, kind="due")
    assert sorted(rows.values_list("recipient__username", "channel")) == [("pm", "email"), ("pm", "in_app")]
    assert all(row.sent_at is not None for row in rows)  # delivered by incidents.services.deliver_pending
    assert sorted(sent) == [("email", "pm", f"报告即将到期：{monthly.title}"),
                            ("in_app", "pm", f"报告即将到期：{monthly.title}")]
    # a second sweep (late, or twice) sends nothing again
    sent.clear()
    assert reminders.remind(now=THREE_DAYS_BEFORE + dt.timedelta(hours=5)) == {"due": 0, "sign": 0}
    assert rows.count() == 2 and sent == []


def test_signers_are_reminded_again_after_a_return_and_resubmission(monthly, user_of, sent):
    pm, unit = user_of("pm"), user_of("unit_admin")
    services.submit(pm, monthly)
    assert reminders.remind()["sign"] == 1
    signers = {name for _channel, name, _subject in sent}
    assert signers == {"unit_admin", "unit01"}  # 区经信局's administrators only
    assert reminders.remind()["sign"] == 0
    monthly.refresh_from_db()
    services.decide(unit, monthly, "return", comment="请补充")
    services.submit(pm, monthly)
    sent.clear()
    assert reminders.remind()["sign"] == 1  # a new submission to sign: told again
    assert {name for _channel, name, _subject in sent} == signers
    assert ReportNotification.objects.filter(report=monthly, kind__startswith="sign:").count() == 2 * 2 * 2


def test_the_inbox_lists_every_kind_of_notification_in_one_list(monthly, month, user_of, client_as, sent):
    pm = user_of("pm")
    reminders.remind(now=THREE_DAYS_BEFORE)
    incident = month["system"].incidents.order_by("reported_at").first()
    Notification.objects.create(incident=incident, kind="assigned", recipient=pm, channel="in_app")
    person = staffing.create_staff(pm, name="电工乙")
    staffing.add_certificate(pm, person, kind=CertificateKind.LOW_VOLTAGE, number="T-002",
                             valid_until=dt.date(2026, 5, 20))
    assert notices.sweep_certificate_notices(dt.date(2026, 5, 1)) >= 1
    report_row = ReportNotification.objects.get(report=monthly, recipient=pm, channel="in_app")
    client = client_as("pm")
    page = client.get("/incidents/notifications/").content.decode()
    assert f'href="/reports/{monthly.pk}/">报告即将到期：{monthly.title}</a>' in page
    assert f'data-notification="reports.reportnotification:{report_row.pk}"' in page
    assert incident.number in page and "证书 30 天内到期：电工乙" in page
    unread = len(re.findall(r'<li class="unread"', page))
    assert unread >= 3
    assert f'data-testid="unread-count">{unread}<' in page  # the badge counts what the list shows
    # opening the report reads its reminder; the others stay unread
    client.get(f"/reports/{monthly.pk}/")
    report_row.refresh_from_db()
    assert report_row.read_at is not None
    page = client.get("/incidents/notifications/").content.decode()
    assert f'data-testid="unread-count">{unread - 1}<' in page
    # marking from the list: a certificate notice by its key; someone else's key changes nothing
    certificate_ids = [int(k) for k in re.findall(r'value="staffing.certificatenotification:(\d+)"', page)]
    assert certificate_ids
    client.post("/incidents/notifications/read/", {"ids": [f"staffing.certificatenotification:{certificate_ids[0]}",
                                                            "reports.reportnotification:999999", "x:1"]})
    page = client.get("/incidents/notifications/").content.decode()
    assert f'data-testid="unread-count">{unread - 2}<' in page
    client.post("/incidents/notifications/read/", {"all": "1"})
    assert 'data-testid="unread-count"' not in client.get("/incidents/notifications/").content.decode()
    assert not ReportNotification.objects.filter(recipient=pm, channel="in_app", read_at__isnull=True).exists()
