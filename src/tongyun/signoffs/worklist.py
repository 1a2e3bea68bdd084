"""The sign-offs awaiting a person, as items of their home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tongyun.core.worklist import WorkItem

from .selectors import awaiting


def awaiting_items(user) -> list[WorkItem]:
    return [
        WorkItem(group=_("待我签署"), title=signoff.title, url=reverse("signoffs:detail", args=[signoff.pk]),
                 due=signoff.due_at, level="danger" if signoff.is_late() else "warning")
        for signoff in awaiting(user)[:50]
    ]
