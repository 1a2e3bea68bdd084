"""Reminders: partial indexes for the finding/occurrence links (the sweep writes item reminders in bulk).

Findings recorded as fixed before the verification moved onto the sign-off flow get their sign-off
("security.finding_fix": security officer → unit), started by whoever recorded the fix, so that they
reach the officer's and the unit's work lists. Closed findings keep their history in FindingEvent.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

STEPS = (("contractor", "信息安全管理员验证"), ("unit", "用户单位确认"))


def start_signoffs(apps, schema_editor):
    Finding = apps.get_model("security", "Finding")
    FindingEvent = apps.get_model("security", "FindingEvent")
    SignOff = apps.get_model("signoffs", "SignOff")
    SignOffStep = apps.get_model("signoffs", "SignOffStep")
    SignOffEvent = apps.get_model("signoffs", "SignOffEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    subject_type, _made = ContentType.objects.get_or_create(app_label="security", model="finding")
    for finding in Finding.objects.filter(status="fixed").select_related("system"):
        if SignOff.objects.filter(subject_type=subject_type, subject_id=finding.pk, flow="security.finding_fix",
                                  state="pending").exists():
            continue
        fixed = FindingEvent.objects.filter(finding=finding, action="fixed").order_by("-at", "-id").first()
        by_id = fixed.by_id if fixed else finding.recorded_by_id
        at = finding.fixed_at or timezone.now()
        version = SignOff.objects.filter(subject_type=subject_type, subject_id=finding.pk,
                                         flow="security.finding_fix").count() + 1
        signoff = SignOff.objects.create(
            flow="security.finding_fix", title=f"整改验证：{finding.title}"[:300], subject_type=subject_type,
            subject_id=finding.pk, unit_id=finding.system.unit_id, system_id=finding.system_id, state="pending",
            current_position=0, current_party="contractor", version=version, started_by_id=by_id, started_at=at)
        SignOffStep.objects.bulk_create([SignOffStep(signoff=signoff, position=i, party=party, label=label)
                                         for i, (party, label) in enumerate(STEPS)])
        SignOffEvent.objects.create(signoff=signoff, action="start", actor_id=by_id, at=at)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_device_inventory'),
        ('security', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('signoffs', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reminder',
            name='finding',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='security.finding'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='occurrence',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='security.dutyoccurrence'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('finding__isnull', False)), fields=['finding'], name='security_reminder_finding'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('occurrence__isnull', False)), fields=['occurrence'], name='security_reminder_occurrence'),
        ),
        migrations.RunPython(start_signoffs, migrations.RunPython.noop),
    ]
