"""Places: reads place mentions, writes gazetteer entries and event Locations with precision."""
from __future__ import annotations

import csv
import difflib
import gzip
import io
import json
import math
import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from observatory.errors import ConfigError
from observatory.records import GazetteerEntry, Location
from observatory.names import GIVEN_NAMES, HEAD_WORDS, TITLES
from observatory.text import fold, loose, name_key, skeleton, starts_with_article

# Country names are never an event location (spec: country-level mentions get none).
COUNTRIES = frozenset(name_key(c) for c in (
    "Syria", "Turkey", "Russia", "Iran", "Iraq", "Israel", "Lebanon", "Jordan", "United States",
    "America", "Europe", "Britain", "UK", "France", "Germany", "Egypt", "Saudi Arabia", "Qatar"))
# Single words that name villages somewhere but are words of the report far more often.
_NOT_PLACES = frozenset(name_key(w) for w in (
    "The", "On", "In", "At", "And", "But", "Clashes", "Shelling", "Government", "Army", "Civil",
    "Regime", "Forces", "Human", "Rights", "State", "News", "Observatory", "Turkish", "Russian",
    "Syrian", "Arab", "Islamic", "Sham", "Free", "Front", "National", "Coalition", "Council",
    "Military", "Brigade", "Division", "Kurdish", "Islamist", "Rebel", "Rebels", "Reports",
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Mosque",
    "Hospital", "School", "Market", "Centre", "Center", "Camp", "Station", "Airport", "Road",
    "Highway", "City", "Town", "Village", "Province", "District", "Countryside", "Nusra",
    "Hezbollah", "Daesh", "Abu", "Umm", "Tal", "Tell", "Ain", "Ayn", "Kafr", "Jabal", "Khan",
    "Deir", "Ras", "Bir", "Ali", "Ahmad", "Mohammad", "Hassan", "Hussein", "Omar", "Rami",
    "Assad", "Bashar", "Peace", "Spring", "Olive", "Branch", "Shield", "Euphrates", "Tall",
    "Division", "Base", "Air", "Prison", "Association", "Military", "Checkpoint", "Crossing",
    "Eastern", "Western", "Northern", "Southern", "Upper", "Lower", "Old", "New", "Monitor",
    "Muslim", "Muslims", "Islam", "Sunni", "Shiite", "Alawite", "Christian", "Kurds", "Arabs",
    "Sarin", "Chlorine", "Mustard", "Gas"))
MAX_WORDS = 6
# Loose spellings shorter than this collide with English words and names ('Other', 'Barack').
LOOSE_MIN = 6
AREA_LOOSE_MIN = 7
CITY_KM = 8.0  # the quarters of Syria's largest cities lie within this of their centres


_QUALIFIER_FIRST = frozenset(("eastern", "western", "northern", "southern", "big", "little",
                              "upper", "lower", "first", "second", "east", "west", "north",
                              "south"))
_QUALIFIER_LAST = frozenset(name_key(q) for q in (
    "Qabliyeh", "Qibli", "Sharqiyeh", "Sharqi", "Gharbiyeh", "Gharbi", "Shamaliyeh", "Shamali",
    "Janubiyeh", "Janoubi", "Kabir", "Kabireh", "Kbir", "Saghir", "Saghireh", "Sghir",
    "Fawqani", "Foqani", "Tahtani", "Kubra", "Sughra",
    "Castle"))  # OCHA translates 'Qalaat al-Madiq' as 'Madiq Castle'; reports write 'al-Madiq'


def _bare(key: str) -> str | None:
    """A name key without the qualifier that tells twin villages apart."""
    words = key.split()
    if len(words) >= 2 and words[0] in _QUALIFIER_FIRST:
        return " ".join(words[1:])
    if len(words) >= 2 and words[-1] in _QUALIFIER_LAST:
        return " ".join(words[:-1])
    return None


_PUNCT_SPLIT = re.compile(r"[\s\-’'`]+")


