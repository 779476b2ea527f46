"""Event places: reads a sentence's place names and the gazetteer, writes where its incident happened."""
from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span

from observatory.coding.actors import ActorIndex
from observatory.coding.nlp import PLACE_LABEL, Paragraph, ParsedDocument, entities, sentence_of, text_of
from observatory.coding.places import (ARTICLE_WORDS, Gazetteer, choose_entry, km_between,
                                       km_to_governorate, to_location)
from observatory.coding.triggers import Lexicon
from observatory.records import GazetteerEntry, Location

# A place name followed by these is part of another name: a unit, a road.
_ORG_TAIL = frozenset(("military", "council", "brigade", "division", "battalion", "regiment",
                       "brigades", "operations", "room", "army", "forces", "faction", "highway",
                       "road", "street", "roundabout"))
_SITES = frozenset(("airport", "airbase", "base", "air", "camp", "academy", "college",
                    "barracks", "hospital"))
_QUARTER = frozenset(("neighborhood", "neighbourhood", "quarter", "neighborhoods",
                      "neighbourhoods"))
_ORIGIN = frozenset(("via", "from"))


def place_spans(para: Paragraph) -> frozenset[tuple[int, int]]:
    """Where the paragraph names gazetteer places: 'Damascus' there is the city, not an actor.
    Computed once per paragraph: every trigger sentence and every draft of it asks."""
    cached = para.doc.user_data.get("observatory.coding.places")
    if cached is None:
        cached = para.doc.user_data["observatory.coding.places"] = frozenset(
            (e.start_char + para.offset, e.end_char + para.offset)
            for e in entities(para.doc) if e.label_ == PLACE_LABEL and e.kb_id_)
    return cached


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


def locate(sent: Span, para: Paragraph, gaz: Gazetteer, lex: Lexicon,
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


def _called(ent: Span, kinds: frozenset[str], *, article_apart: bool = False,
            kind_of_next: bool = True) -> bool:
    """'the <kind> of X', 'X <kind>': the report itself calls the name one of the kinds.
    article_apart: 'of al-Zahraa' may leave the article outside the name; without
    kind_of_next, 'X <kind> of Y' does not call X so."""
    doc = ent.doc
    i = ent.start
    while article_apart and i > 0 and doc[i - 1].lower_ in _ARTICLE_TOKENS:
        i -= 1
    before = [t.lower_ for t in doc[max(0, i - 2):i]]
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    of_next = ent.end + 1 < len(doc) and doc[ent.end + 1].lower_ == "of"
    return (len(before) == 2 and before[0] in kinds and before[1] == "of") or (
        after in kinds and (kind_of_next or not of_next))


def _called_town(ent: Span) -> bool:
    """'the village of X', 'X town': the report itself calls the name a settlement. Not where
    people came from ('evacuees from the towns of X'); 'the Syrian town of Raqqa': a word
    before 'town of' describes the town, the one after names it."""
    return not _origin(ent) and _called(ent, _SETTLEMENT, kind_of_next=False)


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
    return _called(ent, _QUARTER, article_apart=True)


_ARTICLE_TOKENS = ARTICLE_WORDS | {"the"}


def _placed(ent: Span) -> bool:
    """A mention that stands where a place stands: after 'in', 'on', 'near', 'captured'."""
    doc = ent.doc
    return ent.start > 0 and doc[ent.start - 1].lower_ in _LOCATIVE


def place_hints(parsed: ParsedDocument, gaz: Gazetteer, actors: ActorIndex
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


def theatre(para: Paragraph, sents: Sequence[Span], actors: ActorIndex, gaz: Gazetteer
            ) -> Location | None:
    """An operation fought in one governorate places, at its precision, an incident that no
    place of the report does ('Olive Branch forces took a village' is in Aleppo)."""
    start, end = sents[0].start_char, sents[-1].end_char
    text = text_of(para.doc)[start:end]
    found = actors.theatres(text)
    if not found or len(found[0][2]) != 1 or found[0][2][0] not in gaz.areas:
        return None
    s, e, (area,) = found[0]
    return to_location(gaz.entries[gaz.areas[area]], mention=text[s:e],
                       span=(start + s + para.offset, start + e + para.offset), precision=3)
