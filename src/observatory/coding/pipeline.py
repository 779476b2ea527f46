"""Pipeline: reads a stream of Documents and Settings, writes a stream of Extractions."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language

from observatory.coding.actors import ActorIndex, load_actors
from observatory.coding.claims import SourceIndex, extract_claims
from observatory.coding.disputes import find_disputes
from observatory.coding.events import extract_events
from observatory.coding.nlp import ParsedDocument, load_pipeline, load_sources, parse
from observatory.coding.places import Gazetteer, load_gazetteer
from observatory.records import Document, Extraction, ReadFailure
from observatory.settings import Settings


@dataclass(frozen=True)
class Extractor:
    """Everything loaded once per process: the spaCy pipeline and the dictionaries."""

    nlp: Language
    sources: SourceIndex
    actors: ActorIndex
    gazetteer: Gazetteer
    batch_size: int
    processes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "Extractor":
        sources, roles, titles = load_sources(settings.sources_file)
        return cls(nlp=load_pipeline(settings.model, settings.sources_file,
                                     settings.gazetteer_file),
                   sources=SourceIndex(sources, roles, titles), actors=load_actors(settings.actors_file),
                   gazetteer=load_gazetteer(settings.gazetteer_file),
                   batch_size=settings.batch_size, processes=settings.processes)

    def analyse(self, parsed: ParsedDocument) -> Extraction:
        claims = extract_claims(parsed, self.sources)
        events = extract_events(parsed, claims, actors=self.actors, gazetteer=self.gazetteer)
        return Extraction(document=parsed.document, claims=claims, events=events,
                          disputes=find_disputes(claims))

    def run(self, items: Iterable[Document | ReadFailure]) -> Iterator[Extraction | ReadFailure]:
        """Extract from a stream; failures pass through in order, nothing is held in memory."""
        pending: list[ReadFailure] = []

        def documents() -> Iterator[Document]:
            for item in items:
                if isinstance(item, ReadFailure):
                    pending.append(item)
                else:
                    yield item

        for parsed in parse(documents(), self.nlp, batch_size=self.batch_size,
                            n_process=self.processes):
            while pending:
                yield pending.pop(0)
            yield self.analyse(parsed)
        while pending:
            yield pending.pop(0)
