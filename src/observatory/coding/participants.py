"""Participants: reads a trigger's sentence and the actor index, writes who acted and who was hit."""
from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

from observatory.coding.actors import ActorIndex
from observatory.coding.nlp import entities, text_of
from observatory.coding.triggers import (VIOLENT_TYPES, EventClass, Lexicon, Trigger, agent_tokens,
                                         event_class, load_lexicon, sent_text, span_text, subtree,
                                         word_table)
from observatory.records import ActorMention


def _between(sent: Span) -> list[Token]:
    w = word_table(sent.doc)
    for i in range(sent.start, sent.end):
        if w.lower[i] == "between" and w.dep[i] == "prep":
            return subtree(sent.doc[i])
    return []


_UNDER = re.compile(r"\b(?:under|within|part of|affiliated (?:with|to)|operating under)\b", re.I)
_BY = re.compile(r"\bby\s+(?:(?:an?|the|some|two|three|several)\s+)?(?:[\w-]+\s+)?$", re.I)
_BACKED = re.compile(r"\b(?:supported|backed|aided|assisted|accompanied|joined|led)\s+by\b", re.I)


TARGET_TAIL = re.compile(r"^['’]?s?\s*(?:positions?|posts?|checkpoints?|areas?|-held|-controlled|"
                          r"held|controlled|territory|forces'? positions)", re.I)


def resolve_agent(text: str, offset: int, actors: ActorIndex, *, keep_civilians: bool = True,
                  places: frozenset[tuple[int, int]] = frozenset(),
                  hit: frozenset[int] = frozenset()
                  ) -> tuple[ActorMention | None, list[ActorMention]]:
    found = [a for a in actors.find_all(text, offset=offset)
             if (keep_civilians or actors.kind(a.name) != "civilians")
             and not any(s <= a.span[0] < e for s, e in places) and a.span[0] not in hit
             and not TARGET_TAIL.match(text[a.span[1] - offset:])]
    if not found:
        return None, []
    # 'an IED planted under an army truck by unknown gunmen': the one who did it is named
    # by 'by', wherever the phrase names the one hit.
    done_by = [a for a in found if _BY.search(text[:a.span[0] - offset])
               and not _BACKED.search(text[:a.span[0] - offset][-40:])]
    if done_by and done_by[0] is not found[0]:
        return done_by[0], [a for a in found if a is not done_by[0]]
    # 'militias that fight under the Olive Branch operation': the umbrella is the actor.
    m = _UNDER.search(text)
    if m:
        umbrella = [a for a in found if a.span[0] - offset >= m.end()]
        if umbrella:
            rest = [a for a in found if a is not umbrella[0]]
            return umbrella[0], rest
    # 'Free Syrian Army units of Operation Olive Branch': the operation's factions are coded to
    # the operation. A state named beside it ('Turkish and Olive Branch forces') leads it.
    if actors.kind(found[0].name) not in ("state", "external"):
        umbrella = next((a for a in found if a.name in actors.umbrellas), None)
        if umbrella is not None:
            return umbrella, [a for a in found if a is not umbrella]
    b = _BACKED.search(text)
    if b:
        lead = [a for a in found if a.span[0] - offset < b.start()]
        if lead:
            return lead[0], [a for a in found if a is not lead[0]]
    return found[0], found[1:]


# Prepositions whose object is what was hit ('a mortar attack on an army post').
_AT = frozenset(("on", "at", "against", "in", "into", "inside", "near", "toward", "towards", "with",
                 "targeting"))
