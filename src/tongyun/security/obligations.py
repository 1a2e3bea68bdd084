"""Expiring obligations (OT-06, OT-07): certificates, licences, support contracts, batteries; their
reminders at the rule's lead times (tongyun.domain.expiry), and the certificates the built-in HTTPS
checks see (hook "tls_certificate_observed", fired by tongyun.monitoring.checks)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.permissions import require
from tongyun.domain import expiry

from .choices import ExpiringItemKind, ItemSource, ReminderKind
from .models import ExpiringItem, Reminder
from .tender_data import ITEMS

STAGE_KINDS = {expiry.RENEW: ReminderKind.RENEW, expiry.INSTALL: ReminderKind.INSTALL,
               expiry.EXPIRED: ReminderKind.EXPIRED}
# Row 62 of the tender is the rule for every HTTPS certificate the checks find.
CERTIFICATE_LEAD_MONTHS, CERTIFICATE_INSTALL_DAYS = 1, 7


def _key(item_id: int, stage: int, due_on: dt.date) -> str:
    return f"item:{item_id}:{stage}:{due_on:%Y%m%d}"


def _marks(item) -> expiry.Milestones:
    return expiry.Milestones(item.due_on, item.renew_from, item.install_from)


def next_reminder_day(marks: expiry.Milestones, reached: int) -> dt.date | None:
    """The day the first stage after `reached` begins (None after the expiry)."""
    days = {expiry.RENEW: marks.renew_from, expiry.INSTALL: marks.install_from, expiry.EXPIRED: marks.due_on}
    upcoming = [day for stage, day in days.items() if stage > reached and day is not None]
    return min(upcoming) if upcoming else None


def refresh_milestones(item: ExpiringItem) -> None:
    """Recompute the due day and the reminder days; a new due day starts the reminders again."""
    due = expiry.due_date(item.expires_on, item.last_replaced_on, item.replace_every_months)
    if due != item.due_on:
        item.reminded_stage = expiry.NONE
    item.due_on = due
    if due is None:
        item.renew_from = item.install_from = item.next_reminder_on = None
        return
    marks = expiry.milestones(due, item.renew_lead_months, item.install_window_days)
    item.renew_from, item.install_from = marks.renew_from, marks.install_from
    item.next_reminder_on = None if item.retired else next_reminder_day(marks, item.reminded_stage)


def _advance(items: list[ExpiringItem], today: dt.date) -> list[Reminder]:
    """Move each item to the stage it has reached on `today`; the reminders to create."""
    reminders = []
    for item in items:
        stage = expiry.stage_on(today, _marks(item))
        if stage > item.reminded_stage:
            reminders.append(Reminder(kind=STAGE_KINDS[stage], key=_key(item.pk, stage, item.due_on),
                                      item_id=item.pk, system_id=item.system_id, due_on=item.due_on))
            item.reminded_stage = stage
        item.next_reminder_on = next_reminder_day(_marks(item), item.reminded_stage)
    return reminders


def remind_now(items: list[ExpiringItem], today: dt.date) -> int:
    """Bring a few items' reminders up to date (after an edit or a check), as the sweep would."""
    live = [item for item in items if not item.retired and item.due_on is not None]
    reminders = _advance(live, today)
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    ExpiringItem.objects.bulk_update(live, ["reminded_stage", "next_reminder_on"])
    return len(reminders)


def sweep_expiry_reminders(today: dt.date | None = None) -> int:
    """The daily sweep: every item whose next stage has begun gets its reminder, once. It reads only
    those rows (index on next_reminder_on), so a day's cost follows the day's changes, not the items.

    Set-based: one INSERT … SELECT … ON CONFLICT DO NOTHING writes the reminders and one UPDATE moves the
    items on, both computed by the database from the stored milestones. The first sweep after a large
    import moves tens of thousands of items; fetching them into Python cost seconds (5.8 s for 36,000
    reminders on SQLite), the two statements cost a fraction of that. The rule is the same as `_advance`
    (tongyun.domain.expiry.stage_on and next_reminder_day); a test compares the two on random items."""
    today = today or timezone.localdate()
    ops = connection.ops
    items, reminders = ExpiringItem._meta.db_table, Reminder._meta.db_table
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"  # SQLite's scalar MIN(a, b, …)
    day = "TO_CHAR(due_on, 'YYYYMMDD')" if connection.vendor == "postgresql" \
        else "REPLACE(CAST(due_on AS TEXT), '-', '')"
    stage = (f"(CASE WHEN due_on <= %(today)s THEN {expiry.EXPIRED}"
             f" WHEN install_from IS NOT NULL AND install_from <= %(today)s THEN {expiry.INSTALL}"
             f" WHEN renew_from <= %(today)s THEN {expiry.RENEW} ELSE {expiry.NONE} END)")
    kind = "(CASE " + " ".join(f"WHEN {stage} = {number} THEN '{STAGE_KINDS[number].value}'"
                                 for number in STAGE_KINDS) + " END)"
    reached = f"(CASE WHEN {stage} > reminded_stage THEN {stage} ELSE reminded_stage END)"
    # the day the first stage after `reached` begins (next_reminder_day): install and expiry after renew …
    next_day = (f"(CASE {reached} WHEN {expiry.NONE} THEN {least}(renew_from, COALESCE(install_from, due_on), due_on)"
                f" WHEN {expiry.RENEW} THEN {least}(COALESCE(install_from, due_on), due_on)"
                f" WHEN {expiry.INSTALL} THEN due_on ELSE NULL END)")
    due = "retired = %(no)s AND next_reminder_on IS NOT NULL AND next_reminder_on <= %(today)s"
    params = {"today": ops.adapt_datefield_value(today), "no": False, "now": ops.adapt_datetimefield_value(
        timezone.now())}
    quote = ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(reminders)} (kind, {quote('key')}, item_id, system_id, due_on, created_at, done) "
            f"SELECT {kind}, 'item:' || CAST(id AS TEXT) || ':' || CAST({stage} AS TEXT) || ':' || {day}, "
            f"id, system_id, due_on, %(now)s, %(no)s FROM {quote(items)} "
            f"WHERE {due} AND {stage} > reminded_stage ON CONFLICT DO NOTHING", params)
        created = cursor.rowcount
        cursor.execute(f"UPDATE {quote(items)} SET reminded_stage = {reached}, next_reminder_on = {next_day} "
                       f"WHERE {due}", params)
    return max(created, 0)


