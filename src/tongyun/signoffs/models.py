"""One sign-off flow for every approval, confirmation and signature of the contract.

A `SignOff` is the decision of an ordered list of parties on one subject (a spare-part replacement, a staff
change, an evaluation record, a report …), as its registered flow type (`signoffs.flows`) says. Each
`SignOffStep` is one party's decision; `SignOffEvent` keeps every move (a return clears the later steps'
decisions, the events keep them). A completed sign-off is immutable; a correction is a new version that
supersedes it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Decision, EventAction, Party, SignOffState


class SignOff(models.Model):
    flow = models.CharField(_("流程类型"), max_length=60, db_index=True)
    title = models.CharField(_("事项"), max_length=300)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # Scoping and the "unit" party: the user unit (and system, when one) the subject belongs to.
    unit = models.ForeignKey("parties.Organisation", verbose_name=_("用户单位"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="signoffs")
    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="signoffs")
    state = models.CharField(_("状态"), max_length=20, choices=SignOffState.choices, default=SignOffState.PENDING,
                             db_index=True)
    # The step awaiting a decision (None once the sign-off has ended); its party, for "awaiting me" queries.
    current_position = models.PositiveSmallIntegerField(null=True, blank=True)
    current_party = models.CharField(max_length=20, choices=Party.choices, blank=True, db_index=True)
    due_at = models.DateTimeField(_("期限"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    started_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    scope_unit_field = "unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("签署")
        verbose_name_plural = _("签署")
        indexes = [models.Index(fields=["subject_type", "subject_id"]),
                   models.Index(fields=["state", "current_party"])]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "flow", "version"],
                                    name="signoffs_one_version_per_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_open(self) -> bool:
        return self.state == SignOffState.PENDING

    @property
    def is_complete(self) -> bool:
        return self.state == SignOffState.COMPLETED

    def is_late(self, now=None) -> bool:
        """Late when it ended after its deadline, or is still open past it."""
        if self.due_at is None:
            return False
        if self.ended_at is not None:
            return self.ended_at > self.due_at
        return (now or timezone.now()) > self.due_at


class SignOffStep(models.Model):
    signoff = models.ForeignKey(SignOff, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("顺序"))
    party = models.CharField(_("签署方"), max_length=20, choices=Party.choices)
    label = models.CharField(_("环节"), max_length=100, blank=True)
    decision = models.CharField(_("意见"), max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签署人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("签署时间"), null=True, blank=True)
    comment = models.TextField(_("意见说明"), blank=True)

    scope_unit_field = "signoff__unit"
    scope_system_field = "signoff__system"

    class Meta:
        ordering = ["signoff", "position"]
        constraints = [models.UniqueConstraint(fields=["signoff", "position"], name="signoffs_step_position")]

    def __str__(self) -> str:
        return f"{self.signoff} · {self.position + 1}. {self.label or self.get_party_display()}"


class SignOffEvent(models.Model):
    """Every move, in order: who did what at which step, with the comment."""

    signoff = models.ForeignKey(SignOff, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("时间"))
    comment = models.TextField(_("说明"), blank=True)
    to_position = models.PositiveSmallIntegerField(null=True, blank=True)

    scope_unit_field = "signoff__unit"
    scope_system_field = "signoff__system"

    class Meta:
        ordering = ["signoff", "at", "id"]

    def __str__(self) -> str:
        return f"{self.signoff} · {self.get_action_display()}"
