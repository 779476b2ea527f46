"""Gazetteer import: reads a GeoNames dump, writes places in the bundled gazetteer's TSV shape."""
from __future__ import annotations

import csv
from pathlib import Path

from observatory.errors import ConfigError

# GeoNames feature classes worth locating events at: populated places and admin areas.
_CLASSES = {"P": ("place", 0), "A": ("admin", 1)}
FIELDS = ("id", "name", "alt", "admin1", "admin2", "admin3", "lat", "lon", "kind", "rank")


def import_geonames(dump: Path, target: Path, *, country: str | None = None) -> int:
    """Convert a GeoNames dump; returns how many places were written."""
    count = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with dump.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8",
                                                                       newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(FIELDS)
        for n, row in enumerate(csv.reader(src, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if len(row) < 15:
                raise ConfigError(f"{dump}:{n}: not a GeoNames dump line "
                                  f"({len(row)} columns, expected 19)")
            if country and row[8] != country.upper():
                continue
            kind = _CLASSES.get(row[6])
            if kind is None:
                continue
            alts = sorted({a for a in row[3].split(",") if a and a != row[1]})[:40]
            population = int(row[14] or 0)
            rank = kind[1] + (1 if population > 20000 else 0) + (1 if population > 500000 else 0)
            writer.writerow([f"geonames:{row[0]}", row[1], "|".join(alts), f"{row[8]}.{row[10]}",
                             f"{row[8]}.{row[10]}.{row[11]}" if row[11] else "", "",
                             row[4], row[5], kind[0], rank])
            count += 1
    return count
