"""Maintenance windows and accepted outages are decided through the sign-off flow (tongyun.signoffs): each
existing request gets its sign-off — open for a request still waiting, ended with the step and the events
of its decision for one already decided — so that waiting requests can be decided and decided ones show
their history like every other sign-off."""

from django.db import migrations
from django.utils import timezone

FLOWS = (("maintenancewindow", "availability.maintenance_window", "用户单位或甲方审批", "purchaser", "维护窗口"),
         ("acceptedoutage", "availability.accepted_outage", "甲方认可", "bureau", "认可停机"))


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    SignOff = apps.get_model("signoffs", "SignOff")
    SignOffStep = apps.get_model("signoffs", "SignOffStep")
    SignOffEvent = apps.get_model("signoffs", "SignOffEvent")
    for model_name, flow, label, party, title in FLOWS:
        Model = apps.get_model("availability", model_name)
        requests = Model.objects.select_related("system")
        if not requests.exists():
            continue
        subject_type, _created = ContentType.objects.get_or_create(app_label="availability", model=model_name)
        for obj in requests.iterator():
            if SignOff.objects.filter(subject_type=subject_type, subject_id=obj.pk, flow=flow).exists():
                continue
            decided = obj.state in ("approved", "rejected")
            started = obj.decided_at or timezone.now()
            signoff = SignOff.objects.create(
                flow=flow, title=f"{title}：{obj.system.name} {timezone.localtime(obj.start):%Y-%m-%d %H:%M}"[:300],
                subject_type=subject_type, subject_id=obj.pk, unit_id=obj.system.unit_id, system_id=obj.system_id,
                state=("completed" if obj.state == "approved" else "rejected") if decided else "pending",
                current_position=None if decided else 0, current_party="" if decided else party, version=1,
                started_by_id=obj.requested_by_id, started_at=started, ended_at=obj.decided_at if decided else None)
            SignOffStep.objects.create(
                signoff=signoff, position=0, party=party, label=label,
                decision=("approve" if obj.state == "approved" else "reject") if decided else "",
                decided_by_id=obj.decided_by_id if decided else None, decided_at=obj.decided_at if decided else None,
                comment=obj.decision_note if decided else "")
            SignOffEvent.objects.create(signoff=signoff, action="start", actor_id=obj.requested_by_id, at=started)
            if decided and obj.decided_by_id is not None:  # a decision loaded without its decider keeps no event
                SignOffEvent.objects.create(signoff=signoff, position=0,
                                            action="approve" if obj.state == "approved" else "reject",
                                            actor_id=obj.decided_by_id, at=obj.decided_at or started,
                                            comment=obj.decision_note)


def backward(apps, schema_editor):
    SignOff = apps.get_model("signoffs", "SignOff")
    SignOff.objects.filter(flow__in=[flow for _model, flow, *_rest in FLOWS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("availability", "0001_initial"),
        ("signoffs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
