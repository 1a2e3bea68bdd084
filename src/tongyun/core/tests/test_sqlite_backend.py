"""The SQLite backend's writer queue and checkpoints (tongyun.core.sqlite), on a database file of its own."""

import fcntl
import os
import threading

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

from tongyun.core.sqlite import base as backend


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """Two connections ("first", "second") to one WAL file of their own, busy_timeout 0: a writer that
    meets SQLite's lock fails at once. Registered beside the suite's databases for `transaction.atomic`."""
    path = tmp_path / "db.sqlite3"
    options = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=0;", "transaction_mode": "IMMEDIATE"}
    spec = {"ENGINE": "tongyun.core.sqlite", "NAME": str(path), "OPTIONS": options}
    handler = ConnectionHandler({"default": spec, "second": spec})
    for alias, own in (("first", "default"), ("second", "second")):
        connections[alias] = handler[own]
    with django_db_blocker.unblock():
        with connections["first"].cursor() as cursor:
            cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body BLOB)")
        yield path, connections
        for alias in ("first", "second"):
            connections[alias].close()
            del connections[alias]


def lock_is_free(path) -> bool:
    fd = os.open(f"{path}.writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_second_writer_waits_for_the_first_instead_of_failing(database):
    path, handler = database
    first, second = handler["first"], handler["second"]
    second.ensure_connection()
    outcome = []
    started = threading.Event()

    def write_second():
        connections["second"] = second  # the handler's connections are per thread
        started.set()
        try:
            with transaction.atomic(using="second"), second.cursor() as cursor:
                cursor.execute("INSERT INTO note (body) VALUES ('second')")
            outcome.append("second committed")
        except OperationalError as error:  # SQLite's own "database is locked"
            outcome.append(f"second failed: {error}")

    second.inc_thread_sharing()
    with transaction.atomic(using="first"):
        with first.cursor() as cursor:
            cursor.execute("INSERT INTO note (body) VALUES ('first')")
        thread = threading.Thread(target=write_second)
        thread.start()
        started.wait()
        thread.join(timeout=0.5)
        assert thread.is_alive(), outcome  # queued on the writer lock, not refused by SQLite
        outcome.append("first committing")
    thread.join(timeout=10)
    second.dec_thread_sharing()
    assert outcome == ["first committing", "second committed"]
    with first.cursor() as cursor:
        cursor.execute("SELECT body FROM note ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_the_writer_lock_is_dropped_when_the_transaction_ends(database, end):
    path, handler = database
    connection = handler["first"]
    atomic = transaction.atomic(using="first")
    atomic.__enter__()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO note (body) VALUES ('x')")
    assert not lock_is_free(path)
    if end == "commit":
        atomic.__exit__(None, None, None)
    elif end == "rollback":
        atomic.__exit__(ValueError, ValueError(), None)
    else:
        connection.close()
        connection.needs_rollback = False
        connection.in_atomic_block = False
        connection.savepoint_ids = []
    assert lock_is_free(path)


def test_a_failed_begin_drops_the_writer_lock(database, monkeypatch):
    path, _connections = database

    def refuse(self):
        raise OperationalError("database is locked")

    monkeypatch.setattr(backend.base.DatabaseWrapper, "_start_transaction_under_autocommit", refuse)
    with pytest.raises(OperationalError), transaction.atomic(using="first"):
        pass
    assert lock_is_free(path)


def test_checkpoints_after_every_checkpoint_every_commits_not_inside_them(database):
    path, handler = database
    connection = handler["first"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 0
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.commits_since_checkpoint = 0
    size = path.stat().st_size
    for n in range(1, backend.CHECKPOINT_EVERY + 1):
        with transaction.atomic(using="first"), connection.cursor() as cursor:
            cursor.execute("INSERT INTO note (body) VALUES (%s)", [os.urandom(20_000)])
        if n < backend.CHECKPOINT_EVERY:  # the rows are in the write-ahead log only
            assert path.stat().st_size == size, n
    assert path.stat().st_size > size + 20_000 * (backend.CHECKPOINT_EVERY - 1)
    assert connection.commits_since_checkpoint == 0


def test_a_lock_file_it_cannot_open_leaves_writes_to_sqlites_own_lock(database, monkeypatch, caplog):
    path, connections_ = database
    real_open = os.open

    def refuse(name, *args, **kwargs):
        if str(name).endswith(".writer.lock"):
            raise PermissionError(13, "Permission denied", name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(backend.os, "open", refuse)
    with transaction.atomic(using="first"), connections_["first"].cursor() as cursor:
        cursor.execute("INSERT INTO note (body) VALUES ('still written')")
    assert "writer lock" in caplog.text
    with connections_["first"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM note")
        assert cursor.fetchone()[0] == 1
