"""Certificates nearing their end notify the PM through the incidents' delivery, once per stage (30 days,
7 days, expired), from a daily django-tasks sweep."""

import datetime as dt

import pytest
from django.core import mail

from tongyun.incidents import services as incident_services
from tongyun.staffing import notices, services, tasks
from tongyun.staffing.choices import CertificateKind
from tongyun.staffing.models import CertificateNotification

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def certificate(user_of):
    pm = user_of("pm")
    person = services.create_staff(pm, name="电工甲")
    return services.add_certificate(pm, person, kind=CertificateKind.LOW_VOLTAGE, number="T-001",
                                    valid_until=TODAY + dt.timedelta(days=40))


def stages(certificate):
    return sorted(set(CertificateNotification.objects.filter(certificate=certificate)
                      .values_list("threshold", flat=True)))


def test_each_stage_once_to_the_pm_only(certificate, user_of):
    assert notices.sweep_certificate_notices(TODAY) == 0  # 40 days left: nothing yet
    day = TODAY + dt.timedelta(days=10)  # 30 days left
    created = notices.sweep_certificate_notices(day)
    assert created >= 1 and stages(certificate) == [30]
    assert set(CertificateNotification.objects.values_list("recipient__username", flat=True)) == {"pm"}
    # the daily sweep the next days repeats nothing
    for later in range(1, 5):
        assert notices.sweep_certificate_notices(day + dt.timedelta(days=later)) == 0
    assert notices.sweep_certificate_notices(TODAY + dt.timedelta(days=34)) >= 1  # 6 days left
    assert stages(certificate) == [7, 30]
    assert notices.sweep_certificate_notices(TODAY + dt.timedelta(days=40)) >= 1  # the last day: expired stage
    assert stages(certificate) == [0, 7, 30]
    assert notices.sweep_certificate_notices(TODAY + dt.timedelta(days=60)) == 0


def test_a_late_recorded_certificate_gets_only_the_stage_it_reached(user_of):
    pm = user_of("pm")
    person = services.create_staff(pm, name="电工乙")
    late = services.add_certificate(pm, person, kind=CertificateKind.LOW_VOLTAGE,
                                    valid_until=TODAY + dt.timedelta(days=5))
    notices.sweep_certificate_notices(TODAY)
    assert stages(late) == [7]


def test_the_notices_go_through_the_incidents_delivery(certificate, settings, user_of):
    settings.TONGYUN_NOTIFY_CHANNELS = ["in_app", "email"]
    pm = user_of("pm")
    pm.email = "pm@example.cn"
    pm.save(update_fields=["email"])
    notices.sweep_certificate_notices(TODAY + dt.timedelta(days=10))
    rows = CertificateNotification.objects.all()
    assert {r.channel for r in rows} == {"in_app", "email"}
    incident_services.deliver_pending()
    in_app = rows.get(channel="in_app")
    assert in_app.sent_at is not None and in_app.attempts == 1
    assert rows.get(channel="email").sent_at is not None
    assert [m.to for m in mail.outbox if "电工甲" in m.subject and "30 天内到期" in m.subject] == [["pm@example.cn"]]
    # delivered once: another run sends nothing again
    assert incident_services.deliver_pending() == 0


def test_the_daily_task_sweeps_and_queues_the_next(certificate, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "schedule_sweep", lambda run_after=None: queued.append(run_after))
    monkeypatch.setattr(notices.timezone, "localdate", lambda: TODAY + dt.timedelta(days=10))
    assert tasks.sweep_certificates.call() >= 1
    assert len(queued) == 1 and queued[0] is not None
