"""The daily run: drafts on their cadence and reminders (before the deadline, after submission)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tongyun.incidents.channels import CHANNELS
from tongyun.reports import reminders, services, tasks

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    messages = []
    monkeypatch.setattr(CHANNELS["in_app"], "send", lambda recipient, subject, body: messages.append(
        (recipient.username, subject)))
    return messages


def test_reminders_go_once_to_the_drafter_then_to_the_signer(monthly, user_of, sent):
    assert reminders.remind(now=dt.datetime(2026, 11, 1, tzinfo=SH))["due"] == 0  # 7 November is 6 days away
    assert reminders.remind(now=dt.datetime(2026, 11, 5, tzinfo=SH))["due"] == 1
    assert ("pm", f"报告即将到期：{monthly.title}") in sent
    assert reminders.remind(now=dt.datetime(2026, 11, 5, 12, tzinfo=SH))["due"] == 0  # once
    services.submit(user_of("pm"), monthly)
    sent.clear()
    assert reminders.remind()["sign"] == 1
    assert {name for name, _subject in sent} == {"unit_admin", "unit01"}  # only 区经信局's administrators sign it
    assert reminders.remind()["sign"] == 0


def test_next_run_is_tomorrow_at_one_in_shanghai():
    assert tasks.next_run(dt.datetime(2026, 10, 31, 20, tzinfo=SH)) == dt.datetime(2026, 11, 1, 1, tzinfo=SH)