def _written_as_name(text: str) -> bool:
    """Every word capitalised but articles ('Deir-e-Zor' writes one as 'e'): 'Ein Isa in Ar'
    is not one name."""
    return all(w[:1].isupper() or w.lower() in ("al", "el", "e") for w in _PUNCT_SPLIT.split(text)
               if w)


def _names_country(key: str) -> bool:
    """'Northern Syria', 'the Syria-Turkey border': a country, however spelt close to a village."""
    return key in COUNTRIES or any(w in COUNTRIES for w in key.split())


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A span of a parsed paragraph that names gazetteer entries (ambiguous names list several)."""

    start: int  # token index
    end: int
    entries: tuple[int, ...]


class Gazetteer:
    """Name index over gazetteer entries: exact spelling keys first, consonant skeletons next."""

    def __init__(self, entries: Sequence[GazetteerEntry], names: Iterable[tuple[int, str]],
                 areas: dict[str, int]) -> None:
        self.entries = list(entries)
        self.areas = areas  # admin1 name -> entry index of the governorate
        self.capitals = tuple(self.entries[i] for i in areas.values())
        self.by_key: dict[str, list[int]] = {}
        self.by_skeleton: dict[str, list[int]] = {}
        self.by_compact: dict[str, list[int]] = {}
        # Spellings that differ in vowels, doubled letters, endings and first words.
        self.by_loose: dict[str, list[int]] = {}
        for index, name in names:
            key = name_key(name)
            if not key or key in COUNTRIES:
                continue
            bucket = self.by_key.setdefault(key, [])
            if index not in bucket:
                bucket.append(index)
            # 'Khan Tuman' and 'Khantuman' are one name.
            compact = self.by_compact.setdefault(key.replace(" ", ""), [])
            if index not in compact:
                compact.append(index)
            lkey = loose(key).replace(" ", "")
            if len(lkey) >= LOOSE_MIN:
                lb = self.by_loose.setdefault(lkey, [])
                if index not in lb:
                    lb.append(index)
            skel = skeleton(key)
            # Short skeletons collide with English words ('Monitor' ~ Mintar, 'Muslim' ~
            # Masalmiyah): only long ones are evidence of a spelling variant.
            if len(skel.replace(" ", "")) >= 5:
                sb = self.by_skeleton.setdefault(skel, [])
                if index not in sb:
                    sb.append(index)
        # 'Eastern Huweiz', 'Msheirfeh Qabliyeh': reports often drop the qualifier of a
        # village whose twin lies beside it; the bare name finds them when nothing else does.
        self.by_bare: dict[str, list[int]] = {}
        for key, ids in self.by_key.items():
            bare = _bare(key)
            if bare and bare not in _NOT_PLACES and len(bare) >= 4:
                bucket = self.by_bare.setdefault(bare, [])
                bucket.extend(i for i in ids if i not in bucket)
        self.first_words = {k.split()[0] for k in self.by_key | self.by_bare}
        self.first_skeletons = {skeleton(k.split()[0]) for k in self.by_key}
        self.first_loose = {loose(k.split()[0]) for k in self.by_key}
        # Every key an entry is found by, sorted, one list a kind: a run of words whose key
        # starts none of them cannot grow into a name (see _longest_at).
        self._sorted = (sorted(self.by_key.keys() | self.by_bare.keys()), sorted(self.by_compact),
                        sorted(self.by_loose), sorted(self.by_skeleton))
        area_ids = set(areas.values())
        self.area_keys = {k: v[0] for k, v in self.by_key.items() if v and v[0] in area_ids}
        self._area_loose = {loose(k).replace(" ", ""): i for k, i in self.area_keys.items()}
        # Fuzzy candidates are bucketed by governorate and first letter: a close spelling
        # keeps its first letter far more often than not, and difflib is slow over thousands.
        self._fuzzy_keys: dict[tuple[str | None, str], list[str]] = {}
        for key, ids in self.by_key.items():
            for admin1 in {self.entries[i].admin1 for i in ids} | {None}:
                self._fuzzy_keys.setdefault((admin1, key[0]), []).append(key)
        self._fuzzy_cache: dict[tuple[str, str | None], tuple[int, ...]] = {}
        self._spelt_cache: dict[str, list[int] | None] = {}
        self._lookup_cache: dict[str, tuple[int, ...]] = {}
        # Within one governorate, consonants alone are evidence enough ('Eblin' ~ 'Ablin',
        # 'Kafr Antoun' ~ 'Kafrantin'): few of its villages share them.
        self._local_skeletons: dict[tuple[str, str], list[int]] = {}
        self._keys_of: dict[int, list[str]] = {}  # an entry's spelling keys
        for key, ids in self.by_key.items():
            skel = skeleton(key)
            for i in ids:
                self._keys_of.setdefault(i, []).append(key)
                for form in {skel, skel.replace(" ", "")}:
                    bucket = self._local_skeletons.setdefault((self.entries[i].admin1, form), [])
                    if i not in bucket:
                        bucket.append(i)

    def lookup(self, text: str) -> tuple[int, ...]:
        """The entries a mention names. Cached: the place ruler tries every run of words up
        to a name's length, and the same runs come again in report after report."""
        hits = self._lookup_cache.get(text)
        if hits is None:
            if len(self._lookup_cache) >= 200_000:
                self._lookup_cache.clear()
            hits = self._lookup_cache[text] = self._lookup(text)
        return hits

    def _lookup(self, text: str) -> tuple[int, ...]:
        key = name_key(text)
        if not key or key in COUNTRIES:
            return ()
        if key in _NOT_PLACES:
            # 'Tall' alone is the first word of a name not found; 'At Tall' with its article
            # is the town the gazetteer spells so.
            if not starts_with_article(text):
                return ()
            return tuple(i for i in self.by_key.get(key, ())
                         if starts_with_article(self.entries[i].name))
        hits = self.by_key.get(key) or self.by_compact.get(key.replace(" ", ""))
        if hits is None and _written_as_name(text):
            hits = self.spelt(key)
        if hits is None:
            hits = self.by_skeleton.get(skeleton(key)) or self.by_bare.get(key, ())
        return tuple(hits)

    def twins(self, text: str, *, admin1: str) -> tuple[int, ...]:
        """'Huweiz' in Hama: the villages of the governorate named so with a qualifier."""
        return tuple(i for i in self.by_bare.get(name_key(text), ())
                     if self.entries[i].admin1 == admin1)

    def exact(self, text: str) -> bool:
        """Whether the gazetteer spells the name so, not merely alike."""
        key = name_key(text)
        return key in self.by_key or key.replace(" ", "") in self.by_compact

    def spelt(self, key: str) -> list[int] | None:
        """Places spelt loosely alike, the closest spelling first. A governorate must be
        spelt as its aliases are ('Halib' in 'Tawil al-Halib' is not Aleppo, 'Damascuss' a
        possessive), unless its name is long and of several words ('Deir-e-Zora')."""
        if key in self._spelt_cache:
            return self._spelt_cache[key]
        lkey = loose(key).replace(" ", "")
        ids = [i for i in self.by_loose.get(lkey, ()) if self.entries[i].kind != "admin1"]
        found = sorted(ids, key=lambda i: -max(difflib.SequenceMatcher(None, key, k).ratio()
                                               for k in self._keys_of.get(i, [key]))) or None
        area = (self._area_loose.get(lkey) if len(lkey) >= AREA_LOOSE_MIN and " " in key
                else None)
        if area is not None and all(self.entries[i].kind != "region" for i in ids):
            found = [area, *(found or ())]  # as 'Deir Ezzor' is the province before the city
        if len(self._spelt_cache) < 100_000:
            self._spelt_cache[key] = found
        return found

    def fuzzy(self, text: str, *, admin1: str | None = None, cutoff: float = 0.84) -> tuple[int, ...]:
        """Close spellings ('Hamamiyat' ~ 'Haimaymat'), within one governorate when given."""
        key = name_key(text)
        if len(key) < 5 or key in _NOT_PLACES or _names_country(key):
            return ()
        cached = self._fuzzy_cache.get((key, admin1))
        if cached is not None:
            return cached
        keys = [k for k in self._fuzzy_keys.get((admin1, key[0]), ())
                if abs(len(k) - len(key)) <= 3]
        best = difflib.get_close_matches(key, keys, n=4, cutoff=cutoff)
        hits = tuple(dict.fromkeys(i for k in best for i in self.by_key[k]
                                   if admin1 is None or self.entries[i].admin1 == admin1))
        if len(self._fuzzy_cache) < 100_000:
            self._fuzzy_cache[(key, admin1)] = hits
        return hits

    def variant(self, text: str, *, admin1: str) -> tuple[int, ...]:
        """A spelling the gazetteer lacks of a place in a governorate the sentence names: the
        same consonants, run together or not, else a close spelling. Among several, the
        closest spelling first."""
        key = name_key(text)
        if key in _NOT_PLACES or _names_country(key) or len(key.replace(" ", "")) < 4:
            return ()
        skel = skeleton(key)
        ids = (self._local_skeletons.get((admin1, skel))
               or self._local_skeletons.get((admin1, skel.replace(" ", ""))))
        if not ids or len(skel.replace(" ", "")) < 3:
            return self.fuzzy(text, admin1=admin1)

        def closeness(i: int) -> float:
            names = self._keys_of[i] if len(ids) > 1 else [key]
            return max(difflib.SequenceMatcher(None, key, k).ratio() for k in names)

        return tuple(sorted(ids, key=closeness, reverse=True))

    def could_grow(self, key: str, compact: str, lkey: str, skel: str) -> bool:
        """Whether some name's key of each kind (spelling, run together, loose, consonants)
        starts with these: the keys of a longer run of words start with a shorter run's."""
        for keys, part in zip(self._sorted, (key, compact, lkey, skel)):
            at = bisect_left(keys, part)
            if at < len(keys) and keys[at].startswith(part):
                return True
        return False

    def could_start(self, word: str) -> bool:
        key = name_key(word)
        return bool(key) and (key in self.first_words or skeleton(key) in self.first_skeletons
                              or loose(key) in self.first_loose)

    def quarter(self, text: str, ids: Sequence[int]) -> tuple[int, ...]:
        """A city's quarter a report names ('the neighbourhood of al-Zahraa'): of the entries
        found, or else of those with the name's consonants, the ones within a governorate's
        capital city (a village elsewhere may share the quarter's name)."""
        def urban(found: Iterable[int]) -> tuple[int, ...]:
            return tuple(dict.fromkeys(i for i in found if self.entries[i].kind != "admin1" and any(
                km_between(self.entries[i], capital) <= CITY_KM for capital in self.capitals)))

        key = name_key(text)
        skel = skeleton(key)
        alike = urban(i for area in self.areas for i in self._local_skeletons.get((area, skel), ()))
        return urban(ids) or tuple(i for i in alike if max(
            difflib.SequenceMatcher(None, key, k).ratio() for k in self._keys_of[i]) >= 0.8)

    def areas_near(self, area: str) -> list[str]:
        """A governorate and those sharing its capital: 'west of Damascus' is Rural Damascus."""
        capital = self.entries[self.areas[area]]
        return [area] + [a for a, i in self.areas.items() if a != area and
                         (self.entries[i].lat, self.entries[i].lon) == (capital.lat, capital.lon)]

    def region_of(self, text: str) -> str | None:
        """The governorate of a region a mention names ('Eastern Ghouta', 'Jabal al-Zawiya')."""
        found = [self.entries[i] for i in self.lookup(text)]
        return found[0].admin1 if found and all(e.kind == "region" for e in found) else None

    def area_of(self, text: str) -> str | None:
        """The governorate a mention names ('Idlib', 'Idleb countryside', 'Rural Damscus'),
        if any: spelt as the list spells it, else only like it."""
        index = self.area_keys.get(name_key(text))
        if index is None:
            index = next((i for i in self.lookup(text)[:1] if self.entries[i].kind == "admin1"),
                         None)
        return self.entries[index].admin1 if index is not None else None


