"""Claims: reads ParsedDocuments and the sources dictionary, writes attributed Claims."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span, Token

from .dates import find_dates, relative_gap, shift
from .nlp import Paragraph, ParsedDocument
from .records import Claim, DateRange, Source
from .text import fold

STAGE = "claims.v1"

# Verbs that attribute what follows to their subject.
SPEECH_CUES = frozenset("""say tell state announce add claim report accuse confirm deny reject
refute dismiss insist warn stress note explain declare allege assert affirm acknowledge admit
write tweet reveal estimate blame condemn quote""".split())
DENIAL_CUES = frozenset("deny reject refute dismiss disprove debunk".split())
# Content that calls a report false, fake or non-existent is a denial whatever the verb.
DENIAL_CONTENT = re.compile(
    r"\b(false|fake|non-?\s?existent|does not exist|doesn't exist|did not exist|never existed|"
    r"did not happen|never happened|untrue|not true|baseless|fabricat\w*|unfounded|no truth|"
    r"lies|hoax|staged|disinformation|misinformation)\b", re.I)
PRONOUNS = frozenset("he she it they we i".split())
_PUNCT_EDGE = " ,;:.\"“”'‘’()—–-"
GENERIC_NOUNS = frozenset("""civilian people area report news regime government force side part
statement time day week month year number thing way country region city town village province
reason purpose fact information source medium""".split())


@dataclass
class SourceIndex:
    """Alias lookup over the sources dictionary; longest alias in a phrase wins."""

    sources: Sequence[Source]
    roles: dict[str, str]
    by_alias: dict[str, Source] = field(init=False)

    def __post_init__(self) -> None:
        self.by_alias = {}
        for s in self.sources:
            for alias in (s.name, *s.aliases):
                self.by_alias.setdefault(fold(alias).removeprefix("the "), s)
        self._longest = max((len(a.split()) for a in self.by_alias), default=1)

    def find(self, phrase: str) -> Source | None:
        words = fold(phrase).replace("(", " ").replace(")", " ").replace(",", " ").split()
        for n in range(min(self._longest, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                hit = self.by_alias.get(" ".join(words[i:i + n]))
                if hit and (n > 1 or words[i] not in ("the", "a")):
                    return hit
        return None

    def get(self, name: str) -> Source | None:
        return self.by_alias.get(fold(name).removeprefix("the "))


@dataclass
class Speaker:
    name: str
    mention: str
    type: str
    affiliation: str | None = None


@dataclass
class _Memory:
    """What the report has named so far, for 'the monitor', 'Abdulrahman', 'he'."""

    last: Speaker | None = None
    by_type: dict[str, Speaker] = field(default_factory=dict)
    persons: dict[str, Speaker] = field(default_factory=dict)
    last_date: DateRange | None = None

    def remember(self, sp: Speaker) -> None:
        self.last = sp
        self.by_type[sp.type] = sp
        if sp.type == "person":
            for word in sp.name.split():
                self.persons[fold(word)] = sp


def _span_of(tokens: Sequence[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _trim(doc_text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and doc_text[start] in _PUNCT_EDGE:
        start += 1
    while end > start and doc_text[end - 1] in _PUNCT_EDGE:
        end -= 1
    return start, end


def _phrase(tok: Token) -> list[Token]:
    """The noun phrase of a speaker token, without relative clauses or trailing punctuation."""
    skip = {"relcl", "acl", "punct", "advcl", "ccomp"}
    keep: list[Token] = []

    def walk(t: Token) -> None:
        keep.append(t)
        for c in t.children:
            if c.dep_ not in skip and c.dep_ != "appos":
                walk(c)
    walk(tok)
    return sorted(keep, key=lambda t: t.i)


def _entity(tok: Token) -> Span | None:
    if tok.ent_type_:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent
    return None


def _resolve_speaker(tok: Token, index: SourceIndex, memory: _Memory) -> Speaker | None:
    if tok.tag_ == "WDT" or tok.lower_ in ("which", "who", "that"):
        head = tok.head
        while head.dep_ in ("relcl", "conj") and head.head.i != head.i:
            head = head.head
        tok = head if head.pos_ in ("NOUN", "PROPN") else tok
    if tok.lower_ in PRONOUNS:
        return memory.last
    phrase = _phrase(tok)
    appos = [c for c in tok.children if c.dep_ == "appos"]
    candidates: list[list[Token]] = [phrase] + [_phrase(a) for a in appos]
    ent = _entity(tok)
    mention_tokens = list(ent) if ent is not None else phrase
    # Any named part of the phrase or its apposition ("the organisation SOHR") names the speaker.
    for tokens in ([list(ent)] if ent is not None else []) + candidates:
        text = " ".join(t.text for t in tokens)
        src = index.find(text)
        if src is not None and not (src.type == "person" and " " not in fold(text).strip()
                                    and fold(text).strip() in memory.persons):
            return Speaker(src.name, _mention(tokens, src, index), src.type, src.affiliation)
    text = " ".join(t.text for t in mention_tokens)
    if ent is not None and ent.label_ == "PERSON" or (tok.pos_ == "PROPN" and tok.ent_type_ in
                                                        ("", "PERSON")):
        known = memory.persons.get(fold(tok.text))
        if known and len(text.split()) == 1:
            return Speaker(known.name, text, known.type, known.affiliation)
        affiliation = _affiliation(appos, index)
        return Speaker(text, text, "person", affiliation)
    if ent is not None and ent.label_ in ("ORG", "NORP", "GPE"):
        return Speaker(text, text, "unknown" if ent.label_ != "GPE" else "government")
    role_type = index.roles.get(tok.lower_) or index.roles.get(tok.lemma_.lower())
    if role_type:
        # 'the head of SOHR': a person of that source.
        affiliation = _affiliation([tok], index)
        if affiliation:
            for sp in reversed(list(memory.persons.values())):
                if sp.affiliation == affiliation:
                    return Speaker(sp.name, " ".join(t.text for t in phrase), "person", affiliation)
        if role_type in memory.by_type:
            prior = memory.by_type[role_type]
            return Speaker(prior.name, " ".join(t.text for t in phrase), prior.type,
                           prior.affiliation)
        return Speaker(" ".join(t.text for t in phrase), " ".join(t.text for t in phrase),
                       role_type)
    affiliation = _affiliation([tok], index)
    if tok.lower_ in ("head", "director", "chief", "founder", "spokesman", "spokesperson") and affiliation:
        for sp in reversed(list(memory.persons.values())):
            if sp.affiliation == affiliation:
                return Speaker(sp.name, " ".join(t.text for t in phrase), "person", affiliation)
    return None


def _mention(tokens: Sequence[Token], src: Source, index: SourceIndex) -> str:
    """The words that named the source: the alias as written, else the phrase."""
    text = " ".join(t.text for t in tokens)
    folded = fold(text)
    for alias in sorted((src.name, *src.aliases), key=len, reverse=True):
        pos = folded.find(fold(alias))
        if pos >= 0:
            return text[pos:pos + len(alias)]
    return text


def _affiliation(tokens: Sequence[Token], index: SourceIndex) -> str | None:
    """'the head of SOHR' -> the source named after 'of'."""
    for t in tokens:
        for prep in (c for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "at", "for")):
            for obj in prep.children:
                src = index.find(" ".join(x.text for x in obj.subtree))
                if src:
                    return src.name
    return None


def _via(cue: Token, index: SourceIndex) -> tuple[str, ...]:
    """The addressee of 'told Y' and 'in a statement to Y': the channel a claim went through."""
    out = []
    for c in cue.children:
        target = None
        if c.dep_ in ("dobj", "dative") and cue.lemma_ == "tell":
            target = c
        elif c.dep_ == "prep" and c.lower_ == "to":
            target = next((x for x in c.children if x.dep_ == "pobj"), None)
        if target is None:
            continue
        words = " ".join(t.text for t in target.subtree)
        src = index.find(words)
        if src:
            out.append(src.name)
        else:
            ents = [e for e in target.doc.ents if e.start >= target.left_edge.i
                    and e.end <= target.right_edge.i + 1 and e.label_ in ("ORG", "PERSON")]
            out.extend(e.text for e in ents[:1])
    return tuple(out)


def _content_tokens(cue: Token) -> tuple[list[Token], bool]:
    """The reported content of a cue and whether it is a direct quote."""
    sent = cue.sent
    comps = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp", "parataxis")]
    if not comps and cue.lemma_ in ("announce", "deny", "confirm", "reject", "report", "reveal",
                                    "accuse", "blame", "condemn", "claim", "refute", "dismiss",
                                    "estimate"):
        comps = [c for c in cue.children if c.dep_ in ("dobj", "attr")]
        if cue.lemma_ in ("accuse", "blame"):
            comps += [c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
    tokens = sorted({t for c in comps for t in c.subtree}, key=lambda t: t.i)
    # Conjoined content ('that X, and that Y') hangs off the first clause.
    quote = False
    after = sent[cue.i - sent.start + 1:] if cue.i + 1 < sent.end else []
    if after and any(t.text in ("“", '"', "‘") for t in list(after)[:3]):
        quote = True
    return tokens, quote


def _speaker_token(cue: Token) -> Token | None:
    for c in cue.children:
        if c.dep_ == "nsubj":
            return c
    for c in cue.children:
        if c.dep_ == "agent":
            return next((x for x in c.children if x.dep_ == "pobj"), None)
    # 'X said and added': a conjoined cue shares its subject.
    if cue.dep_ == "conj" and cue.head.lemma_ in SPEECH_CUES:
        return _speaker_token(cue.head)
    return None


def _claim_date(cue: Token, content: tuple[int, int], para: Paragraph, base: date | None,
                memory: _Memory) -> DateRange | None:
    sent = cue.sent
    text = para.doc.text
    # Dates inside the reported content are about what was reported, not when it was said.
    candidates = [d for d in find_dates(sent.text, base=base, offset=sent.start_char)
                  if not (content[0] <= d.span[0] < content[1])]
    if candidates:
        best = min(candidates, key=lambda d: abs(d.span[0] - cue.idx))
        return DateRange(best.start, best.end, best.precision,
                         (best.span[0] + para.offset, best.span[1] + para.offset))
    # 'a day after Syrian state news announced ...': a day before what the sentence is about,
    # which is the last dated statement the report described.
    clause = cue
    while clause.dep_ not in ("advcl", "ROOT") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ == "advcl":
        lead = text[clause.left_edge.idx - 0:clause.idx] if clause.left_edge.i < clause.i else ""
        window = text[max(sent.start_char, clause.left_edge.idx - 20):clause.idx]
        gap = relative_gap(window) or relative_gap(lead)
        if gap and memory.last_date is not None:
            moved = shift(memory.last_date, gap[0])
            return DateRange(moved.start, moved.end, moved.precision, None)
    return None


def _topics(tokens: Sequence[Token]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(
        t.lemma_.lower() for t in tokens
        if t.pos_ in ("NOUN", "PROPN") and not t.is_stop and t.lemma_.lower() not in GENERIC_NOUNS
        and len(t.text) > 2))


def extract_claims(parsed: ParsedDocument, index: SourceIndex) -> tuple[Claim, ...]:
    """Every attributed statement of the report, in reading order."""
    base = parsed.document.published.date() if parsed.document.published else None
    memory = _Memory()
    claims: list[Claim] = []
    for para in parsed.paragraphs:
        doc = para.doc
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                tok = ent.root
                sp = _resolve_speaker(tok, index, memory)
                if sp and sp.type == "person" and " " in sp.name:
                    memory.persons.setdefault(fold(sp.name.split()[-1]), sp)
        for tok in doc:
            found = _from_cue(tok, para, index, memory, base) or _from_according(tok, para, index,
                                                                              memory, base)
            if found is None:
                continue
            claims.append(Claim(id=f"c{len(claims) + 1}", **found))
    return tuple(claims)


def _build(*, speaker: Speaker, cue: str, span_tokens: Sequence[Token], content: Sequence[Token],
           quote: bool, polarity_cue: bool, para: Paragraph, via: tuple[str, ...],
           date_: DateRange | None, memory: _Memory) -> dict:
    off = para.offset
    text = para.doc.text
    cs, ce = _trim(text, *_span_of(content))
    ss, se = _span_of(span_tokens)
    ss, se = min(ss, cs), max(se, ce)
    body = text[cs:ce]
    polarity = "denies" if polarity_cue or DENIAL_CONTENT.search(body) else "asserts"
    memory.remember(speaker)
    if date_ is not None:
        memory.last_date = date_
    return dict(speaker=speaker.name, speaker_mention=speaker.mention, speaker_type=speaker.type,
                cue=cue, content=body, polarity=polarity, quote=quote,
                span=(ss + off, se + off), content_span=(cs + off, ce + off), via=via,
                date=date_, affiliation=speaker.affiliation, topics=_topics(content))


def _from_cue(tok: Token, para: Paragraph, index: SourceIndex, memory: _Memory,
              base: date | None) -> dict | None:
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in SPEECH_CUES:
        return None
    subject = _speaker_token(tok)
    if subject is None:
        return None
    content, quote = _content_tokens(tok)
    content = [t for t in content if not (subject.left_edge.i <= t.i <= subject.right_edge.i)]
    if not content or sum(1 for t in content if not t.is_punct) < 2:
        return None
    speaker = _resolve_speaker(subject, index, memory)
    if speaker is None:
        return None
    cs, ce = _span_of(content)
    date_ = _claim_date(tok, (cs, ce), para, base, memory)
    span_tokens = [subject.left_edge, tok]
    return _build(speaker=speaker, cue=tok.text, span_tokens=span_tokens, content=content,
                  quote=quote, polarity_cue=tok.lemma_.lower() in DENIAL_CUES, para=para,
                  via=_via(tok, index), date_=date_, memory=memory)


def _from_according(tok: Token, para: Paragraph, index: SourceIndex, memory: _Memory,
                    base: date | None) -> dict | None:
    """'..., according to X': the sentence minus the attribution is X's claim."""
    if tok.lower_ != "according":
        return None
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
        to = tok.nbor()
    obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if obj is None:
        return None
    speaker = _resolve_speaker(obj, index, memory)
    if speaker is None:
        return None
    sent = tok.sent
    attribution = set(range(tok.i, obj.right_edge.i + 1))
    content = [t for t in sent if t.i not in attribution and not t.is_space]
    if sum(1 for t in content if not t.is_punct) < 3:
        return None
    cs, ce = _span_of(content)
    date_ = _claim_date(tok, (cs, ce), para, base, memory)
    return _build(speaker=speaker, cue="according to", span_tokens=[tok, obj.right_edge],
                  content=content, quote=False, polarity_cue=False, para=para, via=(),
                  date_=date_, memory=memory)
