from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Comparison(models.TextChoices):
    LESS_THAN = "lt", _("低于阈值")
    GREATER_THAN = "gt", _("高于阈值")
    IS_FALSE = "false", _("未达成（否）")


class Mode(models.TextChoices):
    ONCE = "once", _("触发一次")
    PER_UNIT = "per_unit", _("每超出一个单位")


class Consequence(models.TextChoices):
    POINTS = "points", _("扣分")
    AMOUNT = "amount", _("扣款（元）")
    FEE_PERCENT = "fee_pct", _("扣月度服务费（%）")


class Cycle(models.TextChoices):
    MONTHLY = "monthly", _("按月")
    QUARTERLY = "quarterly", _("按季度")


class MemorandumState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SIGNING = "signing", _("签署中")
    IN_FORCE = "in_force", _("已生效")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("单位评审中")
    PUBLISHED = "published", _("待服务商确认")
    SIGNING = "signing", _("三方签署中")
    SIGNED = "signed", _("已签署")
    SUPERSEDED = "superseded", _("已被新版本取代")


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待单位处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")
    ESCALATED = "escalated", _("已提请甲方协调")
    BUREAU_ACCEPTED = "bureau_accepted", _("甲方协调：采纳")
    BUREAU_REJECTED = "bureau_rejected", _("甲方协调：维持")


class PenaltyCategory(models.TextChoices):
    """The tender's penalty cases (EV-07 0.1 %, EV-08 0.5 % of the total contract price)."""

    CONFIDENTIALITY = "confidentiality", _("违反保密义务（0.1%）")
    WAGE_ARREARS = "wage_arrears", _("拖欠工资或第三方款项（0.1%）")
    SANCTIONS = "sanctions", _("因乙方导致甲方或用户单位被通报整改（0.1%）")
    CAPABILITY = "capability", _("服务能力不足、未按时到场或排除故障（0.1%）")
    HANDOVER = "handover", _("拒绝或阻挠移交（0.5%）")
    RECTIFICATION = "rectification", _("拒不按期整改（0.5%）")


PENALTY_RATES = {
    PenaltyCategory.CONFIDENTIALITY: Decimal("0.1"), PenaltyCategory.WAGE_ARREARS: Decimal("0.1"),
    PenaltyCategory.SANCTIONS: Decimal("0.1"), PenaltyCategory.CAPABILITY: Decimal("0.1"),
    PenaltyCategory.HANDOVER: Decimal("0.5"), PenaltyCategory.RECTIFICATION: Decimal("0.5"),
}
# Tender lines of each case, shown with the case.
PENALTY_SOURCES = {
    PenaltyCategory.CONFIDENTIALITY: "L28611–L28615", PenaltyCategory.WAGE_ARREARS: "L28617–L28634",
    PenaltyCategory.SANCTIONS: "L28636–L28656", PenaltyCategory.CAPABILITY: "L28658–L28680",
    PenaltyCategory.HANDOVER: "L28687–L28691", PenaltyCategory.RECTIFICATION: "L28693–L28699",
}


class PenaltyState(models.TextChoices):
    PROPOSED = "proposed", _("待甲方决定")
    IMPOSED = "imposed", _("已决定")
    DISMISSED = "dismissed", _("不予处罚")


class Instalment(models.IntegerChoices):
    FIRST = 1, _("首付款（30%）")
    SECOND = 2, _("进度款（40%）")
    FINAL = 3, _("尾款")


class PaymentState(models.TextChoices):
    WAITING = "waiting", _("条件未满足")
    DUE = "due", _("待支付")
    PAID = "paid", _("已支付")


class AdjustmentKind(models.TextChoices):
    START = "start", _("延后开始")
    SHUTDOWN = "shutdown", _("停运")
    UPGRADE = "upgrade", _("升级改造")
    ADDED = "added", _("新增系统")
    END = "end", _("服务结束时间变更")
    RESUME = "resume", _("恢复运维")
