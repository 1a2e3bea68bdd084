"""Countdowns and state badges of incident clocks. The same texts are given to countdown.js
(data attributes on #countdown-i18n in the base template), which updates them every second.

A clock cell is formatted here once, in Python (`clock_display`): its moments in local time and its texts
from a per-language table translated once per process — a board of 150 cards has 300 cells, and the
`date` filters and `{% trans %}` tags per cell were most of the page's time (issue #16)."""

import datetime as dt
import functools

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from tongyun.incidents import selectors

register = template.Library()
# The msgids of the texts below (extracted from the _() calls in clock_texts).
COUNTDOWN_TEXTS = {"left": "剩余 %(t)s", "over": "已超时 %(t)s", "dh": "%(d)s 天 %(h)s 小时",
                   "hm": "%(h)s 小时 %(m)s 分", "ms": "%(m)s 分 %(s)s 秒"}
COUNTDOWN_STATES = frozenset({"running", "at_risk", "breached"})


@functools.lru_cache(maxsize=8)
def clock_texts(language: str | None) -> dict[str, str]:
    """The clock texts in `language` (the active one: the argument is the cache key). Catalogues do not change
    while the process runs, so each language is translated once."""
    return {"left": _("剩余 %(t)s"), "over": _("已超时 %(t)s"), "dh": _("%(d)s 天 %(h)s 小时"),
            "hm": _("%(h)s 小时 %(m)s 分"), "ms": _("%(m)s 分 %(s)s 秒"),
            "met": _("按时完成"), "met_late": _("超时完成"), "paused": _("已暂停")}


def _texts() -> dict[str, str]:
    return clock_texts(translation.get_language())


def countdown_parts(seconds: int) -> str:
    texts = _texts()
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return texts["dh"] % {"d": days, "h": hours}
    if hours:
        return texts["hm"] % {"h": hours, "m": f"{minutes:02d}"}
    return texts["ms"] % {"m": minutes, "s": f"{secs:02d}"}


@register.filter
def countdown(due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """“剩余 1 小时 05 分” or “已超时 12 分 30 秒” — the text countdown.js keeps up to date."""
    if due is None:
        return ""
    left = int((due - (now or timezone.now())).total_seconds())
    return _texts()["left" if left >= 0 else "over"] % {"t": countdown_parts(left)}


def clock_display(cell: dict, now: dt.datetime | None = None) -> dict:
    """A clock cell (selectors.clock_cell or a clock_summary row) with what incidents/_clock.html shows:
    its moments in the current time zone (ISO for <time> and countdown.js, "m-d H:i" for the eye), the
    badge of a stopped clock and the countdown of a running one."""
    texts = _texts()
    due, risk_at, state = cell["due"], cell.get("risk_at"), cell["state"]
    shown = {**cell, "due_iso": "", "due_short": "", "risk_iso": "", "badge": "", "countdown": "",
             "countdown_class": "at-risk" if state == "at_risk" else state}
    if due is not None:
        local = timezone.localtime(due)
        shown["due_iso"], shown["due_short"] = local.isoformat(), local.strftime("%m-%d %H:%M")
        if state in COUNTDOWN_STATES and not cell.get("done_at"):
            shown["countdown"] = countdown(due, now)
    if risk_at is not None:
        shown["risk_iso"] = timezone.localtime(risk_at).isoformat()
    if cell.get("done_at"):
        shown["badge"] = texts["met"] if state == "met" else texts["met_late"]
    elif state == "paused":
        shown["badge"] = texts["paused"]
    return shown


@register.simple_tag
def countdown_i18n():
    """The countdown texts in the page's language, for countdown.js (hidden element #countdown-i18n)."""
    attributes = format_html_join(" ", 'data-{}="{}"', ((key, _(text)) for key, text in COUNTDOWN_TEXTS.items()))
    return format_html('<span id="countdown-i18n" hidden {}></span>', attributes)


@register.inclusion_tag("incidents/_clock.html")
def clock(incident, kind: str, badge: bool = True):
    """The due moment of one clock of a ticket, with its live countdown while it runs."""
    return {"c": clock_display(selectors.clock_cell(incident, kind)), "badge": badge}


@register.inclusion_tag("incidents/_clock.html")
def clock_row(row: dict, badge: bool = True):
    """The same for a row of selectors.clock_summary."""
    return {"c": clock_display(row), "badge": badge}
