"""Actors: reads mention phrases and the actors dictionary, writes ACLED-style ActorMentions."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from observatory.errors import ConfigError
from observatory.records import ActorMention
from observatory.text import fold

# Words; an Arabic article joined by a hyphen is a word of its own ('al-Sham' as 'al Sham').
_WORD = re.compile(r"(?<![\w’'./-])(?:[Aa]l|[Ee]l)-(?=\w)|[\w’'./-]+")


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    kind: str
    aliases: tuple[str, ...]
    modifiers: tuple[str, ...]
    partner_of: str | None = None
    umbrella: bool = False  # an operation the factions fighting under it are coded to
    # Governorates an operation was fought in: where a place name it is told with has twins,
    # the twin there is meant ('Olive Branch forces shelled Hamam' is Hamam near Afrin).
    areas: tuple[str, ...] = ()


@dataclass
class ActorIndex:
    """Longest-alias lookup over the actors dictionary, then modifier words."""

    entries: tuple[ActorEntry, ...]
    # Who is coded when a report names no one who acted: 'air' for aircraft nobody is said to
    # own, 'armed' for any other attack.
    unnamed: dict[str, str] = field(default_factory=dict)
    # Nationality words (see actors.toml, [foreign]).
    foreign: frozenset[str] = frozenset()
    by_alias: dict[tuple[str, ...], ActorEntry] = field(init=False)
    by_modifier: dict[str, ActorEntry] = field(init=False)

    def __post_init__(self) -> None:
        self.by_alias = {}
        self.by_modifier = {}
        # Acronyms written in capitals ('IS', 'US', 'SAA') match only when written so: 'is'
        # and 'us' are words.
        self.acronyms: set[str] = set()
        for e in self.entries:
            for alias in (e.name, *e.aliases):
                words = tuple(_words(alias))
                self.by_alias.setdefault(words, e)
                if len(words) == 1 and alias.isupper():
                    self.acronyms.add(words[0])
            for m in e.modifiers:
                self.by_modifier.setdefault(fold(m), e)
                if m.isupper():
                    self.acronyms.add(fold(m))
        self.longest = max((len(k) for k in self.by_alias), default=1)
        self.first_words = frozenset(k[0] for k in self.by_alias if k)
        # Phrases found before, at offset 0: events ask about each sentence several times.
        self._found: dict[str, tuple[ActorMention, ...]] = {}
        self.kinds = {e.name: e.kind for e in self.entries}
        self.partners = {e.name: e.partner_of for e in self.entries if e.partner_of}
        self.umbrellas = frozenset(e.name for e in self.entries if e.umbrella)
        self._theatres = [(re.compile(r"\b(?:" + "|".join(map(re.escape, (e.name, *e.aliases)))
                                      + r")\b"), e.areas) for e in self.entries if e.areas]

    def theatres(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Where a text names operations fought in known governorates, the first named first:
        (start, end, governorates). A regex each, not a phrase walk: this runs over whole
        paragraphs."""
        return sorted((m.start(), m.end(), areas) for pattern, areas in self._theatres
                      if (m := pattern.search(text)))

    def kind(self, name: str | None) -> str | None:
        return self.kinds.get(name or "")

    def find_all(self, text: str, *, offset: int = 0) -> list[ActorMention]:
        """Every actor a phrase names, in order: aliases first, then modifier words."""
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= 50_000:
                self._found.clear()
            found = self._found[text] = tuple(self._find_all(text))
        if not offset:
            return list(found)
        return [ActorMention(a.name, a.mention, (a.span[0] + offset, a.span[1] + offset), a.known)
                for a in found]

    def _foreign_before(self, words: list[str], i: int, entry: ActorEntry | None) -> bool:
        """Whether the word before names a country other than the actor's own."""
        return bool(i and words[i - 1] in self.foreign
                    and self.by_modifier.get(words[i - 1]) is not entry)

    def _find_all(self, text: str) -> list[ActorMention]:
        tokens = [(m.group(0), m.start()) for m in _WORD.finditer(text)]
        words = [_norm(t) for t, _ in tokens]
        out: list[ActorMention] = []
        used: set[int] = set()
        i = 0
        while i < len(words):
            hit = None
            for n in range(min(self.longest, len(words) - i) if words[i] in self.first_words
                           else 0, 0, -1):
                entry = self.by_alias.get(tuple(words[i:i + n]))
                if entry is not None and n == 1 and words[i] in self.acronyms \
                        and not tokens[i][0].isupper():
                    entry = None
                if entry is not None:
                    hit = (entry, n)
                    break
            if hit is not None and _backing(words, i + hit[1]):
                hit = None  # 'Turkish backed factions' are the factions, not Turkey
            if hit is not None and self._foreign_before(words, i, hit[0]):
                hit = None  # 'the Iraqi army' is not the army the bare word means
            if hit is not None:
                entry, n = hit
                start = tokens[i][1]
                end = tokens[i + n - 1][1] + len(tokens[i + n - 1][0])
                out.append(ActorMention(entry.name, text[start:end], (start, end), True))
                used.update(range(i, i + n))
                i += n
                continue
            i += 1
        for i, w in enumerate(words):
            if i in used:
                continue
            entry = self.by_modifier.get(w)
            if _backing(words, i + 1) or self._foreign_before(words, i, entry):
                continue
            if entry is not None and not (w in self.acronyms and not tokens[i][0].isupper()):
                start = tokens[i][1]
                out.append(ActorMention(entry.name, tokens[i][0],
                                        (start, start + len(tokens[i][0])), True))
        out.sort(key=lambda a: a.span[0])
        seen: set[str] = set()
        unique = []
        for a in out:
            if a.name not in seen:
                seen.add(a.name)
                unique.append(a)
        return unique


_BACKING = frozenset(("backed", "supported", "sponsored", "led"))


def _backing(words: list[str], i: int) -> bool:
    """'Turkish backed factions' (not 'factions backed by Turkey') name the factions."""
    return i < len(words) and words[i] in _BACKING and (i + 1 == len(words) or words[i + 1] != "by")


def _norm(word: str) -> str:
    return fold(word).replace("’", "'").strip(".,'-")


def _words(text: str) -> list[str]:
    return [_norm(m.group(0)) for m in _WORD.finditer(text)]


def load_actors(extra_file: str = "") -> ActorIndex:
    """The bundled actors dictionary; a user file's entries come first and so win."""
    data = tomllib.loads(resources.files("observatory.data").joinpath("actors.toml")
                         .read_text("utf-8"))
    items = data["actor"]
    unnamed = dict(data.get("unnamed", {}))
    foreign = set(data.get("foreign", {}).get("words", ()))
    if extra_file:
        try:
            extra = tomllib.loads(Path(extra_file).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{extra_file}: cannot read actors dictionary ({exc})") from exc
        items = extra.get("actor", []) + items
        unnamed |= extra.get("unnamed", {})
        foreign |= set(extra.get("foreign", {}).get("words", ()))
    return ActorIndex(tuple(ActorEntry(a["name"], a.get("kind", "unknown"),
                                       tuple(a.get("aliases", ())), tuple(a.get("modifiers", ())),
                                       a.get("partner_of"), a.get("umbrella", False),
                                       tuple(a.get("areas", ())))
                            for a in items), unnamed, frozenset(map(_norm, foreign)))
