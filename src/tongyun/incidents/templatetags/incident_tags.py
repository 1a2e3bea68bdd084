"""Countdowns and state badges of incident clocks. The same texts are given to countdown.js
(data attributes on #countdown-i18n in the base template), which updates them every second."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from tongyun.incidents import selectors

register = template.Library()
# The msgids of the texts below (extracted from the _() calls in countdown_parts and countdown).
COUNTDOWN_TEXTS = {"left": "剩余 %(t)s", "over": "已超时 %(t)s", "dh": "%(d)s 天 %(h)s 小时",
                   "hm": "%(h)s 小时 %(m)s 分", "ms": "%(m)s 分 %(s)s 秒"}


def countdown_parts(seconds: int) -> str:
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return _("%(d)s 天 %(h)s 小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s 小时 %(m)s 分") % {"h": hours, "m": f"{minutes:02d}"}
    return _("%(m)s 分 %(s)s 秒") % {"m": minutes, "s": f"{secs:02d}"}


@register.filter
def countdown(due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """“剩余 1 小时 05 分” or “已超时 12 分 30 秒” — the text countdown.js keeps up to date."""
    if due is None:
        return ""
    left = int((due - (now or timezone.now())).total_seconds())
    if left >= 0:
        return _("剩余 %(t)s") % {"t": countdown_parts(left)}
    return _("已超时 %(t)s") % {"t": countdown_parts(left)}


@register.simple_tag
def countdown_i18n():
    """The countdown texts in the page's language, for countdown.js (hidden element #countdown-i18n)."""
    attributes = format_html_join(" ", 'data-{}="{}"', ((key, _(text)) for key, text in COUNTDOWN_TEXTS.items()))
    return format_html('<span id="countdown-i18n" hidden {}></span>', attributes)


@register.inclusion_tag("incidents/_clock.html")
def clock(incident, kind: str, badge: bool = True):
    """The due moment of one clock of a ticket, with its live countdown while it runs."""
    return {"c": selectors.clock_cell(incident, kind), "badge": badge}


@register.inclusion_tag("incidents/_clock.html")
def clock_row(row: dict, badge: bool = True):
    """The same for a row of selectors.clock_summary."""
    return {"c": row, "badge": badge}