def km_between(a: GazetteerEntry, b: GazetteerEntry) -> float:
    """Distance on the plane, close enough at Syria's latitudes for tens of kilometres."""
    return math.hypot((a.lat - b.lat) * 111.0, (a.lon - b.lon) * 91.0)


@lru_cache(maxsize=1)
def _borders() -> dict[str, list[list[tuple[float, float]]]]:
    """Governorate outlines (OCHA, simplified): rings of (lon, lat)."""
    data = json.loads(resources.files("observatory.data").joinpath("boundaries_admin1.json")
                      .read_text("utf-8"))
    return {f["name"]: [[(x, y) for x, y in ring] for ring in f["rings"]]
            for f in data["features"]}


def km_to_governorate(entry: GazetteerEntry, admin1: str) -> float:
    """How far a place lies outside a governorate's outline (0 inside or on it)."""
    rings = _borders().get(admin1)
    if not rings:
        return float("inf")
    kx, ky = 91.0, 111.0  # km per degree at Syria's latitudes
    px, py = entry.lon * kx, entry.lat * ky
    best = float("inf")
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > entry.lat) != (y2 > entry.lat) and entry.lon < (
                    (x2 - x1) * (entry.lat - y1) / (y2 - y1) + x1):
                inside = not inside
            ax, ay, bx, by = x1 * kx, y1 * ky, x2 * kx, y2 * ky
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1)))
            best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return 0.0 if inside else best


