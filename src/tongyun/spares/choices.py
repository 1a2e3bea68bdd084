from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What moved stock; the sign of the quantity says which way."""

    RECEIPT = "receipt", _("入库")
    ISSUE = "issue", _("领用出库")
    RETURN = "return", _("退回入库")
    TRANSFER_OUT = "transfer_out", _("调拨调出")
    TRANSFER_IN = "transfer_in", _("调拨调入")
    STOCKTAKE = "stocktake", _("盘点差异")


# Kinds a person posts directly (an issue only comes from an approved replacement).
MANUAL_KINDS = (EntryKind.RECEIPT, EntryKind.RETURN, EntryKind.STOCKTAKE)


class ReplacementState(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    APPROVED = "approved", _("已确认，待更换")
    ISSUED = "issued", _("已更换")
    REJECTED = "rejected", _("未同意")
    WITHDRAWN = "withdrawn", _("已撤回")


class DisposalState(models.TextChoices):
    KEPT = "kept", _("保管中")
    REQUESTED = "requested", _("申请处置")
    APPROVED = "approved", _("甲方同意处置")
    REFUSED = "refused", _("甲方不同意处置")


class SubstitutionState(models.TextChoices):
    PENDING = "pending", _("待采购方同意")
    AGREED = "agreed", _("采购方已同意")
    REFUSED = "refused", _("采购方不同意")
    WITHDRAWN = "withdrawn", _("已撤回")


class WarrantyRoute(models.TextChoices):
    VENDOR = "vendor", _("原厂质保期内：走原厂维修")
    SPARES = "spares", _("已出质保：使用备品备件")
    UNKNOWN = "unknown", _("质保截止日期未登记")


# Issued for a replacement, less what came back unused: what counts against the cap and is settled.
USE_KINDS = (EntryKind.ISSUE, EntryKind.RETURN)
