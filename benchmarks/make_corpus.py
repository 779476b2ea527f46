"""Benchmark corpus: reads FA-KES articles (JSON Lines), writes N reports made from them with new
ids and publication dates (each round of copies a few days after the last)."""
from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "fakes-sample.jsonl"


def make(source: Path, count: int) -> list[dict]:
    articles = [json.loads(line) for line in source.read_text("utf-8").splitlines() if line]
    out = []
    for n in range(count):
        a = articles[n % len(articles)]
        round_ = n // len(articles)
        published = datetime.fromisoformat(a["published"]) if a.get("published") else None
        out.append({**a, "id": f"bench-{n}-{a['id']}",
                    "published": (published + timedelta(days=3 * round_)).isoformat()
                    if published else None})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--source", type=Path, default=SAMPLE,
                        help="FA-KES articles as JSON Lines (id, title, text, outlet, published)")
    args = parser.parse_args()
    with args.output.open("w", encoding="utf-8") as f:
        for report in make(args.source, args.count):
            f.write(json.dumps(report, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