_SAYING = frozenset(("say", "report", "announce", "claim", "state", "add", "confirm", "tell"))
_WHEN = frozenset(("january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "saturday", "sunday"))


def _hit(sent: Span, trigger: Token) -> frozenset[int]:
    """Where the sentence names who or what was hit, by the character each word starts at:
    the passive subject ('a Turkish patrol was struck'), objects of its verbs and of 'on',
    'in', 'against'. The actors named there are victims, not who acted; so are those who
    tell of it ('state media reported'). Read once a sentence and trigger."""
    cache = sent.doc.user_data.setdefault("observatory.coding.hit", {})
    key = (sent.start, sent.end, trigger.i)
    if key not in cache:
        cache[key] = _find_hit(sent, trigger.i)
    return cache[key]


def _find_hit(sent: Span, trigger: int) -> frozenset[int]:
    acts = load_lexicon().by_lemma
    w = word_table(sent.doc)
    dated: dict[int, bool] = {}  # a preposition's phrase names a time: 'On 3 March'

    def means(i: int) -> bool:
        """A violent act or weapon the sentence tells it was done with, not one it tells
        was hit ('destroyed a regime tank')."""
        cls = acts.get(w.lemma[i])
        return (cls is not None and cls.event_type in VIOLENT_TYPES
                and w.dep[i] not in ("dobj", "nsubjpass"))

    out: set[int] = set()
    for tok in range(sent.start, sent.end):
        node = tok
        for _ in range(12):
            dep = w.dep[node]
            head = w.head[node]
            if dep == "nsubj" and w.lemma[head] in _SAYING:
                out.add(w.idx[tok])
                break
            # Who acted: the subject, the 'by' agent, the words of an act ('killed in Russian
            # airstrikes'), and both sides of fighting 'between' them.
            if dep in ("nsubj", "csubj", "agent") or node == trigger or (
                    node != tok and means(node)) or (
                    dep == "pobj" and w.lower[head] in ("by", "between")):
                break
            if dep in ("nsubjpass", "dobj"):
                out.add(w.idx[tok])
                break
            if dep == "pobj" and w.lower[head] in _AT:
                # 'On 3 March' sets the time; a misparse may hang the subject under it.
                if head not in dated:
                    dated[head] = any(t.lower_ in _WHEN for t in sent.doc[head].subtree)
                if not dated[head]:
                    out.add(w.idx[tok])
                break
            if head == node:
                break
            node = head
    return frozenset(out)


def _first_side(found: list[ActorMention], actors: ActorIndex) -> list[ActorMention]:
    """Which side of fighting between two is coded first, as ACLED's analysts do: a state
    named first, else the operation the factions fought under, else the state whoever fired
    first ('clashes between rebels and army units'). An unidentified group named first is who
    attacked."""
    if not found or actors.kind(found[0].name) in ("state", "external", "unknown"):
        return found
    lead = (next((a for a in found if a.name in actors.umbrellas), None)
            or next((a for a in found if actors.kind(a.name) in ("state", "external")), None))
    return found if lead is None else [lead, *(a for a in found if a is not lead)]


def _surface_actor(tokens: Sequence[Token]) -> ActorMention | None:
    """An actor the dictionary does not know keeps its name as written."""
    ents = [e for e in (entities(tokens[0].doc) if tokens else ()) if e.label_ in ("ORG", "NORP", "PERSON")
            and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1]
    if ents:
        e = ents[0]
        return ActorMention(e.text, e.text, (e.start_char, e.end_char), False)
    # Otherwise the first run of proper nouns, short as names are: never a place, a date, a
    # dateline in capitals ('KHAN SHEIKHUN Syria A suspected ...') or a weapon ('Mortar
    # rounds' opening a sentence).
    weapons = load_lexicon().by_lemma
    run: list[Token] = []
    for t in tokens:
        name = (t.pos_ == "PROPN" and t.ent_type_ not in _NOT_ACTOR and not t.is_upper
                and t.lower_ not in weapons and t.lemma_.lower() not in weapons) or (
            run and t.lower_ in ("al", "el", "-"))
        if name:
            run.append(t)
        elif run:
            break
    while run and run[-1].lower_ in ("al", "el", "-"):
        run.pop()
    if run and len(run) <= 5:
        first, last = run[0], run[-1]
        text = text_of(first.doc)[first.idx:last.idx + len(last.text)]
        return ActorMention(text, text, (first.idx, last.idx + len(last.text)), False)
    return None


_NOT_ACTOR = frozenset(("DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL"))


def _shift_actor(a: ActorMention | None, off: int) -> ActorMention | None:
    if a is None:
        return None
    return ActorMention(a.name, a.mention, (a.span[0] + off, a.span[1] + off), a.known)


def _senior_partner(actor1: ActorMention | None, assoc: list[ActorMention], sent: Span, off: int,
                    actors: ActorIndex, *, hit: frozenset[int] = frozenset()
                    ) -> tuple[ActorMention | None, list[ActorMention]]:
    """Joint action: the partner's principal, named acting in the same sentence (not as the
    one hit: 'rebels attacked pro-regime fighters'), leads."""
    if actor1 is None or actor1.name not in actors.partners:
        return actor1, assoc
    principal = actors.partners[actor1.name]
    text = sent_text(sent)
    for a in [*assoc, *actors.find_all(text, offset=sent.start_char + off)]:
        if a.name != principal or (a not in assoc and a.span[0] in hit):
            continue
        rest = text[a.span[1] - sent.start_char - off:] if a not in assoc else ""
        if a in assoc or not TARGET_TAIL.match(rest):
            others = [x for x in assoc if x.name != principal]
            return a, [actor1, *others]
    return actor1, assoc


_MODIFIERS = frozenset(("compound", "amod", "poss", "nmod", "nummod", "det", "case"))


def _victim_text(trig: Trigger) -> str:
    """Who was hit: the object of the act ('shot and killed a regime fighter'), its head noun
    with its own modifiers, not every phrase hanging off it."""
    tok = trig.token
    verb = tok if tok.pos_ in ("VERB", "AUX") else trig.anchor
    if verb.pos_ not in ("VERB", "AUX"):
        # 'snipers fired at army positions' parsed as a noun phrase: its participle acts.
        verb = next((c for c in verb.children if c.dep_ in ("acl", "relcl")
                     and c.pos_ == "VERB"), verb)
        if verb.pos_ != "VERB":
            return ""
    heads = []
    for v in [verb, *(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")]:
        for c in v.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                heads.append(c)
            elif c.dep_ == "prep" and c.lower_ in ("on", "at", "against"):
                heads.extend(x for x in c.children if x.dep_ == "pobj")
    words = []
    for h in heads:
        words.extend(t.text for t in h.subtree if t.i == h.i or (t.head.i == h.i and t.dep_ in
                                                                  _MODIFIERS) or
                     (t.head.head.i == h.i and t.head.dep_ in _MODIFIERS))
    return " ".join(words)


def _words_of(text: str) -> set[str]:
    """The words of a phrase, lower case, without a possessive ending ('army's')."""
    return {re.sub(r"['’]s?$", "", w.lower()) for w in text.split()}


def _taken(trig: Trigger) -> Token | None:
    """Who was detained: the head noun of the object ('detained four fighters')."""
    verb = trig.token if trig.token.pos_ == "VERB" else trig.anchor
    return next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)


def recode(cls: EventClass, trig: Trigger, kind: str | None, sent: Span, actors: ActorIndex,
           lex: Lexicon) -> EventClass:
    """ACLED's conventions on who acts and who is hit decide between neighbouring types."""
    if cls.key == "attack":
        victims = _victim_text(trig)
        if trig.token.lower_ in lex.bodies:  # 'the bodies of two soldiers'
            victims += " " + " ".join(t.text for t in trig.token.subtree)
        words = _words_of(victims)
        named = [a for a in actors.find_all(victims) if actors.kind(a.name) != "civilians"]
        if words & lex.armed or named:
            return event_class(lex, "clash")
    if cls.key == "arrest" and kind not in (None, "state", "external"):
        # Detention by a non-state group is an abduction in ACLED's terms, of civilians; men
        # of another armed group it detains are taken in a fight between two armed sides.
        taken = _taken(trig)
        return event_class(lex, "clash" if taken is not None and taken.lower_ in lex.detained
                           else "abduction")
    if cls.key == "clash" and kind in ("civilians", "protesters", "rioters"):
        return event_class(lex, "riot")
    return cls


def who_acted(trig: Trigger, sent: Span, *, offset: int, asides: Sequence[tuple[int, int]],
              places: frozenset[tuple[int, int]], actors: ActorIndex
              ) -> tuple[ActorMention | None, list[ActorMention], ActorMention | None, list[Token]]:
    """Who did what the trigger tells, who acted with them, the other side of fighting between
    two, and the words the parse says named the one who acted."""
    cls = trig.cls
    between = _between(sent) if cls.key == "clash" else []
    actor1: ActorMention | None = None
    assoc: list[ActorMention] = []
    actor2: ActorMention | None = None
    if between:
        text, start = span_text(between)
        found = actors.find_all(text, offset=start + offset)
        # 'between QSD and rebels under Operation Peace Spring': the umbrella names a side.
        m = _UNDER.search(text)
        if m and found:
            umbrella = next((a for a in found if a.span[0] - start - offset >= m.end()), None)
            if umbrella is not None:
                side = [a for a in found if a.span[0] - start - offset < m.start()]
                found = [a for a in found if a is not umbrella and a is not (side[-1] if side else None)]
                found.insert(min(len(side) - 1, len(found)) if side else 0, umbrella)
        found = _first_side(found, actors)
        if found:
            actor1 = found[0]
            actor2 = found[1] if len(found) > 1 else None
    agent: list[Token] = []
    if actor1 is None:
        agent = agent_tokens(trig)
        text, start = span_text(agent)
        actor1, assoc = (resolve_agent(text, start + offset, actors, places=places) if text
                         else (None, []))
    if actor1 is None and trig.cls.key in ("protest", "riot"):
        crowd = "Protesters (Syria)" if trig.cls.key == "protest" else "Rioters (Syria)"
        actor1 = ActorMention(crowd, trig.token.text, (trig.token.idx + offset,
                              trig.token.idx + len(trig.token.text) + offset), True)
    if actor1 is None:
        # The parse found no subject ('Early on Monday regime gunners shelled ...' may read
        # as a prepositional phrase): the actors named before the trigger, then anywhere, but
        # not those it names as hit. Civilians are who is hit, far more often than who acts.
        keep_civilians = cls.key in ("protest", "displacement")
        hit = frozenset(i + offset for i in _hit(sent, trig.token))
        until = min((s - offset for s, _ in asides if s - offset > trig.token.idx),
                    default=sent.end_char)
        for text, start in ((sent_text(sent)[:trig.token.idx - sent.start_char], sent.start_char),
                            (sent_text(sent)[:until - sent.start_char], sent.start_char)):
            actor1, assoc = resolve_agent(text, start + offset, actors,
                                          keep_civilians=keep_civilians, places=places, hit=hit)
            if actor1 is not None:
                break
        if actor1 is None and cls.key == "clash":
            # Fighting has two sides: the one named only as fought 'with' is one of them.
            sides = resolve_agent(sent_text(sent)[:until - sent.start_char],
                                  sent.start_char + offset,
                                  actors, keep_civilians=keep_civilians, places=places)
            if sides[0] is not None:
                actor1, *assoc = _first_side([sides[0], *sides[1]], actors)
    if actor1 is None and agent:
        actor1 = _shift_actor(_surface_actor(agent), offset)
    actor1, assoc = _senior_partner(actor1, assoc, sent, offset, actors,
                                    hit=frozenset(i + offset for i in _hit(sent, trig.token)))
    if actor1 is None and cls.event_type in VIOLENT_TYPES:
        # 'Shells fell on ...', 'an IED went off in ...': ACLED codes the unnamed perpetrator.
        # Not known: the report names no one, so no one it names disputes it.
        unnamed = actors.unnamed.get("air" if cls.key == "air" else "armed")
        if unnamed:
            actor1 = ActorMention(unnamed, trig.token.text, (trig.token.idx + offset,
                                  trig.token.idx + len(trig.token.text) + offset), False)
    return actor1, assoc, actor2, agent


def victim(text: str, offset: int, acting: Sequence[ActorMention | None], *, hurt: bool,
           actors: ActorIndex) -> ActorMention | None:
    """Who was hit: the first actor named from the trigger on who is not one who acted;
    civilians only when someone was killed or injured."""
    found = actors.find_all(text, offset=offset)
    names = {a.name for a in acting if a is not None}
    found = [v for v in found if v.name not in names]
    if found and (actors.kind(found[0].name) != "civilians" or hurt):
        return found[0]
    return None
