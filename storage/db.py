"""Engine and session factory, and the lock that keeps a SQLite file to one bot process."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    # Statements are logged at DEBUG, their parameters never: they hold invite tokens.
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)
    # The driver logs every statement with its parameters at DEBUG, so unless a deployment
    # sets its level on purpose it stays at INFO, whatever the root level.
    driver_log = logging.getLogger("aiosqlite")
    if driver_log.level == logging.NOTSET:
        driver_log.setLevel(logging.INFO)
    path = sqlite_path(url)
    if path is not None:
        _create_private(path)
    engine = create_async_engine(
        url, echo=echo, hide_parameters=True, connect_args={"timeout": 30}
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine_or_session) -> bool:
    bind = getattr(engine_or_session, "bind", engine_or_session)
    return bind.dialect.name == "postgresql"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another backend or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _create_private(path: Path) -> None:
    """Make the folder (0700) and the database file (0600) if they are not there yet; SQLite
    gives its -wal and -shm files the database file's permissions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


class DatabaseInUse(Exception):
    """Another bot process holds this SQLite database."""

    def __init__(self, path: Path, pid: str) -> None:
        super().__init__(f"{path} is used by process {pid or '?'}")
        self.path, self.pid = path, pid


class ProcessLock:
    """An exclusive lock on ``<database>.lock``, held while the process runs; the system
    drops it when the process dies, even by ``kill -9``, so a stale lock never blocks."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise DatabaseInUse(self.path.with_suffix(""), holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def lock_single_process(url: str) -> ProcessLock | None:
    """Take the lock of a SQLite database (raises DatabaseInUse); None for PostgreSQL, which
    serves several processes."""
    path = sqlite_path(url)
    if path is None:
        return None
    _create_private(path)
    lock = ProcessLock(path)
    lock.acquire()
    return lock
