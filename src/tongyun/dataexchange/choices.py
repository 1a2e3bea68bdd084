from django.db import models
from django.utils.translation import gettext_lazy as _

from tongyun.parties.choices import Role


class ResourceState(models.TextChoices):
    PLANNED = "planned", _("计划对接")
    CONNECTED = "connected", _("已对接")
    VERIFIED = "verified", _("已核验")


class InterfaceKind(models.TextChoices):
    API = "api", _("接口服务")
    FILE = "file", _("文件交换")
    DATABASE = "database", _("库表同步")
    STREAM = "stream", _("实时推送")
    OTHER = "other", _("其他")


# The order of the states: a resource moves forward one step at a time.
NEXT_STATE = {ResourceState.PLANNED: ResourceState.CONNECTED, ResourceState.CONNECTED: ResourceState.VERIFIED}
CAPABILITIES = {
    "dataexchange.view": frozenset(Role.values),
    # The contractor plans and connects; the data-quality officer (数据质量管理专员) or the bureau verifies.
    "dataexchange.edit": frozenset({Role.PROJECT_MANAGER, Role.DATA_QUALITY_OFFICER, Role.BUREAU_ADMIN}),
    "dataexchange.verify": frozenset({Role.DATA_QUALITY_OFFICER, Role.BUREAU_ADMIN}),
}
