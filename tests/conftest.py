"""Shared fixtures: one extractor per test session (the spaCy pipeline loads once)."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from observatory.coding.pipeline import Extractor
from observatory.reading import read_inputs
from observatory.records import Document, Extraction
from observatory.settings import Settings, load_settings

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="session")
def settings() -> Settings:
    # No user file, no environment: the defaults alone, whatever the machine has.
    return load_settings(env={})


@pytest.fixture(scope="session")
def extractor(settings: Settings) -> Extractor:
    return Extractor.from_settings(settings)


@pytest.fixture(scope="session")
def extract_text(extractor: Extractor):
    """Extract from a text written in the test, with an optional report date."""
    from observatory.coding.dates import parse_timestamp
    from observatory.reading import read_text

    def run(text: str, published: str | None = None) -> Extraction:
        doc = read_text(text.encode("utf-8"), source="<test>", limit=10_000_000,
                        published=parse_timestamp(published) if published else None)
        (result,) = list(extractor.run([doc]))
        assert isinstance(result, Extraction)
        return result
    return run


def extract_path(extractor: Extractor, path: Path, published: str | None = None) -> Extraction:
    from observatory.coding.dates import parse_timestamp

    docs = [d for d in read_inputs([str(path)], limit=10_000_000,
                                   published=parse_timestamp(published) if published else None)]
    assert all(isinstance(d, Document) for d in docs), docs
    (result,) = list(extractor.run(docs))
    return result


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[-_/.,()’']", " ", text)
    text = re.sub(r"\b(the|a|an|al)\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def speaker_matches(claim: dict, names: list[str]) -> bool:
    got = {norm(claim.get("speaker")), norm(claim.get("speaker_mention"))} - {""}
    want = {norm(n) for n in names if n}
    return any(g == w or (len(w) > 3 and (w in g or g in w)) for g in got for w in want)


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))
