"""Casualties: reads sentences, writes killed and injured counts as ranges (Count)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from observatory.records import Count

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
# A number starts a word: the 'a' that ends 'Kafraya' or 'Syria' counts nobody. Joined to a
# unit of time it measures, not counts: 'the six-year war', 'a 12-year-old'.
NUMBER = (rf"(?<![\w'’-])(?:(?P<qual>{_QUAL})\s+)?(?P<num>\d[\d,]*|(?:{_NUM_WORD})(?:[\s-](?:{_NUM_WORD}))?"
          rf"|{_VAGUE})(?!-(?:years?|months?|weeks?|days?|hours?|minutes?|old|long)\b)")
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
KILL = r"(?:succumbed to (?:\w+ )?(?:injuries|wounds)|bodies of|bodies|death toll|number of (?:the )?(?:dead|victims|deaths|fatalities)|claim(?:ed|ing|s)? the lives? of|killed|killing|kills|kill|dead|died|die|deaths?|assassinat\w*|fatalities|fatality|lost their lives|lost his life|lost her life|perished|slain|massacred|executed|shot dead|martyred|killings?)"
HURT = r"(?<!succumbed to )(?<!succumbed to his )(?<!succumbed to her )(?<!succumbed to their )(?:injured|injuring|injuries|injury|wounded|wounding|hurt|casualties)"
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
# A report's own statement of its count settles it: 'Total fatalities coded to 9', 'the
# unknown number of dead, put at 6', 'deaths are estimated, counted as 12', '3 deaths each'.
_STATED = re.compile(r"\b(?:fatalities|deaths|dead|toll|unknown number)\b(?:\s+[\w-]+){0,3}?,?\s+"
                     r"(?:(?:were|are|is|was|been)\s+)?(?:coded|counted|recorded|estimated|put|set)\s*,?\s+"
                     r"(?:as|to|at)\s+(?P<n>\d+)\b|\btotal\s+fatalities\s*(?::|of)?\s*(?P<m>\d+)\b"
                     r"|\b(?:coded|counted)\s+(?:the\s+)?fatalities\s+(?:as|to|at)\s+(?P<k>\d+)\b"
                     r"|\b(?P<e>\d+)\s+(?:fatalities|deaths)\s+each\b", re.I)
# A total shared among the events a report splits it between: 'the 12 deaths are divided
# evenly among the three villages', 'coded as 8 and split between both sites'.
_SPLIT = re.compile(r"\b(?:split|divided|distributed|spread|shared)\b(?P<what>\s+(?:the\s+)?(?:fatalities|deaths))?"
                    r"(?P<rest>[^.;]*)", re.I)
_SPLIT_EACH = re.compile(r"\s*,?\s*(?:\w+\s+){0,4}?(?:at\s+)?(?P<n>\d+)\s+(?:each|apiece|a piece)\b", re.I)
# 'among the 4 hamlets': any plural counts the parts, but the sides of a fight are no events.
_SPLIT_PARTS = re.compile(r"\s*,?\s*(?:evenly\s+|equally\s+)?(?:between|among|across|over|into)\s+(?:the\s+)?"
                          rf"(?:first\s+)?(?P<k>\d+|{_NUM_WORD})\s+(?:[\w-]+\s+)?"
                          r"(?!(?:sides|parties|groups|factions|forces)\b)[\w-]+s\b", re.I)
_SPLIT_NAMES = re.compile(r"\s*,?\s*(?:evenly\s+|equally\s+)?(?:between|among|across|over)\s+(?:the\s+)?"
                          r"(?:(?:activities|events|locations|strikes|clashes)\s+(?:in|at)\s+)?(?P<names>.*?)"
                          r"(?:,?\s+with\b|,?\s+where\b|\s+on\b|$)", re.I)
_SPLIT_TOTAL = re.compile(r"(?P<n>\d+)\s+(?:\w+\s+)?(?:fatalities|deaths|dead)\s+(?:are\s+|were\s+|have been\s+)?$",
                          re.I)
_DEATH_WORD = re.compile(r"\b(?:fatalit\w*|deaths?|dead|killed|toll)\b", re.I)


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


# Words that end a noun phrase: 'two days after the militants' counts no militants; a long
# phrase ('14 army and allied militia fighters') holds none of them.
_LINK_WORDS = (r"of|for|after|before|in|on|at|by|from|with|near|during|were|was|who|which|that|"
               r"them|whom|killed|killing|injured|wounded")
# 'two guards from the police and 5 soldiers of the army': each side's count adds.
_JOINED = re.compile(r"\s*(?:(?:from|of)\s+(?:[\w'’-]+\s+){1,4}?)?(?:,|and|, and|as well as|plus|along with)?\s*",
                     re.I)


def _counted_total(text: str) -> tuple[int | None, int | None, tuple[int, int]] | None:
    """Sum the counted nouns of one phrase: 'two children and their mother' is 3."""
    total_low = 0
    total_high: int | None = 0
    first = last = None
    for m in re.finditer(rf"(?:{NUMBER}|(?P<one>(?<![\w'’-])(?:a|an|another|his|her|their|its|the|one)\b(?!\s+(?:\d|(?:{_NUM_WORD})\b))))\s+"
                         rf"(?:(?:[\w'’-]+\s+){{0,2}}?|(?:(?!\d|(?:{_NUM_WORD}|{_LINK_WORDS})\b)[\w'’-]+\s+){{3,4}}?)"
                         rf"{PERSON_NOUNS}(?![\w'’-])",
                         text, re.I):
        if m.group("one") is not None:
            # '1 member of the Republican Guard': a phrase after 'of' qualifies, it adds nobody.
            if text[:m.start()].rstrip().lower().endswith((" of", "of")):
                continue
            noun = m.group(0).split()[-1].lower()
            if noun.endswith(("s", "men")) and noun not in ("boss",) or noun in ("people", "children"):
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
        clause_start = max((text.rfind(sep, 0, m.start()) + len(sep), sep)
                           for sep in (";", ". ", ":", " while ", " whereas "))
        clause_start = clause_start[0] if clause_start[0] >= len(clause_start[1]) else 0
        before = text[clause_start:m.start()]
        if _PART_OF.search(before):
            continue  # 'most of the dead were evacuees': a part of a toll given elsewhere
        if _NEGATED.search(before) or _ATTEMPT.match(text, m.end()):
            continue  # 'no fatalities', 'an assassination attempt': nobody died
        sentence_end = text.find(".", m.end())
        if m.group(0).lower().startswith("bodies") and not _RECOVERED.search(
                text, clause_start, sentence_end if sentence_end >= 0 else len(text)):
            continue  # bodies shown or handed over may be of any day's dead
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
        # 'shelling wiped out a family of four': the family's count.
        family = _FAMILY.match(after)
        if family and (rng := _range(family["qual"], family["num"])) and rng[0] is not None:
            found.append((rng[0], rng[1], (m.end() + family.start("num"), m.end() + family.end())))
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
            found.append((_figure(span["a"] or span["c"]), _figure(span["b"]),
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
        # 'the headmaster of the village school died of his wounds', 'A local militia
        # commander, known by his nickname, was assassinated': one person, the subject.
        cue = m.group(0).lower()
        if cue in ("died", "killed", "executed") or cue.startswith(("assassinat", "succumbed")):
            # A subject without an article opens its clause ('Militia commander was shot dead').
            strict = r"(?:[Tt]he|[Aa]n?|[Aa]nother)\s+"
            article = strict if len(before) > len(tail) else rf"(?:{strict})?"
            subject = re.match(rf"\s*(?:[A-Z][\w ]*?:\s*)?(?:(?:[Aa]s reported on|[Oo]n) [^,]*?\d{{4}},?\s+)?{article}"
                               rf"(?!(?i:\d+\b|(?:{_NUM_WORD}|{_VAGUE})\b))"
                               rf"(?:[\w'’-]+\s+){{0,5}}?{PERSON_NOUNS}(?![\w'’-])", tail)
            rest = tail[subject.end():] if subject else ""
            if subject and not re.match(strict, subject.group(0).lstrip()) and cue != "died" \
                    and not re.search(r"\b(?:was|had been|has been)\s+(?:\w+ly\s+)?$", rest):
                subject = None  # a headline's 'Rebel leader killed' may name no one counted
            # What comes between may tell how he was hurt before he died of it; it names
            # nobody else ('and three of his aides were killed').
            between = rf"\b(?:{KILL})\b" if cue.startswith("succumbed") else rf"\b(?:{KILL}|{HURT})\b"
            if subject and not re.search(between, rest, re.I) and len(rest) <= 100 \
                    and not re.search(r"\d|\band\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|"
                                      r"several|dozens|scores|hundreds)\b", rest, re.I) \
                    and not subject.group(0).rstrip().lower().endswith(("s", "people", "children", "men")):
                found.append((1, 1, (tail_start + subject.start(), tail_start + subject.end())))
                continue
        bare = [b for b in _NUMBER_ONLY.finditer(tail)
                if not _is_year(text, tail_start + b.start("num"), b.group("num"))]
        if bare and re.fullmatch(r"\s*(?:more\s+|additional\s+)?(?:were|was|have been|had been|are|people|were reported)?\s*",
                                 tail[bare[-1].end():]):
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


# 'Between 500 and 1,300 people died', '4, possibly 5, guards were killed'
_BETWEEN_BEFORE = re.compile(rf"(?:\bbetween\s+(?P<a>\d[\d,]*)\s+(?:and|to)|(?<![\w,])(?P<c>\d[\d,]*),?\s+"
                             rf"(?:possibly|perhaps|maybe|or))\s+(?P<b>\d[\d,]*),?\s+"
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
# 'no fatalities', 'without deaths': the cue denies them.
_NEGATED = re.compile(r"\b(?:no|without(?:\s+any)?|neither|nor)\s*$", re.I)
# Bodies pulled from rubble are the strike's dead.
_RECOVERED = re.compile(r"\b(?:recovered|extracted|pulled|retrieved|dug|unearthed|uncovered|found|"
                        r"discovered)\b", re.I)
_ATTEMPT = re.compile(r"\s+attempts?\b", re.I)
_FAMILY = re.compile(rf"\s+(?:an?\s+|the\s+|whole\s+|entire\s+)*family\s+of\s+{NUMBER}\b", re.I)
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


# 'another civilian died', 'three more bodies were found': people besides those counted.
_ANOTHER_BEFORE = re.compile(r"\b(?:another|an additional|a further)\s+$", re.I)
# 'four more may have been killed': a guess adds nobody.
_HEDGED = re.compile(r"[^.;]{0,30}?\b(?:may|might|could)\s+have\b", re.I)
_MORE_AFTER = re.compile(r"(?:(?:at least|some|about)\s+)?\S+\s+(?:more|additional|further)\b|another\b",
                         re.I)


def _added(text: str, values: list[tuple[int, int | None, tuple[int, int]]], offset: int, *,
           first: bool) -> Count:
    """Counts of more people add to the figure the others give: 'a man was killed, while
    another civilian died later' is two."""
    def more(v: tuple[int, int | None, tuple[int, int]]) -> bool:
        s, e = v[2]
        return bool(_ANOTHER_BEFORE.search(text[max(0, s - 20):s]) or _MORE_AFTER.match(text, s)) \
            and not _HEDGED.match(text, e)

    # Only a figure told after another adds to it: 'a further 19 were executed, 18 of them shot'.
    start = min((v[2][0] for v in values if not more(v)), default=None)
    base = [v for v in values if not more(v) or start is None or v[2][0] < start]
    extra = [v for v in values if v not in base]
    if not base:
        base, extra = extra[:1], extra[1:]
    count = _combine(base, offset, first=first)
    for low, high, _ in extra:
        count = Count(count.low + low, None if count.high is None or high is None
                      else count.high + high, count.span)
    return count


