import datetime as dt
import subprocess

import pytest

from tongyun.domain import certificates, expiry


def test_row_62_lead_times_renew_a_month_ahead_install_in_the_last_week():
    marks = expiry.milestones(dt.date(2026, 8, 15), renew_lead_months=1, install_window_days=7)
    assert marks.renew_from == dt.date(2026, 7, 15)
    assert marks.install_from == dt.date(2026, 8, 8)
    assert expiry.stage_on(dt.date(2026, 7, 14), marks) == expiry.NONE
    assert expiry.stage_on(dt.date(2026, 7, 15), marks) == expiry.RENEW
    assert expiry.stage_on(dt.date(2026, 8, 7), marks) == expiry.RENEW
    assert expiry.stage_on(dt.date(2026, 8, 8), marks) == expiry.INSTALL
    assert expiry.stage_on(dt.date(2026, 8, 14), marks) == expiry.INSTALL
    assert expiry.stage_on(dt.date(2026, 8, 15), marks) == expiry.EXPIRED


def test_a_month_ahead_of_a_long_month_end_is_the_short_month_end():
    assert expiry.milestones(dt.date(2026, 3, 31), 1).renew_from == dt.date(2026, 2, 28)
    assert expiry.milestones(dt.date(2026, 3, 31), 1).install_from is None


def test_replacement_interval_gives_the_due_day():
    # row 56: beacon batteries last 4 years, last replaced 2024-09
    assert expiry.due_date(None, dt.date(2024, 9, 1), 48) == dt.date(2028, 9, 1)
    assert expiry.due_date(dt.date(2027, 1, 1), dt.date(2024, 9, 1), 48) == dt.date(2027, 1, 1)
    assert expiry.due_date(None, None, 48) is None
    with pytest.raises(ValueError):
        expiry.milestones(dt.date(2026, 1, 1), -1)


def _self_signed(tmp_path, days: int) -> bytes:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.der"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", str(days),
                    "-subj", "/CN=localhost", "-keyout", str(key), "-outform", "DER", "-out", str(cert)],
                   check=True, capture_output=True)
    return cert.read_bytes()


def test_not_after_read_from_der(tmp_path):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    der = _self_signed(tmp_path, 20)
    not_before, not_after = certificates.validity(der)
    assert abs((not_before - before).total_seconds()) < 120
    assert abs((not_after - before - dt.timedelta(days=20)).total_seconds()) < 120


def test_garbage_is_refused():
    for data in (b"", b"\x30\x03\x02\x01", b"not a certificate at all"):
        with pytest.raises(certificates.CertificateUnreadable):
            certificates.not_after(data)
