from django.db import models
from django.utils.translation import gettext_lazy as _

from tongyun.parties.choices import Role


class RequestKind(models.TextChoices):
    NEW_FUNCTION = "new_function", _("新功能开发")
    INTERFACE = "interface", _("接口适配")
    UPGRADE = "upgrade", _("版本升级")
    OTHER = "other", _("其他")


class RequestState(models.TextChoices):
    REQUESTED = "requested", _("待答复")
    ESTIMATED = "estimated", _("已答复待审批")
    APPROVED = "approved", _("已批准实施")
    DELIVERED = "delivered", _("已交付待验收")
    ACCEPTED = "accepted", _("已验收")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


# The states whose estimate counts against the cap.
CONSUMING = (RequestState.APPROVED, RequestState.DELIVERED, RequestState.ACCEPTED)
UNIT_ROLES = frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF})
CAPABILITIES = {
    "development.view": frozenset(Role.values),
    # A unit asks for work on its own systems (the bureau may ask too).
    "development.request": frozenset({*UNIT_ROLES, Role.BUREAU_ADMIN}),
    # The contractor answers with an estimate, delivers, and records a separate agreement.
    "development.reply": frozenset({Role.PROJECT_MANAGER}),
    # Caps are the tender's; the bureau corrects them.
    "development.caps": frozenset({Role.BUREAU_ADMIN}),
}
