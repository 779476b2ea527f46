"""A paragraph of short words far longer than spaCy takes at once: cut in pieces parsed one at
a time, so memory stays bounded and the cost grows with its length, not faster."""
from __future__ import annotations

import dataclasses
import time

import spacy

from observatory.coding import nlp
from observatory.reading import read_text
from observatory.records import Extraction


def _paragraph(chars: int, unit: str = "a b c. ") -> bytes:
    return (unit * (chars // len(unit) + 1))[:chars].encode()


def _cost(extractor, chars: int) -> float:
    doc = read_text(_paragraph(chars), source="<long>", limit=10_000_000)
    began = time.process_time()
    (result,) = list(extractor.run([doc]))
    assert isinstance(result, Extraction)
    return time.process_time() - began


def test_a_long_paragraph_costs_in_proportion_to_its_length(extractor):
    # A blank English pipeline (tokenizer and sentence ends): what is measured is this
    # project's cutting, batching and analysis, not the statistical model's matrix products.
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    fast = dataclasses.replace(extractor, nlp=blank)
    _cost(fast, 10_000)  # warm-up
    small = min(_cost(fast, 100_000) for _ in range(2))
    large = _cost(fast, 1_000_000)
    assert large / small < 15, (small, large)  # 10x the text; quadratic would be ~100x


def test_the_pieces_of_a_long_paragraph_are_parsed_one_at_a_time(extractor, monkeypatch):
    """The documents around it still go through spaCy in batches, in order."""
    batches: list[int] = []
    real = extractor.nlp.pipe

    def spy(texts, **kwargs):
        if kwargs.get("as_tuples"):  # the call parse makes (spaCy then calls itself)
            batches.append(kwargs["batch_size"])
        return real(texts, **kwargs)

    monkeypatch.setattr(extractor.nlp, "pipe", spy)
    short = "Shelling hit Ariha in Idlib on Monday, activists said."
    docs = [read_text(t.encode(), source=name, limit=10_000_000) for name, t in (
        ("a", short), ("long", short + " " + "a b c. " * (nlp.MAX_PIECE_CHARS // 5)),
        ("b", short))]
    results = list(extractor.run(docs))
    assert [r.document.source for r in results] == ["a", "long", "b"]
    assert len(results[1].document.segments) == 1
    # The run before it, the long one alone, the run after.
    assert batches == [extractor.batch_size, 1, extractor.batch_size]
