"""Disputes: reads one report's Claims, writes Disputes (opposite polarity, or clashing figures)."""
from __future__ import annotations

import re
from collections.abc import Sequence

from observatory.coding.casualties import find_casualties
from observatory.records import Claim, Count, Dispute

STAGE = "disputes.v1"


def _origin(claim: Claim) -> str:
    """Who a claim really comes from: a source's head speaks for the source."""
    return claim.affiliation or claim.speaker


def _about(topic: str, claims: Sequence[Claim]) -> str:
    """The fullest phrase naming the disputed thing, e.g. 'humanitarian corridor'."""
    best = topic
    for c in claims:
        for m in re.finditer(rf"((?:[\w-]+\s+){{0,2}}){re.escape(topic)}\w*((?:\s+out of [\w-]+)?)",
                             c.content, re.I):
            words = [w for w in m.group(1).split() if w.lower() not in
                     ("the", "a", "an", "this", "that", "of", "had", "opened", "opening", "is", "was")]
            phrase = " ".join(words + [topic]) + m.group(2)
            if len(phrase) > len(best):
                best = phrase
    return best.strip().lower()


def overlaps(a: Count, b: Count) -> bool:
    if a.low is None or b.low is None:
        return True
    a_high = a.high if a.high is not None else float("inf")
    b_high = b.high if b.high is not None else float("inf")
    return a.low <= b_high and b.low <= a_high


def find_disputes(claims: Sequence[Claim]) -> tuple[Dispute, ...]:
    disputes: list[Dispute] = []
    denials = [c for c in claims if c.polarity == "denies"]
    used_topics: set[str] = set()
    for denial in denials:
        for topic in denial.topics:
            if topic in used_topics:
                continue
            deniers = {_origin(d) for d in denials if topic in d.topics}
            supporting = [c for c in claims if c.polarity == "asserts" and topic in c.topics
                          and _origin(c) not in deniers]
            if not supporting:
                continue
            opposing = [d for d in denials if topic in d.topics]
            used_topics.add(topic)
            disputes.append(Dispute(about=_about(topic, opposing + supporting), field="occurred",
                                    supporting=tuple(c.id for c in supporting),
                                    opposing=tuple(c.id for c in opposing), stage=STAGE))
    figures = [(c, find_casualties(c.content).killed) for c in claims]
    figures = [(c, k) for c, k in figures if k.known and k.low]
    for i, (a, ka) in enumerate(figures):
        for b, kb in figures[i + 1:]:
            if _origin(a) != _origin(b) and not overlaps(ka, kb):
                disputes.append(Dispute(about="death toll", field="fatalities",
                                        supporting=(a.id,), opposing=(b.id,), stage=STAGE))
    return tuple(disputes)
