"""The main menu, assembled from what each domain registers in its AppConfig.ready().

    menu.register(menu.MenuItem(_("备品备件"), "spares:item_list", group=menu.RESOURCES,
                                visible=lambda user: can(user, "spares.view")))

Items show in their group's order, then in registration order; a user sees only the items whose
`visible(user)` is true.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Groups, in menu order.
WORK = _("日常工作")
OPERATIONS = _("运行监控")
CATALOG = _("资产目录")
RESOURCES = _("人员与备件")
SECURITY = _("安全合规")
CONTRACT = _("合同与报告")
ADMINISTRATION = _("系统管理")
GROUPS = [WORK, OPERATIONS, CATALOG, RESOURCES, SECURITY, CONTRACT, ADMINISTRATION]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    group: str = WORK
    visible: Callable[[object], bool] = field(default=lambda user: True)


_items: list[MenuItem] = []


def register(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)


def items_for(user) -> list[MenuItem]:
    visible = [item for item in _items if item.visible(user)]
    order = {group: index for index, group in enumerate(GROUPS)}
    return sorted(visible, key=lambda item: order.get(item.group, len(GROUPS)))
