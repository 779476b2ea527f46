"""Report openings: reads a report's first block (and its given title), writes its dateline,
headline and lead."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from observatory.coding.dates import MONTHS, agency_dateline, leading_dateline
from observatory.text import fold

_BYLINE = re.compile(r"by\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s+(?=[A-Z0-9])")
_EDGE = " .,:|-–—"
_WORD = re.compile(r"\S+")
# A site's name after the headline in a page's title: 'Air raid kills 21 | Jordan Times',
# '... Monitor - Region - World - Ahram Online'.
_SITE = re.compile(r"\s+[|–—-]\s+")
MAX_HEADLINE_WORDS = 18  # the longest title of FA-KES's 557 stories
MAX_DATED_WORDS = 16  # 541 of those titles; a lead sentence is seldom as short
MIN_TITLE_WORDS = 5  # the fewest words of a title that, cut short, still find its headline
MIN_LEAD_WORDS = 6
# Words that stand before a name in a sentence, never before a headline's closing credit
# ('killed in Damascus', 'told the monitor', 'according to SOHR').
_BEFORE_NAME = frozenset("""the a an of in on at to from by with for near into outside and or
told said says according""".split())
_SAYING = frozenset("""said says reported reports told added stated announced claimed""".split())
_DAYS = frozenset("""monday tuesday wednesday thursday friday saturday sunday""".split())
# Words of a sentence that headlines do without: a block that has one before any credit opens
# with its lead ('One mother and her child have died ... according to a rights group').
_PROSE = _SAYING | _DAYS | frozenset("""according was were is are has have had who which
whose""".split())
# Capitalised words a sentence opens with before another ('The Syrian army', 'A US-led strike').
_OPENERS = frozenset("""a an the at some more over about nearly around several""".split())
# Headlines seldom open with an article; leads often do.
_DETERMINERS = frozenset(("the", "a", "an"))
_ARTICLE = re.compile(r"(?:al|el|as|ash|ad|ar|an)-", re.I)


class _Lexicon(NamedTuple):
    names: frozenset[str]  # sources' names and aliases as written
    credits: frozenset[str]  # folded
    wires: frozenset[str]
    roles: frozenset[str]  # common nouns that speak: 'residents', 'rescuers'
    longest: int  # words in the longest name, credit or wire


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = resources.files("observatory.data")
    sources = tomllib.loads(data.joinpath("sources.toml").read_text("utf-8"))
    lexicon = tomllib.loads(data.joinpath("headlines.toml").read_text("utf-8"))
    wires = frozenset(lexicon["wires"])
    # Names only: lower-case aliases ('the government') are words of any sentence. A wire is
    # no headline's credit: it stands between the headline and the lead.
    names = frozenset(n for s in sources["source"] for n in (s["name"], *s.get("aliases", ()))
                      if any(c.isupper() for c in n)) - wires
    credits = frozenset(fold(c) for c in lexicon["credits"])
    return _Lexicon(names, credits, wires, frozenset(r for r in sources["roles"] if " " not in r),
                    max(len(n.split()) for n in (*names, *credits, *wires)))


@dataclass(frozen=True, slots=True)
class Opening:
    """A report's first block, parted."""

    dateline: datetime | None
    headline: str | None
    credit: str  # a wire's credit and stamp between the headline and the lead, else ''
    lead: str


def split_lead(block: str, title: str | None) -> Opening:
    """The dateline, headline, credit and lead of a report's first block.

    The headline is the given title where the block repeats it near its start (what comes
    before it is masthead: a dateline, a byline). Without a title, what the block shows to be
    one: a run of words closing on its source and followed by a sentence ('... kills 15 in
    Idlib Monitor An air strike killed ...'), the words before a wire's stamp ('... kills 10
    AP Monday 9 Jun 2014 Rocket fire ...'), or under a dateline a first sentence too short
    and bare to be a lead. A wire's credit and stamp between the headline and the lead are
    neither ('... Monitor AFP Saturday 16 Jul 2016 Air raids ...'). The dateline is one the
    block opens with.
    """
    opened = leading_dateline(block)
    stamped = agency_dateline(block)
    stamp = stamped[0] if stamped else None
    if opened is not None:
        stamp, block = opened[0], block[opened[1]:].lstrip(_EDGE)
    cut = _given(block, title) if title else None
    if cut is None and stamp is not None:
        byline = _BYLINE.match(block)
        if byline:
            block = block[byline.end():]
    # A given title the text does not repeat says the page's headline was not copied: what
    # else looks like one is a subtitle or a caption.
    first = block.split(maxsplit=1)[:1]
    if cut is None and not title and first and first[0].lower() not in _DETERMINERS:
        cut = _credited(block) or _stamped(block) or (_dated(block) if opened else None)
    if cut is None:
        return Opening(stamp, None, "", block)
    start, end = cut
    end = _credit_after(block, end) or end
    lead = _after_wire(block, end)
    return Opening(stamp, block[start:end].rstrip(_EDGE), block[end:lead].strip(_EDGE),
                   block[lead:].lstrip(_EDGE))


