"""Events: reads ParsedDocuments, claims and the lexicons, writes ACLED-coded Events."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from spacy.attrs import DEP, HEAD, IDX, LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from observatory.coding.actors import ActorIndex
from observatory.coding.casualties import Casualties, find_casualties, vague_at
from observatory.coding.dates import find_dates
from observatory.coding.nlp import (PLACE_LABEL, Paragraph, ParsedDocument, entities, sentence_of, sentences,
                  text_of)
from observatory.coding.places import (ARTICLE_WORDS, Gazetteer, choose_entry, km_between,
                                       km_to_governorate, to_location)
from observatory.records import (ActorMention, Claim, Count, DateRange, Document, Event, GazetteerEntry,
                      Location)

STAGE = "events.v1"
LONG_REPORT = 1200  # characters: longer reports are news stories, not incident notes


def is_news(document: Document) -> bool:
    """A news story (a headline, or more than a note's length) leads with its incident and
    its total; an incident note codes one incident in a few sentences."""
    return document.title is not None or len(document.text) > LONG_REPORT
_NEG = frozenset(("no", "not", "never", "without", "neither", "nor"))
# A place name followed by these is part of another name: a unit, a road.
_ORG_TAIL = frozenset(("military", "council", "brigade", "division", "battalion", "regiment",
                       "brigades", "operations", "room", "army", "forces", "faction", "highway",
                       "road", "street", "roundabout"))
_SITES = frozenset(("airport", "airbase", "base", "air", "camp", "academy", "college",
                    "barracks", "hospital"))
_QUARTER = frozenset(("neighborhood", "neighbourhood", "quarter", "neighborhoods",
                      "neighbourhoods"))
_ORIGIN = frozenset(("via", "from"))


@dataclass(frozen=True, slots=True)
class EventClass:
    key: str
    event_type: str
    sub_event_type: str
    priority: int
    lemmas: frozenset[str]
    phrases: tuple[str, ...]
    non_state_sub_event_type: str | None = None


@dataclass(frozen=True)
class Lexicon:
    classes: tuple[EventClass, ...]
    generic: frozenset[str]
    near_before: frozenset[str]
    near_after: frozenset[str]
    targets: tuple[tuple[str, re.Pattern[str]], ...]  # each kind of target's words, whole
    headings: dict[str, str]
    armed: frozenset[str]
    detained: frozenset[str]
    raid_arrest: re.Pattern[str]
    raid_air: re.Pattern[str]
    battle: frozenset[str]
    exchange: frozenset[str]
    control_keep: frozenset[str]
    control_back: frozenset[str]
    unheld_verbs: frozenset[str]
    unheld_nouns: frozenset[str]
    unheld_adverbs: frozenset[str]
    unheld_after: re.Pattern[str]
    earlier: frozenset[str]
    goods: frozenset[str]
    answered: re.Pattern[str]
    bodies: frozenset[str]
    found_verbs: frozenset[str]
    by_lemma: dict[str, EventClass] = field(default_factory=dict)
    phrase_re: re.Pattern[str] | None = None
    by_phrase: dict[str, EventClass] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    data = tomllib.loads(resources.files("observatory.data").joinpath("events.toml")
                         .read_text("utf-8"))
    classes = tuple(sorted((EventClass(c["key"], c["event_type"], c["sub_event_type"],
                                       c["priority"], frozenset(c["lemmas"]), tuple(c["phrases"]),
                                       c.get("non_state_sub_event_type"))
                            for c in data["class"]), key=lambda c: c.priority))
    by_lemma: dict[str, EventClass] = {}
    by_phrase: dict[str, EventClass] = {}
    for c in classes:
        for lemma in c.lemmas:
            by_lemma.setdefault(lemma, c)
        for phrase in c.phrases:
            by_phrase.setdefault(phrase.lower(), c)
    return Lexicon(classes, frozenset(data["generic_verbs"]), frozenset(data["near"]["before"]),
                   frozenset(data["near"]["after"]),
                   tuple((k, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in v) + r")\b"))
                         for k, v in data["targets"].items()), dict(data["headings"]),
                   frozenset(data["armed"]["words"]),
                   frozenset(data["armed"]["detained"]), _words(data["raid"]["arrest"]),
                   _words(data["raid"]["air"]), frozenset(data["battle"]["lemmas"]),
                   frozenset(data["battle"]["exchange"]), frozenset(data["control"]["keep"]),
                   frozenset(data["control"]["back"]), frozenset(data["unheld"]["verbs"]),
                   frozenset(data["unheld"]["nouns"]), frozenset(data["unheld"]["adverbs"]),
                   _words(data["unheld"]["after"]), frozenset(data["unheld"]["earlier"]),
                   frozenset(data["unheld"]["goods"]),
                   _words(data["answered"]["words"]), frozenset(data["found"]["bodies"]),
                   frozenset(data["found"]["verbs"]), by_lemma, _words(by_phrase), by_phrase)


def _words(words: Iterable[str]) -> re.Pattern[str]:
    """Any of the words or phrases, whole, the longest first.

    Written as a letter tree ('air(?: strikes?| raids?)?'): a flat alternation tries every
    phrase at every character of every sentence. At one place of a text the phrases that
    match are each the start of the next, so the tree's deepest match is the longest."""
    tree: dict[str, dict] = {}
    for w in words:
        node = tree
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + pattern(child) for ch, child in node.items() if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(r"\b(?:" + pattern(tree) + r")\b", re.I)


@dataclass(frozen=True, slots=True)
class Trigger:
    cls: EventClass
    token: Token  # the trigger word
    anchor: Token  # the clause it reports: the governing generic verb, or the word itself
    depth: int


@dataclass(frozen=True, slots=True)
class _Words:
    """A paragraph's words as plain lists. Every sentence rule walks them, and spaCy builds
    a new Token object on each access: read once, they are looked up by index."""

    lower: list[str]
    lemma: list[str]  # lower-cased
    dep: list[str]
    head: list[int]
    idx: list[int]


def _table(doc: Doc) -> _Words:
    cached = doc.user_data.get("observatory.coding.words")
    if cached is None:
        array = doc.to_array([LOWER, LEMMA, DEP, HEAD, IDX])
        lower, lemma, dep, _, idx = array.T.tolist()
        strings = doc.vocab.strings
        cached = doc.user_data["observatory.coding.words"] = _Words(
            [strings[h] for h in lower], [strings[h].lower() for h in lemma],
            [strings[h] for h in dep],
            # HEAD is the offset to the head, stored unsigned.
            [i + h for i, h in enumerate(array[:, 3].astype("int64").tolist())], idx)
    return cached


def _sent_text(sent: Span) -> str:
    """A sentence's text, cut from its paragraph's (``Span.text`` joins its tokens again)."""
    return text_of(sent.doc)[sent.start_char:sent.end_char]


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i:
        tok = tok.head
        n += 1
    return n


def _anchor(tok: Token, lex: Lexicon) -> Token:
    """A weapon noun counts where its clause counts: 'carried out airstrikes' is the main verb."""
    node = tok
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
            return node if node.lemma_.lower() in lex.generic else tok
        if node.head.i == node.i:
            break
        node = node.head
    return tok


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in _NEG for c in tok.children):
        return True
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return prev is not None and prev.lower_ in _NEG