def _read_entries(text: str, prefix_check: bool = True) -> list[tuple[GazetteerEntry, list[str]]]:
    out = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        entry = GazetteerEntry(id=row["id"], name=row["name"], admin1=row["admin1"],
                               admin2=row["admin2"], admin3=row["admin3"], lat=float(row["lat"]),
                               lon=float(row["lon"]), kind=row["kind"], rank=int(row["rank"] or 0))
        out.append((entry, [a for a in (row.get("alt") or "").split("|") if a]))
    return out


# OCHA translates the qualifier of a twin village ('Little Orm'); reports transliterate it
# after the name ('Urum al-Sughra', 'Arab Hassan Saghir').
_QUALIFIERS = {
    "little": ("saghir", "sghir", "sughra", "saghira", "saghireh"),
    "small": ("saghir", "sghir", "sughra", "saghira", "saghireh"),
    "big": ("kabir", "kbir", "kubra", "kabira", "kabireh"),
    "great": ("kabir", "kubra"),
    "eastern": ("sharqi", "sharqiyah", "sharqiyeh", "sharki"),
    "western": ("gharbi", "gharbiyah", "gharbiyeh"),
    "northern": ("shamali", "shamaliyah", "shamaliyeh"),
    "southern": ("janoubi", "janubi", "janubiyah", "qibli"),
    "upper": ("fawqani", "foqani", "ulya"),
    "lower": ("tahtani", "sufla"),
}


