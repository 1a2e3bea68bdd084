from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.core.permissions import can


def navigation(request):
    """The menu a user sees: only what their role can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        (_("首页"), reverse("home")),
        (_("系统目录"), reverse("catalog:system_list")),
        (_("用户单位"), reverse("catalog:unit_list")),
        (_("设备"), reverse("catalog:device_list")),
    ]
    if can(user, "catalog.edit"):
        items.append((_("Excel 导入"), reverse("catalog:import")))
    if can(user, "audit.view"):
        items.append((_("审计日志"), reverse("audit:entry_list")))
    return {"nav_items": items}
