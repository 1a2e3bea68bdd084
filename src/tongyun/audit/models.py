"""The audit trail for people: what someone did that is not a change of a record (logins, failures,
lockouts, denials, exports…), and a hash chain over every entry of the trail — these events and
django-auditlog's change entries — so that an edited or deleted entry is found (GB/T 22239 安全审计)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import EventKind


class Event(models.Model):
    timestamp = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("事件"), max_length=30, choices=EventKind.choices, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    # as typed at the login (the account may not exist), and kept when the account is renamed
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    remote_addr = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    path = models.CharField(_("访问路径"), max_length=300, blank=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    detail = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"


class ChainLink(models.Model):
    """One entry of the trail sealed into the chain: digest = SHA-256(previous digest + the entry)."""

    class Source(models.TextChoices):
        CHANGE = "change", _("数据变更")
        EVENT = "event", _("安全事件")

    source = models.CharField(max_length=10, choices=Source.choices)
    entry_id = models.BigIntegerField()
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["source", "entry_id"], name="audit_chain_one_link_per_entry")]

    def __str__(self) -> str:
        return f"{self.pk}: {self.source} {self.entry_id}"


class ChainHead(models.Model):
    """The end of the chain (one row), locked while a link is added so that two writers never fork it."""

    digest = models.CharField(max_length=64, default="0" * 64)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.length}: {self.digest}"
