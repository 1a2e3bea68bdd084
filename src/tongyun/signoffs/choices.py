from django.db import models
from django.utils.translation import gettext_lazy as _


class SignOffState(models.TextChoices):
    PENDING = "pending", _("签署中")
    COMPLETED = "completed", _("已完成")
    REJECTED = "rejected", _("已否决")
    WITHDRAWN = "withdrawn", _("已撤回")
    SUPERSEDED = "superseded", _("已被新版本取代")


class Decision(models.TextChoices):
    APPROVE = "approve", _("同意")
    RETURN = "return", _("退回")
    REJECT = "reject", _("否决")


class EventAction(models.TextChoices):
    START = "start", _("发起")
    APPROVE = "approve", _("同意")
    RETURN = "return", _("退回")
    REJECT = "reject", _("否决")
    WITHDRAW = "withdraw", _("撤回")
    NEW_VERSION = "new_version", _("新版本")


class Party(models.TextChoices):
    """The parties of the contract who decide; "purchaser" is the system's unit or the bureau (SP-07)."""

    CONTRACTOR = "contractor", _("运维服务商")
    UNIT = "unit", _("用户单位")
    SUPERVISOR = "supervisor", _("监理")
    BUREAU = "bureau", _("区经信局")
    PURCHASER = "purchaser", _("采购方（用户单位或区经信局）")
