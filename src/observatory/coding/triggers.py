"""Triggers: reads parsed sentences and data/events.toml, writes Triggers (an incident's words and kind)."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.attrs import DEP, HEAD, IDX, LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from observatory.coding.casualties import find_casualties
from observatory.coding.nlp import PLACE_LABEL, text_of

_NEG = frozenset(("no", "not", "never", "without", "neither", "nor"))


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


def event_class(lex: Lexicon, key: str) -> EventClass:
    return next(c for c in lex.classes if c.key == key)


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


def word_table(doc: Doc) -> _Words:
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


def sent_text(sent: Span) -> str:
    """A sentence's text, cut from its paragraph's (``Span.text`` joins its tokens again)."""
    return text_of(sent.doc)[sent.start_char:sent.end_char]


def span_text(tokens: Sequence[Token] | Span) -> tuple[str, int]:
    """The words' text, cut from their paragraph's, and where it starts there."""
    toks = list(tokens)
    if not toks:
        return "", 0
    doc = toks[0].doc
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return text_of(doc)[start:end], start


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
    words = word_table(doc)
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
    for m in lex.phrase_re.finditer(sent_text(sent)):
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
GENERIC_ACTS = frozenset(("clash", "attack"))
_THROWN = frozenset(("grenade", "shelling", "air"))  # what can be the thing that exploded
_TOOLS = frozenset(("grenade", "shelling", "air", "explosive", "chemical"))
_INSTRUMENT = frozenset(("with", "using", "by"))
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
    for t in [t for t in found if t.cls.key in GENERIC_ACTS
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
    found += [capture_trigger(tok, lex) for tok in taken_ground(sent, lex)
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
        if head is not None and head.cls.key in GENERIC_ACTS and t.cls.key not in GENERIC_ACTS:
            out.append(Trigger(t.cls, t.token, head.anchor, head.depth))
            replaced.add(head.token.i)
        else:
            out.append(t)
    out = [t for t in out if t.token.i not in replaced or t.cls.key not in GENERIC_ACTS]
    # 'Suspected gas attack on Idlib kills 58', 'four were killed when an airstrike hit a
    # clinic': the killing is what the subject, or the clause that says how, did.
    for t in list(out):
        if t.token.lemma_.lower() not in _RESULTS:
            continue
        subjects = [c for c in t.token.children if c.dep_ in ("nsubj", "advcl")
                    or (c.dep_ == "nsubjpass" and t.token.lemma_.lower() not in ("kill",))]
        inside = {x.i for c in subjects for x in c.subtree}
        acts = [x for x in out if x is not t and x.token.i in inside
                and x.cls.key not in GENERIC_ACTS and x.cls.event_type in VIOLENT_TYPES]
        if acts:
            best = min(acts, key=lambda x: (x.cls.priority, x.token.i))
            out = [x for x in out if x is not t and x is not best]
            out.append(Trigger(best.cls, best.token, t.anchor, t.depth))
    return out


def _bodies(sent: Span, lex: Lexicon) -> list[Trigger]:
    """'The body of a young man was found': a body found tells a killing."""
    attack = event_class(lex, "attack")
    out = []
    words = word_table(sent.doc)
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
    return Trigger(event_class(lex, "clash"), tok, t.anchor, t.depth)


def _raid(t: Trigger, sent: Span, lex: Lexicon) -> Trigger:
    """A raid is an arrest only where people are arrested: see the lexicon's [raid]. Aircraft
    named before it in its paragraph flew it ('Air strikes hit Milis ... the raids targeted')."""
    if (t.cls.key != "arrest" or t.token.lemma_.lower() != "raid"
            or lex.raid_arrest.search(sent_text(sent))):
        return t
    if lex.raid_air.search(text_of(sent.doc)[:sent.end_char]):
        key = "air"
    elif find_casualties(sent_text(sent)).killed.low:
        key = "clash"
    else:
        return t
    return Trigger(event_class(lex, key), t.token, t.anchor, t.depth)


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


def unheld(tok: Token, sent: Span, lex: Lexicon) -> bool:
    """A capture attempted, failed or brief ('tried to storm and capture', 'briefly seized',
    'took the hill before being driven out')."""
    for node in _clause_heads(tok):
        if node.lemma_.lower() in lex.unheld_verbs or node.lower_ in lex.unheld_nouns:
            return True
    if any(c.lower_ in lex.unheld_adverbs for c in (*tok.children, *tok.head.children)):
        return True
    return lex.unheld_after.search(text_of(sent.doc)[tok.idx:sent.end_char]) is not None


def capture_trigger(tok: Token, lex: Lexicon) -> Trigger:
    """A capture as a trigger: a verb of taking is its own clause ('before the army retook
    it' is the army's, whatever verb it hangs from)."""
    anchor = tok if tok.pos_ == "VERB" else _anchor(tok, lex)
    return Trigger(event_class(lex, "territory"), tok, anchor, _depth(anchor))


def taken_ground(sent: Span, lex: Lexicon) -> list[Token]:
    """The words of a sentence telling ground taken and held. Two captures, one of them a
    taking back ('took the village before the army regained it'), undo each other: none.
    Read once a sentence: triggers and drafts ask again."""
    cache = sent.doc.user_data.setdefault("observatory.coding.captures", {})
    key = (sent.start, sent.end)
    if key not in cache:
        cache[key] = tuple(_find_captures(sent, lex))
    return list(cache[key])


def _find_captures(sent: Span, lex: Lexicon) -> list[Token]:
    terr = event_class(lex, "territory")
    found: list[Token] = []
    doc = sent.doc
    table = word_table(doc)
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
        if held and not _negated(tok) and not unheld(tok, sent, lex):
            found.append(tok)
    assert lex.phrase_re is not None
    for m in lex.phrase_re.finditer(sent_text(sent)):
        cls = lex.by_phrase[m.group(0).lower()]
        span = sent.char_span(m.start(), m.end(), alignment_mode="expand")
        if (cls.key == "territory" and "control" not in m.group(0).lower() and span is not None
                and not _negated(span[0]) and not unheld(span.root, sent, lex)):
            found.append(span.root)

    def back(tok: Token) -> bool:
        return (tok.lemma_.lower() in lex.control_back
                or (tok.lemma_.lower() == "control" and tok.head.lemma_.lower() in lex.control_back))

    def taker(tok: Token) -> set[str]:
        words = agent_tokens(capture_trigger(tok, lex))
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


def subtree(tok: Token) -> list[Token]:
    """A word and the words hanging from it, in the order of the text."""
    return sorted(tok.subtree, key=lambda t: t.i)


def agent_tokens(trig: Trigger) -> list[Token]:
    """The phrase naming who acted: subject or 'by' agent of the clause, or the trigger's own
    modifiers ('Russian airstrikes', 'airstrikes by Russian warplanes')."""
    tok = trig.token
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by":
            pobj = [x for x in c.children if x.dep_ == "pobj"]
            if pobj:
                return subtree(pobj[0])
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
            return subtree(agent[0])
        if subj and subj[0].i != tok.i and subj[0].lower_ not in ("which", "that", "who"):
            return subtree(subj[0]) + [t for m in mods for t in subtree(m)]
        if subj and subj[0].i == tok.i:
            break
        if verb.dep_ in ("conj", "advcl", "xcomp", "acl", "relcl") and verb.head.i != verb.i:
            verb = verb.head
            continue
        break
    return [t for m in mods for t in subtree(m)]
