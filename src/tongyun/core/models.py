"""Models of the core mechanisms: `ImportJob`, one uploaded workbook imported in the worker (core/imports.py);
`DistrictSnapshot`, the district figures the worker computes for the overview (tongyun.core.snapshots)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A large Excel import run by the worker, not by the web process that received the upload.

    The file stays under TONGYUN_DATA_DIR/media/imports; `problems` keeps the first 1,000 problems as data
    ({sheet, row, column, reason}) and `problem_count` how many there were. Visible as core/scoping.py says,
    through the uploader's unit (`unit`): another unit's user gets a 404.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        REFUSED = "refused", _("有错误，未改动")
        FAILED = "failed", _("导入出错")

    FINISHED = frozenset({State.DONE, State.REFUSED, State.FAILED})

    kind = models.CharField(_("导入类型"), max_length=60, db_index=True)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                   related_name="+")
    unit = models.ForeignKey("parties.Organisation", verbose_name=_("上传人单位"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("已读行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)  # the sheet's dimension, if any
    phase = models.CharField(_("阶段"), max_length=20, blank=True)  # reading / writing
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    problems = models.JSONField(_("问题"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("问题数"), default=0)
    error = models.TextField(_("错误"), blank=True)

    scope_unit_field = "unit"
    scope_system_field = None

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED



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
