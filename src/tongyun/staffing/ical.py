"""The duty roster as iCalendar (RFC 5545), for the unit's calendar (DP-12)."""

from icalendar import Calendar, Event


def roster_calendar(roster, schedule: list[dict]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//tongyun//staffing//CN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{roster.system.name} · {roster.name}")
    for slot in schedule:
        event = Event()
        person = slot["person"]
        event.add("uid", f"roster-{roster.pk}-{int(slot['start'].timestamp())}@tongyun")
        event.add("summary", f"值班：{person.name if person else '—'}")
        if person is not None and person.phone:
            event.add("description", f"联系电话 {person.phone}")
        event.add("dtstart", slot["start"])
        event.add("dtend", slot["end"])
        calendar.add_component(event)
    return calendar.to_ical()
