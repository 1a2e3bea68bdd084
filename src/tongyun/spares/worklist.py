"""Home-page items of spare parts: low stock for the PM, confirmed replacements waiting to be issued.

(The confirmations themselves reach the purchaser and the supervisor through the sign-off work list.)
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from tongyun.core.worklist import WorkItem
from tongyun.parties.choices import Role

from . import selectors
from .choices import ReplacementState


def spare_items(user) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[WorkItem] = []
    if user.role in (Role.PROJECT_MANAGER, Role.DISPATCHER):
        low = selectors.low_stock(user)
        if low:
            items.append(WorkItem(group=_("备品备件"), title=_("%(count)s 种备件低于最低库存") % {"count": len(low)},
                                  url=reverse("spares:item_list") + "?low=1", level="warning", count=len(low)))
    if user.role in (Role.PROJECT_MANAGER, Role.DISPATCHER, Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN):
        ready = selectors.replacement_list(user, {"state": ReplacementState.APPROVED})
        for replacement in ready[:10]:
            items.append(WorkItem(group=_("备品备件"), title=_("已确认，待更换：%(what)s") % {"what": replacement},
                                  url=replacement.get_absolute_url(), level="info"))
    return items
