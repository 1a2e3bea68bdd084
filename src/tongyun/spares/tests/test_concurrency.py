"""Two issues of the last unit at the same moment (PostgreSQL, real concurrent transactions): one succeeds,
the other is refused with a clear message, and the stock never goes negative."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.parties.models import User
from tongyun.spares import services
from tongyun.spares.choices import EntryKind
from tongyun.spares.models import SpareItem, StockEntry, Warehouse

pytestmark = pytest.mark.django_db


def _in_own_connection(work):
    """Run `work` on a connection of its own, outside the test's transaction, so what it writes is committed
    and seen by every thread."""
    result: list = []

    def run():
        try:
            result.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return result[0] if result else None


@pytest.fixture
def committed(django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer anyway")

    def make():
        warehouse = Warehouse.objects.create(name="并发测试库房")
        item = SpareItem.objects.create(system=System.objects.get(row_no=23), name="并发测试备件", cap=5)
        pm = User.objects.get(username="pm")
        StockEntry.objects.create(item=item, warehouse=warehouse, kind=EntryKind.RECEIPT, quantity=1, balance=1,
                                  at=timezone.now(), actor=pm)
        return item, warehouse, pm

    def remove():
        StockEntry.objects.filter(item=item).delete()
        item.delete()
        warehouse.delete()

    with django_db_blocker.unblock():
        item, warehouse, pm = _in_own_connection(make)
        yield item, warehouse, pm
        _in_own_connection(remove)


def test_concurrent_issue_of_the_last_unit(committed, django_db_blocker):
    item, warehouse, pm = committed
    barrier = threading.Barrier(2)
    outcomes: list = []

    def issue():
        with django_db_blocker.unblock():
            try:
                barrier.wait()
                services.post_entry(pm, item, warehouse, EntryKind.ISSUE, -1, note="并发")
                outcomes.append("issued")
            except ValidationError as error:
                outcomes.append(error.message_dict["quantity"][0])
            finally:
                connections.close_all()

    threads = [threading.Thread(target=issue) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes.count("issued") == 1 and len(outcomes) == 2, outcomes
    refusal = next(o for o in outcomes if o != "issued")
    assert "库存不足" in refusal and "现有 0" in refusal

    def ledger():
        rows = StockEntry.objects.filter(item=item).order_by("id")
        return list(rows.values_list("balance", flat=True)), sum(rows.values_list("quantity", flat=True))

    assert _in_own_connection(ledger) == ([1, 0], 0)
