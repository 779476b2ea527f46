"""Claims: reads ParsedDocuments and the sources dictionary, writes attributed Claims."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources

from spacy.tokens import Span, Token

from observatory.coding.dates import find_dates, relative_gap, shift
from observatory.coding.nlp import Paragraph, ParsedDocument, entities, sentence_of, text_of
from observatory.records import Claim, DateRange, Source
from observatory.text import fold

STAGE = "claims.v1"

_LEXICON = tomllib.loads(resources.files("observatory.data").joinpath("claims.toml")
                         .read_text("utf-8"))
SPEECH_CUES = frozenset(_LEXICON["cues"])
DENIAL_CUES = frozenset(_LEXICON["denials"])
CLAIM_NOUNS = frozenset(_LEXICON["nouns"])
DENIAL_NOUNS = frozenset(_LEXICON["denial_nouns"])
OBJECTIONS = frozenset(_LEXICON["objections"])
PROPOSALS = frozenset(_LEXICON["proposals"])
CLAIM_MAKERS = frozenset(_LEXICON["claim_makers"])
OBJECT_CUES = {k: frozenset(v) for k, v in _LEXICON["objects"].items()}
RELAY_VERBS = frozenset(_LEXICON["relay"]["verbs"])
UNSAID = frozenset(_LEXICON["relay"]["unsaid"])
VEHICLES = frozenset(_LEXICON["vehicles"])
CHANNELS = frozenset(_LEXICON["channels"])
FIGURE_VERBS = frozenset(_LEXICON["figures"]["verbs"])
FIGURE_NOUNS = frozenset(_LEXICON["figures"]["nouns"])
PHRASES = {verb: frozenset(nouns) for verb, nouns in _LEXICON["phrases"].items()}
APPEALS = {verb: frozenset(preps) for verb, preps in _LEXICON["appeals"].items()}
FINDINGS = frozenset(_LEXICON["findings"])
JOINT_VERBS = frozenset(_LEXICON["joint"])
NOT_SAID = {verb: frozenset(objs) for verb, objs in _LEXICON["not_said"].items()}
# Content that calls a report false, fake or non-existent is a denial whatever the verb.
DENIAL_CONTENT = re.compile(
    r"\b(false|fake|non-?\s?existent|does not exist|doesn't exist|did not exist|never existed|"
    r"did not happen|never happened|untrue|not true|baseless|fabricat\w*|unfounded|no truth|"
    r"lies|hoax|staged|disinformation|misinformation|no evidence)\b", re.I)
PRONOUNS = {word: frozenset(types) for word, types in _LEXICON["pronouns"].items()}
NAMED_ROLES = frozenset(_LEXICON["named_roles"])
NAMELESS_ROLES = frozenset(_LEXICON["nameless_roles"])
ROLE_FITS = {word: frozenset(types) for word, types in _LEXICON["role_fits"].items()}
# Nationality words, shared with the actors dictionary: before a common word that stands for
# a Syrian source ('army', 'government') they make it another country's.
FOREIGN = frozenset(tomllib.loads(resources.files("observatory.data").joinpath("actors.toml")
                                  .read_text("utf-8"))["foreign"]["words"])
_GENDERED = frozenset(("he", "she"))
_DASHES = frozenset(("−", "–", "—", "-"))
_PUNCT_EDGE = " ,;:.\"“”'‘’()—–-"
GENERIC_NOUNS = frozenset("""civilian people area report news regime government force side part
statement time day week month year number thing way country region city town village province
reason purpose fact information source medium""".split())


@dataclass
class SourceIndex:
    """Alias lookup over the sources dictionary; longest alias in a phrase wins."""

    sources: Sequence[Source]
    roles: dict[str, str]
    titles: dict[str, str]
    by_alias: dict[str, Source] = field(init=False)

    def __post_init__(self) -> None:
        self.by_alias = {}
        for s in self.sources:
            for alias in (s.name, *s.aliases):
                self.by_alias.setdefault(_key(alias), s)
        self._longest = max((len(a.split()) for a in self.by_alias), default=1)
        # Aliases that are a common word ('the army', 'the government'), not a name.
        self._common = {_key(a) for s in self.sources for a in s.aliases
                        if a == a.lower() and len(_key(a).split()) == 1}

    def find(self, phrase: str, *, name: bool = False) -> Source | None:
        """A name (an entity as tagged) holds an alias only when not followed by 'of': 'the
        Army of Victory' is not 'the army'."""
        words = _key(phrase).split()
        for n in range(min(self._longest, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i:i + n])
                hit = self.by_alias.get(gram) or (
                    self.by_alias.get(gram[:-1]) if gram.endswith("s") else None)
                if hit and (n > 1 or words[i] not in ("the", "a")) and not (
                        name and words[i + n:i + n + 1] == ["of"]) and not (
                        gram in self._common and i and words[i - 1] in FOREIGN):
                    return hit  # ('the Iran Army' is not the army the bare word means)
        return None

    def get(self, name: str) -> Source | None:
        """A name as listed; 'Human Rights Watchs' (a possessive whose apostrophe the text
        lost) is the name without its 's'."""
        key = _key(name)
        return self.by_alias.get(key) or (self.by_alias.get(key[:-1]) if key.endswith("s")
                                          else None)


def _key(text: str) -> str:
    """'Ahrar al-Sham' and 'Ahrar al - Sham' (as tokens rejoin) are one key."""
    return " ".join(re.sub(r"[-(),−–—:]", " ", fold(text)).split()).removeprefix("the ")


@dataclass(frozen=True)
class Speaker:
    name: str
    mention: str
    type: str
    affiliation: str | None = None


@dataclass
class _Memory:
    """What the report has named so far, for 'the monitor', 'Abdulrahman', 'he'."""

    said: list[Speaker] = field(default_factory=list)  # speakers in reading order
    persons: dict[str, Speaker] = field(default_factory=dict)
    named: list[tuple[int, Speaker]] = field(default_factory=list)  # sources by position
    offset: int = 0  # where the paragraph being read starts
    last_date: DateRange | None = None
    by_cue: dict[tuple[int, int], Speaker] = field(default_factory=dict)  # who each cue gave
    genders: dict[str, str] = field(default_factory=dict)  # person name -> 'he' or 'she'
    group: list[Speaker] = field(default_factory=list)  # the speakers of the last cue
    last_at: int = -1  # where the last claim read starts

    def remember(self, sp: Speaker) -> None:
        self.said.append(sp)
        if sp.type == "person":
            for word in sp.name.split():
                self.persons[fold(word)] = sp


