"""Tolls: reads an incident's sentences and a news story's opening and claims, writes its Casualties."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Span

from observatory.coding.casualties import Casualties, find_casualties, vague_at
from observatory.coding.nlp import Paragraph, ParsedDocument, sentences, text_of
from observatory.coding.triggers import sent_text
from observatory.records import Claim, Count


def first_toll(para: Paragraph, sents: Sequence[Span]) -> Casualties:
    """The toll of the first sentence that gives one: a report leads with its figure, and the
    smaller ones further on count a part of the dead ('98 of them evacuees')."""
    doc_text = text_of(para.doc)
    killed = injured = None
    for sent in sents:
        found = find_casualties(doc_text[sent.start_char:sent.end_char],
                                offset=sent.start_char + para.offset, first=True)
        killed = killed if killed is not None and killed.known else found.killed
        injured = injured if injured is not None and injured.known else found.injured
        if killed.known and injured.known:
            break
    return Casualties(killed or Count(), injured or Count())


OPENING_CHARS = 1000  # a news story's opening paragraphs, where it gives its toll


def _opening(parsed: ParsedDocument) -> Iterator[tuple[int, str]]:
    """The sentences of a story's opening, each with where it starts in the report."""
    for para in parsed.paragraphs:
        for sent in sentences(para.doc):
            start = para.offset + sent.start_char
            if start >= OPENING_CHARS:
                return
            yield start, sent_text(sent)


def opening_toll(parsed: ParsedDocument, cas: Casualties) -> Casualties:
    """A news story's main toll, read with its opening: the lead sentence may tell where and
    when ('The bomber blew himself up late Monday in Tall Tawil') and the next how many died;
    a headline's 'kill 32' is the 'at least 32' of the lead."""
    for start, text in _opening(parsed):
        found = find_casualties(text, offset=start, first=True)
        if not found.killed.known:
            continue
        if not cas.killed.known:
            return Casualties(found.killed, cas.injured if cas.injured.known else found.injured)
        if found.killed.low == cas.killed.low and found.killed.high is None:
            return Casualties(Count(cas.killed.low, None, cas.killed.span), cas.injured)
    return cas


# 'The Observatory said the death toll was at least 24', 'activists put the toll higher'.
_TOLL_WORD = re.compile(r"\btoll\b", re.I)
# 'according to a new toll', 'the toll rose to 32': the figure replaces the earlier ones.
_UPDATED = re.compile(r"\b(?:new|updated|latest|revised)\s+(?:death\s+)?toll\b"
                      r"|\b(?:rose|risen|climbed|jumped|increased)\s+to\b", re.I)


def rival_toll(parsed: ParsedDocument, cas: Casualties, claims: Sequence[Claim]) -> Casualties:
    """Sources that give their own totals in a story's opening ('state media said 22 were
    killed; the Observatory said the death toll was 24') give the toll as the range of their
    figures, lowest to highest, as coders who weigh sources record it."""
    killed = cas.killed
    if killed.low is None or killed.span is None:
        return cas

    def speaker(span: tuple[int, int]) -> str | None:
        return next((c.speaker for c in claims if c.span[0] <= span[0] and span[1] <= c.span[1]),
                    None)

    first = speaker(killed.span)
    if first is None:
        return cas
    figures = [killed.low, killed.high if killed.high is not None else killed.low]
    end = killed.span[1]
    for start, text in _opening(parsed):
        if start <= killed.span[0] < start + len(text) and _UPDATED.search(text):
            return cas  # the lead gives the update: the others were earlier counts
        if start < killed.span[1] or not _TOLL_WORD.search(text):
            continue
        found = find_casualties(text, offset=start, first=True).killed
        if (found.low is None or found.span is None or found.low == killed.low
                or speaker(found.span) in (None, first)
                or vague_at(parsed.document.text, found.span)):
            continue
        figures += [found.low] if found.high is None else [found.low, found.high]
        end = max(end, found.span[1])
    if end == killed.span[1]:
        return cas
    return Casualties(Count(min(figures), max(figures), (killed.span[0], end)), cas.injured)
