"""Records: the frozen dataclasses every stage reads and writes, and their JSON shapes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Precision = Literal["day", "week", "month", "year"]
SegmentKind = Literal["headline", "paragraph", "caption"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A headline, paragraph or caption of ``Document.text``, parsed on its own."""

    kind: SegmentKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    sha256: str
    source: str
    segments: tuple[Segment, ...]
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    # The bytes sha256 is taken of (a file, a JSON line, a feed entry): what the store keeps.
    raw: bytes = field(default=b"", repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "outlet": self.outlet, "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "sha256": self.sha256, "text": self.text,
            "segments": [{"kind": s.kind, "span": [s.start, s.end]} for s in self.segments],
        }


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """A document a reader could not turn into a ``Document``; the batch goes on."""

    source: str
    message: str


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date
    precision: Precision
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "precision": self.precision}


@dataclass(frozen=True, slots=True)
class Count:
    """A count the text supports: ``high=None`` is open-ended, both None is 'not stated'."""

    low: int | None = None
    high: int | None = None
    span: tuple[int, int] | None = None

    @property
    def known(self) -> bool:
        return self.low is not None

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}


@dataclass(frozen=True, slots=True)
class Source:
    """A known speaker or outlet from the sources dictionary."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    speaker: str
    speaker_mention: str
    speaker_type: str
    cue: str
    content: str
    polarity: Literal["asserts", "denies"]
    quote: bool
    span: tuple[int, int]
    content_span: tuple[int, int]
    via: tuple[str, ...] = ()
    date: DateRange | None = None
    affiliation: str | None = None
    topics: tuple[str, ...] = ()
    stage: str = "claims.v1"

    def to_dict(self, sha256: str) -> dict[str, Any]:
        return {
            "id": self.id, "speaker": self.speaker, "speaker_mention": self.speaker_mention,
            "speaker_type": self.speaker_type, "affiliation": self.affiliation,
            "via": list(self.via), "cue": self.cue, "content": self.content, "quote": self.quote,
            "polarity": self.polarity, "date": self.date.to_dict() if self.date else None,
            "span": list(self.span), "content_span": list(self.content_span),
            "provenance": {"sha256": sha256, "span": list(self.span), "stage": self.stage},
        }


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    name: str
    admin1: str
    admin2: str
    admin3: str
    lat: float
    lon: float
    kind: str  # community, admin1, admin2, place
    rank: int = 0  # admin centres and larger places rank higher when a name is ambiguous


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    geo_precision: int
    gazetteer_id: str | None
    mention: str
    span: tuple[int, int]
    country: str = "Syria"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "admin1": self.admin1, "admin2": self.admin2,
                "country": self.country, "lat": self.lat, "lon": self.lon,
                "geo_precision": self.geo_precision, "gazetteer_id": self.gazetteer_id,
                "mention": self.mention}


@dataclass(frozen=True, slots=True)
class ActorMention:
    name: str
    mention: str
    span: tuple[int, int]
    known: bool


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    event_type: str
    sub_event_type: str
    trigger: str
    span: tuple[int, int]
    date: DateRange | None
    actor1: ActorMention | None
    actor2: ActorMention | None
    assoc_actor_1: tuple[ActorMention, ...]
    location: Location | None
    fatalities: Count
    injured: Count
    targets: tuple[str, ...]
    claims: tuple[str, ...] = ()
    trigger_span: tuple[int, int] = (0, 0)
    stage: str = "events.v1"

    def to_dict(self, sha256: str) -> dict[str, Any]:
        evidence = {"event_type": list(self.trigger_span)}
        for name, value in (("actor1", self.actor1), ("actor2", self.actor2),
                            ("location", self.location), ("date", self.date),
                            ("fatalities", self.fatalities), ("injured", self.injured)):
            if value is not None and value.span is not None:
                evidence[name] = list(value.span)
        return {
            "id": self.id, "event_type": self.event_type, "sub_event_type": self.sub_event_type,
            "trigger": self.trigger,
            "date": self.date.to_dict() if self.date else None,
            "actor1": self.actor1.name if self.actor1 else None,
            "assoc_actor_1": [a.name for a in self.assoc_actor_1],
            "actor2": self.actor2.name if self.actor2 else None,
            "location": self.location.to_dict() if self.location else None,
            "fatalities": self.fatalities.to_dict(), "injured": self.injured.to_dict(),
            "targets": list(self.targets), "claims": list(self.claims), "span": list(self.span),
            "evidence": evidence,
            "provenance": {"sha256": sha256, "span": list(self.span), "stage": self.stage},
        }


@dataclass(frozen=True, slots=True)
class Dispute:
    about: str
    field: Literal["occurred", "fatalities", "perpetrator", "location", "date", "control"]
    supporting: tuple[str, ...]
    opposing: tuple[str, ...]
    stage: str = "disputes.v1"

    def to_dict(self, sha256: str) -> dict[str, Any]:
        return {"about": self.about, "field": self.field, "supporting": list(self.supporting),
                "opposing": list(self.opposing),
                "provenance": {"sha256": sha256, "stage": self.stage}}


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document: the record of spec/RECORD.md."""

    document: Document
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        sha = self.document.sha256
        return {
            "document": self.document.to_dict(),
            "claims": [c.to_dict(sha) for c in self.claims],
            "events": [e.to_dict(sha) for e in self.events],
            "disputes": [d.to_dict(sha) for d in self.disputes],
        }
