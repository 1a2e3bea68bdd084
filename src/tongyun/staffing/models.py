"""The contractor's people (ST-), on-site posts, duty rosters, major-event readiness (DP-), safety education.

Posts held and on-site assignments are dated (start, end inclusive; end empty = still held), so every
rule can be checked on any past or future date from the same rows — the history is the data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.incidents.models import Deliverable

from .choices import CertificateKind, ChangeState, DayKind, Post, WorkPattern


class StaffMember(models.Model):
    """A person of the contractor, linked to an account when they have one."""

    name = models.CharField(_("姓名"), max_length=50)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="staff_member")
    phone = models.CharField(_("手机"), max_length=30, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=30, blank=True)
    social_insurance_months = models.PositiveSmallIntegerField(_("本单位社保月数"), default=0)
    active = models.BooleanField(_("在岗"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    # A unit sees the people posted on its systems (joins: read with .distinct()).
    scope_unit_field = "onsite_assignments__post__system__unit"
    scope_system_field = "onsite_assignments__post__system"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("服务商人员")
        verbose_name_plural = _("服务商人员")

    def __str__(self) -> str:
        return self.name


class PostHolding(models.Model):
    person = models.ForeignKey(StaffMember, verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="holdings")
    post = models.CharField(_("岗位"), max_length=30, choices=Post.choices, db_index=True)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        ordering = ["post", "start", "id"]
        verbose_name = _("岗位任职")
        verbose_name_plural = _("岗位任职")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_post_display()}"


class Certificate(models.Model):
    person = models.ForeignKey(StaffMember, verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="certificates")
    kind = models.CharField(_("证书类别"), max_length=30, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=60, blank=True)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    scan = models.FileField(_("扫描件"), upload_to="staffing/certificates/", blank=True)

    class Meta:
        ordering = ["person", "kind"]
        verbose_name = _("资质证书")
        verbose_name_plural = _("资质证书")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"


class CertificateNotification(Deliverable):
    """A certificate nearing or past its end, told to the PM on each channel (incidents' delivery, see
    incidents.models.Deliverable); once per certificate, stage and person (unique), so the daily sweep never
    repeats itself."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notifications")
    # days before the end when the stage begins: rules.CERTIFICATE_NOTICE_DAYS (0: expired)
    threshold = models.PositiveSmallIntegerField(_("提前天数"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="certificate_notifications")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["certificate", "threshold", "recipient", "channel"],
                                               name="certificate_notification_once")]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.threshold} → {self.recipient}"


