"""SQLite as Django's backend, with the writers of one database file queued in the kernel.

SQLite lets one writer in at a time. A second connection's BEGIN IMMEDIATE that finds the file locked is
answered "busy", and SQLite's busy handler retries it after sleeps that grow to 25, 50 and 100 ms — a
writer often sleeps well past the moment the lock was freed. Under a storm of alerts from two workers
(issue #16) this made two workers slower than one: each waited out the other's write plus part of a sleep.

Here a connection takes an exclusive `flock` on `<database>.writer.lock` before it begins a transaction and
drops it once the transaction has ended (commit, rollback or close). A waiting writer sleeps in the kernel
and wakes the moment the lock is dropped; SQLite's own lock then finds the file free. Readers take no lock
(WAL: they read while one writes). Statements written outside a transaction (autocommit) still meet
SQLite's busy handler; every write the platform does in bulk is in a transaction.

A commit ran SQLite's automatic checkpoint (copying the write-ahead log into the database file once it
holds 1,000 pages) before it returned, so inside the writer lock here: 9.8 ms of the 35 ms a storm request
spent under the lock, on average. The automatic checkpoint is off; a connection checkpoints (PASSIVE: it waits for
nobody, and writers go on meanwhile) after every CHECKPOINT_EVERY of its commits, once it has dropped the lock.

An in-memory database (the tests' default) is one process's; it takes no file lock.
"""

import fcntl
import logging
import os

from django.db.backends.sqlite3 import base

CHECKPOINT_EVERY = 16
logger = logging.getLogger(__name__)


class DatabaseWrapper(base.DatabaseWrapper):
    writer_lock_fd: int | None = None
    commits_since_checkpoint = 0

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            connection.execute("PRAGMA wal_autocheckpoint = 0")
        return connection

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writer.lock"

    def _start_transaction_under_autocommit(self):
        path = self._writer_lock_path()
        if path is not None and self.writer_lock_fd is None:
            try:
                # read-only is enough for flock: a lock file another account created stays usable if readable
                fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
            except OSError as error:
                # not ours to open (created by root with another umask): SQLite's busy handler still
                # serialises the writers, only less promptly
                logger.warning("SQLite writer lock %s unusable (%s): writers wait on SQLite's busy handler",
                               path, error)
                fd = None
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self.writer_lock_fd = fd
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        fd, self.writer_lock_fd = self.writer_lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the only descriptor of the open file drops its flock

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release_writer_lock()
        self.commits_since_checkpoint += 1
        if self.commits_since_checkpoint >= CHECKPOINT_EVERY and not self.is_in_memory_db():
            self.commits_since_checkpoint = 0
            with self.wrap_database_errors:
                self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