def arabic_forms(name: str) -> list[str]:
    """'Little Orm' -> 'Orm Saghir', 'Orm al-Sughra', ...: the qualifier as reports write it."""
    first, _, rest = name.partition(" ")
    forms = _QUALIFIERS.get(first.lower())
    if not forms or not rest:
        return []
    return [f"{rest} {q}" for q in forms] + [f"{rest} al-{q}" for q in forms]


@lru_cache(maxsize=4)
def load_gazetteer(extra_file: str = "") -> Gazetteer:
    """The bundled gazetteer, plus places a user imported (``observatory gazetteer import``)."""
    data = resources.files("observatory.data")
    rows = _read_entries(gzip.decompress(data.joinpath("gazetteer.tsv.gz").read_bytes()).decode())
    # Regions, bases, crossings and camps that reports name and no community list holds.
    rows += _read_entries(data.joinpath("landmarks.tsv").read_text("utf-8"))
    if extra_file:
        path = Path(extra_file)
        if not path.is_file():
            raise ConfigError(f"{path}: gazetteer file not found")
        rows += _read_entries(path.read_text("utf-8"))
    entries = [e for e, _ in rows]
    names: list[tuple[int, str]] = []
    capitals: dict[str, GazetteerEntry] = {}
    for i, (entry, alts) in enumerate(rows):
        names.append((i, entry.name))
        names.extend((i, a) for a in alts)
        names.extend((i, a) for n in (entry.name, *alts) for a in arabic_forms(n))
        if entry.rank >= 3:
            capitals[entry.admin1] = entry
    areas: dict[str, int] = {}
    area_names: list[tuple[int, str]] = []
    for area in tomllib.loads(data.joinpath("areas.toml").read_text("utf-8"))["area"]:
        cap = capitals.get(area["capital"]) or next(e for e in entries if e.name == area["capital"])
        entries.append(GazetteerEntry(id=f"admin1:{area['name']}", name=area["name"],
                                      admin1=area["name"], admin2="", admin3="", lat=cap.lat,
                                      lon=cap.lon, kind="admin1", rank=4))
        areas[area["name"]] = len(entries) - 1
        area_names.extend((len(entries) - 1, a) for a in [area["name"], *area["aliases"]])
    # Governorate spellings go first so 'Idlib' names the province before the city.
    return Gazetteer(entries, area_names + names, areas)


