"""Disputes within one report, from claims built by hand (no model)."""
from __future__ import annotations

from observatory.coding.disputes import find_disputes
from observatory.records import Claim


def claim(cid, speaker, content, polarity="asserts", topics=(), affiliation=None):
    return Claim(id=cid, speaker=speaker, speaker_mention=speaker, speaker_type="monitor",
                 cue="said", content=content, polarity=polarity, quote=False, span=(0, 1),
                 content_span=(0, 1), topics=tuple(topics), affiliation=affiliation)


def test_assert_against_deny_on_a_shared_topic():
    claims = [
        claim("c1", "SOHR", "the humanitarian corridor is non-existent", "denies", ["corridor"]),
        claim("c2", "Rami Abdulrahman", "this corridor is for media purposes", topics=["corridor"],
              affiliation="SOHR"),
        claim("c3", "Syrian state media", "the opening of the corridor", topics=["corridor"]),
    ]
    (d,) = find_disputes(claims)
    assert d.field == "occurred" and "corridor" in d.about
    assert d.supporting == ("c3",)  # SOHR's own head does not support the other side
    assert d.opposing == ("c1",)


def test_different_death_tolls_from_different_sources():
    claims = [claim("c1", "SOHR", "16 people were killed"),
              claim("c2", "SANA", "44 people were killed")]
    (d,) = find_disputes(claims)
    assert (d.field, d.supporting, d.opposing) == ("fatalities", ("c1",), ("c2",))


def test_overlapping_tolls_and_one_source_are_not_disputes():
    assert find_disputes([claim("c1", "SOHR", "at least 16 people were killed"),
                          claim("c2", "SANA", "20 people were killed")]) == ()
    assert find_disputes([claim("c1", "SOHR", "5 people were killed"),
                          claim("c2", "SOHR", "12 people were killed")]) == ()
    assert find_disputes([claim("c1", "SOHR", "the corridor opened", topics=["corridor"])]) == ()
