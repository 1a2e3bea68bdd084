from django.db import migrations

OLD_TASK = "tongyun.inspections.tasks.generate_previous_month_reports"


def drop_queued_generation(apps, schema_editor):
    """The inspections' own monthly generation is gone (the engine's daily run drafts these reports): its
    queued run would fail to import."""
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=OLD_TASK, status="READY").delete()


class Migration(migrations.Migration):
    """The monthly inspection reports are the report engine's now (moved by 0005)."""

    dependencies = [
        ("inspections", "0005_monthly_reports_to_engine"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.DeleteModel(name="MonthlyInspectionReport"),
        migrations.RunPython(drop_queued_generation, migrations.RunPython.noop),
    ]
