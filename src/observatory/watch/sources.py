"""Watch sources: reads command-line values, writes and lists the sources kept in the store."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, select

from observatory.errors import WatchError
from observatory.reading.fetch import host_of
from observatory.record.store import Store
from observatory.record.store.models import WatchSeen, WatchSource

__all__ = ["SourceInfo", "add_source", "list_sources", "remove_source", "set_enabled",
           "parse_every", "now"]

_EVERY = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_every(text: str) -> int:
    """'15m', '2h', '90s', '1d' (or seconds) as seconds."""
    m = _EVERY.match(text)
    if not m or int(m.group(1)) == 0:
        raise WatchError(f"--every: cannot read '{text}' as an interval (e.g. 90s, 15m, 2h, 1d)")
    return int(m.group(1)) * _UNIT[m.group(2)]


@dataclass(frozen=True)
class SourceInfo:
    id: int
    url: str
    kind: str
    outlet: str | None
    every_seconds: int
    enabled: bool
    allowed_hosts: tuple[str, ...]
    next_poll_at: datetime | None
    last_ok_at: datetime | None
    failures: int
    last_error: str | None
    seen: int


def _kind(url: str) -> str:
    if url.startswith(("http://", "https://")):
        path = url.split("?", 1)[0].lower()
        return "jsonl" if path.endswith((".jsonl", ".ndjson")) else "feed"
    return "folder"


def add_source(store: Store, url: str, *, outlet: str | None, every_seconds: int,
               kind: str | None = None, allow_hosts: tuple[str, ...] = (),
               enabled: bool = True) -> int:
    """Keep a source to poll; a folder is stored as its absolute path."""
    kind = kind or _kind(url)
    if kind not in ("feed", "jsonl", "folder"):
        raise WatchError(f"--kind: expected feed, jsonl or folder, got '{kind}'")
    if kind == "folder":
        path = Path(url).expanduser()
        if not path.exists():
            raise WatchError(f"{url}: no such file or folder")
        url = str(path.resolve())
        hosts: list[str] = []
    else:
        if not url.startswith(("http://", "https://")):
            raise WatchError(f"{url}: a feed or JSON Lines source must be an http(s) URL")
        hosts = list(dict.fromkeys([host_of(url), *(h.lower() for h in allow_hosts)]))
    with store.session() as session, session.begin():
        if session.scalar(select(WatchSource.id).where(WatchSource.url == url)):
            raise WatchError(f"{url}: already watched (remove it first to change it)")
        row = WatchSource(url=url, kind=kind, outlet=outlet, every_seconds=every_seconds,
                          enabled=enabled, allowed_hosts=hosts, failures=0, created_at=now())
        session.add(row)
        session.flush()
        return row.id


def _find(session, ref: str) -> WatchSource:
    row = session.get(WatchSource, int(ref)) if ref.isdigit() else session.scalar(
        select(WatchSource).where(WatchSource.url == ref))
    if row is None:
        raise WatchError(f"{ref}: no such watched source (see `observatory watch list`)")
    return row


def remove_source(store: Store, ref: str) -> str:
    """Forget a source (by id or URL) and the entries seen from it; its reports stay."""
    with store.session() as session, session.begin():
        row = _find(session, ref)
        session.execute(delete(WatchSeen).where(WatchSeen.source_id == row.id))
        session.delete(row)
        return row.url


def set_enabled(store: Store, ref: str, enabled: bool) -> str:
    with store.session() as session, session.begin():
        row = _find(session, ref)
        row.enabled = enabled
        return row.url


def list_sources(store: Store) -> list[SourceInfo]:
    from sqlalchemy import func

    with store.session() as session:
        seen = dict(session.execute(select(WatchSeen.source_id, func.count())
                                    .group_by(WatchSeen.source_id)).all())
        return [SourceInfo(r.id, r.url, r.kind, r.outlet, r.every_seconds, r.enabled,
                           tuple(r.allowed_hosts), r.next_poll_at, r.last_ok_at, r.failures,
                           r.last_error, seen.get(r.id, 0))
                for r in session.scalars(select(WatchSource).order_by(WatchSource.id))]
