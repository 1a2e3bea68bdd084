"""The spare-part link on an incident's detail page (registered with tongyun.core.panels, so incidents
need not import spares): who may request a replacement sees the form while the incident is being worked
on — the same states `replacements.request_replacement` accepts."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tongyun.core.panels import Link
from tongyun.core.permissions import can
from tongyun.domain import incident_lifecycle as lifecycle


def incident_links(user, incident) -> list[Link]:
    if not can(user, "spares.request_replacement"):
        return []
    if incident.state not in lifecycle.WORKING and incident.state != lifecycle.WAITING_PARTS:
        return []
    return [Link(_("申请更换备件"), reverse("spares:replacement_create", args=[incident.pk]),
                 note=_("设备无法修复时，经采购方和监理确认后领用备件"), testid="spares-replacement-link")]