class OnsitePost(models.Model):
    """The on-site staff a system's row requires (ST-07, ST-08), with the tender lines it comes from."""

    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.CASCADE,
                               related_name="onsite_posts")
    label = models.CharField(_("岗位"), max_length=60, default="驻场人员")
    head_count = models.PositiveSmallIntegerField(_("要求人数"))
    pattern = models.CharField(_("工作时间"), max_length=20, choices=WorkPattern.choices,
                               default=WorkPattern.UNSPECIFIED)
    hours_text = models.CharField(_("时段原文"), max_length=200, blank=True)
    source_text = models.CharField(_("驻场人员要求原文"), max_length=200, blank=True)
    source_line_start = models.PositiveIntegerField(_("招标文件起始行"), null=True, blank=True)
    source_line_end = models.PositiveIntegerField(_("招标文件结束行"), null=True, blank=True)
    pattern_line = models.PositiveIntegerField(_("工作时间所在行"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "id"]
        verbose_name = _("驻场岗位")
        verbose_name_plural = _("驻场岗位")
        constraints = [models.UniqueConstraint(fields=["system", "label"], name="staffing_onsite_post_label")]

    def __str__(self) -> str:
        return f"{self.system} · {self.label}"


class OnsiteAssignment(models.Model):
    post = models.ForeignKey(OnsitePost, verbose_name=_("驻场岗位"), on_delete=models.CASCADE,
                             related_name="assignments")
    person = models.ForeignKey(StaffMember, verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="onsite_assignments")
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"), null=True, blank=True)

    scope_unit_field = "post__system__unit"
    scope_system_field = "post__system"

    class Meta:
        ordering = ["post", "start", "id"]
        verbose_name = _("驻场安排")
        verbose_name_plural = _("驻场安排")

    def __str__(self) -> str:
        return f"{self.post} · {self.person}"


class OnsiteChange(models.Model):
    """A change of on-site staff (ST-05): written notice 7 days ahead, effective once the unit agrees."""

    post = models.ForeignKey(OnsitePost, verbose_name=_("驻场岗位"), on_delete=models.PROTECT,
                             related_name="changes")
    leaving = models.ForeignKey(StaffMember, verbose_name=_("调离人员"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    replacement = models.ForeignKey(StaffMember, verbose_name=_("接替人员"), on_delete=models.PROTECT,
                                    related_name="+")
    reason = models.TextField(_("调整原因"))
    replacement_profile = models.TextField(_("接替人员简历"))
    notified_on = models.DateField(_("书面通知日期"))
    effective_date = models.DateField(_("生效日期"))
    state = models.CharField(_("状态"), max_length=20, choices=ChangeState.choices, default=ChangeState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"),
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)

    scope_unit_field = "post__system__unit"
    scope_system_field = "post__system"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("驻场人员变更")
        verbose_name_plural = _("驻场人员变更")

    def __str__(self) -> str:
        return f"{self.post} · {self.replacement} · {self.effective_date}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("staffing:change_detail", kwargs={"pk": self.pk})


class DutyRoster(models.Model):
    """The duty roster (值班表) of one system: layers of rotations and overrides."""

    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.CASCADE,
                               related_name="duty_rosters")
    name = models.CharField(_("名称"), max_length=100)
    round_the_clock = models.BooleanField(_("7×24 值班"), default=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "id"]
        verbose_name = _("值班表")
        verbose_name_plural = _("值班表")

    def __str__(self) -> str:
        return f"{self.system} · {self.name}"


class RosterFeed(models.Model):
    """A secret iCalendar link of a duty roster for the unit's calendar (DP-12), like the inspection feeds
    (core/feeds.py): no login, only the secret's SHA-256 stored, the link shown once. One live link per
    person and roster: making a new one revokes the old. The feed shows the roster only while its owner may
    still see it (an account disabled or moved to another unit ends it)."""

    roster = models.ForeignKey(DutyRoster, verbose_name=_("值班表"), on_delete=models.CASCADE, related_name="feeds")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.CASCADE,
                              related_name="roster_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(_("链接前缀"), max_length=8)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    scope_unit_field = "roster__system__unit"
    scope_system_field = "roster__system"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("值班表订阅")
        verbose_name_plural = _("值班表订阅")

    def __str__(self) -> str:
        return f"{self.roster} · {self.owner} · {self.token_prefix}…"


class DutyLayer(models.Model):
    roster = models.ForeignKey(DutyRoster, on_delete=models.CASCADE, related_name="layers")
    position = models.PositiveSmallIntegerField(_("层级"), default=0)  # higher wins
    name = models.CharField(_("名称"), max_length=60)
    rotation_start = models.DateTimeField(_("首次交接时间"))
    shift_hours = models.PositiveSmallIntegerField(_("每班时长（小时）"), default=24)
    day_kind = models.CharField(_("适用日"), max_length=10, choices=DayKind.choices, default=DayKind.ALL)
    rrule = models.CharField(_("重复规则（RRULE）"), max_length=200, blank=True)
    window_start = models.TimeField(_("每日开始"), null=True, blank=True)
    window_end = models.TimeField(_("每日结束"), null=True, blank=True)
    members = models.JSONField(_("轮值人员"), default=list)  # StaffMember ids in turn order

    scope_unit_field = "roster__system__unit"
    scope_system_field = "roster__system"

    class Meta:
        ordering = ["roster", "position", "id"]
        verbose_name = _("轮值层")
        verbose_name_plural = _("轮值层")

    def __str__(self) -> str:
        return f"{self.roster} · {self.name}"


class DutyOverride(models.Model):
    roster = models.ForeignKey(DutyRoster, on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey(StaffMember, verbose_name=_("值班人员"), on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    scope_unit_field = "roster__system__unit"
    scope_system_field = "roster__system"

    class Meta:
        ordering = ["roster", "start"]
        verbose_name = _("临时替班")
        verbose_name_plural = _("临时替班")

    def __str__(self) -> str:
        return f"{self.roster} · {self.person}"


class EventReadiness(models.Model):
    """Readiness of the contractor for one major-event period (重保, DP-01 … DP-05)."""

    period = models.OneToOneField("incidents.MajorEventPeriod", verbose_name=_("重保期"),
                                  on_delete=models.CASCADE, related_name="staffing_readiness")
    vehicle_plate = models.CharField(_("工程车车牌"), max_length=20, blank=True)
    driver = models.ForeignKey(StaffMember, verbose_name=_("专职司机"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    risk_assessment = models.TextField(_("风险评估与防范措施"), blank=True)

    class Meta:
        verbose_name = _("重保准备")
        verbose_name_plural = _("重保准备")

    def __str__(self) -> str:
        return str(self.period)


class MaintenanceGroup(models.Model):
    readiness = models.ForeignKey(EventReadiness, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("维护组"), max_length=60)
    members = models.ManyToManyField(StaffMember, verbose_name=_("组员"), related_name="+")

    class Meta:
        ordering = ["readiness", "id"]
        verbose_name = _("系统维护组")
        verbose_name_plural = _("系统维护组")

    def __str__(self) -> str:
        return self.name


class PreEventTask(models.Model):
    """Overhaul and cleaning before the event (DP-01), reported to the bureau."""

    readiness = models.ForeignKey(EventReadiness, on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(_("检修清洁内容"), max_length=200)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.TextField(_("结果"), blank=True)
    reported_on = models.DateField(_("通报甲方日期"), null=True, blank=True)

    class Meta:
        ordering = ["readiness", "id"]
        verbose_name = _("重保前检修")
        verbose_name_plural = _("重保前检修")

    def __str__(self) -> str:
        return self.description


class SafetySession(models.Model):
    """Monthly safety education of the contractor's staff (ST-09)."""

    held_on = models.DateField(_("日期"), db_index=True)
    topic = models.CharField(_("主题"), max_length=200)
    trainer = models.CharField(_("主讲人"), max_length=50)
    attendees = models.ManyToManyField(StaffMember, verbose_name=_("参加人员"), blank=True, related_name="+")
    signed_list = models.FileField(_("签到表"), upload_to="staffing/safety/", blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("安全教育")
        verbose_name_plural = _("安全教育")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class Training(models.Model):
    """A training for a unit the row requires (OT-01), planned and then recorded."""

    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.CASCADE,
                               related_name="trainings")
    planned_on = models.DateField(_("计划日期"))
    held_on = models.DateField(_("实际日期"), null=True, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    materials = models.FileField(_("培训材料"), upload_to="staffing/trainings/", blank=True)
    attendance = models.PositiveSmallIntegerField(_("参加人数"), null=True, blank=True)
    # a training owed because of a recorded upgrade of the system (rows 38–47: "需要在系统升级后提供培训"),
    # due by a date; planned trainings (≥ n a year) have neither
    after_change = models.OneToOneField("catalog.SystemChange", verbose_name=_("触发的系统变更"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="training")
    due_on = models.DateField(_("应完成日期"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("用户培训")
        verbose_name_plural = _("用户培训")

    def __str__(self) -> str:
        return f"{self.system} · {self.topic}"
