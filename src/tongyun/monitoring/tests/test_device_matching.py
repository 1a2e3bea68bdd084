"""Which device an alert is about: its reference (the `instance` label) is tried against the mapping's fields
in order (IP address, code, name, GB28181 id, serial number); the first field with one match settles it, an
ambiguous one passes to the next field, the alert's system (when it names one) narrows the matches."""

from tongyun.catalog.models import Device, System
from tongyun.monitoring import receivers, services
from tongyun.monitoring.models import Event

from .test_receivers import am_alert, am_payload


def _device_of(source, **alert) -> Device | None:
    ip = alert.pop("ip", "0.0.0.0")
    batch = receivers.parse_alertmanager_batch(am_payload([am_alert(ip, **alert)]))
    services.ingest(source, batch.alerts)
    event = Event.objects.filter(source=source).order_by("-pk").first()
    return event.device


def test_the_first_field_of_the_mapping_with_a_match_settles_the_device(system, source):
    by_code = Device.objects.create(system=system, kind="摄像机", name="甲", code="DUP-1")
    Device.objects.create(system=system, kind="摄像机", name="DUP-1")
    by_ip = Device.objects.create(system=system, kind="摄像机", name="乙", ip_address="10.77.0.5")
    assert _device_of(source, instance="DUP-1", fingerprint="a") == by_code  # code comes before name
    assert _device_of(source, ip="10.77.0.5", fingerprint="b") == by_ip  # the port is not part of the address
    assert _device_of(source, ip="10.77.0.6", fingerprint="c") is None  # no device: stored, unlocated


def test_an_ambiguous_address_passes_to_the_next_field_unless_the_alert_names_its_system(system, source):
    other = System.objects.exclude(pk=system.pk).order_by("row_no").first()
    here = Device.objects.create(system=system, kind="摄像机", name="丙", ip_address="10.77.0.9")
    Device.objects.create(system=other, kind="摄像机", name="丁", ip_address="10.77.0.9")
    assert _device_of(source, ip="10.77.0.9", fingerprint="a") is None  # two systems' cameras share it
    named = Device.objects.create(system=other, kind="摄像机", name="10.77.0.9:9100")
    assert _device_of(source, ip="10.77.0.9", fingerprint="b") == named  # the name field settles it
    assert _device_of(source, ip="10.77.0.9", system=system.pk, fingerprint="c") == here


def test_the_sources_own_order_of_fields_is_followed(system, source):
    source.mapping = {"device_match": ["name", "code"]}
    source.save(update_fields=["mapping"])
    Device.objects.create(system=system, kind="摄像机", name="戊", code="SAME-2")
    by_name = Device.objects.create(system=system, kind="摄像机", name="SAME-2")
    assert _device_of(source, instance="SAME-2", fingerprint="a") == by_name
