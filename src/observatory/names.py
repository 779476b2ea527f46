"""Names: reads data/names.toml once, writes the first words of place names with their
spellings, given names and the titles before a person's name, as lower-case word sets."""
from __future__ import annotations

import re
import tomllib
from importlib import resources

from observatory.errors import ConfigError

_FILE = "names.toml"
_WORD = re.compile(r"[a-z]+")


def _words(table: dict, name: str) -> frozenset[str]:
    """Every entry of a table's lists, each one folded word (so it compares with a folded token)."""
    out = set()
    for entries in table.values():
        for w in entries:
            if not isinstance(w, str) or not _WORD.fullmatch(w):
                raise ConfigError(f"data/{_FILE}: [{name}] entry {w!r} is not one lower-case "
                                  "word without accents")
            out.add(w)
    return frozenset(out)


_DATA = tomllib.loads(resources.files("observatory.data").joinpath(_FILE).read_text("utf-8"))
# head -> its other spellings ('tal' -> 'tell', 'tel', ...)
NAME_HEADS: dict[str, tuple[str, ...]] = {h: tuple(vs) for h, vs in _DATA["name_heads"].items()}
# Every spelling of every head.
HEAD_WORDS = _words({"": list(NAME_HEADS), **NAME_HEADS}, "name_heads")
GIVEN_NAMES = _words(_DATA["given_names"], "given_names")
TITLES = _words(_DATA["titles"], "titles")
