from django.db import models
from django.utils.translation import gettext_lazy as _

from tongyun.parties.choices import Role


class LinkKind(models.TextChoices):
    FIBRE = "fibre", _("光纤链路")
    BARE_FIBRE = "bare_fibre", _("裸光纤")
    WIRELESS = "wireless", _("无线链路")
    IOT_CARD = "iot_card", _("物联网卡")
    LEASED_LINE = "leased_line", _("专线")
    BROADBAND = "broadband", _("宽带")
    PRIVATE_NETWORK = "private_network", _("专网")
    OTHER = "other", _("其他")


CONTRACTOR = {Role.PROJECT_MANAGER, Role.DISPATCHER, Role.ELECTRICIAN}
CAPABILITIES = {
    # Everyone reads what scoping lets them see.
    "utilities.view": frozenset(Role.values),
    # Supply points, links and bills are kept by the contractor (who pays) and the bureau.
    "utilities.edit": frozenset({Role.BUREAU_ADMIN, *CONTRACTOR}),
}