def find_triggers(sent: Span, lex: Lexicon) -> list[Trigger]:
    found: list[Trigger] = []
    doc = sent.doc
    words = _table(doc)
    for i in range(sent.start, sent.end):
        cls = lex.by_lemma.get(words.lemma[i]) or lex.by_lemma.get(words.lower[i])
        if cls is None:
            continue
        tok = doc[i]
        if tok.ent_type_ in (PLACE_LABEL, "DATE", "TIME"):
            continue  # a place's name, a month ('on 5 March') names no act
        if _negated(tok):
            continue
        anchor = _anchor(tok, lex)
        found.append(Trigger(cls, tok, anchor, _depth(anchor)))
    assert lex.phrase_re is not None
    phrased: list[tuple[int, int, EventClass]] = []
    for m in lex.phrase_re.finditer(_sent_text(sent)):
        span = sent.char_span(m.start() + sent.start_char - sent.start_char, m.end(),
                              alignment_mode="expand")
        if span is None:
            continue
        tok = span[0]
        cls = lex.by_phrase[m.group(0).lower()]
        if _negated(tok):
            continue
        anchor = _anchor(span.root, lex)
        found.append(Trigger(cls, tok, anchor, _depth(anchor)))
        phrased.append((span.start, span.end, cls))
    # A word inside a phrase of another class is a part of that phrase: the 'grenades' of
    # 'rocket-propelled grenades', the 'attack' of 'chemical attack'.
    return [t for t in found if not any(a <= t.token.i < b and c is not t.cls
                                        for a, b, c in phrased)]


_SHOT_DOWN = frozenset(("shoot", "down", "intercept", "destroy", "capture", "seize"))


_GENERIC_ACTS = frozenset(("clash", "attack"))
_THROWN = frozenset(("grenade", "shelling", "air"))  # what can be the thing that exploded
_TOOLS = frozenset(("grenade", "shelling", "air", "explosive", "chemical"))
_INSTRUMENT = frozenset(("with", "using", "by"))
_GOVERNMENT = frozenset(("state", "militia"))  # actor kinds whose captures are the state's
VIOLENT_TYPES = frozenset(("Battles", "Explosions/Remote violence", "Violence against civilians"))
_CIRCUMSTANCE = frozenset(("change", "hq", "agreement", "transfer", "displacement"))
_RESULTS = frozenset(("kill", "kills", "injure", "wound", "leave", "claim"))
_NOUN_MODIFIER = frozenset(("compound", "amod", "nmod"))


def find_all_triggers(sent: Span, lex: Lexicon, *, note: bool = False) -> list[Trigger]:
    """Triggers of a sentence, less weapons that were the target ('shot down a helicopter').

    A weapon that names the kind of a generic act ('bomb attack', 'rocket attack') stands
    where the act stands: the act is only its head noun.
    """
    found = [_exchanged(_raid(t, sent, lex), lex) for t in find_triggers(sent, lex)
             if not (t.cls.key in ("air", "shelling") and t.token.dep_ in ("dobj", "nsubjpass")
                     and t.token.head.lemma_.lower() in _SHOT_DOWN)]
    # Fighting between two sides, told in a note with strikes or shelling ('warplanes bombed
    # the town as clashes raged', 'clashes, accompanied by shelling'): the strikes supported
    # the battle, which is the incident. A news story's sentence sums up many fronts.
    if note and any(t.cls.key == "clash" and _two_sided(t.token, lex) for t in found):
        found = [t for t in found if t.cls.key not in ("air", "shelling")]
    # 'A grenade exploded', 'a shell went off in the market': the thing that exploded says
    # what kind of strike it was.
    weapons = {t.token.i: t for t in found if t.cls.key in _THROWN}
    for t in [t for t in found if t.cls.key == "explosive" and t.token.pos_ == "VERB"]:
        subject = next((weapons[c.i] for c in t.token.children
                        if c.dep_ in ("nsubj", "nsubjpass") and c.i in weapons), None)
        if subject is not None:
            found = [x for x in found if x is not t and x is not subject]
            found.append(Trigger(subject.cls, subject.token, t.anchor, t.depth))
    # 'Destroyed a tank with a guided missile': a generic act done with a weapon is that
    # weapon's strike.
    for t in [t for t in found if t.cls.key in _GENERIC_ACTS
              and t.token.lemma_.lower() in lex.generic]:
        tool = next((w for w in found if w.cls.key in _TOOLS and w.token.dep_ == "pobj"
                     and w.token.head.lower_ in _INSTRUMENT
                     and w.token.head.head.i in (t.token.i, t.anchor.i)), None)
        if tool is not None:
            found = [x for x in found if x is not t and x is not tool]
            found.append(Trigger(tool.cls, tool.token, t.anchor, t.depth))
    if not any(t.cls.event_type in VIOLENT_TYPES for t in found):
        found += _bodies(sent, lex)
    # 'The army managed to control the village': the verb the lexicon cannot list, as
    # 'control' names a state as often as a capture.
    found += [_capture(tok, lex) for tok in _captures(sent, lex)
              if tok.lemma_.lower() == "control" and tok.pos_ == "VERB"]
    by_token = {t.token.i: t for t in found}
    out = []
    replaced: set[int] = set()
    for t in found:
        node = t.token
        while node.dep_ in _NOUN_MODIFIER and node.head.i != node.i and node.head.pos_ in (
                "NOUN", "PROPN") and node.head.i not in by_token:
            node = node.head
        head = by_token.get(node.head.i) if node.dep_ in _NOUN_MODIFIER else None
        if head is not None and head.cls.key in _GENERIC_ACTS and t.cls.key not in _GENERIC_ACTS:
            out.append(Trigger(t.cls, t.token, head.anchor, head.depth))
            replaced.add(head.token.i)
        else:
            out.append(t)
    out = [t for t in out if t.token.i not in replaced or t.cls.key not in _GENERIC_ACTS]
    # 'Suspected gas attack on Idlib kills 58', 'four were killed when an airstrike hit a
    # clinic': the killing is what the subject, or the clause that says how, did.
    for t in list(out):
        if t.token.lemma_.lower() not in _RESULTS:
            continue
        subjects = [c for c in t.token.children if c.dep_ in ("nsubj", "advcl")
                    or (c.dep_ == "nsubjpass" and t.token.lemma_.lower() not in ("kill",))]
        inside = {x.i for c in subjects for x in c.subtree}
        acts = [x for x in out if x is not t and x.token.i in inside
                and x.cls.key not in _GENERIC_ACTS and x.cls.event_type in VIOLENT_TYPES]
        if acts:
            best = min(acts, key=lambda x: (x.cls.priority, x.token.i))
            out = [x for x in out if x is not t and x is not best]
            out.append(Trigger(best.cls, best.token, t.anchor, t.depth))
    return out


