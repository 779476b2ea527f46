#!/usr/bin/env python3
"""Build src/observatory/data/gazetteer.tsv.gz from the OCHA, Syrian Archive and GeoNames files.

Run once when the source files change:

    python scripts/build_gazetteer.py ../shared/data/gazetteer

OCHA communities are the backbone (p-codes, admin1-3). A Syrian Archive or GeoNames place
within 3 km of a community of its own sub-district, and named alike (the same Arabic name, or
English spellings with the same consonants), adds its spellings to that community; any other
becomes a place of its own. Its admin names come from the OCHA sub-district polygon that holds
it (a city's quarters lie within 3 km of suburbs in the next governorate: Jobar is Damascus,
Zamalka beside it is Rural Damascus), else from its nearest community.
"""
from __future__ import annotations

import csv
import gzip
import json
import math
import sys
from pathlib import Path

from observatory.text import name_key, skeleton

OUT = Path(__file__).resolve().parents[1] / "src" / "observatory" / "data" / "gazetteer.tsv.gz"


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p = math.pi / 180
    h = (math.sin((b[0] - a[0]) * p / 2) ** 2
         + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def sub_districts(path: Path) -> list[tuple[dict, list[list[list[float]]], tuple[float, ...]]]:
    """OCHA admin3 polygons: (admin names, outer rings, bounding box)."""
    out = []
    for f in json.load(open(path, encoding="utf-8"))["features"]:
        geom, p = f["geometry"], f["properties"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings = [[pt[:2] for pt in poly[0]] for poly in polys]
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        out.append(({"admin1": p["ADM1_EN"].strip(), "admin2": p["ADM2_EN"].strip(),
                     "admin3": p["NAME_EN"].strip()},
                    rings, (min(xs), min(ys), max(xs), max(ys))))
    return out


def admin_of(lat: float, lon: float, polygons) -> dict | None:
    for names, rings, (x0, y0, x1, y1) in polygons:
        if x0 <= lon <= x1 and y0 <= lat <= y1 and any(_inside(lon, lat, r) for r in rings):
            return names
    return None


def _arabic(name: str) -> str:
    """An Arabic name without its article, hamza seats and ta marbuta, for comparison."""
    name = name.strip().translate(str.maketrans("أإآةى", "ااايه"))
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in name.split())


def alike(names: set[str], others: set[str]) -> bool:
    """Two name sets share a spelling: the same Arabic, or the same English consonants."""
    arabic = {_arabic(n) for n in names if any("\u0600" <= c <= "\u06ff" for c in n)}
    if arabic & {_arabic(n) for n in others}:
        return True
    # Consonant skeletons this short ('Sayad' and 'Az Zaytiyah' share 'st') prove nothing.
    skels = {k for k in (skeleton(name_key(n)).replace(" ", "") for n in names) if len(k) >= 4}
    return bool(skels & {skeleton(name_key(n)).replace(" ", "") for n in others})


def main(folder: Path) -> None:
    polygons = sub_districts(folder.parent / "boundaries" / "ocha_syr_admin3_2016-09.geojson")
    rows = list(csv.DictReader(open(folder / "ocha_syr_communities_2015.csv", encoding="utf-8")))
    entries = []
    for r in rows:
        names = {r["name_en"], r["name_en_ref"], r["name_ar"]}
        # "Khansaa - Shetheh": each part of a compound name is a spelling of it too.
        for part in r["name_en"].split(" - "):
            names.add(part.strip())
        rank = {"1": 3, "2": 2, "3": 1}.get(r["capital_level"], 0)
        entries.append({"id": "ocha:" + r["pcode"], "name": r["name_en"], "alt": names - {r["name_en"]},
                        "admin1": r["admin1_en"], "admin2": r["admin2_en"], "admin3": r["admin3_en"],
                        "lat": float(r["latitude"]), "lon": float(r["longitude"]),
                        "kind": "community", "rank": rank})
    extra = []
    for x in json.load(open(folder / "syrian_archive_locations_2015.json", encoding="utf-8")):
        try:
            extra.append(("sa:" + str(x["id"]), x["name"].replace(" nahiyah", "").strip(),
                          {x["arabic_name"].strip()}, float(x["latitude"]), float(x["longitude"]), 0))
        except (ValueError, KeyError):
            continue
    for r in csv.DictReader(open(folder / "geonames_cities500_SY.csv", encoding="utf-8")):
        alts = {a for a in r["alternatenames"].split("|") if a and all(ord(c) < 0x0400 or 0x0600 <= ord(c) < 0x0700 for c in a)}
        pop = int(r["population"] or 0)
        extra.append(("geonames:" + r["geonameid"], r["name"], alts, float(r["latitude"]),
                      float(r["longitude"]), 1 if pop > 20000 else 0))
    for ident, name, alts, lat, lon, rank in extra:
        nearest = min(entries[: len(rows)], key=lambda e: km((lat, lon), (e["lat"], e["lon"])))
        admin = admin_of(lat, lon, polygons) or {k: nearest[k] for k in ("admin1", "admin2", "admin3")}
        close = [e for e in entries[: len(rows)] if km((lat, lon), (e["lat"], e["lon"])) <= 3
                 and e["admin3"] == admin["admin3"] and alike({name, *alts}, {e["name"], *e["alt"]})]
        if close:
            same = min(close, key=lambda e: km((lat, lon), (e["lat"], e["lon"])))
            same["alt"] |= {name, *alts}
            same["rank"] = max(same["rank"], rank)
            continue
        entries.append({"id": ident, "name": name, "alt": set(alts), **admin, "lat": lat,
                        "lon": lon, "kind": "place", "rank": rank})
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("id\tname\talt\tadmin1\tadmin2\tadmin3\tlat\tlon\tkind\trank\n")
        for e in entries:
            alt = "|".join(sorted(a for a in e["alt"] if a and a != e["name"]))
            fh.write(f"{e['id']}\t{e['name']}\t{alt}\t{e['admin1']}\t{e['admin2']}\t{e['admin3']}\t"
                     f"{e['lat']:.5f}\t{e['lon']:.5f}\t{e['kind']}\t{e['rank']}\n")
    print(f"{len(entries)} places -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/gazetteer"))