ARTICLE_WORDS = frozenset(("al", "el", "-"))
# The words before a place name that make it the tail of another name (data/names.toml): a
# name's first word ('Abu Hama' is not Hama, 'Bab Touma' in Damascus not a Touma elsewhere),
# a given name or a title ('Muhammad Abbas', 'Colonel Haddad': a family name, not a village).
_BEFORE_A_TAIL = HEAD_WORDS | GIVEN_NAMES | TITLES


def _word(token: str) -> str:
    """A token as the lists of data/names.toml write it ('Dr.' -> 'dr', 'Hüseyin' -> 'huseyin')."""
    return fold(token).rstrip(".")


def _after_given_name(start: int, words: Sequence[str], capitalised: Sequence[bool]) -> bool:
    """'Ahmad al-Jarba', 'Hadi el-Bahra': a given name, then the family name with its article."""
    j = start - 1
    while j >= 0 and start - j <= 2 and words[j].lower() in ARTICLE_WORDS:
        j -= 1
    return j < start - 1 and j >= 0 and capitalised[j] and _word(words[j]) in GIVEN_NAMES


def _family_name_at(i: int, words: Sequence[str], capitalised: Sequence[bool]) -> bool:
    """A capitalised word that may be a family name (not 'Camp', 'Road', ...), with its article
    or without."""
    while i < len(words) and words[i].lower() in ARTICLE_WORDS:
        i += 1
    return (i < len(words) and capitalised[i] and words[i].lower() not in ARTICLE_WORDS
            and (_word(words[i]) in GIVEN_NAMES or name_key(words[i]) not in _NOT_PLACES))


def _tail_of_longer_name(m: PlaceMatch, words: Sequence[str], capitalised: Sequence[bool]) -> bool:
    """A match that is only part of a name: after a name's first word, a given name or a
    title, ending on its article ('Wadi al' of 'Wadi al-Dayf'), or a given name alone before
    a family name ('Khalil Haddad' is a person, not the village Khalil)."""
    before = _word(words[m.start - 1]) if m.start > 0 else ""
    after = m.end < len(words) and capitalised[m.end] and words[m.end].lower() not in ARTICLE_WORDS
    one = m.end - m.start == 1
    return ((before in _BEFORE_A_TAIL and capitalised[m.start - 1])
            or _after_given_name(m.start, words, capitalised)
            or words[m.end - 1].lower() in ARTICLE_WORDS
            # 'Rasm Ayed': a name's first word alone, before the rest of a name not found
            or (one and words[m.start].lower() in HEAD_WORDS and after)
            or (one and _word(words[m.start]) in GIVEN_NAMES
                and _family_name_at(m.end, words, capitalised)))