def _bodies(sent: Span, lex: Lexicon) -> list[Trigger]:
    """'The body of a young man was found': a body found tells a killing."""
    attack = _class(lex, "attack")
    out = []
    words = _table(sent.doc)
    for i in range(sent.start, sent.end):
        if words.lower[i] in lex.bodies and words.lemma[words.head[i]] in lex.found_verbs:
            tok = sent.doc[i]
            out.append(Trigger(attack, tok, tok.head, _depth(tok.head)))
    return out


def _two_sided(tok: Token, lex: Lexicon) -> bool:
    return (tok.lemma_.lower() in lex.battle or tok.lower_ in lex.battle
            or tok.lower_ in lex.exchange)


def _exchanged(t: Trigger, lex: Lexicon) -> Trigger:
    """A weapon both sides used ('exchange of shelling', 'exchanged artillery fire', 'mutual
    shelling') is fighting between them."""
    if t.cls.key not in ("air", "shelling"):
        return t
    tok = t.token
    node = tok  # 'exchanged mortar fire': the noun the weapon word names a kind of
    while node.dep_ in _NOUN_MODIFIER and node.head.i != node.i:
        node = node.head
    near = [c.lower_ for c in (*tok.children, *node.children)] + [node.head.lower_]
    if node.head.dep_ == "prep":
        near.append(node.head.head.lower_)
    if not lex.exchange.intersection(near):
        return t
    return Trigger(_class(lex, "clash"), tok, t.anchor, t.depth)


def _raid(t: Trigger, sent: Span, lex: Lexicon) -> Trigger:
    """A raid is an arrest only where people are arrested: see the lexicon's [raid]. Aircraft
    named before it in its paragraph flew it ('Air strikes hit Milis ... the raids targeted')."""
    if (t.cls.key != "arrest" or t.token.lemma_.lower() != "raid"
            or lex.raid_arrest.search(_sent_text(sent))):
        return t
    if lex.raid_air.search(text_of(sent.doc)[:sent.end_char]):
        key = "air"
    elif find_casualties(_sent_text(sent)).killed.low:
        key = "clash"
    else:
        return t
    return Trigger(_class(lex, key), t.token, t.anchor, t.depth)


_CLAUSE_LINKS = frozenset(("xcomp", "advcl", "acl", "pcomp", "prep", "pobj", "dobj", "aux"))


def _clause_heads(tok: Token) -> Iterator[Token]:
    """The words a clause hangs from, up to four: 'tried' over 'to capture'."""
    node = tok
    for _ in range(4):
        if node.dep_ not in _CLAUSE_LINKS or node.head.i == node.i:
            return
        node = node.head
        yield node


def _earlier(tok: Token, lex: Lexicon) -> bool:
    """In a clause of what went before ('a day after the army took it')."""
    return any(c.dep_ == "mark" and c.lower_ in lex.earlier for n in (tok, *_clause_heads(tok))
               for c in n.children) or any(n.dep_ == "prep" and n.lower_ in lex.earlier
                                           for n in _clause_heads(tok))


def _unheld(tok: Token, sent: Span, lex: Lexicon) -> bool:
    """A capture attempted, failed or brief ('tried to storm and capture', 'briefly seized',
    'took the hill before being driven out')."""
    for node in _clause_heads(tok):
        if node.lemma_.lower() in lex.unheld_verbs or node.lower_ in lex.unheld_nouns:
            return True
    if any(c.lower_ in lex.unheld_adverbs for c in (*tok.children, *tok.head.children)):
        return True
    return lex.unheld_after.search(text_of(sent.doc)[tok.idx:sent.end_char]) is not None


def _capture(tok: Token, lex: Lexicon) -> Trigger:
    """A capture as a trigger: a verb of taking is its own clause ('before the army retook
    it' is the army's, whatever verb it hangs from)."""
    anchor = tok if tok.pos_ == "VERB" else _anchor(tok, lex)
    return Trigger(_class(lex, "territory"), tok, anchor, _depth(anchor))


def _captures(sent: Span, lex: Lexicon) -> list[Token]:
    """The words of a sentence telling ground taken and held. Two captures, one of them a
    taking back ('took the village before the army regained it'), undo each other: none.
    Read once a sentence: triggers and drafts ask again."""
    cache = sent.doc.user_data.setdefault("observatory.coding.captures", {})
    key = (sent.start, sent.end)
    if key not in cache:
        cache[key] = tuple(_find_captures(sent, lex))
    return list(cache[key])


