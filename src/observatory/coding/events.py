"""Events: reads ParsedDocuments, claims and the lexicons, writes ACLED-coded Events."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Span

from observatory.coding.actors import ActorIndex
from observatory.coding.casualties import Casualties, find_casualties, vague_at
from observatory.coding.dates import find_dates
from observatory.coding.event_places import locate, place_hints, place_spans, theatre
from observatory.coding.nlp import Paragraph, ParsedDocument, sentence_of, sentences, text_of
from observatory.coding.participants import TARGET_TAIL, recode, resolve_agent, victim, who_acted
from observatory.coding.places import Gazetteer
from observatory.coding.tolls import OPENING_CHARS, first_toll, opening_toll, rival_toll
from observatory.coding.triggers import (GENERIC_ACTS, EventClass, Lexicon, Trigger, agent_tokens,
                                         capture_trigger, event_class, find_all_triggers,
                                         load_lexicon, main_trigger, sent_text, span_text,
                                         taken_ground, unheld, word_table)
from observatory.records import Claim, DateRange, Document, Event, Location

STAGE = "events.v1"
LONG_REPORT = 1200  # characters: longer reports are news stories, not incident notes


def is_news(document: Document) -> bool:
    """A news story (a headline, or more than a note's length) leads with its incident and
    its total; an incident note codes one incident in a few sentences."""
    return document.title is not None or len(document.text) > LONG_REPORT


_GOVERNMENT = frozenset(("state", "militia"))  # actor kinds whose captures are the state's


@dataclass
class _Draft:
    trigger: Trigger
    para: Paragraph
    sentences: list[Span]
    location: Location | None
    date: DateRange | None
    headline: "_Draft | None" = None  # the headline that announced this lead's incident
    # A headline's own draft: the lead sentences that went on about it, for its toll.
    context: list[tuple[Paragraph, Span]] = field(default_factory=list)
    asides: list[tuple[int, int]] = field(default_factory=list)  # of its first sentence: _aside


_ASIDE_MARKS = frozenset(("as", "while", "whereas"))


def _aside(sent: Span, trig: Trigger, offset: int) -> list[tuple[int, int]]:
    """Clauses that tell what others did meanwhile ('killed 43 on Saturday as US-backed
    fighters advanced on Raqqa'): their places and actors are not the incident's."""
    out = []
    deps = word_table(sent.doc).dep
    for i in range(sent.start, sent.end):
        if deps[i] != "advcl":
            continue
        tok = sent.doc[i]
        if not any(c.dep_ == "mark" and c.lower_ in _ASIDE_MARKS for c in tok.children):
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")
                   for c in tok.children):
            continue  # 'as it was flying over', 'while fishing': the victims' own doings
        sub = list(tok.subtree)
        if any(t.i in (trig.token.i, trig.anchor.i) for t in sub):
            continue
        # A clause after the incident runs to the end of the sentence, however it is parsed.
        last = sent[-1] if sub[0].i > trig.token.i else sub[-1]
        out.append((sub[0].idx + offset, last.idx + len(last) + offset))
    return out


def _event_date(sent: Span, trig: Trigger | None, para: Paragraph,
                base: date | None) -> DateRange | None:
    """The date nearest the trigger, preferring the most precise within a clause or so."""
    found = find_dates(sent_text(sent), base=base, offset=sent.start_char)
    if not found:
        return None
    rank = {"day": 0, "week": 1, "month": 2, "year": 3}
    at = trig.token.idx if trig is not None else sent.start_char
    best = min(found, key=lambda d: (abs(d.span[0] - at) // 80, rank[d.precision],
                                     abs(d.span[0] - at)))
    return DateRange(best.start, best.end, best.precision,
                     (best.span[0] + para.offset, best.span[1] + para.offset))


def _targets(text: str, lex: Lexicon) -> tuple[str, ...]:
    low = text.lower()
    return tuple(k for k, pattern in lex.targets if pattern.search(low))


def extract_events(parsed: ParsedDocument, claims: Sequence[Claim], *, actors: ActorIndex,
                   gazetteer: Gazetteer) -> tuple[Event, ...]:
    """One event per incident the report describes, most salient first."""
    lex = load_lexicon()
    base = parsed.document.published.date() if parsed.document.published else None
    hints = place_hints(parsed, gazetteer, actors)
    drafts: list[_Draft] = []
    news = is_news(parsed.document)
    for para in parsed.paragraphs:
        current: _Draft | None = None
        heading = _heading(para, lex)
        last_loc: Location | None = None
        last_when: DateRange | None = None
        for sent in sentences(para.doc):
            found = find_all_triggers(sent, lex, note=not news)
            trig = main_trigger(found)
            if trig is None:
                last_loc = locate(sent, para, gazetteer, lex, hints, (), fuzzy=False) or last_loc
                last_when = _event_date(sent, None, para, base) or last_when
            if heading is not None and not drafts_in(drafts, para):
                # 'Headquarters or base established: ...': the heading codes the paragraph,
                # whatever words it goes on in.
                trig = (Trigger(heading, trig.token, trig.anchor, trig.depth) if trig is not None
                        else Trigger(heading, sent.root, sent.root, 0))
            if trig is None:
                if current is not None:
                    current.sentences.append(sent)
                continue
            places = place_spans(para)
            agent_spans = [a.span for a in actors.find_all(sent_text(sent), offset=sent.start_char
                                                           + para.offset)
                           if a.span not in places]
            asides = _aside(sent, trig, para.offset)
            loc = locate(sent, para, gazetteer, lex, hints, agent_spans + asides)
            if loc is None and asides:
                # 'Jets struck while artillery shelled the town of Murak': an aside telling the
                # same kind of act is where the incident's own clause, naming none, happened.
                kin = [a for a in asides if any(
                    a[0] <= t.token.idx + para.offset < a[1]
                    and t.cls.event_type == trig.cls.event_type for t in found)]
                if kin:
                    loc = locate(sent, para, gazetteer, lex, hints,
                                 agent_spans + [a for a in asides if a not in kin])
            when = _event_date(sent, trig, para, base)
            # A sentence that names no new place or date goes on about the same incident; so
            # does a later mention of the same kind of event with nothing new ('the corridor').
            # A caption shows a photo: where it was taken is not where an incident told
            # elsewhere happened.
            earlier = ([d for d in drafts if d.trigger.cls.key == trig.cls.key]
                       if para.kind != "caption" else [])
            for draft in ([current] if current is not None else []) + earlier[::-1]:
                if _compatible(draft, loc, when):
                    if draft is current:
                        current.sentences.append(sent)
                    elif draft.para.kind == "headline":
                        draft.context.append((para, sent))
                        draft.date = draft.date or when
                    if draft.location is None and len(draft.sentences) <= PLACE_SENTENCES:
                        draft.location = loc
                    break
            else:
                # 'On 15 February QSD carried out raids in Thiban. The raids resulted in ...':
                # a place or date the paragraph gave before the trigger still holds.
                current = _Draft(trig, para, [sent], loc or last_loc, when or last_when,
                                 asides=asides)
                drafts.append(current)
    drafts = _fuse_headline(drafts, parsed, base)
    for d in drafts:
        d.location = d.location or theatre(d.para, d.sentences, actors, gazetteer)
    # What went on for a month or a year ('since 2011 the war has killed ...') is background,
    # and a photo's caption (often a file photo) is not what a story leads with: the report's
    # incidents come first.
    drafts.sort(key=lambda d: (d.date is not None and d.date.precision in ("month", "year"),
                               d.para.kind == "caption" and news))
    events = [_finish(d, n, parsed, claims, actors, lex, base)
              for n, d in enumerate(drafts, 1)]
    # Events with neither place nor date are the report's background, not its incidents.
    events.sort(key=lambda e: e.location is None and e.date is None)
    return tuple(Event(**{**_fields(e), "id": f"e{i}"}) for i, e in enumerate(events, 1))


def _fuse_headline(drafts: list[_Draft], parsed: ParsedDocument, base: date | None
                   ) -> list[_Draft]:
    """A headline and the lead under it tell one incident: the lead gives its place and date,
    the more specific of the two its kind ('Bombing of bus convoy' over 'an attack')."""
    head = next((d for d in drafts if d.para.kind == "headline"), None)
    body = [p for p in parsed.paragraphs if p.kind == "paragraph"]
    if head is None or not body:
        return drafts
    opening = sentences(body[0].doc)[:2]
    lead = next((d for d in drafts if d.para is body[0] and d.sentences[0] in opening), None)
    if lead is None or not _same_kind(head.trigger.cls, lead.trigger.cls):
        if head.date is None and opening:
            head.date = _event_date(opening[0], None, body[0], base)
        return [head] + [d for d in drafts if d is not head]
    hc, lc = head.trigger.cls, lead.trigger.cls
    if lc.key in GENERIC_ACTS and hc.key not in GENERIC_ACTS:
        lead.trigger = Trigger(hc, lead.trigger.token, lead.trigger.anchor, lead.trigger.depth)
    if lead.location is None or (head.location is not None
                                 and head.location.geo_precision < lead.location.geo_precision):
        lead.location = head.location
    lead.date = lead.date or head.date
    lead.headline = head
    return [lead] + [d for d in drafts if d is not head and d is not lead]


def _same_kind(a: EventClass, b: EventClass) -> bool:
    return a.event_type == b.event_type or a.key in GENERIC_ACTS or b.key in GENERIC_ACTS


def _heading(para: Paragraph, lex: Lexicon) -> EventClass | None:
    text = text_of(para.doc)
    head, colon, _ = text[:60].partition(":")
    key = lex.headings.get(head.strip().lower()) if colon else None
    return next((c for c in lex.classes if c.key == key), None) if key else None


def drafts_in(drafts: Sequence[_Draft], para: Paragraph) -> bool:
    return any(d.para is para for d in drafts)


def _compatible(draft: _Draft, loc: Location | None, when: DateRange | None) -> bool:
    return ((loc is None or draft.location is None or loc.gazetteer_id == draft.location.gazetteer_id)
            and (when is None or draft.date is None or when.start == draft.date.start))


def _fields(e: Event) -> dict:
    return {f: getattr(e, f) for f in e.__dataclass_fields__}


# An incident's place is told with it or in the next sentence or two; a place further on
# belongs to what the report goes on to ('the same weapons were used in Aleppo last year').
PLACE_SENTENCES = 3


def _told(claims: Sequence[Claim], base: date) -> date:
    """When a news story's sources told its news: 'the Observatory announced on Sunday' in a
    report dated Monday. An undated lead happened by then."""
    told = [c.date.start for c in sorted(claims, key=lambda c: c.span)
            if c.span[0] < OPENING_CHARS and c.date is not None and c.date.precision == "day"
            and base - timedelta(days=3) <= c.date.start < base]
    return told[0] if told else base


def _finish(d: _Draft, n: int, parsed: ParsedDocument, claims: Sequence[Claim],
            actors: ActorIndex, lex: Lexicon, base: date | None) -> Event:
    trig = d.trigger
    off = d.para.offset
    sent = d.sentences[0]
    cls = trig.cls
    places = place_spans(d.para)
    actor1, assoc, actor2, agent = who_acted(trig, sent, offset=off, asides=d.asides,
                                             places=places, actors=actors)
    kind = actors.kind(actor1.name if actor1 else None)
    headed = _heading(d.para, lex) is cls  # a heading is the analyst's own label: it holds
    if not headed:
        cls = recode(cls, trig, kind, sent, actors, lex)
    sub = cls.sub_event_type
    if cls.key == "explosive" and trig.token.lemma_.lower() == "bomb" and trig.token.pos_ == "VERB" \
            and kind in ("state", "external"):
        # A state 'bombing' a place bombs it from the air.
        air = next(c for c in load_lexicon().classes if c.key == "air")
        cls = air
        sub = air.sub_event_type
    account = text_of(d.para.doc)[sent.start_char:d.sentences[-1].end_char]
    if agent:
        # 'Air defences fired on a drone': the defences struck; they answered nothing.
        account = account.replace(span_text(agent)[0], "")
    if cls.key in ("air", "shelling") and lex.answered.search(account):
        # Air defences that engaged the strike fought it out with the aircraft.
        cls = event_class(lex, "clash")
        sub = cls.sub_event_type
    # Ground taken, told with the fighting or the shelling that won it or in a sentence after
    # it ('clashes ... where the factions took control of the village'), is a change of
    # territory; a capture that did not hold is the fighting.
    # A news story's sentences go on to other fronts and other days: there only the fighting
    # its sentence tells is read for the ground it won.
    news = is_news(parsed.document)
    captures = [t for s in d.sentences[:1 if news else PLACE_SENTENCES] for t in taken_ground(s, lex)]
    capturer = kind
    # (A story's headline and loose phrases name captures the parse cannot check: there
    # only a capture that plainly failed is undone.)
    if cls.key == "territory" and (unheld(trig.token, sent, lex) if news else not captures):
        cls = event_class(lex, "clash")
        sub = cls.sub_event_type
    elif captures and not headed and (cls.event_type == "Battles"
                       or (not news and cls.key in ("air", "shelling", "change"))):
        cls = event_class(lex, "territory")
        sub = cls.sub_event_type
        text, start = span_text(agent_tokens(capture_trigger(captures[0], lex)))
        taker = resolve_agent(text, start + off, actors, places=places)[0] if text else None
        if taker is None:
            # No subject parsed: the capturer is named just before its verb ('Following
            # clashes with HTS, regime forces advanced to establish control'), and is not
            # the side whose 'positions' were hit.
            tok = captures[0]
            opening = sentence_of(tok).start_char
            before = text_of(tok.doc)[opening:tok.idx]
            named = [a for a in actors.find_all(before, offset=opening + off)
                     if a.span not in places
                     and not TARGET_TAIL.match(before[a.span[1] - opening - off:])]
            taker = named[-1] if named else None
        capturer = actors.kind(taker.name) if taker is not None else kind
    if cls.key == "territory" and cls.non_state_sub_event_type:
        # The government regains ground with its own forces and the militias fighting for
        # it; anyone else, a foreign army too, overtakes it.
        if capturer not in _GOVERNMENT:
            sub = cls.non_state_sub_event_type
    start_char = sent.start_char
    end_char = d.sentences[-1].end_char
    scope = text_of(d.para.doc)[start_char:end_char]
    # A news report leads with its total; the figures further on count parts of it ('98 of
    # them evacuees'). A short note's figures are all about the one incident.
    cas = first_toll(d.para, d.sentences) if news else find_casualties(scope, offset=start_char + off)
    if not news and not cas.killed.known:
        # A note may give its toll after the sentences about the incident, at its end.
        cas = find_casualties(text_of(d.para.doc)[start_char:], offset=start_char + off)
    words = parsed.document.text
    if d.headline is not None and (not cas.killed.known or vague_at(words, cas.killed.span)):
        # 'Dozens of people have been killed' under '58 Killed in Gas Attack': the headline
        # gives the figure the lead puts in a word.
        headed = first_toll(d.headline.para, d.headline.sentences)
        if headed.killed.known and not vague_at(words, headed.killed.span):
            cas = Casualties(headed.killed, cas.injured if cas.injured.known else headed.injured)
        elif not cas.killed.known:
            cas = headed
    for para, lead in d.context if not cas.killed.known else ():
        found = find_casualties(text_of(para.doc)[lead.start_char:lead.end_char],
                                offset=lead.start_char + para.offset, first=True)
        if found.killed.known:
            cas = found
            break
    if n == 1 and news:
        cas = rival_toll(parsed, opening_toll(parsed, cas), claims)
    if actor2 is None and cls.key in ("air", "shelling", "explosive", "attack", "abduction"):
        actor2 = victim(scope[trig.token.idx - start_char:], trig.token.idx + off,
                        (actor1, *assoc), hurt=bool(cas.killed.low or cas.injured.low),
                        actors=actors)
    span = (start_char + off, end_char + off)
    when = d.date
    if when is None and base is not None:
        # A news report's lead is news: undated, it happened the day of the report or the day
        # before. Anything else undated happened some time that week.
        lead = n == 1 and news
        told = _told(claims, base) if lead else base
        when = DateRange(told - timedelta(days=1 if lead else 6), told, "week", None)
    linked = tuple(c.id for c in claims if c.span[0] < span[1] and span[0] < c.span[1])
    return Event(id=f"e{n}", event_type=cls.event_type, sub_event_type=sub,
                 trigger=trig.token.text, span=span, date=when, actor1=actor1, actor2=actor2,
                 assoc_actor_1=tuple(a for a in assoc if actor1 is None or a.name != actor1.name),
                 location=d.location, fatalities=cas.killed, injured=cas.injured,
                 targets=_targets(scope, lex), claims=linked,
                 trigger_span=(trig.token.idx + off, trig.token.idx + len(trig.token.text) + off),
                 stage=STAGE)
