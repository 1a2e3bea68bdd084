"""Core keeps one table: the district figures the worker computes for the overview (tongyun.core.snapshots)."""

from django.db import models


class DistrictSnapshot(models.Model):
    """The last computed district figures and charts, one row per language (their notes and series names are
    translated when computed). A table, not the cache: the default cache is per process, and every web worker
    must read what the worker computed."""

    language = models.CharField(max_length=16, unique=True)
    readings = models.JSONField(default=dict)  # indicator key → Reading fields
    charts = models.JSONField(default=dict)  # panel key → Chart.as_json(), or None: nothing to show
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "区级总览快照"

    def __str__(self) -> str:
        return f"{self.language} {self.computed_at:%Y-%m-%d %H:%M}"
