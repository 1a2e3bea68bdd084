from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.core import menu
from tongyun.core.permissions import can
from tongyun.incidents.selectors import unread_inbox_count
from tongyun.parties.choices import Role

BOARD_ROLES = frozenset({Role.DISPATCHER, Role.PROJECT_MANAGER, Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
QUEUE_ROLES = frozenset({Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN})


def navigation(request):
    """The menu a user sees: only what their role can open, under the groups of tongyun.core.menu (the
    desktop shows each group as a dropdown, the phone as a heading over its links)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": [], "unread_notifications": 0}
    # (label, url, group); the domains added later register their own entries (tongyun.core.menu)
    items = [(_("故障工单"), reverse("incidents:list"), menu.WORK)]
    if user.is_superuser or user.role in BOARD_ROLES:
        items.append((_("调度台"), reverse("incidents:board"), menu.WORK))
    if user.role in QUEUE_ROLES:
        items.append((_("我的工单"), reverse("incidents:mine"), menu.WORK))
    items.append((_("巡检"), reverse("inspections:calendar"), menu.WORK))
    if can(user, "incidents.compliance"):
        items.append((_("服务达标"), reverse("incidents:compliance"), menu.OPERATIONS))
    if can(user, "incidents.view_settings"):
        items.append((_("时限设置"), reverse("incidents:calendar"), menu.OPERATIONS))
    items.append((_("监控告警"), reverse("monitoring:events"), menu.OPERATIONS))
    if can(user, "availability.view"):
        items.append((_("可用率"), reverse("availability:monthly"), menu.OPERATIONS))
    items.append((_("运行状态"), reverse("monitoring:status_index"), menu.OPERATIONS))
    items += [
        (_("系统目录"), reverse("catalog:system_list"), menu.CATALOG),
        (_("用户单位"), reverse("catalog:unit_list"), menu.CATALOG),
        (_("设备"), reverse("catalog:device_list"), menu.CATALOG),
    ]
    if can(user, "catalog.edit"):
        items.append((_("Excel 导入"), reverse("catalog:import"), menu.CATALOG))
    if can(user, "audit.view"):
        items.append((_("审计日志"), reverse("audit:entry_list"), menu.ADMINISTRATION))
    items += [(item.label, reverse(item.url_name), item.group) for item in menu.items_for(user)]
    current = _current(request.path, [url for _label, url, _group in items])
    groups: dict[str, dict] = {}
    for label, url, group in items:
        entry = groups.setdefault(str(group), {"label": group, "links": [], "current": False})
        entry["links"].append({"label": label, "url": url, "current": url == current})
        entry["current"] = entry["current"] or url == current
    order = {str(group): index for index, group in enumerate(menu.GROUPS)}
    nav_groups = sorted(groups.values(), key=lambda entry: order.get(str(entry["label"]), len(menu.GROUPS)))
    home = (_("首页"), reverse("home"))
    return {"nav_items": [home] + [(label, url) for label, url, _group in items], "nav_home": home,
            "nav_groups": nav_groups, "unread_notifications": unread_inbox_count(user)}


def _current(path: str, urls: list[str]) -> str | None:
    """The link of the page: the longest whose path is the page's or above it (a ticket is under 故障工单)."""
    above = [url for url in urls if "?" not in url and (path == url or (url.endswith("/") and path.startswith(url)))]
    return max(above, key=len, default=None)
