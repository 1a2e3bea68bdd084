"""Migration 0005: a database loaded before the hardware column was parsed kind by kind gets the granular
inventory the bootstrap now loads (row 23: three rows all called 摄像机 → four kinds, 7,890), keeping the
device rows that other records point at, and leaves an inventory edited by hand alone."""

import importlib
import json

import pytest
from django.apps import apps

from tongyun.catalog.models import Device, System

migration = importlib.import_module("tongyun.catalog.migrations.0005_device_granularity")
TABLE = json.loads(migration.TABLE.read_text(encoding="utf-8"))


def as_loaded_before(system: System) -> list[Device]:
    """Put back the summary rows the old bootstrap created for this system."""
    Device.objects.filter(system=system, code="").delete()
    return Device.objects.bulk_create(
        Device(system=system, kind=kind, quantity=quantity, source_text=text)
        for kind, quantity, text in TABLE[str(system.row_no)]["old"])


def summary(system: System) -> list[tuple]:
    return list(Device.objects.filter(system=system, code="").order_by("kind")
                .values_list("kind", "device_class", "quantity"))


@pytest.mark.django_db
def test_row_23_becomes_four_kinds_and_keeps_referenced_rows():
    system = System.objects.get(row_no=23)
    fresh = summary(system)  # what the bootstrap loads today
    old = as_loaded_before(system)
    assert [d.kind for d in old] == ["摄像机", "摄像机", "摄像机"]
    face = next(d for d in old if d.quantity == 2306)

    migration.regranulate(apps, None)

    assert summary(system) == fresh
    assert sorted(kind for kind, _c, _q in fresh) == sorted(
        ["车卡（车辆出入口抓拍机）", "多功能设备（AI多摄网络摄像机）",
         "门禁（智慧门禁设备）", "人卡（社区人脸抓拍机）"])
    assert sum(q for _k, _c, q in fresh) == 7890
    # the same row (what outages, incidents and results point at), re-described in place
    assert Device.objects.get(pk=face.pk).kind == "人卡（社区人脸抓拍机）"
    assert Device.objects.get(system=system, kind="门禁（智慧门禁设备）").device_class == "terminal"


@pytest.mark.django_db
def test_running_again_changes_nothing():
    system = System.objects.get(row_no=23)
    as_loaded_before(system)
    migration.regranulate(apps, None)
    rows = list(Device.objects.filter(system=system).order_by("id").values())
    migration.regranulate(apps, None)
    assert list(Device.objects.filter(system=system).order_by("id").values()) == rows


@pytest.mark.django_db
def test_an_inventory_edited_by_hand_is_left_alone():
    system = System.objects.get(row_no=23)
    old = as_loaded_before(system)
    Device.objects.filter(pk=old[0].pk).update(model="DS-2CD")
    Device.objects.create(system=system, kind="摄像机", quantity=5, source_text="added by the unit")
    before = list(Device.objects.filter(system=system).order_by("id").values())
    migration.regranulate(apps, None)
    assert list(Device.objects.filter(system=system).order_by("id").values()) == before
