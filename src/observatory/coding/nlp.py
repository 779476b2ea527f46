"""NLP backbone: reads Documents, writes ParsedDocuments (one spaCy Doc per paragraph or caption)."""
from __future__ import annotations

import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from observatory.errors import ConfigError, ModelError
from observatory.coding.places import ARTICLE_WORDS, Gazetteer, load_gazetteer, match_places
from observatory.records import Document, Source

PLACE_LABEL = "GPE"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One segment of a document parsed on its own; ``offset`` maps token offsets to the text."""

    kind: str
    offset: int
    doc: Doc


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    document: Document
    paragraphs: tuple[Paragraph, ...]


def text_of(doc: Doc) -> str:
    """The text of a parsed paragraph; ``Doc.text`` joins every token again on each access."""
    cached = doc.user_data.get("observatory.text")
    if cached is None:
        cached = doc.user_data["observatory.text"] = doc.text
    return cached


def sentences(doc: Doc) -> list[Span]:
    """The sentences of a parsed paragraph, computed once (``Doc.sents`` rebuilds each time)."""
    cached = doc.user_data.get("observatory.sents")
    if cached is None:
        cached = doc.user_data["observatory.sents"] = list(doc.sents)
    return cached


def sentence_of(tok: Token) -> Span:
    """The sentence of a token; ``Token.sent`` walks every sentence of the doc each call."""
    sents = sentences(tok.doc)
    starts = tok.doc.user_data.get("observatory.starts")
    if starts is None:
        starts = tok.doc.user_data["observatory.starts"] = [s.start for s in sents]
    return sents[bisect_right(starts, tok.i) - 1]


def entities(doc: Doc, start: int = 0, end: int | None = None) -> list[Span]:
    """The entities of a parsed paragraph (or of tokens start..end), computed once."""
    cached = doc.user_data.get("observatory.ents")
    if cached is None:
        cached = doc.user_data["observatory.ents"] = list(doc.ents)
    if start == 0 and end is None:
        return cached
    end = len(doc) if end is None else end
    return [e for e in cached if e.start >= start and e.end <= end]


@Language.factory("observatory_places", requires=["token.pos"], assigns=["doc.ents"],
                  default_config={"gazetteer_file": ""})
def make_place_ruler(nlp: Language, name: str, gazetteer_file: str) -> "PlaceRuler":
    return PlaceRuler(load_gazetteer(gazetteer_file))


class PlaceRuler:
    """Tags gazetteer names as GPE entities (kb_id = gazetteer id) before the statistical NER.

    The small English model tags 'Khan Sheikhoun' as PERSON and 'Hama' as ORG; names found
    here are fixed before NER runs, so it labels only what is left.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        # A source that is also a place ('Damascus', 'Hmeimim') is the place where it stands
        # as one: 'in Damascus city', 'targeted Hmeimim Air Base'.
        ents = [e for e in doc.ents if not (e.label_ == "ORG" and self._placed(e))]
        doc.ents = ents
        words = [t.text for t in doc]
        caps = [w[:1].isupper() or (w.lower() in ("al", "el") and i + 1 < len(words))
                for i, w in enumerate(words)]
        spans = list(ents)
        for m in match_places(words, self.gazetteer, capitalised=caps):
            if m.end - m.start == 1 and doc[m.start].pos_ not in ("PROPN", "NOUN", "ADJ"):
                continue
            # A source's name inside a longer place name ('Rural Damascus', 'Dahiet al-Assad')
            # is the place; a place no longer than the source's name leaves it a source.
            if any(e.start < m.end and m.start < e.end and e.end - e.start >= m.end - m.start
                   for e in ents):
                continue
            spans.append(Span(doc, m.start, m.end, label=PLACE_LABEL,
                              kb_id=self.gazetteer.entries[m.entries[0]].id))
        doc.ents = spacy.util.filter_spans(spans)
        return doc

    def _placed(self, ent: Span) -> bool:
        doc = ent.doc
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        return bool(self.gazetteer.lookup(ent.text)) and (
            before in _PLACE_BEFORE or after in _PLACE_AFTER)


@Language.component("observatory_family_names", requires=["doc.ents"], assigns=["doc.ents"])
def family_names(doc: Doc) -> Doc:
    """A place the place ruler found right after a person's name that the NER ends on an
    article ('Qusay al-' + 'Jarba') is that person's family name, not a village."""
    ents: list[Span] = []
    for ent in doc.ents:
        person = ents[-1] if ents else None
        if (person is not None and person.label_ == "PERSON" and ent.label_ == PLACE_LABEL
                and ent.kb_id_ and ent.start == person.end
                and doc[person.end - 1].lower_ in ARTICLE_WORDS
                and doc[person.start].lower_ not in ARTICLE_WORDS):  # a name before the article
            ents[-1] = Span(doc, person.start, ent.end, label="PERSON")
        else:
            ents.append(ent)
    if len(ents) < len(doc.ents):
        doc.ents = ents
    return doc


_PLACE_BEFORE = frozenset(("in", "near", "at", "outside", "around", "from", "of", "into",
                           "targeted", "struck", "hit", "shelled"))
