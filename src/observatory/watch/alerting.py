"""Ingest with alerts: reads documents, writes them into the store through the ingest (serial,
or on a Dask cluster) and the alerts the rules raise on what their merge changed. The one way
the watcher, `observatory ingest` and `POST /documents` store reports; each then delivers the
alerts (deliver.deliver_pending) when it suits it."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from observatory.coding.pipeline import Extractor
from observatory.record.changes import Tracker
from observatory.record.store import Store
from observatory.record.store.ingest import IngestSummary, OnItem, ingest
from observatory.records import Document, ReadFailure
from observatory.settings import Settings
from observatory.watch.rules import raise_alerts

if TYPE_CHECKING:  # Dask is an extra
    from distributed import Client

__all__ = ["Ingested", "ingest_with_alerts"]


@dataclass(frozen=True)
class Ingested:
    summary: IngestSummary
    alerts: tuple[int, ...]  # the ids of the alerts raised


def ingest_with_alerts(items: Iterable[Document | ReadFailure], *, store: Store,
                       extractor: Extractor | None = None, by: str = "machine",
                       on_item: OnItem | None = None,
                       on_merged: Callable[[int], None] | None = None,
                       client: Client | None = None,
                       settings: Settings | None = None) -> Ingested:
    """Ingest ``items`` with ``extractor`` (or on the Dask cluster of ``client``, whose workers
    load the pipeline from ``settings``), then raise the alerts of what changed: the
    incidents the merge touched, read just before their first change and after it."""
    tracker = Tracker()
    if client is not None:
        from observatory.scale import ingest_on_cluster

        summary = ingest_on_cluster(items, store=store, settings=settings, client=client,
                                    on_item=on_item, on_merged=on_merged, tracker=tracker,
                                    by=by)
    else:
        summary = ingest(items, store=store, extractor=extractor, on_item=on_item,
                         on_merged=on_merged, by=by, tracker=tracker)
    with store.session() as session:
        changes = tracker.changes(session)
    return Ingested(summary, tuple(raise_alerts(store, changes)))
