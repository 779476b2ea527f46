"""Polling: reads the watched sources (feeds, JSON Lines endpoints, folders) over HTTP or disk,
writes their new entries into the store through ingest, each source's state, and the alerts
its batch raised."""
from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin

from sqlalchemy import select
from trafilatura.meta import reset_caches
from sqlalchemy.exc import IntegrityError

from observatory.coding.pipeline import Extractor
from observatory.errors import FetchError, InputError
from observatory.reading import read_inputs, read_jsonl
from observatory.reading.feeds import has_body, parse_feed, read_feed
from observatory.reading.fetch import Fetcher, host_of
from observatory.reading.html import read_html
from observatory.record.store import Store
from observatory.record.store.models import WatchSeen, WatchSource
from observatory.records import Document, ReadFailure
from observatory.settings import Settings
from observatory.watch.alerting import ingest_with_alerts
from observatory.watch.sources import now

__all__ = ["PollResult", "run_once", "due_sources", "next_due"]


@dataclass(frozen=True)
class PollResult:
    source: str
    status: str  # ok, not-modified, error
    new: int = 0
    already: int = 0
    failed: int = 0
    alerts: int = 0
    error: str | None = None  # why the poll failed, or which entries wait for the next one
    retry_at: datetime | None = None


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _Batch:
    """The new entries of one poll: (entry key, document or failure), and what was left."""

    items: list[tuple[str, Document | ReadFailure]]
    pending: list[str]  # entries left for the next poll (their article could not be fetched)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def _feed(src: WatchSource, fetcher: Fetcher, settings: Settings, seen: set[str]) -> _Batch:
    got = fetcher.get(src.url, allowed_hosts=src.allowed_hosts, etag=src.etag,
                      last_modified=src.last_modified)
    if got.status == 304:
        return _Batch([], [], src.etag, src.last_modified, not_modified=True)
    limit = min(settings.max_document_bytes, settings.fetch_max_bytes)
    parsed = parse_feed(got.body, source=src.url, limit=limit)
    batch = _Batch([], [], got.etag, got.last_modified)
    for entry, item in zip(parsed.entries, read_feed(got.body, source=src.url, limit=limit,
                                                     outlet=src.outlet)):
        ident = entry.get("id") or entry.get("link") or (
            (entry.get("title") or "") + (entry.get("summary") or ""))
        key = _key(ident)
        if key in seen:
            continue
        link = urljoin(got.url, entry.get("link") or "") if entry.get("link") else None
        # A summary alone is not the report: the linked article is, if it is on a source host.
        if not has_body(entry) and link and host_of(link) in src.allowed_hosts:
            try:
                page = fetcher.get(link, allowed_hosts=src.allowed_hosts)
            except FetchError as exc:
                batch.pending.append(f"{link}: {exc.reason}")
                continue
            # trafilatura's duplicate filter counts paragraphs across the whole process: a
            # long-running watcher would blank a page whose lines it had seen before.
            reset_caches()
            try:
                item = read_html(page.body, source=link, limit=limit,
                                 doc_id=entry.get("id") or link, outlet=src.outlet,
                                 url=page.url, published=getattr(item, "published", None))
            except InputError as exc:
                item = ReadFailure(exc.source, exc.reason)
        batch.items.append((key, item))
    return batch


def _jsonl(src: WatchSource, fetcher: Fetcher, settings: Settings, seen: set[str]) -> _Batch:
    got = fetcher.get(src.url, allowed_hosts=src.allowed_hosts, etag=src.etag,
                      last_modified=src.last_modified)
    if got.status == 304:
        return _Batch([], [], src.etag, src.last_modified, not_modified=True)
    items = read_jsonl(io.BytesIO(got.body), source=src.url, limit=settings.max_document_bytes,
                       outlet=src.outlet)
    return _Batch(_unseen(items, seen), [], got.etag, got.last_modified)


def _folder(src: WatchSource, settings: Settings, seen: set[str]) -> _Batch:
    items = read_inputs([src.url], limit=settings.max_document_bytes, outlet=src.outlet)
    return _Batch(_unseen(items, seen), [])


def _unseen(items: Iterator[Document | ReadFailure], seen: set[str]
            ) -> list[tuple[str, Document | ReadFailure]]:
    out = []
    for item in items:
        key = (item.sha256 if isinstance(item, Document)
               else _key(f"failed {item.source}: {item.message}"))
        if key not in seen:
            out.append((key, item))
    return out


def _mark_seen(store: Store, source_id: int, key: str, sha256: str | None) -> None:
    """Committed as each document is stored: a run killed mid-batch resumes after it."""
    with store.session() as session:
        session.add(WatchSeen(source_id=source_id, entry_key=key, document_sha256=sha256,
                              seen_at=now()))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()  # marked meanwhile by another run


