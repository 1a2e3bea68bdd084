from django.db import migrations


class Migration(migrations.Migration):
    """The monthly inspection reports are the report engine's now (moved by 0005)."""

    dependencies = [
        ("inspections", "0005_monthly_reports_to_engine"),
    ]

    operations = [
        migrations.DeleteModel(name="MonthlyInspectionReport"),
    ]