def _span_of(tokens: Sequence[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _trim(doc_text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and doc_text[start] in _PUNCT_EDGE:
        start += 1
    while end > start and doc_text[end - 1] in _PUNCT_EDGE and not (
            doc_text[end - 1] == "." and re.search(r"\b(?:[A-Z]\.){2,}$", doc_text[start:end])):
        end -= 1  # ('U.N.' keeps its last stop)
    return start, end


def _phrase(tok: Token) -> list[Token]:
    """The noun phrase of a speaker token, without relative clauses or trailing punctuation."""
    skip = {"relcl", "acl", "punct", "advcl", "ccomp", "conj", "cc", "case"}
    keep: list[Token] = []

    def walk(t: Token) -> None:
        keep.append(t)
        for c in t.children:
            if c.dep_ not in skip and c.dep_ != "appos":
                walk(c)
    walk(tok)
    return sorted(keep, key=lambda t: t.i)


def _entity(tok: Token) -> Span | None:
    """The entity a token is part of, found from the IOB tags (scanning doc.ents is slow)."""
    if not tok.ent_type_:
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_, kb_id=tok.ent_kb_id_)


def _parts(ent: Span, index: SourceIndex) -> list[Span]:
    """'Snopes and Channel 4 News', tagged one entity, is two speakers (unless the dictionary
    knows the whole name)."""
    if index.get(ent.text) is not None or not any(t.pos_ == "CCONJ" for t in ent):
        return [ent]
    for cc in (t for t in ent if t.pos_ == "CCONJ"):
        # 'the Coalition for Syrian Revolutionary and Opposition Forces': the 'and' is inside
        # what a preposition of the name governs.
        if any(a.dep_ == "pobj" and ent.start <= a.head.i < ent.end for a in cc.ancestors):
            return [ent]
    out, start = [], ent.start
    for t in ent:
        if t.pos_ == "CCONJ" or t.text == ",":
            if t.i > start:
                out.append(ent.doc[start:t.i])
            start = t.i + 1
    if start < ent.end:
        out.append(ent.doc[start:ent.end])
    return [Span(ent.doc, p.start, p.end, label=ent.label_) for p in out]


def _resolve_speaker(tok: Token, index: SourceIndex, memory: _Memory) -> Speaker | None:
    if not tok.ent_type_ and (tok.tag_ == "WDT" or tok.lower_ in ("which", "who", "that")):
        head = tok.head
        while head.dep_ in ("relcl", "conj") and head.head.i != head.i:
            head = head.head
        tok = head if head.pos_ in ("NOUN", "PROPN") else tok
    if tok.lower_ in PRONOUNS:
        return _pronoun(tok, index, memory)
    # 'Iran − its foreign minister Zarif said': a list of reactions heads each line with the
    # country; the speaker is the one after the dash.
    lead = next((c for c in tok.children if c.dep_ == "appos" and c.i > tok.i
                 and (tok.text in _DASHES or tok.doc[c.left_edge.i - 1].text in _DASHES)), None)
    if lead is not None:
        tok = lead
    phrase = _phrase(tok)
    appos = [c for c in tok.children if c.dep_ == "appos"]
    ent = _entity(tok)
    if ent is not None:
        ent = next((p for p in _parts(ent, index) if p.start <= tok.i < p.end), ent)
    person = ent if ent is not None and ent.label_ == "PERSON" else next(
        (e for e in entities(tok.doc) if e.label_ == "PERSON" and e.text.strip(_PUNCT_EDGE + "−")
         and phrase[0].i <= e.start
         and (e.start <= phrase[0].i + 1 or e.end == phrase[-1].i + 1
              and tok.lower_ in index.titles) and e.end <= phrase[-1].i + 1), None)
    if person is None and (tok.lower_ in index.titles or tok.lemma_.lower() in index.titles):
        # "The group's leader, Abu Mohammad al-Julani, stated": the name beside the title.
        person = next((e for a in appos if (e := _entity(a)) is not None
                       and e.label_ == "PERSON" and index.get(e.text) is None), None)
    if person is None and tok.pos_ == "NOUN":
        # 'Necip Ensari a local civil defense official': a name the NER missed heads the phrase.
        lead = []
        for t in phrase:
            if t.pos_ != "PROPN" or (t.ent_type_ and t.ent_type_ != "PERSON"):
                break
            lead.append(t)
        if len(lead) >= 2 and index.find(_words(lead)) is None:
            person = tok.doc[lead[0].i:lead[-1].i + 1]
    if (person is None and tok.pos_ == "PROPN" and any(a.lower_ in index.titles for a in appos)
            and sum(t.pos_ == "PROPN" for t in phrase) >= 2 and index.find(_words(phrase)) is None):
        # 'Karim Ariha, a local official': a name with a person's title is a person, whatever
        # the NER took it for.
        person = tok.doc[phrase[0].i:phrase[-1].i + 1]
    if person is None and tok.pos_ == "PROPN":
        # 'National Coalition leader Ahmed al-Jarba', the surname tagged a place: the names
        # after a title are the person, the words before it the institution.
        title = next((t for t in reversed(phrase) if t.i < tok.i and t.pos_ == "NOUN"), None)
        run = [t for t in phrase if title is not None and title.i < t.i <= tok.i]
        if (title is not None and title.lower_ in index.titles and len(run) >= 2
                and all(t.pos_ == "PROPN" for t in run) and index.find(_words(run)) is None):
            person = tok.doc[run[0].i:run[-1].i + 1]
    if person is not None:
        # 'Necip Ensari a local civil defense official': the person, of that source.
        known = index.get(person.text)
        if known is not None:  # 'the Observatory', tagged a person, is still the monitor
            return Speaker(known.name, person.text, known.type, known.affiliation)
        rest = " ".join(t.text for t in phrase if not (person.start <= t.i < person.end))
        affiliation = _affiliation(appos + [tok], index) or (
            src.name if (src := index.find(rest)) is not None and src.type != "person" else None)
        prior = memory.persons.get(fold(person.text))
        if prior is not None and len(person.text.split()) == 1:
            return Speaker(prior.name, person.text, prior.type, prior.affiliation)
        name = person.text.strip(" −–—")
        return Speaker(name, name, "person", affiliation)
    title_type = _role_type(tok, index.titles)
    role_type = _role_type(tok, index.roles) or title_type
    candidates: list[list[Token]] = ([list(ent)] if ent is not None else []) + [phrase] + [
        _phrase(a) for a in appos]
    if tok.lower_ in _DESCRIPTORS:
        # 'the opposition activist group the Syrian Observatory': the name it describes.
        candidates = [_phrase(a) for a in appos] + candidates
    in_prep = {x.i for c in tok.children if c.dep_ == "prep" for x in c.subtree}
    if tok.lower_ in _STATE_NOUNS:
        # 'the US authorities', 'Turkish officials', 'the Russian government': one state,
        # whichever of these nouns the dictionary lists it with.
        lead = [t for t in phrase if t.i < tok.i and t.dep_ != "det"]
        for noun in _STATE_NOUNS if lead else ():
            src = index.get(f"{_words(lead)} {noun}")
            if src is not None and src.type == "government":
                return Speaker(src.name, _words(phrase), src.type, src.affiliation)
    for tokens in candidates:
        text = " ".join(t.text for t in tokens)
        src = index.find(text, name=ent is not None and tokens[0].i == ent.start
                         and tokens[-1].i == ent.end - 1)
        if src is None:
            continue
        mention = _mention(tokens, src, index)
        # 'a source at Aleppo Police Command', 'pro-Damascus media', 'the defence ministry in
        # Moscow': the named source only qualifies the speaker, who is the role noun; 'the
        # SOHR monitoring group' is SOHR.
        qualifies = role_type != src.type or index.find(
            " ".join(t.text for t in tokens if t.i not in in_prep)) != src
        if (role_type and fold(tok.text) not in fold(mention) and qualifies
                and tok.lower_ not in _DESCRIPTORS):
            words = _words(phrase)
            # 'the defence ministry in Moscow' is "Moscow's defence ministry" when the
            # dictionary has it so.
            own = _words([t for t in phrase if t.i not in in_prep and t.dep_ != "det"])
            known = next((k for n in (src.name, *src.aliases) for k in (
                index.get(f"{n}'s {own}"), index.get(f"{n} {own}")) if k is not None), None)
            if known is not None and own:
                return Speaker(known.name, words, known.type, known.affiliation)
            # 'a source in Syria', 'residents in Damascus': where they are, not whom they
            # speak for.
            where = {x.i for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"
                     for x in c.subtree}
            placed = role_type in NAMELESS_ROLES and index.find(
                " ".join(t.text for t in tokens if t.i not in where)) != src
            return Speaker(words, words, role_type, None if placed else src.name)
        return Speaker(src.name, mention, src.type, src.affiliation)
    text = _words(list(ent) if ent is not None else phrase)
    if tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON"):
        known = memory.persons.get(fold(tok.text))
        if known and set(fold(text).split()) <= set(fold(known.name).split()):
            return Speaker(known.name, text, known.type, known.affiliation)
    if ent is not None and ent.label_ in ("ORG", "NORP", "GPE"):
        return Speaker(text, text, "unknown" if ent.label_ != "GPE" else "government")
    if role_type:
        words = _words(phrase)
        # 'the head of SOHR': a person of that source.
        affiliation = _affiliation([tok], index)
        if affiliation:
            for sp in reversed(list(memory.persons.values())):
                if sp.affiliation == affiliation:
                    return Speaker(sp.name, words, "person", affiliation)
        # 'the monitor' is the monitor named before (or, failing that, after); 'the spokesman',
        # 'a source' and 'activists' are nobody in particular.
        prior = None if title_type or not _points_back(tok, role_type) else _antecedent(
            tok, role_type, memory, index)
        if prior is not None:
            return Speaker(prior.name, words, prior.type, prior.affiliation)
        return Speaker(words, words, role_type, affiliation)
    affiliation = _affiliation([tok], index)
    if tok.lower_ in ("head", "director", "chief", "founder") and affiliation:
        for sp in reversed(list(memory.persons.values())):
            if sp.affiliation == affiliation:
                return Speaker(sp.name, _words(phrase), "person", affiliation)
    if tok.pos_ == "PROPN" and tok.dep_ in ("nsubj", "pobj"):
        return Speaker(text, text, "unknown")  # a name the dictionary and the NER do not know
    return None


def _pronoun(tok: Token, index: SourceIndex, memory: _Memory) -> Speaker:
    """'it'/'they' name the nearest organisation before them in the sentence, else a pronoun
    is the nearest earlier speaker it fits ('he' a person); with none it stays as written."""
    fits = PRONOUNS[tok.lower_]
    if tok.lower_ in ("it", "they"):
        for ent in reversed([e for e in entities(tok.doc) if e.end <= tok.i and e.start >= sentence_of(tok).start
                             and e.label_ in ("ORG", "NORP")]):
            src = index.find(ent.text)
            if src is not None and src.type in fits:
                return Speaker(src.name, tok.text, src.type, src.affiliation)
        # 'Turkistan Islamic Party: a jihadist group close to HTS. They rejected the deal.':
        # in a paragraph with no claim before it, the first source the paragraph names.
        here = memory.offset + tok.idx
        topic = next((sp for at, sp in memory.named if memory.offset <= at < here
                      and sp.type in fits), None) if memory.last_at < memory.offset else None
        if topic is not None:
            return Speaker(topic.name, tok.text, topic.type, topic.affiliation)
    # 'she' is never a person the report has called 'he'.
    prior = next((sp for sp in reversed(memory.said) if sp.type in fits and (
        tok.lower_ not in _GENDERED or memory.genders.get(sp.name, tok.lower_) == tok.lower_)),
                 None)
    if prior is not None:
        return Speaker(prior.name, tok.text, prior.type, prior.affiliation)
    return Speaker(tok.text, tok.text, "person" if "person" in fits else "unknown")


def _role_type(tok: Token, table: dict[str, str]) -> str | None:
    """'a military source' before 'a source': the noun with its modifier, then alone."""
    lemma = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ in ("amod", "compound") and (hit := table.get(f"{c.lower_} {lemma}")):
            return hit
    return table.get(tok.lower_) or table.get(lemma)


def _points_back(tok: Token, role_type: str) -> bool:
    """'the ministry' and 'a monitor' stand for a source the report names; 'residents' and
    'a source' for nobody in particular."""
    return tok.tag_ in ("NN", "NNP") and role_type not in NAMELESS_ROLES


def _antecedent(tok: Token, role_type: str, memory: _Memory,
                index: SourceIndex) -> Speaker | None:
    """The nearest earlier speaker a role noun fits, else the first named later: of the same
    type, and named with the noun itself when the type is a broad one ('the ministry' is the
    Russian Ministry of Defence, not the Turkish government)."""
    word = tok.lemma_.lower()

    def matches(sp: Speaker) -> bool:
        if word in ROLE_FITS:
            return sp.type in ROLE_FITS[word]
        if sp.type == role_type and role_type not in NAMED_ROLES:
            return True
        src = index.get(sp.name)
        names = (sp.name, *(src.aliases if src is not None else ()))
        return any(word in fold(n).split() for n in names)
    # Else the nearest source named before it ('Daesh-held villages ... the extremist group
    # said' is Daesh, not a force named at the top), else the first named after it.
    here = memory.offset + tok.idx
    # 'Syrian opposition activists and the extremist group said': never one of its conjuncts.
    spans = [(memory.offset + c.left_edge.idx, memory.offset + c.right_edge.idx)
             for c in tok.conjuncts]
    besides = {sp.name for at, sp in memory.named if any(a <= at <= b for a, b in spans)}

    def fits(sp: Speaker) -> bool:
        return sp.name not in besides and matches(sp)
    return (next((sp for sp in reversed(memory.said) if fits(sp)), None)
            or next((sp for at, sp in reversed(memory.named) if at < here and fits(sp)), None)
            or next((sp for at, sp in memory.named if at > here and fits(sp)), None))


def _mention(tokens: Sequence[Token], src: Source, index: SourceIndex) -> str:
    """The words that named the source: the alias as written, else the phrase."""
    text = " ".join(t.text for t in tokens if t.text not in ("−", "–", "—"))
    folded = fold(text)
    for alias in sorted((src.name, *src.aliases), key=len, reverse=True):
        pos = folded.find(fold(alias))
        if pos >= 0:
            return text[pos:pos + len(alias)]
    return text


def _words(tokens: Sequence[Token]) -> str:
    """A phrase as written in the report (hyphens and apostrophes kept tight)."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    return text_of(doc)[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)].strip(" −–—")


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
        elif c.dep_ == "prep" and c.lower_ == "in":
            # 'in an interview with Reuters'
            target = next((o for x in c.children if x.dep_ == "pobj" and x.lemma_ == "interview"
                           for w in x.children if w.dep_ == "prep" and w.lower_ == "with"
                           for o in w.children if o.dep_ == "pobj"), None)
        if target is None:
            continue
        words = " ".join(t.text for t in target.subtree)
        src = index.find(words)
        if src:
            out.append(src.name)
        else:
            ents = [e for e in entities(target.doc) if e.start >= target.left_edge.i
                    and e.end <= target.right_edge.i + 1 and e.label_ in ("ORG", "PERSON")]
            out.extend(e.text for e in ents[:1])
    return tuple(out)


def _content_tokens(cue: Token, subject: Token | None = None) -> tuple[list[Token], bool]:
    """The reported content of a cue and whether it is a direct quote.

    Without a complement, an attribution that closes the sentence ('... the WHO said on
    Wednesday', '... Abu Leith told Anadolu Agency') reports what comes before its subject.
    """
    sent = sentence_of(cue)
    # '... the Observatory said, updating an earlier toll': a participle that reports
    # nothing is how it was said, not what.
    comps = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp", "parataxis")
             and not (c.tag_ == "VBG"
                      and not any(x.dep_ in ("nsubj", "mark") for x in c.children))]
    # What follows the cue is what was said; a clause before it is what was said only when
    # the attribution closes the sentence, and never another attribution ('X said ...; he
    # also stressed ...').
    # '"...," said the Observatory adding that ...': the participle the speaker heads is a
    # statement of its own.
    comps = [c for c in comps if subject is None or subject.head.i != c.i]
    after = [c for c in comps if c.i > cue.i]
    comps = after or [c for c in comps if c.lemma_.lower() not in SPEECH_CUES]
    lemma = cue.lemma_.lower()
    if not after and lemma in OBJECT_CUES:
        comps = [c for c in cue.children if c.dep_ in ("dobj", "attr", "oprd")] or comps
        # 'urged the inspectors to go to Ghouta', 'called on Damascus to give access'
        comps += [c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i
                  and any(a.lower_ == "to" for a in c.children)]
        # 'blamed Israel for the deaths', never 'on Monday blamed'.
        comps += [c for c in cue.children if c.dep_ == "prep" and c.lower_ in OBJECT_CUES[lemma]
                  and c.i > cue.i and not any(o.dep_ == "pobj" and o.ent_type_ in ("DATE", "TIME")
                                              for o in c.children)]
        # 'announced the Terms for a Cessation of Hostilities', 'expressed their dissatisfaction
        # with the terms': the parse hangs the object's own preposition on the verb.
        ends = {c.right_edge.i + 1 for c in comps if c.dep_ == "dobj"}
        comps += [c for c in cue.children if c.dep_ == "prep" and c.i in ends
                  and c.lower_ in ("for", "of", "with", "over", "about", "on", "against")
                  and c not in comps and not any(o.ent_type_ in ("DATE", "TIME")
                                                 for o in c.children)]
    if any(c.dep_ == "agent" for c in cue.children) and not any(c.dep_ == "dobj" for c in comps):
        # 'this was denied by X', 'the claims were reported by X as false'
        comps += [c for c in cue.children if c.dep_ == "nsubjpass"]
        # 'was accused by the opposition of executing 65 people': the parse hangs the 'of'
        # on the agent.
        comps += [p for a in cue.children if a.dep_ == "agent" for o in a.children
                  for p in o.children
                  if p.dep_ == "prep" and p.lower_ in OBJECT_CUES.get(lemma, ())]
    tokens = sorted({t for c in comps for t in c.subtree}, key=lambda t: t.i)
    if (subject is not None and subject.dep_ == "dobj" and subject.i > cue.i and tokens
            and tokens[-1].i < cue.i):
        # '... killed at least 10 civilians said the Observatory': what the parse took for the
        # cue's subject is the end of what was said.
        tokens = [t for t in sent if tokens[0].i <= t.i < cue.i]
    if tokens and lemma in _CLAUSE_CUES:
        # 'X added a command post and three depots had been destroyed': the subject of the
        # clause, parsed as the cue's object.
        tokens = sorted({t for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < tokens[0].i
                         for t in c.subtree} | set(tokens), key=lambda t: t.i)
    if not tokens and lemma in _CLAUSE_CUES:
        # 'Konashenkov added a command center ... had been destroyed', 'X says the numbers
        # being reported sound suspicious': the parse took the clause said for an object.
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if obj is not None:
            tokens = [t for t in sent if t.i >= obj.left_edge.i and not t.is_space]
    if (not tokens and cue.dep_ == "acl" and any(c.dep_ == "agent" for c in cue.children)
            and cue.head.head.pos_ in ("VERB", "AUX")
            and cue.head.lemma_.lower() not in VEHICLES):  # ('a video posted by X showed')
        # 'unidentified militants (claimed by both HTS and X) shot down a jet': the clause
        # the participle sits in, without it.
        aside = {t.i for t in cue.subtree}
        tokens = [t for t in cue.head.head.subtree if t.i not in aside and t.text not in "()"]
    if subject is not None and (not tokens or cue.lemma_ == "tell" and not
                                any(c.dep_ in ("ccomp", "xcomp") for c in cue.children)):
        start = min(subject.left_edge.i, cue.i)
        # ('Iran − its foreign minister wrote': a second subject is no part of what was said,
        # unless it holds a verb: 'US-led strikes killed 20 fighters a monitoring group said'
        # parses what was said as the cue's other subject.)
        others = {t.i for c in cue.children if c.dep_ == "nsubj" and c.i != subject.i
                  and not any(t.pos_ == "VERB" for t in c.subtree) for t in c.subtree}
        before = [t for t in sent if t.i < start and t.i not in others]
        if sum(1 for t in before if not t.is_punct) >= 4:
            tokens = before
        elif not before and sent.start > 0 and sum(1 for t in sent if not t.is_punct) <= 5:
            # '"... the Russian Aerospace Forces?" he questioned.': a question or exclamation
            # ends a sentence of its own before its speaker.
            # ('Does it ...? Or is it ...? he questioned': every question before it.)
            start = sent.start
            while start > 0 and start > sent.start - 200:
                prev = [t for t in cue.doc[start - 1].sent if not t.is_space]
                if not prev or not any(t.text in ("?", "!") for t in prev[-2:]):
                    break
                tokens, start = prev + tokens, prev[0].i
    quote = False
    after = sent[cue.i - sent.start + 1:] if cue.i + 1 < sent.end else []
    if after and any(t.text in ("“", '"', "‘") for t in list(after)[:3]):
        quote = True
    return tokens, quote


def _denies(cue: Token) -> bool:
    """A denial cue; a cue whose object is a denial ('expressed their refusal to adhere'); a
    cue of disapproval whose object is a claim or a proposal ('denounced the claims made by
    the envoy', 'denounced the deal')."""
    lemma = cue.lemma_.lower()
    objects = {c.lemma_.lower() for c in cue.children if c.dep_ == "dobj"}
    return lemma in DENIAL_CUES or bool(objects & DENIAL_NOUNS) or lemma in OBJECTIONS and bool(
        objects & (CLAIM_NOUNS | PROPOSALS) - DENIAL_NOUNS)


def _is_cue(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in FIGURE_VERBS:
        return any(c.dep_ == "dobj" and c.lemma_.lower() in FIGURE_NOUNS for c in tok.children)
    if lemma in PHRASES:
        return any(c.dep_ == "dobj" and c.lemma_.lower() in PHRASES[lemma] for c in tok.children)
    if lemma in APPEALS:
        # ('called for an inquiry', and 'called the attack a massacre')
        return any(c.dep_ == "prep" and c.lower_ in APPEALS[lemma] or c.dep_ == "oprd"
                   for c in tok.children)
    if lemma in FINDINGS:
        return any(c.dep_ == "ccomp" for c in tok.children) or (
            tok.dep_ == "acl" and tok.head.lemma_.lower() in VEHICLES
            or any(c.dep_ == "nsubj" and c.lemma_.lower() in VEHICLES for c in tok.children)
        ) and any(c.dep_ == "dobj" for c in tok.children)
    if lemma in NOT_SAID and any(c.dep_ == "dobj" and c.lemma_.lower() in NOT_SAID[lemma]
                                 for c in tok.children):
        return False
    return lemma in SPEECH_CUES


def _speaker_tokens(cue: Token) -> list[Token]:
    """Every subject of the cue: comma-less text gives two ('Syrian rescue workers the Civil
    Defence said'); the caller keeps the first that names a speaker."""
    subjects = [c for c in cue.children if c.dep_ == "nsubj"]
    if len(subjects) > 1:
        return sorted(subjects, key=lambda t: -t.i)
    first = _speaker_token(cue)
    after = _named_after(cue) if first is not None and first.i < cue.i else None
    # '... killed at least 10 civilians said the Observatory': without a comma the parse takes
    # the reported clause's object for the cue's subject, and the speaker for its object.
    return [after, first] if after is not None else [first] if first is not None else []


def _named_after(cue: Token) -> Token | None:
    """The object that closes the sentence after a cue of saying with a clause before it:
    '... killed ten people said the Observatory.'"""
    sent = sentence_of(cue)
    if cue.lemma_.lower() not in ("say", "add") or not any(
            c.dep_ in ("ccomp", "parataxis") and c.i < cue.i for c in cue.children):
        return None
    return next((c for c in cue.children if c.dep_ == "dobj" and c.left_edge.i == cue.i + 1
                 and c.right_edge.i >= sent.end - 2), None)


def _speaker_token(cue: Token) -> Token | None:
    # Of two subjects, the one nearer the verb ('United States − President Donald Trump
    # wrote'), unless it only points back to the other ('Ansar al-Din − the group said').
    subjects = [c for c in cue.children
                if c.dep_ == "nsubj" and c.ent_type_ not in ("DATE", "TIME")]
    if subjects:
        near = subjects[-1]
        points = near.pos_ == "PRON" or near.pos_ == "NOUN" and any(
            d.dep_ == "det" and d.lower_ == "the" for d in near.children)
        return subjects[0] if points and subjects[0].pos_ == "PROPN" else near
    sent = sentence_of(cue)
    if cue.lemma_.lower() in ("say", "add") and cue.i > sent.start + 3:
        # '"...," said the Observatory (adding ...)', '... said the UN.': the speaker follows.
        before = any(c.dep_ in ("ccomp", "parataxis") and c.i < cue.i for c in cue.children)
        for c in cue.children:
            if (c.dep_ == "dobj" and c.left_edge.i == cue.i + 1
                    and (before or c.right_edge.i >= sent.end - 2)):
                return c
            if before and c.dep_ in ("ccomp", "advcl") and c.tag_ == "VBG" and c.i > cue.i:
                lead = next((x for x in c.children if x.dep_ == "nsubj"), None)
                if lead is not None and lead.left_edge.i == cue.i + 1:
                    return lead
    relay = _relay(cue)
    if relay is not None and cue.dep_ == "pcomp":
        # 'Interfax quoted a spokesman as saying', 'the ministry was quoted by SANA as saying'
        return next((c for c in relay.children if c.dep_ in ("dobj", "nsubjpass")), None)
    for c in cue.children:
        if c.dep_ == "agent":
            return next((x for x in c.children if x.dep_ == "pobj"), None)
    head = cue.head
    # 'X said and added', 'X condemned the raid and blamed Israel': a conjoined verb shares
    # its subject, unless a name stands before it ('... reached 112 the monitor said').
    if (cue.dep_ == "conj" and head.pos_ in ("VERB", "AUX")
            and not any(c.dep_ in ("nsubjpass", "expl") for c in cue.children)
            and (_is_cue(head) or cue.tag_ != "VBG" and not _named_before(cue))):
        return _speaker_token(head)
    # 'X said ..., adding that ...', '... while also saying', '... by saying': a participle
    # speaks for the statement it hangs on, else for the subject of its verb.
    if cue.tag_ == "VBG" and (cue.dep_ in ("advcl", "conj") and not any(
            c.dep_ == "mark" and c.lower_ != "while" for c in cue.children)
            or cue.dep_ == "pcomp" and head.lower_ in ("by", "while")):
        # The nearest cue before it among those it hangs on and their conjuncts: '... rejected
        # by X, and Y denounced the deal, saying ...' is Y's.
        outer = max((c for a in cue.ancestors if _is_cue(a) for c in (a, *a.conjuncts)
                     if c.i < cue.i and _is_cue(c)), key=lambda t: t.i, default=None)
        if outer is not None:
            return _speaker_token(outer)
        verb = head.head if cue.dep_ == "pcomp" else head
        return next((c for c in verb.children if c.dep_ == "nsubj"), None)
    # 'Rami Abdel Rahman head of SOHR disagreed with ...': a finite verb the parse hung on
    # the title as a clause of it has the title for its subject.
    if (cue.dep_ == "acl" and cue.tag_ in ("VBD", "VBZ") and head.dep_ == "ROOT"
            and head.pos_ == "NOUN"):
        return head
    # '..., with a monitor saying ...': the noun the participle hangs on.
    if (cue.dep_ == "acl" and cue.tag_ == "VBG" and head.dep_ == "pobj"
            and head.head.lower_ in ("with", "while") and not _vehicle(head)):
        return head
    # 'issued a statement condemning ...', 'in a post saying ...': the one who put it out.
    if cue.dep_ == "acl" and cue.tag_ == "VBG" and _vehicle(head):
        return _speaker_token(head.head if head.dep_ == "dobj" else head.head.head)
    # 'X joined Y and Z to accuse ...': the one who joined (the others are added as listed).
    if (cue.dep_ in ("advcl", "xcomp") and head.lemma_.lower() in JOINT_VERBS
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)):
        return next((c for c in head.children if c.dep_ == "nsubj"), None)
    # 'led state media to report', 'was reported by X to have said': the one made to speak.
    if cue.dep_ == "xcomp" and head.lemma_.lower() not in UNSAID:
        return next((c for c in head.children if c.dep_ == "dobj"), None) or next(
            (c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    # '..., as an AFP correspondent said': the parse hangs the speaker on 'as'.
    prev = cue.doc[cue.i - 1] if cue.i > sentence_of(cue).start else None
    if prev is not None and prev.dep_ != "punct":
        tok = next((a for a in [prev, *prev.ancestors] if a.dep_ == "pobj" and a.head.lower_ == "as"
                    and a.right_edge.i == cue.i - 1), None)
        if tok is not None:
            return tok
    return None


def _resolve_subject(tok: Token, index: SourceIndex, memory: _Memory) -> Speaker | None:
    """A cue's subject as a speaker: a statement's author, else the statement itself."""
    author = _author(tok)
    found = _resolve_speaker(author, index, memory)
    return found if found is not None or author == tok else _resolve_speaker(tok, index, memory)


def _author(tok: Token) -> Token:
    """Who a statement that speaks is from: 'IS's statement said', 'a study by X found', 'a
    statement attributed to X said'."""
    if tok.lemma_.lower() not in VEHICLES:
        return tok
    for c in tok.children:
        if c.dep_ == "poss":
            return c
        preps = [c] if c.dep_ == "prep" and c.lower_ in ("by", "from") else [
            x for x in c.children if x.dep_ in ("prep", "agent") and x.lower_ in ("to", "by")
        ] if c.dep_ == "acl" else []
        obj = next((o for p in preps for o in p.children if o.dep_ == "pobj"), None)
        if obj is not None:
            return obj
    return tok


def _vehicle(noun: Token) -> bool:
    """'a statement' that a verb puts out ('issued a statement', 'in a post')."""
    return noun.lemma_.lower() in VEHICLES and (
        noun.dep_ == "dobj" or noun.dep_ == "pobj" and noun.head.lower_ in ("in", "on")
        and noun.head.head.pos_ in ("VERB", "AUX"))


def _inside_said(tok: Token) -> bool:
    """Whether a token is part of what another cue reports (its complement's subtree)."""
    while tok.head.i != tok.i:
        if tok.dep_ in ("ccomp", "xcomp") and _is_cue(tok.head):
            return True
        tok = tok.head
    return False


def _relay(cue: Token) -> Token | None:
    """The verb that carried a cue's statement: 'quoted X as saying', 'was reported by X to
    have said', 'SANA reported that the ministry said'."""
    head = cue.head
    if cue.dep_ == "pcomp" and head.lower_ == "as" and head.head.lemma_.lower() in RELAY_VERBS:
        return head.head
    if cue.dep_ in ("ccomp", "xcomp") and head.lemma_.lower() in RELAY_VERBS and head.i != cue.i:
        return head
    return None


def _relayed(cue: Token) -> list[Token]:
    """The cues whose statement this relay verb carried."""
    inner = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp") and _is_cue(c)]
    for prep in (c for c in cue.children if c.dep_ == "prep" and c.lower_ == "as"):
        inner += [c for c in prep.children if c.dep_ == "pcomp" and _is_cue(c)]
    return inner if cue.lemma_.lower() in RELAY_VERBS else []


def _cited(cue: Token) -> Token | None:
    """'SANA, citing the ministry, said': the one a participle of a relay verb names; also
    in 'SANA said, quoting a source, that ...' (the parse hangs the participle on the clause
    said, or the clause on the participle)."""
    def relays(t: Token) -> bool:
        return (t.dep_ in ("advcl", "acl", "xcomp") and t.tag_ == "VBG"
                and t.lemma_.lower() in RELAY_VERBS)
    participles = [c for c in cue.children if relays(c)]
    participles += [c for comp in cue.children if comp.dep_ == "ccomp" and comp.i > cue.i
                    for c in comp.children if relays(c) and cue.i < c.i < comp.i]
    if relays(cue) and _is_cue(cue.head) and any(c.dep_ == "ccomp" for c in cue.children):
        participles.append(cue)
    for c in participles:
        obj = next((x for x in c.children if x.dep_ == "dobj"), None)
        if obj is not None:
            return obj
    return None


def _claim_date(cue: Token, content: tuple[int, int], para: Paragraph, base: date | None,
                memory: _Memory) -> DateRange | None:
    sent = sentence_of(cue)
    text = text_of(para.doc)
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
    read = 0
    for para in parsed.paragraphs:
        for ent in entities(para.doc):
            src = index.find(ent.text) if ent.label_ in ("ORG", "PERSON", "NORP") else None
            if src is not None:
                memory.named.append((para.offset + ent.start_char,
                                     Speaker(src.name, ent.text, src.type, src.affiliation)))
    for para in parsed.paragraphs:
        doc = para.doc
        memory.offset = para.offset
        for ent in entities(doc):
            if ent.label_ == "PERSON":
                tok = ent.root
                sp = _resolve_speaker(tok, index, memory)
                if sp and sp.type == "person" and " " in sp.name:
                    memory.persons.setdefault(fold(sp.name.split()[-1]), sp)
        for tok in doc:
            for found in (_from_cue(tok, para, index, memory, base)
                          or _from_according(tok, para, index, memory, base)
                          or _from_noun(tok, para, index, memory, base)
                          or _from_headline(tok, para, index, memory, base)):
                # Reports that repeat their lead (headline pasted into the body) say it once.
                if any(c.speaker == found["speaker"] and c.content == found["content"]
                       for c in claims):
                    continue
                # 'Condemning air strikes, X slammed the air strikes on Daraya': an opening
                # cue whose object the speaker's next cue repeats in full is one claim, the
                # fuller. (A later cue inside an earlier one's content is a statement of its
                # own that the earlier one's content ran over.)
                start = para.offset + sentence_of(tok).start_char
                claims = [c for c in claims if not (
                    c.speaker == found["speaker"] and start <= c.span[0] < found["content_span"][0]
                    and fold(c.content) in fold(found["content"]))]
                read += 1  # (an id no claim dropped above can share)
                claims.append(Claim(id=f"c{read}", **found))
            if tok.i == sentence_of(tok).end - 1 and claims:
                found = _quote_after(sentence_of(tok), claims[-1], para, memory)
                if found is not None:
                    read += 1
                    claims.append(Claim(id=f"c{read}", **found))
    return _credit_relayed(_dated_headlines(claims, parsed))


def _dated_headlines(claims: list[Claim], parsed: ParsedDocument) -> list[Claim]:
    """A headline tells what its story's body says, with no day of its own ('SOHR: the
    corridor does not exist' over 'SOHR said yesterday'): its claim was made when its
    speaker's first dated claim in the body was."""
    heads = [(p.offset, p.offset + len(text_of(p.doc))) for p in parsed.paragraphs
             if p.kind == "headline"]

    def in_head(c: Claim) -> bool:
        return any(a <= c.span[0] < b for a, b in heads)
    out = []
    for c in claims:
        if c.date is None and in_head(c):
            c = replace(c, date=next((d.date for d in claims if d.speaker == c.speaker
                                      and d.date is not None and not in_head(d)), None))
        out.append(c)
    return out


def _quote_after(sent: Span, last: Claim, para: Paragraph, memory: _Memory) -> dict | None:
    """'"..." said Yasser Hmeish. "It has been completely destroyed."': a sentence that is
    one quotation, with no cue of its own, right after a sentence that gave a speaker is that
    speaker's."""
    words = [t for t in sent if not t.is_space]
    marks = [t.i for t in words if t.text in ('"', "“", "”")]
    if (len(marks) != 2 or marks[0] != words[0].i
            or marks[1] != words[-1].i and not (marks[1] == words[-1].i - 1 and words[-1].is_punct)
            or sent.start == 0):
        return None
    # The last claim read is from the sentence before (none of this one's own).
    before = sentence_of(sent.doc[sent.start - 1])
    if not para.offset + before.start_char <= last.span[0] < para.offset + sent.start_char:
        return None
    content = [t for t in words if marks[0] < t.i < marks[1]]
    if sum(1 for t in content if not t.is_punct) < 3:
        return None
    speaker = Speaker(last.speaker, last.speaker_mention, last.speaker_type, last.affiliation)
    return _build(speaker=speaker, cue=words[0].text, span_tokens=[words[0], words[-1]],
                  content=content, quote=True, polarity_cue=False, para=para, via=last.via,
                  date_=last.date, memory=memory)


def _credit_relayed(claims: Sequence[Claim]) -> tuple[Claim, ...]:
    """A wire or channel whose report holds another speaker's claim ('Britain said ...,
    Reuters reported') only carried it: the claim keeps its speaker, with the channel as via."""
    carried: dict[str, list[str]] = {}
    dropped = set()
    for c in claims:
        if c.speaker_type not in CHANNELS:
            continue
        inner = [d for d in claims if d.speaker != c.speaker and d.speaker_type not in CHANNELS
                 and c.content_span[0] <= d.span[0] < c.content_span[1]]
        # ('According to journalists, SCD became the target of a campaign by X, who accused
        # ...': what the channel tells beyond the claim it holds is its own.)
        told = set(range(*c.content_span)) - {i for d in inner for i in range(*d.span)}
        if inner and len(told) < (c.content_span[1] - c.content_span[0]) / 2:
            dropped.add(c.id)
            for d in inner:
                carried.setdefault(d.id, []).append(c.speaker)
    kept = [c for c in claims if c.id not in dropped]
    return tuple(replace(c, id=f"c{n}", via=tuple(dict.fromkeys((*carried.get(c.id, ()), *c.via))))
                 for n, c in enumerate(kept, 1))


def _build(*, speaker: Speaker, cue: str, span_tokens: Sequence[Token], content: Sequence[Token],
           quote: bool, polarity_cue: bool, para: Paragraph, via: tuple[str, ...],
           date_: DateRange | None, memory: _Memory) -> dict:
    off = para.offset
    text = text_of(para.doc)
    cs, ce = _trim(text, *_span_of(content))
    ss, se = _span_of(span_tokens)
    ss, se = min(ss, cs), max(se, ce)
    body = text[cs:ce]
    polarity = "denies" if polarity_cue or DENIAL_CONTENT.search(body) else "asserts"
    # 'Manal, a teacher, said she heard two blasts': a speaker whose statement opens with 'he'
    # or 'she' is a person, of that gender (for the 'she told AFP' that follows).
    lead = next((t for t in content if not (t.is_punct or t.dep_ == "mark")), None)
    if (lead is not None and lead.lower_ in _GENDERED and lead.dep_ in ("nsubj", "nsubjpass")
            and speaker.type in ("person", "unknown") and speaker.mention.lower() not in PRONOUNS):
        speaker = replace(speaker, type="person")
        memory.genders.setdefault(speaker.name, lead.lower_)
    memory.remember(speaker)
    memory.last_at = ss + off
    if date_ is not None:
        memory.last_date = date_
    return dict(speaker=speaker.name, speaker_mention=speaker.mention, speaker_type=speaker.type,
                cue=cue, content=body, polarity=polarity, quote=quote,
                span=(ss + off, se + off), content_span=(cs + off, ce + off), via=via,
                date=date_, affiliation=speaker.affiliation, topics=_topics(content))


_ORG_WORDS = frozenset(("command", "ministry", "council", "agency", "army", "front", "group",
                        "committee", "office", "directorate", "forces", "brigade", "division",
                        "network", "center", "centre", "observatory", "media", "news"))
_SKIP_BEFORE_CUE = frozenset(("reportedly", "also", "later", "then", "further", "has", "have",
                              "had", "was", "is", "quoted", "as", "previously", "earlier"))


def _person_before(subject: Token) -> Span | None:
    """A PERSON name standing right before a title subject ('Necip Ensari a local official')."""
    if subject.pos_ != "NOUN" or subject.ent_type_:
        return None
    i = subject.left_edge.i - 1
    if i > sentence_of(subject).start and subject.doc[i].text == ",":
        i -= 1  # 'Mustafa Sejari, a Free Syrian Army official told'
    if i < sentence_of(subject).start:
        return None
    doc = subject.doc
    ent = _entity(doc[i])
    if ent is not None and ent.label_ == "PERSON" and ent.end == i + 1:
        return ent
    # A name the NER took for something else ('Necip Ensari', Ensari also a village): two or
    # more proper nouns that are not one place.
    j = i
    while (j >= sentence_of(subject).start and doc[j].pos_ == "PROPN"
           and doc[j].ent_type_ not in ("ORG", "NORP")):
        j -= 1
    if i - j < 2 or ent is not None and ent.start <= j + 1:
        return None
    return doc[j + 1:i + 1]


# Cues that report a clause, never an object: an object after them is a misparsed clause.
_CLAUSE_CUES = frozenset(("say", "add", "state", "note", "explain", "insist", "write", "remark"))
_STATE_NOUNS = ("officials", "authorities", "government")
_DESCRIPTORS = frozenset(("group", "monitoring", "monitor", "watchdog", "organisation",
                          "organization", "network", "agency"))


def _named_before(cue: Token) -> list[Token]:
    """The name standing right before a cue that the parse gave no subject: in text without
    commas ('... outside Aleppo Syrian state television reported on Wednesday') the speaker
    is parsed into the clause before it."""
    doc = cue.doc
    i = cue.i - 1
    while i >= sentence_of(cue).start and doc[i].lower_ in _SKIP_BEFORE_CUE:
        i -= 1
    if i < sentence_of(cue).start:
        return []
    # '... the Syrian Observatory for Human Rights monitoring group said'
    j = i
    while j > sentence_of(cue).start and doc[j].lower_ in _DESCRIPTORS:
        j -= 1
    if j < i and _entity(doc[j]) is not None:
        i = j
    tok = doc[i]
    ent = _entity(tok)
    if ent is not None and ent.label_ in ("ORG", "PERSON", "NORP") and ent.end == i + 1:
        return list(ent)
    run = []
    while i >= sentence_of(cue).start and (doc[i].pos_ == "PROPN" or doc[i].lower_ in ("al", "abu", "-")):
        if doc[i].ent_type_ == "GPE" and doc[i].ent_kb_id_:
            break  # a place ends the name: 'in Aleppo Ibrahim Abu Leith told'
        if len(run) == 1 and not run[0].ent_type_ and doc[i].ent_type_ in ("ORG", "NORP", "GPE"):
            break  # '... from combatting Daesh Cavusoglu said': the name after the group's
        run.append(doc[i])
        i -= 1
    return run[::-1] if run and run[-1].pos_ == "PROPN" else []


def _roles_before(cue: Token, index: SourceIndex) -> list[list[Token]]:
    """The common-noun speakers standing right before a cue, each with its modifiers:
    'activists and rescue workers said', '... Mayadeen the ministry said'."""
    doc = cue.doc
    start = sentence_of(cue).start
    i = cue.i - 1
    while i >= start and doc[i].lower_ in _SKIP_BEFORE_CUE:
        i -= 1
    out: list[list[Token]] = []
    while i >= start and doc[i].pos_ == "NOUN" and (
            _role_type(doc[i], index.roles) or _role_type(doc[i], index.titles)):
        j = i
        head = doc[i].lemma_.lower()
        while j - 1 >= start and doc[j - 1].ent_type_ not in ("DATE", "TIME") and (
                doc[j - 1].pos_ in ("ADJ", "DET") or doc[j - 1].dep_ == "compound"
                or f"{doc[j - 1].lower_} {head}" in index.roles):
            j -= 1
        if j - 1 >= start and doc[j - 1].pos_ == "ADP":
            return []  # 'a unit linked to the group said': the speaker is further back
        out.insert(0, list(doc[j:i + 1]))
        i = j - 1
        if i >= start and doc[i].lower_ in ("and", ","):
            i -= 1
            continue
        break
    return out


def _outer_cue(cue: Token) -> Token | None:
    """The cue a participle without a subject hangs on ('said adding that ...')."""
    if cue.tag_ != "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return None
    if cue.dep_ in ("advcl", "xcomp", "conj"):
        return cue.head if _is_cue(cue.head) and cue.head.i < cue.i else None
    head = cue.head
    if (cue.dep_ != "acl" or head.pos_ not in ("NOUN", "PROPN") or head.ent_type_
            or not any(c.dep_ in ("ccomp", "dobj") for c in cue.children)
            or head.lemma_.lower() in VEHICLES | CLAIM_NOUNS
            or head.dep_ == "pobj" and head.head.lower_ in ("by", "from", "with", "while")):
        return None
    # 'denied government bombings of the fighters saying it was a pretext': without the comma
    # the parse hangs the participle on the last noun of what was denied; it is the denier's
    # (a statement or its author, 'reports by activists saying', speaks for itself, and
    # "the observatory's reporting" is a noun).
    outer = next((a for a in head.ancestors if _is_cue(a)), None)
    return outer if outer is not None and outer.i < cue.i else None


def _resolve_tokens(tokens: Sequence[Token], index: SourceIndex, memory: _Memory) -> Speaker | None:
    text = " ".join(t.text for t in tokens)
    src = index.find(text, name=all(t.ent_type_ for t in tokens))
    if src is not None:
        return Speaker(src.name, _mention(tokens, src, index), src.type, src.affiliation)
    known = memory.persons.get(fold(tokens[-1].text))
    if known is not None:
        return Speaker(known.name, text, known.type, known.affiliation)
    head = tokens[-1]
    if head.pos_ == "NOUN" and (_role_type(head, index.roles) or _role_type(head, index.titles)):
        sp = _resolve_speaker(head, index, memory)
        if sp is not None:
            words = _words(tokens)
            own = sp.name == _words(_phrase(head))  # not an earlier speaker it stands for
            return Speaker(words if own else sp.name, words, sp.type, sp.affiliation)
    label = tokens[-1].ent_type_
    if label in ("ORG", "NORP") or any(t.lower_ in _ORG_WORDS for t in tokens):
        return Speaker(text, text, "unknown")
    # A single unknown proper noun right before the cue is a surname ('... Cavusoglu said').
    lone = len(tokens) == 1 and tokens[0].pos_ == "PROPN" and tokens[0].ent_type_ in ("", "PERSON")
    return Speaker(text, text, "person") if len(tokens) >= 2 or lone else None


def _from_cue(tok: Token, para: Paragraph, index: SourceIndex, memory: _Memory,
              base: date | None) -> list[dict]:
    if not _is_cue(tok):
        return []
    if any(c.dep_ == "neg" for c in tok.children):
        return []  # 'did not say what agent was used' attributes nothing
    if tok.dep_ == "relcl" and tok.tag_ in ("VBZ", "VBP") and tok.lemma_.lower() in OBJECT_CUES:
        return []  # 'SOHR, which documents violations': what the speaker does, not a claim
    if any(_speaker_tokens(inner) for inner in _relayed(tok)):
        return []  # the carried cue gives the claim, with this verb's subject as its channel
    if any(c.dep_ == "dobj" and _vehicle(c) and any(a.dep_ == "acl" and _is_cue(a)
                                                    for a in c.children) for c in tok.children):
        return []  # 'published a statement condemning ...': the participle gives the claim
    subjects = _speaker_tokens(tok)
    if (subjects and subjects[0].lower_ in PRONOUNS and _inside_said(tok)
            and not (tok.dep_ == "conj" and not _is_cue(tok.head))):
        # 'SOHR said it documented 40 deaths' is one statement; '... said it would raise the
        # attack at the Council and called on Damascus to ...' is a second.
        return []
    found = [(c, sp) for c in subjects if (sp := _resolve_subject(c, index, memory)) is not None]
    outer = next((a for a in tok.head.ancestors if _is_cue(a)), None)
    if (not found and tok.dep_ == "conj" and not _is_cue(tok.head) and outer is not None
            and any(c.dep_ == "neg" for c in outer.children)):
        # 'The ministry did not say when the attack occurred but said ...': the parse joins the
        # cue to the clause of the cue it answers; it is that cue's speaker's.
        found = [(c, sp) for c in _speaker_tokens(outer)
                 if (sp := _resolve_subject(c, index, memory)) is not None]
        subjects = [c for c, _ in found] or subjects
    subject, speaker = found[0] if found else (subjects[0] if subjects else None, None)
    listed = _listed(tok, subject, index, memory)
    if speaker is None and listed:
        speaker = listed[0]
    cited = _cited(tok)
    # '... Al Jazeera reported citing a source': the one named before carried it.
    named: list[Token] = [] if subjects else _named_before(tok)
    others: list[list[Token]] = []
    before: list[Token] | None = None
    if speaker is None and cited is None and not named and tok.tag_ in ("VBD", "VBZ", "VBP"):
        # '... killed 27 people on Monday activists said': without commas the parse hangs the
        # speaker, a common noun, inside what was said and gives the cue a wrong subject.
        roles = _roles_before(tok, index)
        if roles and (subject is None or subject.i < roles[0][0].i):
            named, others, subjects, subject = roles[0], roles[1:], [], None
            before = [t for t in sentence_of(tok) if t.i < named[0].i]
    if speaker is None and not subjects and not named and cited is None:
        # '... the ministry said adding that ...': a participle of a cue whose speaker the
        # parse did not give as a subject speaks for the speaker read from that cue.
        outer = _outer_cue(tok)
        heard = memory.by_cue.get((para.offset, outer.i)) if outer is not None else None
        if heard is not None:
            content, quote = _content_tokens(tok)
            content = [t for t in content if t.i not in _asides(tok)]
            if sum(1 for t in content if not t.is_punct) < 2:
                return []
            return [_build(speaker=heard, cue=tok.text, span_tokens=[tok], content=content,
                           quote=quote, polarity_cue=_denies(tok),
                           para=para, via=(), date_=_claim_date(tok, _span_of(content), para,
                                                               base, memory), memory=memory)]
    if subject is None and not named and cited is None:
        return []
    if subject is not None:
        content, quote = _content_tokens(tok, subject)
        # '..., as an AFP correspondent said': neither the speaker nor its 'as' is content.
        # ('with a monitor saying ...': the cue is inside its speaker's phrase.)
        inside = {t.i for t in tok.subtree} if tok.head.i == subject.i else set()
        inside |= {t.i for p in subject.children
                   if p.dep_ == "prep" and subject.head.dep_ == "agent"
                   and p.lower_ in OBJECT_CUES.get(tok.lemma_.lower(), ()) for t in p.subtree}
        content = [t for t in content if not (subject.left_edge.i <= t.i <= subject.right_edge.i
                                              and t.i not in inside)
                   and not (t.i == subject.head.i and t.dep_ == "prep")]
        person = _person_before(subject)
        if person is not None:
            # '"..." Necip Ensari a local civil defense official said': the name before the
            # title is the speaker, of the institution the title names.
            content = [t for t in content if t.i < person.start or t.i >= subject.i]
            affiliation = index.find(_words(_phrase(subject)))
            speaker = Speaker(person.text, person.text, "person",
                              affiliation.name if affiliation and affiliation.type != "person"
                              else None)
    elif before is not None:
        content, quote = before, False
        speaker = _resolve_tokens(named, index, memory)
        subject = named[0]
    elif named:
        content, quote = _content_tokens(tok)
        content = [t for t in content if t.i < named[0].i or t.i > tok.i]
        if not content:
            content = [t for t in sentence_of(tok) if t.i < named[0].i]
        speaker = _resolve_tokens(named, index, memory)
        subject = named[0]
    else:
        content, quote = _content_tokens(tok)
    via = _via(tok, index)
    carrier = _carrier(tok, index, memory)
    source = _resolve_speaker(cited, index, memory) if cited is not None else None
    if source is not None:
        # 'SANA, citing the ministry, said': the ministry said it, through SANA.
        carrier = speaker or _named_earlier(cited.head, index)
        speaker, subject = source, subject or cited.head
    if carrier is not None:
        via = (carrier.name, *via)
    asides = _asides(tok)
    if cited is not None and source is None:
        # '..., citing the refusal of rebel groups to withdraw': a reason given, not a source.
        asides -= {t.i for t in cited.head.subtree}
        content = sorted(set(content) | set(cited.head.subtree), key=lambda t: t.i)
    content = [t for t in content if t.i not in asides]
    if (content and subject is not None
            and all(t.tag_ in ("WP", "WDT") or t.is_punct for t in content)):
        # 'in what two groups claimed was a gas attack', 'an airstrike that they claimed was
        # aimed at ISIL': what was claimed is the sentence the clause sits in.
        said = {t.i for t in subject.subtree} | {tok.i} | {t.i for t in content}
        content = [t for t in sentence_of(tok) if t.i not in said and not t.is_space]
    # A denial's object may be one word ('denied it', 'denied responsibility').
    least = 1 if tok.lemma_.lower() in DENIAL_CUES else 2
    if not content or sum(1 for t in content if not t.is_punct) < least or speaker is None:
        return []
    speakers = [speaker]
    if subject in subjects and not named:
        # 'Moscow and Syrian state media said': each of them said it.
        speakers += [sp for c in subject.conjuncts if c.pos_ in ("NOUN", "PROPN")
                     and (sp := _resolve_speaker(c, index, memory)) is not None]
    speakers += [sp for o in others if (sp := _resolve_tokens(o, index, memory)) is not None]
    if subject is not None and (author := _author(subject)).i != subject.i:
        # 'A study by Tom Wilson and Kate Starbird found': each author.
        speakers += [sp for c in author.conjuncts if c.pos_ in ("NOUN", "PROPN")
                     and (sp := _resolve_speaker(c, index, memory)) is not None]
    if subject is not None and (whole := _entity(subject)) is not None:
        # 'reported by Snopes and Channel 4 News': each name of the list said it.
        speakers += [sp for p in _parts(whole, index) if not p.start <= subject.i < p.end
                     and (sp := _resolve_tokens(list(p), index, memory)) is not None]
    for other in subjects[1:] if subject in subjects else ():
        # 'The Turkistan Islamic Party, Guardians of Religion and Ansar al-Islam rejected':
        # a list the parse split into two subjects.
        if other is not subject and other.conjuncts:
            speakers += [sp for c in (other, *other.conjuncts) if c.pos_ in ("NOUN", "PROPN")
                         and c.i != subject.i
                         and (sp := _resolve_speaker(c, index, memory)) is not None]
    if (subject is not None and subject.lower_ == "they" and len(speakers) == 1
            and speaker.name in {g.name for g in memory.group}):
        # 'Syrian state TV, Hezbollah and SOHR reported ... Within hours, they reported ...':
        # all of them.
        speakers = [replace(g, mention=subject.text) for g in memory.group]
    speakers = list({sp.name: sp for sp in speakers + listed}.values())
    memory.group = speakers
    memory.by_cue[(para.offset, tok.i)] = speaker
    cs, ce = _span_of(content)
    date_ = _claim_date(tok, (cs, ce), para, base, memory)
    span_tokens = [min(subject.left_edge, tok, key=lambda t: t.i), tok]
    return [_build(speaker=sp, cue=tok.text, span_tokens=span_tokens, content=part,
                   quote=quote, polarity_cue=_denies(tok), para=para,
                   via=tuple(v for v in dict.fromkeys(via) if v != sp.name), date_=date_,
                   memory=memory)
            for sp in speakers for part in _clauses(tok, content)]


def _clauses(cue: Token, content: Sequence[Token]) -> list[list[Token]]:
    """'said 40 died and that the toll could reach 200': each 'that' clause joined to what a
    cue reports is a statement of its own."""
    ids = {t.i for t in content}

    def reported(verb: Token) -> bool:
        # ('said helicopters struck as clashes were underway and that ...': the parse may hang
        # the second clause on any verb of the first.)
        while verb.head.i not in (verb.i, cue.i):
            verb = verb.head
        return verb.dep_ == "ccomp" and verb.head.i == cue.i
    joined = [t for t in content if t.dep_ == "conj" and t.head.i in ids and reported(t.head)
              and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children)]
    if not joined:
        return [list(content)]
    parts = [[t for t in content if t.i in {x.i for x in j.subtree}] for j in joined]
    apart = {t.i for part in parts for t in part} | {
        c.i for j in joined for c in j.head.children if c.dep_ == "cc" and c.i < j.i}
    first = [t for t in content if t.i not in apart]
    return [p for p in (first, *parts) if sum(1 for t in p if not t.is_punct) >= 2]


def _listed(cue: Token, subject: Token | None, index: SourceIndex,
            memory: _Memory) -> list[Speaker]:
    """Every member of a list that speaks as one: 'X, Y and their supporters, who accused
    ...', 'X joined Y and Z to accuse ...'. A member no dictionary knows speaks as written."""
    nouns: list[Token] = []
    if subject is not None and subject.tag_ in ("WP", "WDT") and subject.head.dep_ == "relcl":
        nouns = _members(subject.head.head)
        if not any(c.dep_ == "cc" for n in nouns for c in n.children):
            return []  # one antecedent, resolved as the subject
    elif subject is not None and subject.head.i != cue.i and subject.head.i == cue.head.i and (
            cue.head.lemma_.lower() in JOINT_VERBS):
        nouns = [subject] + [m for o in cue.head.children if o.dep_ == "dobj" for m in _members(o)]
    if len(nouns) < 2:
        return []
    out = []
    for n in nouns:
        # (Each by its own words: a member's appositive is the next member.)
        sp = _resolve_tokens(_phrase(n), index, memory) if n.pos_ != "PRON" else None
        if sp is not None and sp.type == "person" and n.pos_ == "NOUN":
            sp = None  # ('their supporters' is no one's name)
        words = _words(_phrase(n))
        out.append(sp or Speaker(words, words, "person" if n.ent_type_ == "PERSON" else "unknown"))
    return out


def _members(noun: Token) -> list[Token]:
    """The nouns of the list a noun is part of ('the Russian government, the Syrian
    government, alt-right personalities, and their supporters')."""
    top = noun
    while top.dep_ in ("conj", "appos") and top.head.pos_ in ("NOUN", "PROPN"):
        top = top.head
    out, stack = [top], [top]
    while stack:
        for c in stack.pop().children:
            if c.dep_ in ("conj", "appos") and c.pos_ in ("NOUN", "PROPN"):
                out.append(c)
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _carrier(cue: Token, index: SourceIndex, memory: _Memory) -> Speaker | None:
    """Who carried a relayed cue's statement: Interfax in 'Interfax quoted X as saying'."""
    relay = _relay(cue)
    if relay is None or relay.i == cue.i:
        return None
    tok = _speaker_token(relay)
    return _resolve_speaker(tok, index, memory) if tok is not None else None


def _named_earlier(tok: Token, index: SourceIndex) -> Speaker | None:
    """The nearest known source named before a token in its sentence ('SANA, citing ...')."""
    sent = sentence_of(tok)
    for ent in reversed([e for e in entities(tok.doc) if sent.start <= e.start and e.end <= tok.i]):
        src = index.find(ent.text)
        if src is not None:
            return Speaker(src.name, ent.text, src.type, src.affiliation)
    return None


def _asides(cue: Token) -> set[int]:
    """Clauses inside a cue's content that are no part of it: a participle cue that is a claim
    of its own ('..., adding that ...') and a relay's 'citing X'."""
    out: set[int] = set()
    for t in cue.subtree:
        if (t.i != cue.i and t.dep_ in ("advcl", "xcomp") and t.tag_ == "VBG"
                and (_is_cue(t) or t.lemma_.lower() in RELAY_VERBS)
                and not any(c.dep_ in ("nsubj", "mark") for c in t.children)
                or t.dep_ == "acl" and _is_cue(t) and _outer_cue(t) == cue):
            out.update(x.i for x in t.subtree)
    return out


def _from_according(tok: Token, para: Paragraph, index: SourceIndex, memory: _Memory,
                    base: date | None) -> list[dict]:
    """'..., according to X': the sentence minus the attribution is X's claim (and each of
    'X, Y and Z''s)."""
    if tok.lower_ != "according":
        return []
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
        to = tok.nbor()
    obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if obj is None:
        return []
    # 'according to a report by X' is X's.
    speakers = [sp for o in (obj, *obj.conjuncts) if o.pos_ in ("NOUN", "PROPN")
                and (sp := _resolve_subject(o, index, memory)) is not None]
    if not speakers:
        return []
    sent = sentence_of(tok)
    end = obj.right_edge
    subjects = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if (len(subjects) > 1 and subjects[0].i > end.i and subjects[0].conjuncts
            and subjects[0].pos_ in ("NOUN", "PROPN")
            and all(t.is_punct for t in tok.doc[end.i + 1:subjects[0].left_edge.i])):
        # 'According to the opposition, Human Rights Watch and some residents the killings
        # were ...': the rest of the list, which the parse took for a second subject.
        listed = [_resolve_tokens(_phrase(c), index, memory)
                  for c in (subjects[0], *subjects[0].conjuncts)]
        speakers += [sp for sp in listed if sp is not None]
        end = subjects[0].right_edge
    attribution = set(range(tok.i, end.i + 1))
    content = [t for t in sent if t.i not in attribution and not t.is_space]
    if sum(1 for t in content if not t.is_punct) < 3:
        return []
    cs, ce = _span_of(content)
    date_ = _claim_date(tok, (cs, ce), para, base, memory)
    return [_build(speaker=sp, cue="according to", span_tokens=[tok, end],
                   content=content, quote=False, polarity_cue=False, para=para, via=(),
                   date_=date_, memory=memory) for sp in speakers]


def _from_noun(tok: Token, para: Paragraph, index: SourceIndex, memory: _Memory,
               base: date | None) -> list[dict]:
    """"Assad's claim that ...", 'claims by rebels that ...': a claim noun with its author and
    the clause it carries."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in CLAIM_NOUNS:
        return []
    clause = next((c for c in tok.children if c.dep_ in ("acl", "relcl", "ccomp") and any(
        m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    author = next((c for c in tok.children if c.dep_ == "poss"), None) or next(
        (o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("by", "from")
         for o in p.children if o.dep_ == "pobj"), None)
    if author is None and tok.dep_ == "dobj" and tok.head.lemma_.lower() in CLAIM_MAKERS:
        # 'Moscow has used claims that it was striking terrorists': who made them.
        author = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    if clause is None or author is None:
        return []
    speaker = _resolve_speaker(author, index, memory)
    content = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)]
    if speaker is None or sum(1 for t in content if not t.is_punct) < 3:
        return []
    return [_build(speaker=speaker, cue=tok.text, span_tokens=[min(author, tok, key=lambda t: t.i),
                                                              tok],
                   content=content, quote=False,
                   polarity_cue=tok.lemma_.lower() in DENIAL_NOUNS, para=para, via=(),
                   date_=_claim_date(tok, _span_of(content), para, base, memory), memory=memory)]


def _from_headline(tok: Token, para: Paragraph, index: SourceIndex, memory: _Memory,
                   base: date | None) -> list[dict]:
    """A headline that names its speaker beside a colon: 'Coalition: the regime used gas
    again', 'Shelling resumes on the suburbs: activists'."""
    if tok.text != ":":
        return []
    # A headline segment is one line, whatever sentences the parser cuts it into at its colon.
    sent = para.doc[:] if para.kind == "headline" else sentence_of(tok)
    words = [t for t in sent if not t.is_punct and not t.is_space]
    left = [t for t in words if t.i < tok.i and t.ent_type_ not in ("DATE", "TIME", "CARDINAL")]
    right = [t for t in words if t.i > tok.i]
    # A headline has one colon and no commas ('... formed one body: Syria Civil Defence' names).
    if (sum(1 for t in sent if t.text == ":") != 1 or any(t.text == "," for t in sent)
            or not left or not right):
        return []
    for side, content in ((left, right), (right, left)):
        if len(side) > 4 or len(content) < 4 or any(t.pos_ in ("VERB", "AUX") for t in side):
            continue
        if side is left and left[0].i != min(t.i for t in words if t.i < tok.i
                                              and t.ent_type_ not in ("DATE", "TIME", "CARDINAL")):
            continue
        speaker = _headline_speaker(side, index, memory)
        if speaker is None:
            continue
        span = [t for t in sent if content[0].i <= t.i <= content[-1].i]
        return [_build(speaker=speaker, cue=":", span_tokens=[side[0], side[-1]], content=span,
                       quote=False, polarity_cue=False, para=para, via=(),
                       date_=_claim_date(tok, _span_of(span), para, base, memory),
                       memory=memory)]
    return []


def _headline_speaker(side: Sequence[Token], index: SourceIndex,
                      memory: _Memory) -> Speaker | None:
    """The speaker a headline names: a known source, an organisation or person the NER sees
    as the whole phrase, or a common-noun speaker ('activists', 'rights group')."""
    text = _words(side)
    src = index.find(text)
    if src is not None and fold(_mention(side, src, index)) == fold(text).removeprefix("the "):
        return Speaker(src.name, text, src.type, src.affiliation)
    ent = _entity(side[-1])
    if ent is not None and ent.label_ in ("ORG", "PERSON") and ent.start <= side[0].i:
        return Speaker(ent.text, ent.text, "person" if ent.label_ == "PERSON" else "unknown")
    head = side[-1]
    if head.pos_ == "NOUN" and (role := _role_type(head, index.roles)):
        return Speaker(text, text, role)
    return None
