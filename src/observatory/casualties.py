"""Casualties: reads sentences, writes killed and injured counts as ranges (Count)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .records import Count

STAGE = "casualties.v1"

UNITS = {"zero": 0, "no": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4,
         "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
         "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
         "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
         "hundred": 100, "a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2,
         "both": 2, "single": 1}
# Vague quantities: the range the word supports.
VAGUE = {"dozens": (24, 99), "dozens of": (24, 99), "scores": (40, 99), "scores of": (40, 99),
         "hundreds": (100, 999), "hundreds of": (100, 999), "thousands": (1000, 9999),
         "thousands of": (1000, 9999), "tens of": (20, 99), "several": (3, 9), "a few": (2, 5),
         "few": (2, 5), "some": (None, None), "many": (None, None), "a number of": (None, None),
         "numerous": (None, None)}
# 'More than 19' is coded 19 and up, as coders of tolls do: the figure is what was counted,
# and a report of exactly 19 does not contradict it.
QUALIFIERS = {"at least": "low", "no less than": "low", "not less than": "low",
              "more than": "low", "over": "low", "upwards of": "low", "up to": "high",
              "as many as": "high", "nearly": "high", "almost": "high", "around": "about",
              "about": "about", "approximately": "about", "some": "about", "roughly": "about",
              "at most": "high"}
_NUM_WORD = "|".join(sorted((re.escape(k) for k in UNITS if k not in ("no", "both")), key=len,
                            reverse=True))
_VAGUE = "|".join(sorted((re.escape(k) for k in VAGUE), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(k) for k in QUALIFIERS), key=len, reverse=True))
# A number starts a word: the 'a' that ends 'Kafraya' or 'Syria' counts nobody.
NUMBER = (rf"(?<![\w'’-])(?:(?P<qual>{_QUAL})\s+)?(?P<num>\d[\d,]*|(?:{_NUM_WORD})(?:[\s-](?:{_NUM_WORD}))?"
          rf"|{_VAGUE})")
# People who can be counted: 'two children and their mother' counts each noun.
PERSON_NOUNS = (r"(?:people|persons?|civilians?|children|child|kids?|boys?|girls?|babies|baby|"
                r"infants?|women|woman|men|man|members?|fighters?|soldiers?|troops|militants|"
                r"rebels?|elements|personnel|officers?|officials?|members|mother|father|"
                r"brothers?|sisters?|sons?|daughters?|wife|husband|family members|"
                r"relatives|individuals|victims|workers?|farmers?|shepherds?|teachers?|"
                r"students?|doctors?|nurses?|paramedics?|volunteers?|journalists?|"
                r"residents?|villagers?|displaced|IDPs|refugees|gunmen|insurgents|jihadists|"
                r"conscripts|recruits|guards?|policemen|police officers|commanders?|leaders?|"
                r"teenagers?|youths?|toddlers?|elderly|others|directors?|mayors?|imams?|activists?|judges?|lawyers?|"
                r"crew members|pilots?|drivers?|pro-[\w-]+ (?:fighters|militiamen)|militiamen|"
                r"evacuees|passengers|worshippers|mourners|pilgrims|shoppers|patients|medics|"
                r"staff|Syrians|Kurds|Alawites|Christians|Shiites|Sunnis|Yazidis|tribesmen|"
                r"jihadis|extremists|terrorists|combatants|prisoners|detainees|inmates|"
                r"citizens|guests|protesters|demonstrators|hostages|captives|loyalists|"
                r"servicemen|gunmen|mercenaries|fighters|rescuers|rescue workers|"
                r"(?:aid|relief) workers|hospital staff)")
KILL = r"(?:death toll|number of (?:the )?(?:dead|victims|deaths|fatalities)|claim(?:ed|ing|s)? the lives? of|killed|killing|kills|kill|dead|died|die|deaths?|assassinat\w*|fatalities|fatality|lost their lives|lost his life|lost her life|perished|slain|massacred|executed|shot dead|martyred|killings?)"
HURT = r"(?:injured|injuring|injuries|injury|wounded|wounding|hurt|casualties)"
_COUNTED = re.compile(
    rf"{NUMBER}\s+(?P<mods>(?:(?!\d|(?:{_NUM_WORD}|{_VAGUE})\b)[\w'’-]+\s+){{0,4}}?){PERSON_NOUNS}"
    rf"(?![\w'’-])", re.I)  # the words between are not another count ('2015 Thirteen civilians')
_NUMBER_ONLY = re.compile(NUMBER + r"\b", re.I)
_ZERO_BOTH = re.compile(r"\b(?:neither|no)\s+(?:injuries|casualties|fatalities|deaths)\s+(?:nor|or|and)\s+"
                        r"(?:injuries|casualties|fatalities|deaths)\b|\bno casualties\b|"
                        r"\bwithout (?:any )?casualties\b|\bno one was (?:hurt|harmed)\b", re.I)
_ZERO_KILLED = re.compile(r"\bno\s+(?:fatalities|deaths|one was killed|people were killed|"
                          r"civilians were killed|killed|dead)\b|\bno one (?:was )?killed\b|"
                          r"\bwithout (?:any )?(?:fatalities|deaths)\b", re.I)
_ZERO_HURT = re.compile(r"\bno\s+(?:injuries|injured|wounded)\b|\bno one was (?:injured|wounded)\b",
                        re.I)
_CLAUSE_SPLIT = re.compile(r"(?<=[;:])\s+|,\s+(?:while|whereas|and|as|but)\s+|\s+while\s+|\s+whereas\s+")


@dataclass(frozen=True, slots=True)
class Casualties:
    killed: Count
    injured: Count


# A year after a month or day is a date, never a count: 'On 9 March 2019 4 farmers'.
_YEAR = re.compile(r"(?:19|20)\d\d")
_DATE_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*"
                          r"(?:\d{1,2})?\s*,?\s*$|\b\d{1,2}\s*,?\s*$", re.I)
# 'left 7 villagers dead, among them 3 women': what follows counts a part, not more people.
_SUBSET = re.compile(r"\b(?:including|included|includes|among them|among whom|of whom|one of|two of|most of|"
                     r"mostly|mainly|some of)\b", re.I)
_CIRCUMSTANCES = re.compile(r"\s*(?:by|in|on|at(?!\s+(?:least|most)\b)|during|when|after|near|as|while|from|since|"
                            r"across|inside|outside)\b", re.I)
_PART_OF = re.compile(r"\b(?:of|among)\s+(?:the|those)\s*$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+(?P<a>\d+)\s*(?:and|-|to)\s*(?P<b>\d+)\b|\b(?P<c>\d+)\s*(?:-|to)\s*(?P<d>\d+)\s+(?=\w)", re.I)
# A report's own statement of its count ('Total fatalities coded to 9') settles it.
_STATED = re.compile(r"\b(?:total\s+)?fatalities\s+(?:were\s+|are\s+)?(?:coded|counted|recorded|estimated)"
                     r"\s+(?:as|to|at)\s+(?P<n>\d+)\b|\btotal\s+fatalities\s*:?\s*(?P<m>\d+)\b", re.I)


def _is_year(text: str, start: int, num: str) -> bool:
    return bool(_YEAR.fullmatch(num)) and bool(_DATE_BEFORE.search(text[:start]))


def _figure(digits: str) -> int:
    """'1,300' -> 1300."""
    return int(digits.replace(",", ""))


def _value(num: str) -> tuple[int | None, int | None] | None:
    num = num.lower().strip()
    if num in VAGUE:
        return VAGUE[num]
    if re.fullmatch(r"\d[\d,]*", num):
        n = _figure(num)
        return n, n
    parts = re.split(r"[\s-]", num)
    if " ".join(parts) in UNITS:
        n = UNITS[" ".join(parts)]
        return n, n
    total = 0
    for p in parts:
        if p not in UNITS:
            return None
        total = total * UNITS[p] if UNITS[p] == 100 else total + UNITS[p]
    return total, total


def vague(phrase: str) -> bool:
    """Whether a count is a word of quantity ('dozens of civilians'), not a figure."""
    m = _NUMBER_ONLY.match(phrase.strip())
    return bool(m) and m.group("num").lower() in VAGUE


def vague_at(text: str, span: Sequence[int] | None) -> bool:
    """Whether the count at ``span`` of ``text`` is a word of quantity."""
    if not span:
        return False
    return vague(text[span[0]:span[1]])


def _range(qual: str | None, num: str) -> tuple[int | None, int | None] | None:
    value = _value(num)
    if value is None:
        return None
    low, high = value
    kind = QUALIFIERS.get((qual or "").lower())
    if low is None:
        return None
    if kind == "low":
        return low, None
    if kind == "high":
        return 1, high
    return low, high


_JOINED = re.compile(r"\s*(?:,|and|, and|as well as|plus|along with)?\s*", re.I)


def _counted_total(text: str) -> tuple[int | None, int | None, tuple[int, int]] | None:
    """Sum the counted nouns of one phrase: 'two children and their mother' is 3."""
    total_low = 0
    total_high: int | None = 0
    first = last = None
    for m in re.finditer(rf"(?:{NUMBER}|(?P<one>\b(?:a|an|his|her|their|its|the|one)\b))\s+"
                         rf"(?:[\w'’-]+\s+){{0,2}}?{PERSON_NOUNS}(?![\w'’-])", text, re.I):
        if m.group("one") is not None:
            # '1 member of the Republican Guard': a phrase after 'of' qualifies, it adds nobody.
            if text[:m.start()].rstrip().lower().endswith((" of", "of")):
                continue
            noun = m.group(0).split()[-1].lower()
            if noun.endswith("s") and noun not in ("boss",) or noun in ("people", "children", "women", "men"):
                continue
            low = high = 1
        else:
            rng = _range(m.group("qual"), m.group("num"))
            if rng is None:
                continue
            low, high = rng
        if low is None:
            continue
        if last is not None and not _JOINED.fullmatch(text[last:m.start()]):
            break  # 'killed 43 people, after a pilot ...': only a list adds up
        total_low += low
        total_high = None if total_high is None or high is None else total_high + high
        first = m.start() if first is None else first
        last = m.end()
    if first is None:
        return None
    return total_low, total_high, (first, last)


def _near(text: str, cue: re.Pattern[str]) -> list[tuple[int, int | None, tuple[int, int]]]:
    """Counts tied to a cue word in each clause: before it ('5 civilians were killed') or after
    it ('killing 5 civilians', 'death toll rose to 5')."""
    found = []
    for m in cue.finditer(text):
        clause_start = max(text.rfind(sep, 0, m.start()) for sep in (";", ". ", ":", " while ", " whereas "))
        clause_start = max(clause_start, 0)
        before = text[clause_start:m.start()]
        if _PART_OF.search(before):
            continue  # 'most of the dead were evacuees': a part of a toll given elsewhere
        after = text[m.end():m.end() + 90]
        after = re.split(r"[;.]|\bwhile\b|\band (?:the )?(?:injur|wound)|\binjuring\b|\bwounding\b",
                         after)[0]
        after = _SUBSET.split(after)[0]
        if _NEXT_CLAUSE.match(after):
            after = ""  # 'killed and dozens others wounded': what follows 'and' is the next clause
        rng = _BETWEEN.match(after.strip())
        if rng:
            lo, hi = (rng["a"], rng["b"]) if rng["a"] else (rng["c"], rng["d"])
            lead = len(after) - len(after.lstrip())
            found.append((int(lo), int(hi), (m.end() + lead, m.end() + lead + rng.end())))
            continue
        # 'killing two children and their mother': the counted phrase follows the cue.
        # 'killed by two unknown gunmen': who follows 'by' did the killing.
        # 'were killed in an attack on a rebel post': after a preposition come circumstances.
        got = None if _CIRCUMSTANCES.match(after) else _counted_total(after)
        if got is not None and got[2][0] < 40:
            low, high, (s, e) = got
            if _QUAL_AFTER.match(after, e):
                high = None
            found.append((low, high, (m.end() + s, m.end() + e)))
            continue
        # 'assassinated a prominent figure': one person, whatever the noun.
        single = _SINGLE.match(after)
        if single and m.group(0).lower().startswith(("assassinat", "executed", "killed", "killing",
                                                     "shot dead")):
            found.append((1, 1, (m.end() + single.start(1), m.end() + single.end())))
            continue
        # Headlines count without a noun: 'Suspected gas attack kills at least 58'.
        bare_after = _BARE_AFTER.match(after)
        if bare_after and m.group(0).lower() in ("kills", "killed", "killing", "kill") \
                and bare_after["num"].lower() not in _NOT_A_TOLL:
            rng = _range(bare_after["qual"], bare_after["num"])
            if rng and rng[0] is not None:
                found.append((rng[0], rng[1], (m.end() + bare_after.start("num"),
                                               m.end() + bare_after.end("num"))))
                continue
        toll_cue = m.group(0).lower().startswith(("death toll", "number of"))
        toll_range = _TOLL_BETWEEN.match(after)
        if toll_range and toll_cue:
            found.append((_figure(toll_range["a"]), _figure(toll_range["b"]),
                          (m.end() + toll_range.start("a"), m.end() + toll_range.end())))
            continue
        num_after = re.match(rf"(?:\s+(?!(?:{_QUAL})\b)[\w'’-]+){{0,8}}?\s*(?:rose|risen|rising|rises|climbed|climbs|reached|reaches|hit|hits|stood|stands|is|was|of|to|at|\s)*\s*{NUMBER}\b",
                             after, re.I)
        if toll_cue and (
                num_after is None or num_after.group("num").lower() in _NOT_A_TOLL):
            num_after = _TOLL_ROSE.match(text[m.end():])
        if num_after and m.group(0).lower().startswith(("death", "fatal", "number of")) \
                and num_after.group("num").lower() not in _NOT_A_TOLL:
            rng = _range(num_after.group("qual"), num_after.group("num"))
            if rng and rng[0] is not None:
                found.append((rng[0], rng[1], (m.end(), m.end() + num_after.end())))
                continue
        tail = before[-120:]
        tail_start = m.start() - len(tail)
        span = _BETWEEN_BEFORE.search(tail)
        if span:
            # 'Between 500 and 1,300 people died': a range, not its upper end.
            found.append((_figure(span["a"]), _figure(span["b"]),
                          (tail_start + span.start(), tail_start + span.end())))
            continue
        counted = [c for c in _COUNTED.finditer(tail)
                   if not _is_year(text, tail_start + c.start("num"), c.group("num"))]
        if counted:
            parts = _listed(tail, counted)
            # The counted people must be the ones the cue is about: little between them.
            gap = tail[parts[-1].end():]
            # 'killing 1 soldier and injuring others': those counted belong to the first cue.
            owned = re.search(rf"\b(?:{KILL}|{HURT})\W+(?:[\w-]+\W+){{0,2}}$",
                              tail[:parts[0].start()], re.I)
            if len(gap) < 45 and not owned \
                    and not re.search(r"\b(?:and|,)\s+\d", tail[counted[-1].end():]):
                got = [_counted_total(tail[c.start():c.end()]) for c in parts]
                base = m.start() - len(tail)
                if all(g and g[0] is not None for g in got):
                    low = sum(g[0] for g in got)  # type: ignore[index,misc]
                    highs = [g[1] for g in got]  # type: ignore[index]
                    high = None if None in highs else sum(highs)  # type: ignore[arg-type]
                    found.append((low, high, (base + parts[0].start(), base + parts[-1].end())))
                    continue
        # 'the headmaster of the village school died of his wounds': one person, the subject.
        if m.group(0).lower() in ("died", "was killed", "killed") and not counted:
            subject = re.match(rf"\s*(?:[A-Z][\w ]*?:\s*)?(?:(?:[Aa]s reported on|[Oo]n) [^,]*?\d{{4}},?\s+)?(?:the|a|an)\s+"
                               rf"(?:[\w'’-]+\s+){{0,2}}?{PERSON_NOUNS}(?![\w'’-])", tail)
            if subject and not re.search(rf"\b(?:{KILL}|{HURT})\b", tail[subject.end():], re.I) \
                    and not subject.group(0).rstrip().endswith(("s", "people", "children", "men",
                                                                "women")):
                found.append((1, 1, (tail_start + subject.start(), tail_start + subject.end())))
                continue
        bare = [b for b in _NUMBER_ONLY.finditer(tail)
                if not _is_year(text, tail_start + b.start("num"), b.group("num"))]
        if bare and re.fullmatch(r"\s*(?:were|was|have been|had been|are|people|were reported)?\s*", tail[bare[-1].end():]):
            b = bare[-1]
            rng = _range(b.group("qual"), b.group("num"))
            if rng and rng[0] is not None:
                base = m.start() - len(tail)
                found.append((rng[0], rng[1], (base + b.start(), base + b.end())))
    return found


# 'five civilians and three fighters', '23 civilians - including nine children - and 16
# combatants': the mark before 'and' closes an aside.
_LIST_JOIN = re.compile(r"\s*[-–)]?\s*(?:,|and|, and|as well as|plus|along with)\s*", re.I)
_ASIDE_JOIN = re.compile(r"\s*[-–)]\s*(?:,|and|, and)\s*", re.I)


def _listed(tail: str, counted: list[re.Match[str]]) -> list[re.Match[str]]:
    """The counts that together are the toll before a cue: the last list of them ('five
    civilians and three fighters were killed'), not a part of an earlier whole ('126 people
    including 68 children and 20 women were killed'), nor an aside's part."""
    def between(i: int, j: int) -> str:
        return tail[counted[i].end():counted[j].start()]

    def subset(i: int, j: int) -> bool:
        return bool(_SUBSET.search(between(i, j))) and len(between(i, j)) < 30

    k = len(counted) - 1
    while True:
        parts = [k]
        while parts[0] > 0:
            j = parts[0]
            if j > 1 and _ASIDE_JOIN.fullmatch(between(j - 1, j)) and subset(j - 2, j - 1):
                parts.insert(0, j - 2)  # the aside's count is a part of the one before it
            elif _LIST_JOIN.fullmatch(between(j - 1, j)):
                parts.insert(0, j - 1)
            else:
                break
        if parts[0] > 0 and subset(parts[0] - 1, parts[0]):
            k = parts[0] - 1  # the list is a part of the count before it: the whole counts
            continue
        return [counted[i] for i in parts]


# 'Between 500 and 1,300 people died'
_BETWEEN_BEFORE = re.compile(rf"\bbetween\s+(?P<a>\d[\d,]*)\s+(?:and|to)\s+(?P<b>\d[\d,]*)\s+"
                             rf"(?:[\w-]+\s+){{0,2}}?{PERSON_NOUNS}\s+"
                             rf"(?:were\s+|have\s+been\s+|had\s+been\s+)?$", re.I)
# 'the death toll estimated between 500 and 1,300'
_TOLL_BETWEEN = re.compile(r"(?:\s+[\w'’-]+){0,3}?\s+between\s+(?P<a>\d[\d,]*)\s+(?:and|to)\s+"
                           r"(?P<b>\d[\d,]*)\b", re.I)
_NEXT_CLAUSE = re.compile(r"\s*,?\s*(?:and|while|but)\b", re.I)
# 'The death toll from ... has risen to 86': the verb that gives the toll may come far after.
_TOLL_ROSE = re.compile(rf"[^;.]{{0,160}}?\b(?:rose|risen|rising|rises|climbed|climbs|reached|reaches|"
                        rf"jumped|increased|stood|stands|was|is|has hit|hit)\s+(?:to\s+|at\s+)?{NUMBER}\b",
                        re.I)
# 'Car bomb kills 70 people at least': a qualifier after the count.
_QUAL_AFTER = re.compile(r"\s+(?:at least|or more)\b", re.I)
# After 'kills' or 'death toll' these are articles and quantifiers, never the toll itself.
_NOT_A_TOLL = frozenset(("a", "an", "one", "some", "many"))
_BARE_AFTER = re.compile(rf"\s+{NUMBER}(?!\s*(?:km|kilomet\w+|miles?|met\w+|percent|per cent|%|"
                         rf"years?|days?|hours?|months?|weeks?|times|kg|tons?)\b)(?=\s|$|[,.;])",
                         re.I)
_SINGLE = re.compile(r"\s+(an?|one)\s+(?!number\b|few\b|lot\b|dozen\b|couple\b|total\b|series\b)"
                     r"(?:[\w'’-]+\s+){0,2}?[\w'’-]+\b")
_KILL_RE = re.compile(rf"\b{KILL}\b", re.I)
_HURT_RE = re.compile(rf"\b{HURT}\b", re.I)


def _combine(values: list[tuple[int, int | None, tuple[int, int]]], offset: int, *,
             first: bool = False) -> Count:
    """Several figures for one incident: the conservative reading is the smallest lower bound;
    with ``first``, the figure given first (a news lead's total comes before its parts)."""
    if not values:
        return Count()
    low, high, span = min(values, key=(lambda v: v[2][0]) if first else (lambda v: v[0]))
    if any(v[0] == low and v[1] is None for v in values):
        high = None  # 'Strikes kill 32' then 'killed at least 32': the figure is a minimum
    return Count(low, high, (span[0] + offset, span[1] + offset))


def find_casualties(text: str, *, offset: int = 0, first: bool = False) -> Casualties:
    """Killed and injured in ``text``; ``first`` takes the first figure for each rather than
    the most conservative."""
    stated = _STATED.search(text)
    killed = _near(text, _KILL_RE)
    if stated:
        n = int(stated["n"] or stated["m"])
        killed = [(n, n, stated.span())]
    hurt = [v for v in _near(text, _HURT_RE)]
    killed_count = _combine(killed, offset, first=first)
    hurt_count = _combine(hurt, offset, first=first)
    zero_both = _ZERO_BOTH.search(text)
    if zero_both:
        span = (zero_both.start() + offset, zero_both.end() + offset)
        if not killed_count.known:
            killed_count = Count(0, 0, span)
        if not hurt_count.known:
            hurt_count = Count(0, 0, span)
    if not killed_count.known and (m := _ZERO_KILLED.search(text)):
        killed_count = Count(0, 0, (m.start() + offset, m.end() + offset))
    if not hurt_count.known and (m := _ZERO_HURT.search(text)):
        hurt_count = Count(0, 0, (m.start() + offset, m.end() + offset))
    return Casualties(killed_count, hurt_count)
