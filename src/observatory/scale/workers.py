"""Workers: reads Settings once per Dask worker, writes the Extractions of each batch of
Documents the worker is sent."""
from __future__ import annotations

from distributed import WorkerPlugin, get_worker

from observatory.coding.pipeline import Extractor
from observatory.records import Document, Extraction, ReadFailure
from observatory.settings import Settings

PLUGIN = "observatory-extractor"


class ExtractorPlugin(WorkerPlugin):
    """Loads the spaCy pipeline and the dictionaries when a worker starts (or restarts after a
    crash), once, for every batch the worker will extract."""

    name = PLUGIN

    def __init__(self, settings: Settings) -> None:
        # One parsing process per worker: the cluster's workers are the parallelism.
        self.settings = for_worker(settings)
        self.extractor: Extractor | None = None

    def setup(self, worker) -> None:
        self.extractor = Extractor.from_settings(self.settings)


def for_worker(settings: Settings) -> Settings:
    """The settings a worker's pipeline is loaded with."""
    return settings.model_copy(update={"processes": 1})


def loaded(settings: Settings, dask_worker=None) -> bool:
    """Run on a worker: whether its pipeline is loaded, with these settings."""
    plugin = dask_worker.plugins.get(PLUGIN)
    return plugin is not None and plugin.extractor is not None and plugin.settings == settings


def extract_batch(documents: list[Document]) -> list[Extraction | ReadFailure]:
    """Extract one batch on the worker that runs it; a document the pipeline cannot read is a
    failure naming it, and the rest of the batch goes on."""
    extractor = get_worker().plugins[PLUGIN].extractor
    try:
        return list(extractor.run(documents))
    except Exception:  # noqa: BLE001 - retried one by one below to name the document
        pass
    out: list[Extraction | ReadFailure] = []
    for doc in documents:
        try:
            out.extend(extractor.run([doc]))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
            out.append(ReadFailure(doc.source, f"cannot extract: {type(exc).__name__}: {exc}"))
    return out