def _parts(rest: str) -> int | None:
    """How many events a split shares its total among: 'between the 3 locations', 'over
    both events', 'between the hills and the river bank'."""
    if m := _SPLIT_PARTS.match(rest):
        return _value(m["k"])[0] if m["k"].lower() not in VAGUE else None  # type: ignore[index]
    if re.match(r"\s*(?:evenly\s+)?(?:between|among|across|over)\s+both\b", rest, re.I):
        return 2
    if (m := _SPLIT_NAMES.match(rest)) and m["names"]:
        if re.search(r"\b(?:forces|sides|soldiers|fighters|civilians|rebels|troops|militants|"
                     r"militiamen|members|people)\b", m["names"], re.I):
            return None  # 'split between soldiers and civilians' tells who died, not where
        names = [n for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", m["names"]) if n.strip()]
        return len(names) if len(names) > 1 else None
    return None


def _share(text: str, killed: Count, *, offset: int, since: int = 0) -> Count:
    """One event's part of a total the report splits among several: the total over the number
    of parts, rounded, at least one each; or the figure it gives each. A split told before
    ``since``, where the report states its own figure, is already counted in that figure."""
    for split in _SPLIT.finditer(text, since):
        clause = text[max(text.rfind(". ", 0, split.start()), text.rfind(";", 0, split.start()), 0):split.start()]
        if not (_DEATH_WORD.search(clause) or split["what"]):
            continue  # 'the force was split in two'
        span = killed.span or (split.start() + offset, split.end() + offset)
        if each := _SPLIT_EACH.match(split["rest"]):
            n = int(each["n"])
            return Count(n, n, span)
        parts = _parts(split["rest"])
        total = _SPLIT_TOTAL.search(clause)
        low = int(total["n"]) if total else killed.low
        if not parts or low is None:
            continue
        # Spread as evenly as it goes, most parts get the nearest whole share (a tie, the lower).
        share, left = divmod(low, parts)
        n = max(1, share + (2 * left > parts)) if low else 0
        return Count(n, n, span)
    return killed


@lru_cache(maxsize=4096)
def find_casualties(text: str, *, offset: int = 0, first: bool = False) -> Casualties:
    """Killed and injured in ``text``; ``first`` takes the first figure for each rather than
    the most conservative. Cached: an event's toll and a story's opening read the same
    sentences, and claims compared for disputes repeat them."""
    *_, stated = [None, *_STATED.finditer(text)]  # the last: a note corrects its own figure
    killed = _near(text, _KILL_RE)
    if stated:
        n = int(stated["n"] or stated["m"] or stated["k"] or stated["e"])
        killed = [(n, n, stated.span())]
    hurt = [v for v in _near(text, _HURT_RE)]
    killed_count = _share(text, _added(text, killed, offset, first=first), offset=offset,
                          since=stated.start() if stated else 0)
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
