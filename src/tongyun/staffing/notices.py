"""Certificates nearing their end, told to the contractor's PM (ST-03: 30 days ahead, again a week ahead,
and on expiry) through the incidents' notification delivery (channels, retries, permanent errors: one
mechanism, see incidents.models.Deliverable). The daily sweep (staffing.tasks) gives each certificate only
the stage it has reached, once per stage and person (unique constraint): running late or twice repeats
nothing, and a certificate recorded 5 days before its end gets the 7-day notice, not three at once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tongyun.parties.choices import Role
from tongyun.parties.models import User

from . import rules
from .choices import Post
from .models import Certificate, CertificateNotification


def stage(valid_until: dt.date, today: dt.date) -> int | None:
    """The notice stage a certificate has reached (the smallest threshold it is within), None if none."""
    left = (valid_until - today).days
    reached = [t for t in rules.CERTIFICATE_NOTICE_DAYS if left <= t]
    return min(reached) if reached else None


def recipients():
    return User.objects.filter(role=Role.PROJECT_MANAGER, is_active=True)


def sweep_certificate_notices(today: dt.date | None = None) -> int:
    """Create the notices due today; returns how many were created (delivery follows the commit)."""
    from tongyun.incidents.channels import active_channels
    from tongyun.incidents.services import _enqueue_delivery

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(rules.CERTIFICATE_NOTICE_DAYS))
    people = list(recipients())
    channels = active_channels()
    rows = []
    for certificate in (Certificate.objects.filter(valid_until__isnull=False, valid_until__lte=horizon,
                                                   person__active=True).only("pk", "valid_until")):
        threshold = stage(certificate.valid_until, today)
        rows += [CertificateNotification(certificate=certificate, threshold=threshold, recipient=person, channel=c)
                 for person in people for c in channels]
    if not rows:
        return 0
    with transaction.atomic():
        before = CertificateNotification.objects.count()
        CertificateNotification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        created = CertificateNotification.objects.count() - before
        if created:
            transaction.on_commit(_enqueue_delivery)
    return created


def message(notice: CertificateNotification) -> tuple[str, str]:
    certificate = notice.certificate
    what = f"{certificate.person.name} · {certificate.get_kind_display()}"
    if notice.threshold == 0:
        subject = f"【统运】证书已过期：{what}"
    else:
        subject = f"【统运】证书 {notice.threshold} 天内到期：{what}"
    lines = [f"有效期至：{certificate.valid_until:%Y-%m-%d}"]
    if certificate.number:
        lines.append(f"证书编号：{certificate.number}")
    if certificate.kind == rules.RULE_BY_POST[Post.ELECTRICIAN].required_certificate:
        lines.append("过期后持证人不再计入电工岗位人数（ST-02）")
    return subject, "\n".join(lines)
