from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.core import menu
from tongyun.core.permissions import can
from tongyun.incidents.selectors import unread_inbox_count
from tongyun.parties.choices import Role

BOARD_ROLES = frozenset({Role.DISPATCHER, Role.PROJECT_MANAGER, Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
QUEUE_ROLES = frozenset({Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN})


def navigation(request):
    """The menu a user sees: only what their role can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    items = [
        (_("首页"), reverse("home")),
        (_("故障工单"), reverse("incidents:list")),
    ]
    if user.is_superuser or user.role in BOARD_ROLES:
        items.append((_("调度台"), reverse("incidents:board")))
    if user.role in QUEUE_ROLES:
        items.append((_("我的工单"), reverse("incidents:mine")))
    if can(user, "incidents.compliance"):
        items.append((_("服务达标"), reverse("incidents:compliance")))
    if can(user, "incidents.view_settings"):
        items.append((_("时限设置"), reverse("incidents:calendar")))
    items.append((_("巡检"), reverse("inspections:calendar")))
    items.append((_("监控告警"), reverse("monitoring:events")))
    if can(user, "availability.view"):
        items.append((_("可用率"), reverse("availability:monthly")))
    items.append((_("运行状态"), reverse("monitoring:status_index")))
    items += [
        (_("系统目录"), reverse("catalog:system_list")),
        (_("用户单位"), reverse("catalog:unit_list")),
        (_("设备"), reverse("catalog:device_list")),
    ]
    if can(user, "catalog.edit"):
        items.append((_("Excel 导入"), reverse("catalog:import")))
    if can(user, "audit.view"):
        items.append((_("审计日志"), reverse("audit:entry_list")))
    # the domains added later register their own entries (tongyun.core.menu)
    items += [(item.label, reverse(item.url_name)) for item in menu.items_for(user)]
    return {"nav_items": items, "unread_notifications": unread_inbox_count(user)}
