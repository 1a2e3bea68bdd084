from django.db import models
from django.utils.translation import gettext_lazy as _

from tongyun.parties.choices import Role


class ItemKind(models.TextChoices):
    DOCUMENTS = "documents", _("技术文档")
    ACCOUNTS = "accounts", _("账号与口令（安全渠道移交）")
    RUNNING = "running", _("系统正常运行并经用户单位验收")
    ASSETS = "assets", _("资产（设备）清单")
    SPARES = "spares", _("备品备件库存清单（经监理确认）")
    DATA_BACKUP = "data_backup", _("数据备份")
    SOURCE_BACKUP = "source_backup", _("源代码备份")


# The order a checklist lists its items in.
KIND_ORDER = [k.value for k in ItemKind]


class ItemState(models.TextChoices):
    PENDING = "pending", _("待移交")
    AWAITING = "awaiting", _("待确认")
    RETURNED = "returned", _("已退回乙方")
    CONFIRMED = "confirmed", _("已确认")


class Channel(models.TextChoices):
    """How account credentials reached the unit — the platform records the channel, never the credentials."""

    IN_PERSON_SEALED = "sealed", _("密封件当面交接")
    ENCRYPTED_FILE = "encrypted", _("加密文件，口令另行告知")
    RESET_ON_SITE = "reset", _("现场交接后由用户单位立即修改口令")
    OTHER = "other", _("其他安全渠道（须说明）")


CAPABILITIES = {
    # checklists are read by whom scoping lets see them (the unit its own systems)
    "handover.view": frozenset(Role.values),
    # the bureau opens the checklists and records a refusal or obstruction (→ 0.5 % penalty, EV-08)
    "handover.manage": frozenset({Role.BUREAU_ADMIN}),
    # the contractor's project manager hands items over
    "handover.deliver": frozenset({Role.PROJECT_MANAGER}),
}
