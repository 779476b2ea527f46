"""Store: reads a database URL, writes an opened, migrated Store (SQLite or PostgreSQL)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import StoreError

__all__ = ["Store", "open_store", "masked"]


class Store:
    """One database: SQLite for one analyst, PostgreSQL for a team, through the same code."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        config = Config()
        config.set_main_option("script_location",
                               str(resources.files("observatory.record.store") / "migrations"))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL keeps every committed document through a crash or SIGKILL; NORMAL syncs at
    # checkpoints instead of on each of the per-document commits.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def masked(url: str) -> str:
    """A database URL as it may be printed: the password, if any, replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        # Not parseable as a URL: whatever sits between '//user:' and '@' may be a password.
        return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", url)


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open (and by default migrate) the database at ``url``."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # PostgreSQL compiles the web app's costlier counts over a large store before running
    # them, which took longer (0.2 s) than running them (65 ms): no JIT.
    options = {"connect_args": {"options": "-c jit=off"}} if url.startswith("postgresql") else {}
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database URL '{masked(url)}': "
                         f"{str(exc).replace(url, masked(url))}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine)
    if migrate:
        try:
            store.migrate()
        except DBAPIError as exc:
            # psycopg's messages run over several lines; the CLI prints one.
            raise StoreError(f"cannot open database '{masked(url)}': "
                             f"{' '.join(str(exc.orig).split())}") from None
    return store
