"""Cluster: reads a stream of Documents, a Dask scheduler address (or a worker count) and the
Settings, writes extractions made on the workers into the store, then merges them."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from distributed import Client, Future, LocalCluster, as_completed

from observatory.errors import ObservatoryError
from observatory.record.changes import Tracker
from observatory.record.store import Store
from observatory.record.store.ingest import (STORE_BATCH, IngestSummary, OnItem, skip_known,
                                             store_results)
from observatory.record.store.merge import merge_pending
from observatory.records import Document, Extraction, ReadFailure
from observatory.scale.workers import ExtractorPlugin, extract_batch, for_worker, loaded
from observatory.settings import Settings


@contextmanager
def connect(*, scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``workers``
    processes (one thread each: spaCy parsing holds the GIL)."""
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ObservatoryError(f"cannot reach Dask scheduler '{scheduler}': {exc}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def prepare(client: Client, settings: Settings) -> None:
    """Load the pipeline on every worker, unless they have it with these settings already (a
    worker that joins or restarts later loads it as it starts)."""
    wanted = for_worker(settings)
    states = client.run(loaded, wanted)
    if not states or not all(states.values()):
        client.register_plugin(ExtractorPlugin(settings))


def ingest_on_cluster(items: Iterable[Document | ReadFailure], *, store: Store,
                      settings: Settings, client: Client, on_item: OnItem | None = None,
                      batch: int = STORE_BATCH, task_documents: int = 8,
                      on_merged: Callable[[int], None] | None = None,
                      tracker: Tracker | None = None, by: str = "machine") -> IngestSummary:
    """Ingest on the cluster: the driver reads the inputs as a stream and sends batches of
    ``task_documents`` to the workers (a bounded number in flight), stores what comes back
    in batches, then merges as a serial ingest does. Dask runs again the batches of a worker
    that dies; a document is stored once (its sha256 is unique), so nothing is lost or
    doubled. ``tracker`` is told which incidents the merge changed (for the alerts); each
    stored document's audit entry names ``by``, who asked."""
    prepare(client, settings)
    summary = IngestSummary()
    fresh = skip_known(items, store=store, summary=summary, on_item=on_item)
    store_results(_extract(fresh, client, task_documents, summary, on_item), store=store,
                  summary=summary, on_item=on_item, batch=batch, by=by)
    merge_pending(store, on_merged=on_merged, tracker=tracker)
    return summary


def _extract(items: Iterator[Document | ReadFailure], client: Client, size: int,
             summary: IngestSummary, on_item: OnItem | None
             ) -> Iterator[Extraction | ReadFailure]:
    """Extractions in the order the workers finish them; read failures pass straight on."""
    documents = _documents(items, summary, on_item)
    # Enough batches queued to keep every worker busy, few enough to stream a large input.
    in_flight = 2 * max(1, len(client.scheduler_info(n_workers=-1)["workers"])) + 2
    pending = as_completed()
    sent: dict[str, list[Document]] = {}
    for chunk in iter(lambda: list(islice(documents, size)), []):
        future = client.submit(extract_batch, chunk, pure=False)
        sent[future.key] = chunk
        pending.add(future)
        if pending.count() >= in_flight:
            yield from _results(next(pending), sent)
    for future in pending:
        yield from _results(future, sent)


def _results(future: Future, sent: dict[str, list[Document]]
             ) -> list[Extraction | ReadFailure]:
    chunk = sent.pop(future.key)
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the batch failed every retry
        return [ReadFailure(doc.source, f"extraction failed on the cluster: "
                                        f"{type(exc).__name__}") for doc in chunk]


def _documents(items: Iterator[Document | ReadFailure], summary: IngestSummary,
               on_item: OnItem | None) -> Iterator[Document]:
    for item in items:
        if isinstance(item, ReadFailure):
            summary.fail(item, on_item)
        else:
            yield item