def _find_captures(sent: Span, lex: Lexicon) -> list[Token]:
    terr = _class(lex, "territory")
    found: list[Token] = []
    doc = sent.doc
    table = _table(doc)
    for i in range(sent.start, sent.end):
        lemma = table.lemma[i]
        if lemma != "control" and lemma not in terr.lemmas and table.lower[i] not in terr.lemmas:
            continue
        tok = doc[i]
        if lemma == "control":
            # 'managed to control', 'took control of'; not 'areas controlled by', 'HTS, which
            # controls the town'.
            held = ((tok.pos_ == "VERB" and tok.dep_ not in ("amod", "relcl", "acl")
                     and not any(c.dep_ in ("auxpass", "agent") for c in tok.children))
                    or (tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.pos_ == "VERB"
                        and tok.head.lemma_.lower() not in lex.control_keep))
        else:
            # 'captured three fighters', 'seized a tank': people and arms, not ground.
            if tok.dep_ == "amod":
                held = tok.head.pos_ == "PROPN" and tok.head.lower_ not in lex.goods
            else:
                objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
                if tok.pos_ == "NOUN":
                    objects = [x for c in tok.children if c.lower_ == "of"
                               for x in c.children if x.dep_ == "pobj"]
                held = (tok.pos_ == "VERB" or bool(objects)) and not any(
                    o.lower_ in lex.goods for o in objects)
        if held and not _negated(tok) and not _unheld(tok, sent, lex):
            found.append(tok)
    assert lex.phrase_re is not None
    for m in lex.phrase_re.finditer(_sent_text(sent)):
        cls = lex.by_phrase[m.group(0).lower()]
        span = sent.char_span(m.start(), m.end(), alignment_mode="expand")
        if (cls.key == "territory" and "control" not in m.group(0).lower() and span is not None
                and not _negated(span[0]) and not _unheld(span.root, sent, lex)):
            found.append(span.root)

    def back(tok: Token) -> bool:
        return (tok.lemma_.lower() in lex.control_back
                or (tok.lemma_.lower() == "control" and tok.head.lemma_.lower() in lex.control_back))

    def taker(tok: Token) -> set[str]:
        words = _agent_tokens(_capture(tok, lex))
        return {w.lower_ for w in words if w.is_alpha and not w.is_stop
                and w.ent_type_ not in ("DATE", "TIME")}

    if any(back(a) and not back(b) and taker(a) != taker(b) for a in found for b in found):
        return []
    return [t for t in found if not _earlier(t, lex)]


def main_trigger(triggers: Sequence[Trigger]) -> Trigger | None:
    """The trigger closest to the root of the sentence; ties go to the more specific class.

    Air strikes and shelling of one place in one sentence are coded as the air strike.
    """
    if not triggers:
        return None
    # A convoy hit by a car bomb, a strike despite the truce: the violence is the incident.
    if any(t.cls.event_type in VIOLENT_TYPES for t in triggers):
        triggers = [t for t in triggers if t.cls.key not in _CIRCUMSTANCE] or list(triggers)
    best = min(triggers, key=lambda t: (t.depth, t.cls.priority, t.token.i))
    if best.cls.key == "shelling":
        air = [t for t in triggers if t.cls.key == "air"]
        if air:
            return min(air, key=lambda t: (t.depth, t.token.i))
    return best


def _text(tokens: Sequence[Token] | Span) -> tuple[str, int]:
    toks = list(tokens)
    if not toks:
        return "", 0
    doc = toks[0].doc
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return text_of(doc)[start:end], start


def _subtree(tok: Token) -> list[Token]:
    return sorted(tok.subtree, key=lambda t: t.i)


def _agent_tokens(trig: Trigger) -> list[Token]:
    """The phrase naming who acted: subject or 'by' agent of the clause, or the trigger's own
    modifiers ('Russian airstrikes', 'airstrikes by Russian warplanes')."""
    tok = trig.token
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by":
            pobj = [x for x in c.children if x.dep_ == "pobj"]
            if pobj:
                return _subtree(pobj[0])
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
    verb = trig.anchor if trig.anchor.i != tok.i else (tok if tok.pos_ in ("VERB", "AUX") else None)
    if verb is None:
        node = tok
        while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
            node = node.head
        verb = node if node.pos_ in ("VERB", "AUX") else None
    while verb is not None:
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        agent = [x for c in verb.children if c.dep_ == "agent" for x in c.children
                 if x.dep_ == "pobj"]
        if agent:
            return _subtree(agent[0])
        if subj and subj[0].i != tok.i and subj[0].lower_ not in ("which", "that", "who"):
            return _subtree(subj[0]) + [t for m in mods for t in _subtree(m)]
        if subj and subj[0].i == tok.i:
            break
        if verb.dep_ in ("conj", "advcl", "xcomp", "acl", "relcl") and verb.head.i != verb.i:
            verb = verb.head
            continue
        break
    return [t for m in mods for t in _subtree(m)]


def _between(sent: Span) -> list[Token]:
    w = _table(sent.doc)
    for i in range(sent.start, sent.end):
        if w.lower[i] == "between" and w.dep[i] == "prep":
            return _subtree(sent.doc[i])
    return []


_UNDER = re.compile(r"\b(?:under|within|part of|affiliated (?:with|to)|operating under)\b", re.I)
_BY = re.compile(r"\bby\s+(?:(?:an?|the|some|two|three|several)\s+)?(?:[\w-]+\s+)?$", re.I)
_BACKED = re.compile(r"\b(?:supported|backed|aided|assisted|accompanied|joined|led)\s+by\b", re.I)


def _place_spans(para: Paragraph) -> frozenset[tuple[int, int]]:
    """Where the paragraph names gazetteer places: 'Damascus' there is the city, not an actor.
    Computed once per paragraph: every trigger sentence and every draft of it asks."""
    cached = para.doc.user_data.get("observatory.coding.places")
    if cached is None:
        cached = para.doc.user_data["observatory.coding.places"] = frozenset(
            (e.start_char + para.offset, e.end_char + para.offset)
            for e in entities(para.doc) if e.label_ == PLACE_LABEL and e.kb_id_)
    return cached


def _resolve_agent(text: str, offset: int, actors: ActorIndex, *, keep_civilians: bool = True,
                   places: frozenset[tuple[int, int]] = frozenset(),
                   hit: frozenset[int] = frozenset()
                   ) -> tuple[ActorMention | None, list[ActorMention]]:
    found = [a for a in actors.find_all(text, offset=offset)
             if (keep_civilians or actors.kind(a.name) != "civilians")
             and not any(s <= a.span[0] < e for s, e in places) and a.span[0] not in hit
             and not _TARGET_TAIL.match(text[a.span[1] - offset:])]
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
    w = _table(sent.doc)
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
    deps = _table(sent.doc).dep
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


def _place_ents(sent: Span) -> list[Span]:
    out = []
    for ent in entities(sent.doc, sent.start, sent.end):
        if ent.label_ != PLACE_LABEL or not ent.kb_id_:
            continue
        doc = sent.doc
        nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
        after = doc[ent.end + 1].lower_ if ent.end + 1 < len(doc) else ""
        # 'Kafr Nabl Military Council' is a unit; 'Abu al-Duhur military airport' a place.
        if nxt in _ORG_TAIL and not (nxt == "military" and after in _SITES):
            continue
        out.append(ent)
    return out


def _site(ent: Span, gaz: Gazetteer) -> GazetteerEntry | None:
    """'Kuweires military airport', 'the Abu al-Duhur airbase': a base named after its town
    has its own point, when the gazetteer knows it."""
    doc = ent.doc
    end = ent.end
    while end < min(len(doc), ent.end + 2) and doc[end].lower_ in _SITES | {"military"}:
        end += 1
    if end == ent.end or doc[end - 1].lower_ == "military":
        return None
    found = [gaz.entries[i] for i in gaz.lookup(f"{ent.text} {doc[ent.end:end].text}")]
    return next((e for e in found if e.kind == "landmark"), None)


