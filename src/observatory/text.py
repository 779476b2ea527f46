"""Text helpers: reads strings, writes normalised keys used to match names across spellings."""
from __future__ import annotations

import re
import unicodedata

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


def fold(text: str) -> str:
    """Lower-case without accents or apostrophes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    return text.lower()


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