_EDITABLE = {"kind", "name", "device", "quantity", "expires_on", "replace_every_months", "last_replaced_on",
             "renew_lead_months", "install_window_days", "issuer", "note", "retired"}


@transaction.atomic
def save_item(user, system: System, item: ExpiringItem | None = None, **fields) -> ExpiringItem:
    require(user, "security.obligations")
    unknown = set(fields) - _EDITABLE
    if unknown:
        raise ValidationError({name: _("不可修改的字段") for name in unknown})
    item = item or ExpiringItem(system=system)
    device = fields.get("device")
    if device is not None and device.system_id != system.pk:
        raise ValidationError({"device_id": _("设备不属于该系统")})
    for name, value in fields.items():
        setattr(item, name, value)
    if item.expires_on is None and not (item.replace_every_months and item.last_replaced_on):
        raise ValidationError({"expires_on": _("请填写到期日，或更换周期与上次更换日期")})
    refresh_milestones(item)
    item.full_clean()
    item.save()
    remind_now([item], timezone.localdate())
    return item


@transaction.atomic
def renew_item(user, item: ExpiringItem, *, expires_on: dt.date | None = None,
               replaced_on: dt.date | None = None, note: str = "") -> ExpiringItem:
    """A renewal (new expiry) or a replacement (batteries): the old reminders are done."""
    require(user, "security.obligations")
    if expires_on is None and replaced_on is None:
        raise ValidationError({"expires_on": _("请填写新的到期日或更换日期")})
    if expires_on is not None and item.due_on is not None and expires_on <= item.due_on:
        raise ValidationError({"expires_on": _("新的到期日应晚于当前到期日 %(day)s") % {"day": item.due_on}})
    if expires_on is not None:
        item.expires_on = expires_on
    if replaced_on is not None:
        item.last_replaced_on = replaced_on
        if item.replace_every_months:
            item.expires_on = None
    if note:
        item.note = f"{item.note}\n{note}".strip()
    Reminder.objects.filter(item=item, done=False).update(done=True)
    refresh_milestones(item)
    item.save()
    remind_now([item], timezone.localdate())
    return item


def record_served_certificates(observations: list[dict], at: dt.datetime) -> int:
    """Hook "tls_certificate_observed": create or update the certificate item of each checked address
    (row 62's lead times) and remind at once when it is already inside them. Returns items changed."""
    latest = {o["target"]: o for o in observations}
    existing = {item.check_target: item for item in ExpiringItem.objects.filter(check_target__in=list(latest))}
    changed = []
    for target, seen in latest.items():
        expires_on = timezone.localtime(seen["not_after"]).date()
        item = existing.get(target)
        if item is None:
            host = target.split("://", 1)[-1].split("/", 1)[0]
            item = ExpiringItem(kind=ExpiringItemKind.CERTIFICATE, name=_("HTTPS 证书 %(host)s") % {"host": host},
                                system_id=seen["system_id"], device_id=seen.get("device_id"),
                                source=ItemSource.HTTPS_CHECK, check_target=target,
                                renew_lead_months=CERTIFICATE_LEAD_MONTHS,
                                install_window_days=CERTIFICATE_INSTALL_DAYS)
        elif item.expires_on == expires_on:
            continue
        else:
            Reminder.objects.filter(item=item, done=False).update(done=True)  # a new certificate is served
        item.expires_on = expires_on
        refresh_milestones(item)
        item.save()
        changed.append(item)
    remind_now(changed, timezone.localtime(at).date())
    return len(changed)


def seed_tender_items() -> int:
    """The expiring obligations the tender names (rows 3, 6, 7, 56, 62, 65, 74), once each; those
    without a known expiry wait for the date to be entered."""
    systems = {s.row_no: s for s in System.objects.filter(row_no__in={i.row for i in ITEMS})}
    have = set(ExpiringItem.objects.filter(source=ItemSource.TENDER).values_list("system_id", "name"))
    created = 0
    for spec in ITEMS:
        system = systems.get(spec.row)
        if system is None or (system.pk, spec.name) in have:
            continue
        item = ExpiringItem(system=system, kind=spec.kind, name=spec.name, quantity=spec.quantity,
                            source=ItemSource.TENDER, tender_text=f"{spec.text}（{spec.lines}）",
                            renew_lead_months=spec.renew_lead_months, install_window_days=spec.install_window_days,
                            replace_every_months=spec.replace_every_months,
                            last_replaced_on=dt.date.fromisoformat(spec.last_replaced_on)
                            if spec.last_replaced_on else None)
        refresh_milestones(item)
        item.save()
        created += 1
    return created
