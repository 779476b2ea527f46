"""Origins: reads one report's claims and events, writes each event's voices (who speaks about
it: the original speaker, its origin, the outlets relaying it, what it says), and reads them
back to count an incident's independent origins and set its speakers against each other."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from observatory.records import Claim, Extraction

# Kinds of speaker whose word is an origin of its own (a person speaks for an institution;
# an anonymous source or 'residents' are only as independent as the outlet quoting them).
ORIGIN_TYPES = ("monitor", "state_media", "media", "international_org", "ngo", "government",
                "armed_group")
STAGE = "origins.v1"
TEXT_CHARS = 300  # enough of what was said for the status timeline's wording


@dataclass(frozen=True, slots=True)
class Voice:
    """One speaker's word on an event, as one report carries it."""

    origin: str  # the independent origin: the speaker, its institution, or the outlet
    speaker: str
    polarity: str  # asserts or denies
    via: tuple[str, ...] = ()  # the outlets and agencies relaying it
    date: date | None = None
    text: str = ""
    claim: str | None = None  # the claim's key in its report

    def to_dict(self) -> dict[str, Any]:
        return {"origin": self.origin, "speaker": self.speaker, "polarity": self.polarity,
                "via": list(self.via), "date": self.date.isoformat() if self.date else None,
                "text": self.text, "claim": self.claim, "stage": STAGE}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Voice:
        return cls(origin=d["origin"], speaker=d["speaker"], polarity=d["polarity"],
                   via=tuple(d.get("via") or ()),
                   date=date.fromisoformat(d["date"]) if d.get("date") else None,
                   text=d.get("text") or "", claim=d.get("claim"))


def origin_of(claim: Claim, fallback: str) -> str:
    """Who a claim really comes from: a source of its own, the institution a person speaks
    for, else the report's own origin (an unnamed source is only as good as who quotes it)."""
    if claim.speaker_type in ORIGIN_TYPES:
        return claim.speaker
    return claim.affiliation or fallback


def _about(event_topic: str | None, about: str) -> bool:
    return bool(event_topic) and event_topic in about.lower()


def event_voices(event_claims: Sequence[str], event_topic: str | None, ex: Extraction, *,
                 fallback: str) -> tuple[Voice, ...]:
    """The voices on one event: its own claims, and the claims a dispute of the same report
    sets against them on what the event is ('the corridor'): a report telling both sides
    carries both origins."""
    keys = list(event_claims)
    for d in ex.disputes:
        sides = (*d.supporting, *d.opposing)
        if d.field == "occurred" and set(sides) & set(keys) and _about(event_topic, d.about):
            keys += [k for k in sides if k not in keys]
    claims = {c.id: c for c in ex.claims}
    outlet = ex.document.outlet
    out = []
    for k in keys:
        c = claims[k]
        origin = origin_of(c, fallback)
        via = tuple(v for v in dict.fromkeys((*c.via, *([outlet] if outlet else ())))
                    if v != origin)
        out.append(Voice(origin=origin, speaker=c.speaker, polarity=c.polarity, via=via,
                         date=c.date.start if c.date else None,
                         text=c.content[:TEXT_CHARS], claim=c.id))
    return tuple(out)


class Voiced(Protocol):
    """What an incident's event gives this module (EventFacts has it)."""

    document: str
    origin: str
    stance: str
    speakers: tuple[str, ...]
    claims: tuple[tuple[str, str, date | None, str], ...]
    voices: tuple[Voice, ...]


def voices_of(event: Voiced) -> tuple[Voice, ...]:
    """An event's voices; an event no one is quoted on speaks with its report's origin."""
    if event.voices:
        return event.voices
    return (Voice(origin=event.origin, speaker=event.speakers[0] if event.speakers
                  else event.origin, polarity=event.stance),)


def origins(events: Iterable[Voiced]) -> set[str]:
    """The independent origins of an incident: three outlets relaying SOHR are one."""
    return {v.origin for e in events for v in voices_of(e)}


def denied(events: Sequence[Voiced]) -> bool:
    """Every voice denies it."""
    return all(v.polarity == "denies" for e in events for v in voices_of(e))


@dataclass(frozen=True, slots=True)
class OriginSide:
    asserts: bool
    documents: tuple[str, ...]
    speakers: tuple[str, ...]
    origins: tuple[str, ...]
    via: tuple[str, ...]


def occurred(events: Sequence[Voiced]) -> tuple[OriginSide, ...]:
    """Origins saying it happened against origins saying it did not; empty when the same
    origins are on both sides (a source correcting itself) or no one denies."""
    sides: dict[bool, list[tuple[str, Voice]]] = {}
    for e in events:
        for v in voices_of(e):
            sides.setdefault(v.polarity == "asserts", []).append((e.document, v))
    if len(sides) < 2 or ({v.origin for _, v in sides[True]}
                          == {v.origin for _, v in sides[False]}):
        return ()
    return tuple(OriginSide(asserts=key,
                            documents=tuple(dict.fromkeys(d for d, _ in said)),
                            speakers=tuple(dict.fromkeys(v.speaker for _, v in said)),
                            origins=tuple(dict.fromkeys(v.origin for _, v in said)),
                            via=tuple(dict.fromkeys(x for _, v in said for x in v.via)))
                 for key, said in sorted(sides.items(), reverse=True))


def statements(events: Sequence[Voiced]) -> list[tuple[date | None, str, str, str, str]]:
    """Everything said about an incident as (date, speaker, polarity, text, document), once
    per origin, day and polarity: a statement relayed by three reports was said once."""
    out = {}
    for e in events:
        for v in e.voices:
            out.setdefault((v.origin, v.date, v.polarity), (v.date, v.speaker, v.polarity,
                                                            v.text, e.document))
        for speaker, polarity, d, text in () if e.voices else e.claims:  # stored before voices
            out.setdefault((speaker, d, polarity), (d, speaker, polarity, text, e.document))
    return list(out.values())
