"""Existing databases get the device inventory at the granularity the catalog bootstrap now loads.

`load_tender_catalog` never touches a system that is already there, so a database loaded before the
hardware column was parsed kind by kind keeps the old rows — row 23 (各镇街智慧平安小区运维) shows three
rows all called 摄像机, with one count filed under garbled text, instead of its four kinds (7,890).

The table beside this file (frozen, so the migration does the same thing whatever the YAML says later)
holds, for each of the 50 tender rows whose extraction changed, the old summary devices as loaded
(kind, quantity, tender text) and the new ones. A system is re-granulated only while its summary devices
(those without a code) are still exactly the old rows: an inventory someone edited is left alone.
Old rows are reused in place (same text, else same count) so outages, incidents and inspection results
that point at them keep pointing at a device; only rows with no counterpart are deleted.
Idempotent: once converted, the rows no longer equal the old ones, so a second run changes nothing.
"""

import json
from pathlib import Path

from django.db import migrations

TABLE = Path(__file__).with_suffix(".json")
FIELDS = ("kind", "device_class", "model", "quantity", "location", "source_text")


def regranulate(apps, schema_editor):
    System = apps.get_model("catalog", "System")
    Device = apps.get_model("catalog", "Device")
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    systems = dict(System.objects.filter(row_no__in=[int(r) for r in table]).values_list("row_no", "pk"))
    for row, change in table.items():
        system_id = systems.get(int(row))
        if system_id is None:
            continue
        summary = list(Device.objects.filter(system_id=system_id, code="").order_by("id"))
        if [[d.kind, d.quantity, d.source_text] for d in summary] != change["old"]:
            continue  # already converted, edited by hand, or never loaded from the old table
        unused = list(summary)
        pairs, created = [], []
        for item in change["new"]:
            match = next((d for d in unused if d.source_text == item["source_text"]), None) \
                or next((d for d in unused if d.quantity == item["quantity"]), None)
            if match is None:
                created.append(Device(system_id=system_id, **item))
            else:
                unused.remove(match)
                pairs.append((match, item))
        for device, item in pairs:
            for field in FIELDS:
                setattr(device, field, item[field])
        Device.objects.bulk_update([d for d, _item in pairs], FIELDS)
        Device.objects.filter(pk__in=[d.pk for d in unused]).delete()
        Device.objects.bulk_create(created)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_device_inventory"),
    ]

    operations = [
        migrations.RunPython(regranulate, migrations.RunPython.noop),
    ]
