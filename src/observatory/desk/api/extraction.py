"""Extraction pool: reads the documents posted to the API, writes their Extractions, made by the
pipeline in a process of its own so that spaCy never holds the server's GIL while it answers."""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from observatory.coding.pipeline import Extractor
from observatory.records import Document, Extraction, ReadFailure
from observatory.settings import Settings

__all__ = ["ExtractionPool", "pool_for"]

# In the worker process: the pipeline, loaded by the first document it is sent.
_extractor: Extractor | None = None


def _extract(settings: Settings, items: list[Document | ReadFailure]
             ) -> tuple[int, list[Extraction | ReadFailure]]:
    """Runs in the worker: the extractions of ``items``, and the worker's pid."""
    global _extractor
    if _extractor is None:
        # Loaded here rather than in an initializer: a pipeline that cannot load raises its
        # ModelError to the request, and the next request tries again.
        _extractor = Extractor.from_settings(settings)
    return os.getpid(), list(_extractor.run(items))


class ExtractionPool:
    """One worker process extracting for every app of one pipeline's settings, started by the
    first post, replaced when it dies, stopped when the last app holding it stops. Used as the
    ingest's Extractor: only the extraction moves out, the store keeps one writer, the server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pid: int | None = None  # the worker's, once it has extracted
        self._executor: ProcessPoolExecutor | None = None
        self._holders = 0
        self._lock = threading.Lock()

    def hold(self) -> None:
        """An app starts serving with this pool."""
        with self._lock:
            self._holders += 1

    def release(self) -> None:
        """An app stops serving; the last to stop stops the worker (the next post starts
        another)."""
        with self._lock:
            self._holders -= 1
            executor = self._executor if self._holders <= 0 else None
            if executor is not None:
                self._executor = None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def run(self, items: Iterable[Document | ReadFailure]
            ) -> Iterator[Extraction | ReadFailure]:
        batch = list(items)
        if not batch:  # every document already stored: no need to wake the worker
            return iter(())
        try:
            self.pid, results = self._submit(batch)
        except BrokenProcessPool:
            # Dead before this batch came (killed, out of memory) or while reading it: one
            # fresh worker tries again, and a batch that kills that one too is refused.
            self.pid, results = self._submit(batch)
        return iter(results)

    def _submit(self, batch: list[Document | ReadFailure]
                ) -> tuple[int, list[Extraction | ReadFailure]]:
        with self._lock:
            if self._executor is None:
                # Spawned, not forked: the server's threads may hold locks a fork would copy.
                self._executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            executor = self._executor
        try:
            return executor.submit(_extract, self.settings, batch).result()
        except BrokenProcessPool:
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            executor.shutdown(wait=False)
            raise


_pools: dict[tuple, ExtractionPool] = {}
_pools_lock = threading.Lock()


def pool_for(settings: Settings) -> ExtractionPool:
    """The pool of the pipeline ``settings`` name, shared by the apps that use it (tests make
    many apps; each would otherwise load spaCy again)."""
    key = (settings.model, settings.sources_file, settings.actors_file, settings.gazetteer_file,
           settings.batch_size, settings.processes)
    with _pools_lock:
        if key not in _pools:
            _pools[key] = ExtractionPool(settings)
        return _pools[key]
