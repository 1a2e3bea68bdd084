from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class AcceptedOutageKind(models.TextChoices):
    FORCE_MAJEURE = "force_majeure", _("不可抗力")
    CONSTRUCTION = "construction", _("施工影响")
    OTHER = "other", _("其他经甲方认可")
