#!/usr/bin/env python3
"""Build src/observatory/data/gazetteer.tsv.gz from the OCHA, Syrian Archive and GeoNames files.

Run once when the source files change:

    python scripts/build_gazetteer.py ../shared/data/gazetteer

OCHA communities are the backbone (p-codes, admin1-3). A Syrian Archive or GeoNames place
within 3 km of a community adds its spellings to that community; one further away becomes a
place of its own, with the admin names of its nearest community.
"""
from __future__ import annotations

import csv
import gzip
import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "observatory" / "data" / "gazetteer.tsv.gz"


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p = math.pi / 180
    h = (math.sin((b[0] - a[0]) * p / 2) ** 2
         + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


def main(folder: Path) -> None:
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
        if km((lat, lon), (nearest["lat"], nearest["lon"])) <= 3:
            nearest["alt"] |= {name, *alts}
            nearest["rank"] = max(nearest["rank"], rank)
            continue
        entries.append({"id": ident, "name": name, "alt": set(alts), "admin1": nearest["admin1"],
                        "admin2": nearest["admin2"], "admin3": nearest["admin3"], "lat": lat,
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