_PLACE_AFTER = frozenset(("city", "countryside", "province", "governorate", "airport", "air",
                          "airbase", "base", "suburbs", "outskirts"))


def load_sources(extra_file: str = "") -> tuple[tuple[Source, ...], dict[str, str], dict[str, str]]:
    """The bundled sources dictionary plus the user's: (sources, role nouns, titles)."""
    data = tomllib.loads(resources.files("observatory.data").joinpath("sources.toml")
                         .read_text("utf-8"))
    if extra_file:
        try:
            user = tomllib.loads(Path(extra_file).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{extra_file}: cannot read sources dictionary ({exc})") from exc
        data["source"] = user.get("source", []) + data["source"]
        data["roles"].update(user.get("roles", {}))
        data["titles"].update(user.get("titles", {}))
    sources = tuple(Source(name=s["name"], type=s["type"], aliases=tuple(s.get("aliases", ())),
                           affiliation=s.get("affiliation")) for s in data["source"])
    return sources, dict(data["roles"]), dict(data["titles"])


def _ruler_patterns(sources: Iterable[Source]) -> list[dict]:
    patterns = []
    for s in sources:
        label = "PERSON" if s.type == "person" else "ORG"
        for name in (s.name, *s.aliases):
            # Lower-case role words ('the government') stay for the parser, not the ruler.
            if any(c.isupper() for c in name) and len(name) > 1:
                patterns.append({"label": label, "pattern": name, "id": s.name})
    return patterns


@lru_cache(maxsize=2)
def load_pipeline(model: str, sources_file: str = "", gazetteer_file: str = "") -> Language:
    """Load the spaCy pipeline once per process, with the source ruler and place ruler added."""
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError) as exc:
        raise ModelError(f"cannot load spaCy pipeline '{model}': install it or set the 'model' "
                         f"setting to an installed pipeline ({exc.__class__.__name__})") from None
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline '{model}' needs a parser and an ner component")
    sources, _, _ = load_sources(sources_file)
    ruler = nlp.add_pipe("entity_ruler", name="observatory_sources", before="ner",
                         config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    ruler.add_patterns(_ruler_patterns(sources))
    nlp.add_pipe("observatory_places", before="ner", config={"gazetteer_file": gazetteer_file})
    nlp.add_pipe("observatory_family_names", after="ner")
    return nlp


# The longest text parsed as one spaCy Doc. spaCy refuses more than nlp.max_length (E088,
# 1,000,000), and its parser holds features for every token of a batch: about 650 MB per
# 100,000 characters of short words. A longer paragraph is cut in pieces parsed one at a time,
# so memory stays bounded however long the paragraph (a 1 MB one held 6.9 GB as ten pieces
# of 100,000 parsed in one batch).
MAX_PIECE_CHARS = 20_000


def pieces(text: str, cap: int = MAX_PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) of a text cut at sentence ends (else at a space) before ``cap`` chars."""
    start = 0
    while len(text) - start > cap:
        window = text[start:start + cap]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! ")) + 2
        if cut < 2:
            cut = window.rfind(" ") + 1 or cap
        yield start, text[start:start + cut]
        start += cut
    yield start, text[start:]


def _long(doc: Document) -> bool:
    return any(seg.end - seg.start > MAX_PIECE_CHARS for seg in doc.segments)


def parse(documents: Iterable[Document], nlp: Language, *, batch_size: int = 64,
          n_process: int = 1) -> Iterator[ParsedDocument]:
    """Parse each segment separately (captions never run into paragraphs), streaming, in
    order. Documents with a paragraph over MAX_PIECE_CHARS are parsed alone, a piece at a
    time; the runs of documents between them go through spaCy in batches."""
    stream = iter(documents)
    held: list[Document] = []

    def ordinary() -> Iterator[Document]:
        for doc in stream:
            if _long(doc):
                held.append(doc)  # parsed once the run before it is done
                return
            yield doc

    while True:
        yield from _parse_run(ordinary(), nlp, batch_size=batch_size, n_process=n_process)
        if not held:
            return
        yield from _parse_run(held, nlp, batch_size=1, n_process=1)
        held.clear()


def _parse_run(documents: Iterable[Document], nlp: Language, *, batch_size: int,
               n_process: int) -> Iterator[ParsedDocument]:
    def segments() -> Iterator[tuple[str, tuple[Document, int, int, bool]]]:
        for doc in documents:
            last = len(doc.segments) - 1
            for n, seg in enumerate(doc.segments):
                text = doc.text[seg.start:seg.end]
                cuts = list(pieces(text))
                for k, (offset, piece) in enumerate(cuts):
                    yield piece, (doc, n, seg.start + offset, n == last and k == len(cuts) - 1)

    current: list[Paragraph] = []
    for spacy_doc, (doc, n, offset, done) in nlp.pipe(segments(), as_tuples=True,
                                                      batch_size=batch_size, n_process=n_process):
        current.append(Paragraph(doc.segments[n].kind, offset, spacy_doc))
        if done:
            yield ParsedDocument(doc, tuple(current))
            current = []
