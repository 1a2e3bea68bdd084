"""iCalendar feed tokens stored hashed: existing feeds keep working (their tokens are hashed in place),
and the clear tokens are dropped."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    FeedToken = apps.get_model("inspections", "FeedToken")
    for feed in FeedToken.objects.all().only("pk", "token"):
        FeedToken.objects.filter(pk=feed.pk).update(token_hash=hashlib.sha256(feed.token.encode()).hexdigest(),
                                                    token_prefix=feed.token[:6])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_monthly_report")]

    operations = [
        migrations.AddField(model_name="feedtoken", name="token_hash",
                            field=models.CharField(max_length=64, null=True)),
        migrations.AddField(model_name="feedtoken", name="token_prefix",
                            field=models.CharField(default="", max_length=8, verbose_name="链接前缀")),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="feedtoken", name="token"),
        migrations.AlterField(model_name="feedtoken", name="token_hash",
                              field=models.CharField(max_length=64, unique=True)),
    ]