def _precision(ent: Span, lex: Lexicon) -> int:
    doc = ent.doc
    before = {t.lower_ for t in doc[max(ent.start - 4, sentence_of(doc[ent.start]).start):ent.start]}
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return 2 if before & lex.near_before or after in lex.near_after else 1


def _extended(ent: Span) -> str:
    """The mention with the capitalised words that follow it: 'Midan' + 'Ghazal'."""
    doc = ent.doc
    end = ent.end
    while end < min(len(doc), ent.end + 3) and (doc[end].is_title or doc[end].lower_ in
                                                  ("al", "el")) and not doc[end].ent_type_:
        end += 1
    return doc[ent.start:end].text


def _locate(sent: Span, para: Paragraph, gaz: Gazetteer, lex: Lexicon,
            hints: tuple[list[str], list[str], list[str]],
            actor_spans: Sequence[tuple[int, int]], *, fuzzy: bool = True) -> Location | None:
    """The most specific place of the sentence, checked against the governorate it names."""
    admin1_hints, admin2_hints, context = hints
    ents = entities(sent.doc, sent.start, sent.end)
    # The governorates the sentence names, or the regions it names lie in: 'Hosh al-Zarqiyah
    # in Eastern Ghouta' is looked for in Rural Damascus.
    named = [a for a in (gaz.area_of(e.text) or gaz.region_of(e.text)
                         for e in ents if e.label_ == PLACE_LABEL) if a]
    near = list(dict.fromkeys(n for a in named for n in gaz.areas_near(a)))
    areas: list[Span] = []
    # 'Hamadaniyeh neighbourhood in Aleppo city': the city is what can be placed.
    has_city = any(e.label_ == PLACE_LABEL and e.end < len(sent.doc) and
                   sent.doc[e.end].lower_ == "city" for e in ents)

    def located(entry: GazetteerEntry, ent: Span, precision: int) -> Location:
        return to_location(entry, mention=ent.text, span=(ent.start_char + para.offset,
                           ent.end_char + para.offset), precision=precision)

    placed = _place_ents(sent)
    # Places the sentence spells exactly: a name only spelt like one must lie near them
    # ('Tawila in Tal Tamer countryside' is not the Tawil 100 km away).
    anchors = [gaz.entries[i] for e in placed if gaz.exact(e.text)
               for i in gaz.lookup(e.text)[:1] if gaz.entries[i].kind != "admin1"]
    for n, ent in enumerate(placed):
        if any(s <= ent.start_char + para.offset < e for s, e in actor_spans):
            continue
        if n + 1 < len(placed) and _origin(ent):
            continue  # 'entered via Kafr Lusin crossing and arrived in Qminas': where it went
        if (n + 1 < len(placed) and _part_of_next(ent, placed[n + 1])
                and gaz.area_of(placed[n + 1].text) is None
                and gaz.region_of(placed[n + 1].text) is None):
            # 'the Maadan area of the town of Gharanij': the town is what is placed; 'the
            # Darkosh area of western Idleb' or 'of the Harim district' is Darkosh.
            continue
        site = _site(ent, gaz)
        if site is not None:
            return located(site, ent, _precision(ent, lex))
        ids = gaz.lookup(ent.text)
        nxt = sent.doc[ent.end].lower_ if ent.end < len(sent.doc) else ""
        if not ids or (has_city and nxt in _QUARTER):
            continue
        if len(ids) > 1 and _called_quarter(ent):
            # 'The neighbourhood of al-Zahraa' is a city's quarter, however the gazetteer
            # spells it, and not the village of that name.
            ids = gaz.quarter(ent.text, ids) or ids
        entry = choose_entry(ids, gaz, admin1_hints=admin1_hints, admin2_hints=admin2_hints,
                             near_admin1=near, context=context)
        if (anchors and not gaz.exact(ent.text) and entry.kind != "admin1"
                and min(km_between(entry, a) for a in anchors) > NEAR_KM):
            continue
        if (entry.kind != "admin1" and admin1_hints and not near and entry.rank < 2
                and entry.admin1 not in admin1_hints):
            continue  # a village of a governorate the report never names: a spelling collision
        if (entry.kind not in ("admin1", "region") and context and not near and not admin1_hints
                and entry.admin1 not in context and not gaz.exact(ent.text)):
            continue  # spelt only like a village far from where the report's other places lie
        if entry.kind == "admin1":
            # 'Idleb city' is the city; 'Idleb countryside' or plain 'Idleb' the province.
            city = [i for i in ids if gaz.entries[i].kind != "admin1"]
            if nxt == "city" and city:
                return located(choose_entry(city, gaz, near_admin1=[entry.admin1]), ent, 1)
            areas.append(ent)
            continue
        longer = _extended(ent)
        if entry.kind in ("landmark", "region"):
            # A prison, a base, a mountain range: its name is its own, wherever the person or
            # the unit in the sentence came from.
            return located(entry, ent, _precision(ent, lex))
        if fuzzy and near and (entry.admin1 not in near or longer != ent.text):
            # The sentence names another governorate, or the name runs on: a spelling the
            # gazetteer lacks, so look for a close one in the governorate named.
            close = gaz.twins(ent.text, admin1=near[0]) or gaz.fuzzy(longer, admin1=near[0])
            if close:
                return located(choose_entry(close, gaz, admin2_hints=admin2_hints), ent,
                               _precision(ent, lex))
            # Near a border a report names the governorate next door ('Deir Fool in northern
            # Hama'): a name the gazetteer spells so, just across it, is that village.
            if entry.admin1 not in near and not (
                    gaz.exact(ent.text) and km_to_governorate(entry, near[0]) <= BORDER_KM):
                continue
        return located(entry, ent, _precision(ent, lex))
    for ent in ents if fuzzy else ():
        if ent.kb_id_ or any(s <= ent.start_char + para.offset < e for s, e in actor_spans):
            continue
        if ent.label_ in ("GPE", "LOC", "FAC"):
            ids = gaz.variant(ent.text, admin1=near[0]) if near else gaz.fuzzy(ent.text)
        elif ent.label_ in ("ORG", "PERSON", "NORP") and near and _placed(ent):
            # The small model reads an unknown village as a person or a group: 'airstrikes on
            # Taqad in Aleppo' names a place all the same.
            ids = gaz.variant(ent.text, admin1=near[0])
        elif ent.label_ in ("ORG", "PERSON", "NORP") and _called_town(ent):
            # 'the town of Kafr Uma', 'Harsta city': a place by its own account, looked for
            # across the country when no governorate is named.
            ids = gaz.variant(ent.text, admin1=near[0]) if near else gaz.fuzzy(ent.text)
        else:
            continue
        if ids:
            entry = (gaz.entries[ids[0]] if ent.label_ not in ("GPE", "LOC", "FAC") or near
                     else choose_entry(ids, gaz, admin1_hints=admin1_hints, near_admin1=near,
                                       context=context))
            return located(entry, ent, _precision(ent, lex))
    if areas:
        area = gaz.area_of(areas[0].text)
        if area is not None:
            return located(gaz.entries[gaz.areas[area]], areas[0], 3)
    return None


