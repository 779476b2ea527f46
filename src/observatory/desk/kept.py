"""Kept: reads the Settings, writes one app's caches of what its views cost most (a view's
counts and facets, totals, the sources' tallies and lists), shared by the pages and the API
and filled as the server starts."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observatory.coding.nlp import Source, load_sources
from observatory.record.sources import KeptTallies
from observatory.record.store.browse import Summaries, total
from observatory.record.store.models import Claim, Document
from observatory.settings import Settings

__all__ = ["Kept"]


def source_lists(session: Session, _filters: dict[str, Any]) -> dict[str, list[dict]]:
    """The speakers with their claims and the outlets with their documents, most first."""
    speakers = session.execute(select(Claim.speaker, Claim.speaker_type, func.count(Claim.id))
                               .group_by(Claim.speaker, Claim.speaker_type)
                               .order_by(func.count(Claim.id).desc())).all()
    outlets = session.execute(select(Document.outlet, func.count(Document.id))
                              .where(Document.outlet.is_not(None))
                              .group_by(Document.outlet)
                              .order_by(func.count(Document.id).desc())).all()
    return {"speakers": [{"name": n, "type": t, "claims": c} for n, t, c in speakers],
            "outlets": [{"name": n, "documents": c} for n, c in outlets]}


@dataclass(frozen=True)
class Kept:
    """Each cache once per app: the pages and the API asked the same counts of the store
    separately, and only the pages' were filled at start."""

    dictionary: tuple[Source, ...]
    views: Summaries  # a view's total, facets and timeline
    totals: Summaries  # a view's total alone (the API's pages)
    tallies: KeptTallies  # every source's tally
    sources: Summaries  # the speakers' and outlets' counts

    @classmethod
    def for_settings(cls, settings: Settings) -> "Kept":
        dictionary = tuple(load_sources(settings.sources_file)[0])
        return cls(dictionary=dictionary, views=Summaries(), totals=Summaries(make=total),
                   tallies=KeptTallies(dictionary), sources=Summaries(make=source_lists))

    def warming(self) -> list[Callable[[Session], Any]]:
        """What the server fills before it listens: the unfiltered views and the sources."""
        return [lambda session: self.views.of(session, {}),
                lambda session: self.totals.of(session, {}),
                self.tallies.of,
                lambda session: self.sources.of(session, {})]