def match_places(words: Sequence[str], gazetteer: Gazetteer, *,
                 capitalised: Sequence[bool]) -> list[PlaceMatch]:
    """Longest gazetteer names over a token sequence, starting only at capitalised words."""
    out: list[PlaceMatch] = []
    i = 0
    n = len(words)
    longest: dict[int, PlaceMatch | None] = {}  # each start is tried once

    def at(i: int) -> PlaceMatch | None:
        if i not in longest:
            longest[i] = _longest_at(i, words, gazetteer, capitalised)
        return longest[i]

    while i < n:
        found = at(i)
        if found is None:
            i += 1
            continue
        # 'Eastern Deir Ezzor': a longer name starting one word later wins over 'Eastern Deir'.
        later = at(i + 1) if i + 1 < n else None
        if later is not None and later.end > found.end:
            i += 1
            continue
        if _tail_of_longer_name(found, words, capitalised):
            i += 1
            continue
        out.append(found)
        i = found.end
    return out


def _longest_at(i: int, words: Sequence[str], gazetteer: Gazetteer,
                capitalised: Sequence[bool]) -> PlaceMatch | None:
    if not capitalised[i] or not gazetteer.could_start(words[i]):
        return None
    # The run's keys word by word (name_key, loose and skeleton key each word on its own):
    # the longest run whose keys could still start a name bounds the lookups.
    last = i
    keys: list[str] = []
    skels: list[str] = []
    lkey = ""
    for j in range(i + 1, min(len(words), i + MAX_WORDS) + 1):
        word = name_key(words[j - 1])
        if word:
            keys.append(word)
            lkey += loose(word).replace(" ", "")
            if skel := skeleton(word):
                skels.append(skel)
        key = " ".join(keys)
        if not gazetteer.could_grow(key, key.replace(" ", ""), lkey, " ".join(skels)):
            break
        last = j
    for j in range(min(len(words), i + MAX_WORDS, last), i, -1):
        # A name ends on a capitalised word; 'Kafr Nabl in' never matches 'in'. Nor on an
        # article, which the keys drop: 'Idlib province Al' is 'Idlib province' before
        # 'Al Jazeera'.
        if not capitalised[j - 1] or (j - 1 > i and words[j - 1].lower() in ARTICLE_WORDS):
            continue
        hits = gazetteer.lookup(" ".join(words[i:j]))
        if hits:
            return PlaceMatch(i, j, hits)
    return None


def choose_entry(candidates: Sequence[int], gazetteer: Gazetteer, *,
                 admin1_hints: Sequence[str] = (), admin2_hints: Sequence[str] = (),
                 near_admin1: Sequence[str] = (), context: Sequence[str] = ()) -> GazetteerEntry:
    """Disambiguate a name by the governorate named beside it, the districts and governorates
    named in the report, the governorates the report's other places and operations lie in,
    then by rank (admin centres first)."""
    entries = [gazetteer.entries[i] for i in candidates]

    def score(e: GazetteerEntry) -> tuple[int, int, int, int, int, int]:
        return (e.admin1 in near_admin1, e.admin2 in admin2_hints, e.admin1 in admin1_hints,
                e.admin1 in context, e.kind == "admin1" and not admin1_hints, e.rank)

    return max(entries, key=score)


def to_location(entry: GazetteerEntry, *, mention: str, span: tuple[int, int],
                precision: int) -> Location:
    if entry.kind == "admin1":
        precision = 3
    elif entry.kind == "region":
        precision = max(precision, 2)  # a part of a region, not a town
    return Location(name=entry.name, admin1=entry.admin1 or None, admin2=entry.admin2 or None,
                    lat=entry.lat, lon=entry.lon, geo_precision=precision,
                    gazetteer_id=entry.id, mention=mention, span=span)