def _ingest(store: Store, src_id: int, batch: _Batch, extractor: Extractor,
            on_error: Callable[[str, str], None] | None) -> tuple[int, int, int, int]:
    """Store the batch's documents and raise the alerts of what they changed."""
    docs: list[Document] = []
    keys: dict[str, str] = {}
    failed = 0
    for key, item in batch.items:
        if isinstance(item, ReadFailure):
            failed += 1
            if on_error:
                on_error(item.source, item.message)
            _mark_seen(store, src_id, key, None)  # garbage stays garbage: reported once
        else:
            docs.append(item)
            keys[item.sha256] = key
    if not docs:
        return 0, 0, failed, 0

    def on_item(state: str, item: Document | ReadFailure) -> None:
        nonlocal failed
        if isinstance(item, ReadFailure):
            failed += 1
            if on_error:
                on_error(item.source, item.message)
            key = next((k for k, i in batch.items if getattr(i, "source", None) == item.source),
                       None)
            if key:
                _mark_seen(store, src_id, key, None)
            return
        _mark_seen(store, src_id, keys[item.sha256], item.sha256)

    done = ingest_with_alerts(docs, store=store, extractor=extractor, on_item=on_item)
    return done.summary.new, done.summary.already, failed, len(done.alerts)


def due_sources(store: Store, *, at: datetime, force: bool = False) -> list[int]:
    with store.session() as session:
        query = select(WatchSource.id).where(WatchSource.enabled.is_(True))
        if not force:
            query = query.where((WatchSource.next_poll_at.is_(None))
                                | (WatchSource.next_poll_at <= at))
        return list(session.scalars(query.order_by(WatchSource.id)))


def next_due(store: Store) -> datetime | None:
    from sqlalchemy import func

    with store.session() as session:
        return session.scalar(select(func.min(WatchSource.next_poll_at))
                              .where(WatchSource.enabled.is_(True)))


def poll_source(store: Store, source_id: int, *, settings: Settings, fetcher: Fetcher,
                extractor: Extractor, at: datetime | None = None,
                on_error: Callable[[str, str], None] | None = None) -> PollResult:
    """Poll one source once and record the outcome on it (backoff after a failure)."""
    at = at or now()
    with store.session() as session:
        src = session.get(WatchSource, source_id)
        seen = set(session.scalars(select(WatchSeen.entry_key)
                                   .where(WatchSeen.source_id == source_id)))
        session.expunge(src)
    try:
        if src.kind == "folder":
            batch = _folder(src, settings, seen)
        elif src.kind == "jsonl":
            batch = _jsonl(src, fetcher, settings, seen)
        else:
            batch = _feed(src, fetcher, settings, seen)
        new, already, failed, alerts = _ingest(store, src.id, batch, extractor, on_error)
    except InputError as exc:  # FetchError included: network, HTTP status, size, hosts
        message = f"{exc.source}: {exc.reason}" if exc.source != src.url else exc.reason
        with store.session() as session, session.begin():
            row = session.get(WatchSource, source_id)
            row.failures += 1
            wait = min(settings.watch_retry_seconds * 2 ** (row.failures - 1),
                       settings.watch_max_backoff_seconds)
            row.last_polled_at, row.last_error = at, message
            row.next_poll_at = at + timedelta(seconds=wait)
            return PollResult(src.url, "error", error=message, retry_at=row.next_poll_at)
    with store.session() as session, session.begin():
        row = session.get(WatchSource, source_id)
        # With entries left over, forget the validators: the next poll must see the feed again.
        row.etag = None if batch.pending else batch.etag
        row.last_modified = None if batch.pending else batch.last_modified
        row.failures = 0
        row.last_polled_at = row.last_ok_at = at
        row.last_error = ("; ".join(batch.pending[:3]) + " (retried next poll)"
                          if batch.pending else None)
        row.next_poll_at = at + timedelta(seconds=row.every_seconds)
        return PollResult(src.url, "not-modified" if batch.not_modified else "ok", new, already,
                          failed, alerts, row.last_error, row.next_poll_at)


def run_once(store: Store, *, settings: Settings, extractor: Extractor,
             fetcher: Fetcher | None = None, force: bool = False, at: datetime | None = None,
             on_result: Callable[[PollResult], None] | None = None,
             on_error: Callable[[str, str], None] | None = None) -> list[PollResult]:
    """Poll every due source once (every enabled one with ``force``), then deliver alerts."""
    from observatory.watch.deliver import deliver_pending

    at = at or now()
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    results = []
    try:
        for source_id in due_sources(store, at=at, force=force):
            result = poll_source(store, source_id, settings=settings, fetcher=fetcher,
                                 extractor=extractor, at=at, on_error=on_error)
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        if own:
            fetcher.close()
    deliver_pending(store, settings)
    return results
