"""Text helpers: reads strings and the name heads of data/names.toml, writes normalised keys
used to match names across spellings.

The keys are cached: the same words are keyed again in every sentence that names them."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from observatory.names import NAME_HEADS

_APOSTROPHES = "’'`ʿʾ‘´"
_ARTICLES = frozenset("al an ar as ash at ad az el es ech ed er et ath adh".split())
_PUNCT = re.compile(r"[-_/.,()\[\]\"“”:;]+")
_SPACES = re.compile(r"\s+")
# Transliterations of one Arabic sound written several ways collapse to one letter.
_DIGRAPHS = (("kh", "k"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "t"), ("gh", "g"),
             ("ph", "f"), ("ou", "u"), ("q", "k"), ("d", "t"), ("c", "k"), ("z", "s"))
_VOWELS = re.compile(r"[aeiouyw]")
_REPEATS = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"([aeiou])h$")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case without accents or apostrophes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    return text.lower()


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """'Ma'arrat An-Nu'man' and 'Maarat al Numan' -> 'maarat numan' style keys.

    Articles standing alone or glued as an 'El' prefix (OCHA writes 'Khan Elshih') are dropped.
    """
    words = []
    for w in _SPACES.split(_PUNCT.sub(" ", fold(text))):
        if not w or w in _ARTICLES:
            continue
        if w.startswith("el") and len(w) > 5:
            w = w[2:]
        words.append(w)
    return " ".join(words)


def starts_with_article(text: str) -> bool:
    """'At Tall', 'al-Bab': the name is written with its article."""
    first = _SPACES.split(_PUNCT.sub(" ", fold(text)).strip())[0]
    return first in _ARTICLES


@lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """Consonant skeleton of a name key: 'khan sheikhoun' and 'khan shaykun' -> 'kn skn'."""
    out = []
    for w in key.split():
        # A final -ah/-eh (ta marbuta) is written or left off at will.
        w = _FINAL_H.sub(r"\1", w)
        for a, b in _DIGRAPHS:
            w = w.replace(a, b)
        w = _REPEATS.sub(r"\1", _VOWELS.sub("", w))
        if w:
            out.append(w)
    return " ".join(out)


# The first words of place names (data/names.toml), as reports and gazetteers spell them,
# to one form.
_PREFIX_OF = {v: k for k, vs in NAME_HEADS.items() for v in vs}
# Vowels and glides written several ways for one Arabic sound; the diphthong of 'Wayran',
# 'Weiran' and 'Wiran', of 'Zayzun' and 'Zeizoun', is one.
_LOOSE_SUBS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("ck", "k"), ("ph", "f"),
               ("e", "i"), ("o", "u"), ("ay", "i"), ("y", "i"), ("w", "u"), ("dh", "z"),
               ("th", "t"), ("iia", "ia"))
# A final -eh/-ah/-a/-e (ta marbuta) only: a final -i makes another word ('Omari', 'Omar').
_NISBA_END = re.compile(r"(?:iy|i)(?:eh|ah|a|e)$")
_LOOSE_END = re.compile(r"(?:[ae]h|[ae])$")


@lru_cache(maxsize=1 << 16)
def loose(key: str) -> str:
    """A spelling key looser than name_key and stricter than skeleton: 'Tell Tuqan' and
    'Tal Tuqqan', 'Jesrin' and 'Jisrein', 'Mastumeh' and 'Mastuma' share one.

    The usual first words (Tal/Tell, Deir/Dayr, Kafr/Kfar, ...) take one form; an article
    glued on as 'El' ('Marj Elsultan') goes; -eh/-ah/-a endings, doubled letters and
    vowels written several ways collapse."""
    out = []
    for w in key.split():
        w = _PREFIX_OF.get(w, w)
        if w.startswith("el") and len(w) >= 5 and w not in NAME_HEADS:
            w = w[2:]
        if w not in NAME_HEADS:
            # A doubled letter is written single at will, the final hamza of 'Zahraa' too.
            w = _REPEATS.sub(r"\1", w)
            # '-iyeh', '-iya', '-ieh' are one ending, and not the '-i' of 'Shami' or 'Omari'.
            w = _NISBA_END.sub("ia", w)
            if not w.endswith("ia"):
                w = _LOOSE_END.sub("", w) or w
            # An initial vowel stands for a glottal stop or an ayn, written any way.
            w = re.sub(r"^[aeiou]+", "a", w)
        for a, b in _LOOSE_SUBS:
            w = w.replace(a, b)
        w = _REPEATS.sub(r"\1", w)
        if w:
            out.append(w)
    return " ".join(out)
