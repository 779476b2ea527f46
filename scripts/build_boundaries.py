#!/usr/bin/env python3
"""Build src/observatory/data/boundaries_admin1.json (or _admin2.json) from OCHA's polygons.

    python scripts/build_boundaries.py ../shared/data/boundaries/ocha_syr_admin1_2016-09.geojson
    python scripts/build_boundaries.py ../shared/data/boundaries/ocha_syr_admin2_2016-09.geojson 2

District features also carry their governorate (`admin1`).

Rings are simplified (Douglas-Peucker, 0.004 degree) and rounded to 3 decimals so the web
map's outlines weigh a few hundred KB at most.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "observatory" / "data"
TOLERANCE = 0.004


def simplify(points: list[list[float]], tol: float) -> list[list[float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0][:2], points[-1][:2]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
    best, index = 0.0, 0
    for i, (x, y) in enumerate((p[:2] for p in points[1:-1]), 1):
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return simplify(points[:index + 1], tol)[:-1] + simplify(points[index:], tol)


def main(path: Path, level: int = 1) -> None:
    out = DATA / f"boundaries_admin{level}.json"
    keys = ("admin1Name_en", "ADM1_EN", "NAME_EN", "admin1Name") if level == 1 else ("NAME_EN",)
    data = json.loads(path.read_text("utf-8"))
    features = []
    for f in data["features"]:
        props = f["properties"]
        name = next((props[k] for k in keys if k in props), None)
        geom = f["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = []
        for polygon in polygons:
            for ring in polygon[:1]:
                # A closed ring starts and ends on one point: split it at the farthest point.
                far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2
                          + (ring[i][1] - ring[0][1]) ** 2)
                halves = simplify(ring[:far + 1], TOLERANCE)[:-1] + simplify(ring[far:], TOLERANCE)
                small = [[round(x, 3), round(y, 3)] for x, y, *_ in halves]
                if len(small) >= 4:
                    rings.append(small)
        feature = {"name": name, "rings": rings}
        if level == 2:
            feature["admin1"] = props.get("ADM1_EN")
        features.append(feature)
    out.write_text(json.dumps({"source": f"OCHA Syria admin{level} boundaries 2016-09, CC BY-IGO",
                               "features": features}, separators=(",", ":")))
    print(f"{len(features)} areas -> {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else
              "../shared/data/boundaries/ocha_syr_admin1_2016-09.geojson"),
         int(sys.argv[2]) if len(sys.argv) > 2 else 1)
