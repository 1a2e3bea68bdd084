"""iCalendar feeds of inspection tasks (the `icalendar` package): one all-day VEVENT per task."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from .models import FeedToken, InspectionTask

PRODID = "-//tongyun 统运//inspections//ZH"


def feed_name(feed: FeedToken) -> str:
    if feed.system_id:
        return f"巡检 · {feed.system.name}"
    return f"巡检 · {feed.owner.full_name or feed.owner.username}"


def build_calendar(feed: FeedToken, tasks, base_url: str = "") -> bytes:
    """The feed as .ics bytes. UIDs are stable per task, so calendar apps update rather than duplicate."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", feed_name(feed))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for task in tasks:
        cal.add_component(task_event(task, stamp, base_url))
    return cal.to_ical()


def task_event(task: InspectionTask, stamp: dt.datetime, base_url: str = "") -> Event:
    event = Event()
    event.add("uid", f"inspection-task-{task.pk}@tongyun")
    event.add("dtstamp", stamp)
    event.add("dtstart", task.scheduled_for)
    event.add("dtend", task.scheduled_for + dt.timedelta(days=1))
    event.add("summary", f"{task.plan.name} · {task.system.name}")
    lines = [f"系统：{task.system.name}", f"计划：{task.plan.name}", f"截止：{task.due_date:%Y-%m-%d}",
             f"状态：{task.get_state_display()}"]
    url = f"{base_url}/inspections/tasks/{task.pk}/" if base_url else ""
    if url:
        lines.append(url)
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if task.completed_at:
        event.add("categories", ["已完成"])
    return event