def _given(block: str, title: str) -> tuple[int, int] | None:
    """Where the block repeats its title: whole, without the site's name the page's title
    adds, or cut short (a title truncated, or closing on a credit the text lacks) when what
    is left of it is followed by a sentence."""
    words = re.findall(r"\w+", title)
    site = _SITE.split(title)[0]
    shorter = re.findall(r"\w+", site) if site != title else []
    for ws, whole in ((words, True), (shorter, True), *(
            (words[:n], False) for n in range(len(words) - 1, MIN_TITLE_WORDS - 1, -1)
            if n * 3 >= len(words) * 2)):
        if not ws:
            continue
        pattern = re.compile(r"\W*".join(re.escape(w) for w in ws) + r"\b", re.I)
        m = pattern.search(block, 0, len(title) * 2 + 120)
        if m and m.start() <= 120 and (whole or _opens_sentence(block, m.end())):
            return m.start(), m.end()
    return None


def _credited(block: str) -> tuple[int, int] | None:
    """A headline the block opens with that closes on its source ('Syria attack symptoms
    consistent with nerve agent use WHO Victims of a suspected chemical attack ...')."""
    lex = _lexicon()
    words = list(_WORD.finditer(block[:2000]))[:MAX_HEADLINE_WORDS + lex.longest]
    for i, w in enumerate(words[:MAX_HEADLINE_WORDS]):
        if i >= 3 and words[i - 1].group().lower() not in _BEFORE_NAME:
            for n in range(min(lex.longest, len(words) - i), 0, -1):
                end = words[i + n - 1].end()
                if _credit(block[w.start():end]):
                    if _opens_sentence(block, _after_wire(block, end)):
                        return 0, end
                    break
        if w.group()[-1] in ".?!" or w.group().lower() in _PROSE:
            return None  # a sentence, not a headline, opens the block
    return None


def _dated(block: str) -> tuple[int, int] | None:
    """Under a dateline, a first sentence too short and bare to be a lead ('Sun 16 Apr 2017
    Death toll from Aleppo bomb attack at least 112. The death toll ...')."""
    m = re.search(r"[.?!](?=\s)", block[:400])
    if m is None:
        return None
    words = block[:m.start()].split()
    if (not 3 <= len(words) <= MAX_DATED_WORDS
            or any(w.lower().strip(_EDGE) in _PROSE for w in words)):
        return None
    return (0, m.start()) if _opens_sentence(block, m.end()) else None


def _stamped(block: str) -> tuple[int, int] | None:
    """A headline the block opens with that a wire's stamp closes ('Car bomb in Homs kills 10
    AFP Sunday 25 May 2014 ...')."""
    found = agency_dateline(block)
    if found is None or found[1] == 0:
        return None
    head = block[:found[1]]
    words = head.split()
    if not 3 <= len(words) <= MAX_HEADLINE_WORDS or re.search(r"[.?!]\s", head + " "):
        return None
    return (0, len(head.rstrip())) if _opens_sentence(block, found[2]) else None


def _credit_after(block: str, end: int) -> int | None:
    """The end of a credit right after a given title that lacks it ('... in Idlib' + 'Monitor
    An air strike ...'), when a sentence follows."""
    words = list(_WORD.finditer(block, end, end + 200))[:_lexicon().longest]
    for n in range(len(words), 0, -1):
        stop = words[n - 1].end()
        if _credit(block[words[0].start():stop]) and _opens_sentence(
                block, _after_wire(block, stop)):
            return stop
    return None


def _credit(phrase: str) -> bool:
    lex = _lexicon()
    return phrase in lex.names or fold(phrase) in lex.credits


def _after_wire(block: str, end: int) -> int:
    """Past a wire's credit and a stamp after the headline ('AFP Saturday 16 Jul 2016'),
    when a sentence follows them."""
    rest = block[end:]
    pos = len(rest) - len(rest.lstrip(_EDGE))
    for wire in sorted(_lexicon().wires, key=len, reverse=True):
        if re.match(re.escape(wire) + r"\b", rest[pos:]):
            after = pos + len(wire)
            after += len(rest[after:]) - len(rest[after:].lstrip(_EDGE))
            opened = leading_dateline(rest[after:])
            if opened is not None:
                after += opened[1]
            if _opens_sentence(rest, after):
                return end + after
            break
    opened = leading_dateline(rest[pos:])
    if opened is not None and _opens_sentence(rest, pos + opened[1]):
        return end + pos + opened[1]
    return end


def _opens_sentence(block: str, at: int) -> bool:
    """Whether a lead sentence starts at ``at``: capitalised (or a figure, or a quote), not a
    day or a month, not a name going on ('... state TV Ikhbariya reported', 'Aleppo Governor
    Hussein Diab'), in sentence case, and long enough to be one."""
    rest = block[at:].lstrip(_EDGE)
    words = rest.split(maxsplit=8)
    if len(words) < MIN_LEAD_WORDS or not re.match(r"[A-Z0-9\"“‘']", words[0]):
        return False
    first = words[0].strip("\"“‘'").lower()
    if first in _DAYS or first in MONTHS:
        return False
    roles = _lexicon().roles
    if words[1].lower() in _PROSE and first not in roles and first.rstrip("s") not in roles:
        return False  # ('Residents said ...' opens a sentence; 'Ikhbariya reported' goes on one)
    if first not in _OPENERS and (words[1][:1].isupper() or _ARTICLE.match(words[1])):
        return False
    if (sum(1 for w in words[1:4] if w[:1].islower() or w[:1].isdigit()) < 2
            or sum(1 for w in words[1:8] if w[:1].isupper())
            > sum(1 for w in words[1:8] if w[:1].islower())):
        return False  # the next words of a headline in title case, not a sentence
    sentence = re.split(r"(?<=[.?!])\s", rest, maxsplit=1)[0]
    return len(sentence.split()) >= MIN_LEAD_WORDS
