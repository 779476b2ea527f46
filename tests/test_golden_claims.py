"""Golden files: real reports beside the claims a person marks in them.

Precision and recall over all golden files are pinned: a change that makes attribution
worse fails here.
"""
from __future__ import annotations

import pytest

from conftest import GOLDEN, extract_path, load_expected, speaker_matches

# Pinned at what the 39 golden texts measure (0.933 / 0.870), a floor against regressions;
# issue 13 asks for at least 0.90 / 0.85.
MIN_PRECISION = 0.92
MIN_RECALL = 0.86
EXPECTED = sorted(GOLDEN.glob("*.expected.json"))


def score_file(extractor, expected_path):
    expected = load_expected(expected_path)
    result = extract_path(extractor, GOLDEN / expected["input"], expected["published"])
    claims = [c.to_dict(result.document.sha256) for c in result.claims]
    unmatched = list(claims)
    tp = 0
    missing = []
    for want in expected["claims"]:
        hit = next((c for c in unmatched if speaker_matches(c, [want["speaker"], *want["aliases"]])
                    and want["content_contains"].lower() in c["content"].lower()
                    and c["polarity"] == want["polarity"]), None)
        if hit is None:
            missing.append(want)
        else:
            tp += 1
            unmatched.remove(hit)
    return tp, unmatched, missing, result


def test_at_least_five_golden_reports():
    assert len(EXPECTED) >= 5


def test_claim_precision_and_recall_are_pinned(extractor):
    tp = fp = fn = 0
    report = []
    for path in EXPECTED:
        hits, extra, missing, _ = score_file(extractor, path)
        tp += hits
        fp += len(extra)
        fn += len(missing)
        report += [f"{path.name}: extra {c['speaker']}: {c['content'][:60]}" for c in extra]
        report += [f"{path.name}: missing {m['speaker']}: {m['content_contains']}" for m in missing]
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    print(f"claims precision={precision:.3f} recall={recall:.3f} (tp={tp} fp={fp} fn={fn})")
    print("\n".join(report))
    assert precision >= MIN_PRECISION, report
    assert recall >= MIN_RECALL, report


def test_motivating_report_claims_dispute_and_events(extractor):
    path = GOLDEN / "memo-2019-08-23-sohr-corridor.expected.json"
    hits, _, missing, result = score_file(extractor, path)
    assert missing == []
    by_id = {c.id: c for c in result.claims}
    corridor = [d for d in result.disputes if "corridor" in d.about]
    assert corridor and corridor[0].field == "occurred"
    supporting = [by_id[i] for i in corridor[0].supporting]
    opposing = [by_id[i] for i in corridor[0].opposing]
    assert [c.speaker_type for c in supporting] == ["state_media"]
    assert supporting[0].date.start.isoformat() == "2019-08-21"
    assert {c.speaker for c in opposing} == {"Syrian Observatory for Human Rights"}
    assert {c.date.start.isoformat() for c in opposing} == {"2019-08-22"}
    told = next(c for c in result.claims if c.cue == "told")
    assert told.via == ("Voice of America",)
    quote = next(c for c in result.claims if c.cue == "stated")
    assert quote.quote and quote.speaker == "Rami Abdulrahman"
    assert quote.affiliation == "Syrian Observatory for Human Rights"
    for want in load_expected(path)["events"]:
        match = [e for e in result.events if e.sub_event_type == want["sub_event_type"]
                 and e.location is not None and e.location.admin1 == want["admin1"]
                 and e.actor1 is not None and e.actor1.name == want["actor1"]]
        match = [e for e in match if ("date" not in want or e.date is not None
                                      and e.date.start.isoformat() == want["date"])
                 and ("location" not in want or e.location.name == want["location"])]
        assert match, want


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_each_golden_report_keeps_most_of_its_claims(extractor, path):
    hits, _, missing, _ = score_file(extractor, path)
    assert hits >= len(load_expected(path)["claims"]) // 2, missing