NEAR_KM = 30  # a village and the town whose countryside it is in
BORDER_KM = 5  # a village this close to a governorate is told as in its countryside


_LOCATIVE = frozenset(("in", "on", "at", "near", "of", "around", "towards", "toward", "outside",
                       "captured", "shelled", "seized", "entered", "targeted", "struck", "hit",
                       "bombed", "raided", "stormed", "pounded", "attacked", "besieged"))


def _origin(ent: Span) -> bool:
    """'from Saraqib', 'from the Tell Abiad area', 'from the northern towns of Fuaa and X':
    a place named as where people or a convoy came from."""
    doc = ent.doc
    i = ent.start - 1
    while i >= max(0, ent.start - 8):
        tok = doc[i]
        if tok.lower_ in _ORIGIN:
            return True
        if (tok.pos_ not in ("DET", "ADJ", "PROPN", "CCONJ", "PUNCT", "NOUN")
                and tok.dep_ != "amod" and tok.lower_ != "of"):  # 'the besieged towns of
            return False
        i -= 1
    return False


_SETTLEMENT = frozenset(("town", "village", "city", "hamlet", "villages", "towns"))


def _called_town(ent: Span) -> bool:
    """'the village of X', 'X town': the report itself calls the name a settlement."""
    doc = ent.doc
    before = [t.lower_ for t in doc[max(0, ent.start - 2):ent.start]]
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if _origin(ent):
        return False  # 'evacuees from the towns of X': where they came from
    # 'the Syrian town of Raqqa': a word before 'town of' describes the town, the one after
    # names it.
    of_next = ent.end + 1 < len(doc) and doc[ent.end + 1].lower_ == "of"
    return (len(before) == 2 and before[0] in _SETTLEMENT and before[1] == "of") or (
        after in _SETTLEMENT and not of_next)


_PARTS = frozenset(("area", "neighborhood", "neighbourhood", "quarter", "district", "outskirts"))


def _part_of_next(ent: Span, nxt: Span) -> bool:
    """'the X area of Y', 'X neighbourhood of the town of Y': X is a part of the settlement
    named next (not of a district, a countryside or a governorate, wider than X)."""
    doc = ent.doc
    if not (ent.end + 1 < len(doc) and doc[ent.end].lower_ in _PARTS
            and doc[ent.end + 1].lower_ == "of"):
        return False
    between = {t.lower_ for t in doc[ent.end + 2:nxt.start]}
    after = doc[nxt.end].lower_ if nxt.end < len(doc) else ""
    return between <= _SETTLEMENT_OF and after not in _WIDER


_SETTLEMENT_OF = frozenset(("the", "of", "town", "village", "city"))
# Words after a name that make it an area wider than a settlement's part.
_WIDER = frozenset(("district", "countryside", "region", "area", "province", "governorate",
                    "subdistrict", "plain", "plains", "mountains", "desert", "valley"))


def _called_quarter(ent: Span) -> bool:
    """'the neighbourhood of X', 'X quarter': the report calls the name a part of a city."""
    doc = ent.doc
    i = ent.start
    while i > 0 and doc[i - 1].lower_ in _ARTICLE_TOKENS:
        i -= 1  # 'of al-Zahraa' may leave the article outside the name
    before = [t.lower_ for t in doc[max(0, i - 2):i]]
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return (len(before) == 2 and before[0] in _QUARTER and before[1] == "of") or after in _QUARTER


_ARTICLE_TOKENS = ARTICLE_WORDS | {"the"}


def _placed(ent: Span) -> bool:
    """A mention that stands where a place stands: after 'in', 'on', 'near', 'captured'."""
    doc = ent.doc
    return ent.start > 0 and doc[ent.start - 1].lower_ in _LOCATIVE


def _hints(parsed: ParsedDocument, gaz: Gazetteer, actors: ActorIndex
           ) -> tuple[list[str], list[str], list[str]]:
    """The governorates and districts the report names, and the governorates its context
    points to: places it spells exactly that have no twin elsewhere, and operations fought
    in known governorates."""
    admin1: list[str] = []
    admin2: list[str] = []
    context: list[str] = []
    for para in parsed.paragraphs:
        for ent in entities(para.doc):
            if ent.label_ != PLACE_LABEL:
                continue
            area = gaz.area_of(ent.text)
            if area and area not in admin1:
                admin1.append(area)
            ids = gaz.lookup(ent.text)
            for i in ids:
                e = gaz.entries[i]
                if e.rank >= 2 and e.admin2 not in admin2:
                    admin2.append(e.admin2)
            found = {gaz.entries[i].admin1 for i in ids if gaz.entries[i].kind != "admin1"}
            if len(found) == 1 and not area and gaz.exact(ent.text):
                context.extend(found - set(context))
        context.extend(a for _, _, areas in actors.theatres(text_of(para.doc)) for a in areas
                       if a not in context)
    return admin1, admin2, context


def _event_date(sent: Span, trig: Trigger | None, para: Paragraph,
                base: date | None) -> DateRange | None:
    """The date nearest the trigger, preferring the most precise within a clause or so."""
    found = find_dates(_sent_text(sent), base=base, offset=sent.start_char)
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
    hints = _hints(parsed, gazetteer, actors)
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
                last_loc = _locate(sent, para, gazetteer, lex, hints, (), fuzzy=False) or last_loc
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
            places = _place_spans(para)
            agent_spans = [a.span for a in actors.find_all(_sent_text(sent), offset=sent.start_char
                                                           + para.offset)
                           if a.span not in places]
            asides = _aside(sent, trig, para.offset)
            loc = _locate(sent, para, gazetteer, lex, hints, agent_spans + asides)
            if loc is None and asides:
                # 'Jets struck while artillery shelled the town of Murak': an aside telling the
                # same kind of act is where the incident's own clause, naming none, happened.
                kin = [a for a in asides if any(
                    a[0] <= t.token.idx + para.offset < a[1]
                    and t.cls.event_type == trig.cls.event_type for t in found)]
                if kin:
                    loc = _locate(sent, para, gazetteer, lex, hints,
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
        d.location = d.location or _theatre(d, actors, gazetteer)
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
    if lc.key in _GENERIC_ACTS and hc.key not in _GENERIC_ACTS:
        lead.trigger = Trigger(hc, lead.trigger.token, lead.trigger.anchor, lead.trigger.depth)
    if lead.location is None or (head.location is not None
                                 and head.location.geo_precision < lead.location.geo_precision):
        lead.location = head.location
    lead.date = lead.date or head.date
    lead.headline = head
    return [lead] + [d for d in drafts if d is not head and d is not lead]


def _same_kind(a: EventClass, b: EventClass) -> bool:
    return a.event_type == b.event_type or a.key in _GENERIC_ACTS or b.key in _GENERIC_ACTS


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


_TARGET_TAIL = re.compile(r"^['’]?s?\s*(?:positions?|posts?|checkpoints?|areas?|-held|-controlled|"
                          r"held|controlled|territory|forces'? positions)", re.I)


def _senior_partner(actor1: ActorMention | None, assoc: list[ActorMention], sent: Span, off: int,
                    actors: ActorIndex, *, hit: frozenset[int] = frozenset()
                    ) -> tuple[ActorMention | None, list[ActorMention]]:
    """Joint action: the partner's principal, named acting in the same sentence (not as the
    one hit: 'rebels attacked pro-regime fighters'), leads."""
    if actor1 is None or actor1.name not in actors.partners:
        return actor1, assoc
    principal = actors.partners[actor1.name]
    text = _sent_text(sent)
    for a in [*assoc, *actors.find_all(text, offset=sent.start_char + off)]:
        if a.name != principal or (a not in assoc and a.span[0] in hit):
            continue
        rest = text[a.span[1] - sent.start_char - off:] if a not in assoc else ""
        if a in assoc or not _TARGET_TAIL.match(rest):
            others = [x for x in assoc if x.name != principal]
            return a, [actor1, *others]
    return actor1, assoc


def _class(lex: Lexicon, key: str) -> EventClass:
    return next(c for c in lex.classes if c.key == key)


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


def _recode(cls: EventClass, trig: Trigger, kind: str | None, sent: Span, actors: ActorIndex,
            lex: Lexicon) -> EventClass:
    """ACLED's conventions on who acts and who is hit decide between neighbouring types."""
    if cls.key == "attack":
        victims = _victim_text(trig)
        if trig.token.lower_ in lex.bodies:  # 'the bodies of two soldiers'
            victims += " " + " ".join(t.text for t in trig.token.subtree)
        words = _words_of(victims)
        named = [a for a in actors.find_all(victims) if actors.kind(a.name) != "civilians"]
        if words & lex.armed or named:
            return _class(lex, "clash")
    if cls.key == "arrest" and kind not in (None, "state", "external"):
        # Detention by a non-state group is an abduction in ACLED's terms, of civilians; men
        # of another armed group it detains are taken in a fight between two armed sides.
        taken = _taken(trig)
        return _class(lex, "clash" if taken is not None and taken.lower_ in lex.detained
                      else "abduction")
    if cls.key == "clash" and kind in ("civilians", "protesters", "rioters"):
        return _class(lex, "riot")
    return cls


def _casualties(d: _Draft, off: int) -> Casualties:
    """The toll of the first sentence that gives one: a report leads with its figure, and the
    smaller ones further on count a part of the dead ('98 of them evacuees')."""
    doc_text = text_of(d.para.doc)
    killed = injured = None
    for sent in d.sentences:
        found = find_casualties(doc_text[sent.start_char:sent.end_char],
                                offset=sent.start_char + off, first=True)
        killed = killed if killed is not None and killed.known else found.killed
        injured = injured if injured is not None and injured.known else found.injured
        if killed.known and injured.known:
            break
    return Casualties(killed or Count(), injured or Count())


# An incident's place is told with it or in the next sentence or two; a place further on
# belongs to what the report goes on to ('the same weapons were used in Aleppo last year').
PLACE_SENTENCES = 3
OPENING_CHARS = 1000  # a news story's opening paragraphs, where it gives its toll


def _opening(parsed: ParsedDocument) -> Iterator[tuple[int, str]]:
    """The sentences of a story's opening, each with where it starts in the report."""
    for para in parsed.paragraphs:
        for sent in sentences(para.doc):
            start = para.offset + sent.start_char
            if start >= OPENING_CHARS:
                return
            yield start, _sent_text(sent)


def _opening_toll(parsed: ParsedDocument, cas: Casualties) -> Casualties:
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


def _rival_toll(parsed: ParsedDocument, cas: Casualties, claims: Sequence[Claim]) -> Casualties:
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


def _told(claims: Sequence[Claim], base: date) -> date:
    """When a news story's sources told its news: 'the Observatory announced on Sunday' in a
    report dated Monday. An undated lead happened by then."""
    told = [c.date.start for c in sorted(claims, key=lambda c: c.span)
            if c.span[0] < OPENING_CHARS and c.date is not None and c.date.precision == "day"
            and base - timedelta(days=3) <= c.date.start < base]
    return told[0] if told else base


def _theatre(d: _Draft, actors: ActorIndex, gaz: Gazetteer) -> Location | None:
    """An operation fought in one governorate places, at its precision, an incident that no
    place of the report does ('Olive Branch forces took a village' is in Aleppo)."""
    start, end = d.sentences[0].start_char, d.sentences[-1].end_char
    text = text_of(d.para.doc)[start:end]
    found = actors.theatres(text)
    if not found or len(found[0][2]) != 1 or found[0][2][0] not in gaz.areas:
        return None
    s, e, (area,) = found[0]
    return to_location(gaz.entries[gaz.areas[area]], mention=text[s:e],
                       span=(start + s + d.para.offset, start + e + d.para.offset), precision=3)


def _finish(d: _Draft, n: int, parsed: ParsedDocument, claims: Sequence[Claim],
            actors: ActorIndex, lex: Lexicon, base: date | None) -> Event:
    trig = d.trigger
    off = d.para.offset
    sent = d.sentences[0]
    cls = trig.cls
    between = _between(sent) if cls.key == "clash" else []
    actor1: ActorMention | None = None
    assoc: list[ActorMention] = []
    actor2: ActorMention | None = None
    if between:
        text, start = _text(between)
        found = actors.find_all(text, offset=start + off)
        # 'between QSD and rebels under Operation Peace Spring': the umbrella names a side.
        m = _UNDER.search(text)
        if m and found:
            umbrella = next((a for a in found if a.span[0] - start - off >= m.end()), None)
            if umbrella is not None:
                side = [a for a in found if a.span[0] - start - off < m.start()]
                found = [a for a in found if a is not umbrella and a is not (side[-1] if side else None)]
                found.insert(min(len(side) - 1, len(found)) if side else 0, umbrella)
        found = _first_side(found, actors)
        if found:
            actor1 = found[0]
            actor2 = found[1] if len(found) > 1 else None
    agent: list[Token] = []
    places = _place_spans(d.para)
    if actor1 is None:
        agent = _agent_tokens(trig)
        text, start = _text(agent)
        actor1, assoc = (_resolve_agent(text, start + off, actors, places=places) if text
                         else (None, []))
    if actor1 is None and trig.cls.key in ("protest", "riot"):
        crowd = "Protesters (Syria)" if trig.cls.key == "protest" else "Rioters (Syria)"
        actor1 = ActorMention(crowd, trig.token.text, (trig.token.idx + off,
                              trig.token.idx + len(trig.token.text) + off), True)
    if actor1 is None:
        # The parse found no subject ('Early on Monday regime gunners shelled ...' may read
        # as a prepositional phrase): the actors named before the trigger, then anywhere, but
        # not those it names as hit. Civilians are who is hit, far more often than who acts.
        keep_civilians = cls.key in ("protest", "displacement")
        hit = frozenset(i + off for i in _hit(sent, trig.token))
        until = min((s - off for s, _ in d.asides if s - off > trig.token.idx),
                    default=sent.end_char)
        for text, start in ((_sent_text(sent)[:trig.token.idx - sent.start_char], sent.start_char),
                            (_sent_text(sent)[:until - sent.start_char], sent.start_char)):
            actor1, assoc = _resolve_agent(text, start + off, actors,
                                           keep_civilians=keep_civilians, places=places, hit=hit)
            if actor1 is not None:
                break
        if actor1 is None and cls.key == "clash":
            # Fighting has two sides: the one named only as fought 'with' is one of them.
            sides = _resolve_agent(_sent_text(sent)[:until - sent.start_char],
                                   sent.start_char + off,
                                   actors, keep_civilians=keep_civilians, places=places)
            if sides[0] is not None:
                actor1, *assoc = _first_side([sides[0], *sides[1]], actors)
    if actor1 is None and agent:
        actor1 = _shift_actor(_surface_actor(agent), off)
    actor1, assoc = _senior_partner(actor1, assoc, sent, off, actors,
                                    hit=frozenset(i + off for i in _hit(sent, trig.token)))
    if actor1 is None and cls.event_type in VIOLENT_TYPES:
        # 'Shells fell on ...', 'an IED went off in ...': ACLED codes the unnamed perpetrator.
        # Not known: the report names no one, so no one it names disputes it.
        unnamed = actors.unnamed.get("air" if cls.key == "air" else "armed")
        if unnamed:
            actor1 = ActorMention(unnamed, trig.token.text, (trig.token.idx + off,
                                  trig.token.idx + len(trig.token.text) + off), False)
    kind = actors.kind(actor1.name if actor1 else None)
    headed = _heading(d.para, lex) is cls  # a heading is the analyst's own label: it holds
    if not headed:
        cls = _recode(cls, trig, kind, sent, actors, lex)
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
        account = account.replace(_text(agent)[0], "")
    if cls.key in ("air", "shelling") and lex.answered.search(account):
        # Air defences that engaged the strike fought it out with the aircraft.
        cls = _class(lex, "clash")
        sub = cls.sub_event_type
    # Ground taken, told with the fighting or the shelling that won it or in a sentence after
    # it ('clashes ... where the factions took control of the village'), is a change of
    # territory; a capture that did not hold is the fighting.
    # A news story's sentences go on to other fronts and other days: there only the fighting
    # its sentence tells is read for the ground it won.
    news = is_news(parsed.document)
    captures = [t for s in d.sentences[:1 if news else PLACE_SENTENCES] for t in _captures(s, lex)]
    capturer = kind
    # (A story's headline and loose phrases name captures the parse cannot check: there
    # only a capture that plainly failed is undone.)
    if cls.key == "territory" and (_unheld(trig.token, sent, lex) if news else not captures):
        cls = _class(lex, "clash")
        sub = cls.sub_event_type
    elif captures and not headed and (cls.event_type == "Battles"
                       or (not news and cls.key in ("air", "shelling", "change"))):
        cls = _class(lex, "territory")
        sub = cls.sub_event_type
        text, start = _text(_agent_tokens(_capture(captures[0], lex)))
        taker = _resolve_agent(text, start + off, actors, places=places)[0] if text else None
        if taker is None:
            # No subject parsed: the capturer is named just before its verb ('Following
            # clashes with HTS, regime forces advanced to establish control'), and is not
            # the side whose 'positions' were hit.
            tok = captures[0]
            opening = sentence_of(tok).start_char
            before = text_of(tok.doc)[opening:tok.idx]
            named = [a for a in actors.find_all(before, offset=opening + off)
                     if a.span not in places
                     and not _TARGET_TAIL.match(before[a.span[1] - opening - off:])]
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
    cas = _casualties(d, off) if news else find_casualties(scope, offset=start_char + off)
    if not news and not cas.killed.known:
        # A note may give its toll after the sentences about the incident, at its end.
        cas = find_casualties(text_of(d.para.doc)[start_char:], offset=start_char + off)
    words = parsed.document.text
    if d.headline is not None and (not cas.killed.known or vague_at(words, cas.killed.span)):
        # 'Dozens of people have been killed' under '58 Killed in Gas Attack': the headline
        # gives the figure the lead puts in a word.
        headed = _casualties(d.headline, d.headline.para.offset)
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
        cas = _rival_toll(parsed, _opening_toll(parsed, cas), claims)
    if actor2 is None and cls.key in ("air", "shelling", "explosive", "attack", "abduction"):
        victims = actors.find_all(scope[trig.token.idx - start_char:], offset=trig.token.idx + off)
        acting = {a.name for a in (actor1, *assoc) if a is not None}
        victims = [v for v in victims if v.name not in acting]
        if victims and (actors.kind(victims[0].name) != "civilians" or cas.killed.low or
                        cas.injured.low):
            actor2 = victims[0]
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
                 trigger_span=(trig.token.idx + off, trig.token.idx + len(trig.token.text) + off))
