"""Hostile and odd inputs through readers, dates and the NLP stage: each bad document fails
alone with one line naming it, and the documents around it are kept."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from observatory.errors import InvalidDate
from observatory.reading import read_inputs, read_feed, read_html, read_jsonl
from observatory.reading.base import published_date
from observatory.records import Document, Extraction, ReadFailure

LIMIT = 10_000_000
GOOD = "Two civilians were killed when shelling hit a market in Aleppo on Monday, activists said."
# A paragraph with no blank line in it, past spaCy's 1,000,000-character limit (E088); one long
# word keeps the test quick, and the report around it must still be read.
LONG = GOOD + " " + "Aleppo" * 170_000 + " " + GOOD


def _lines(*objs) -> list[bytes]:
    return [(o if isinstance(o, str) else json.dumps(o)).encode("utf-8") + b"\n" for o in objs]


def test_a_paragraph_over_spacys_limit_is_parsed_in_pieces(extractor):
    assert len(LONG) > 1_000_000
    items = list(read_jsonl(_lines({"id": "a", "text": GOOD}, {"id": "long", "text": LONG},
                                   {"id": "b", "text": GOOD}), source="in.jsonl", limit=LIMIT))
    results = list(extractor.run(items))
    assert [r.document.id for r in results if isinstance(r, Extraction)] == ["a", "long", "b"]
    long = results[1]
    # Every piece maps back into the document's own text.
    for e in long.events:
        assert long.document.text[e.span[0]:e.span[1]]
    assert long.events, "the long paragraph's sentences are still read"


def test_long_text_is_cut_at_sentence_ends_then_spaces_then_anywhere():
    from observatory.coding.nlp import pieces

    text = "One two. Three four five. Six"
    assert list(pieces(text, cap=12)) == [(0, "One two. "), (9, "Three four "),
                                          (20, "five. Six")]
    assert list(pieces("x" * 25, cap=10)) == [(0, "x" * 10), (10, "x" * 10), (20, "x" * 5)]
    assert "".join(p for _, p in pieces(LONG)) == LONG


def test_a_json_line_nested_deep_fails_alone():
    deep = "[" * 200_000 + "]" * 200_000
    items = list(read_jsonl(_lines({"id": "a", "text": GOOD}, deep, {"id": "b", "text": GOOD}),
                            source="in.jsonl", limit=LIMIT))
    assert [type(i) for i in items] == [Document, ReadFailure, Document]
    assert items[1].source == "in.jsonl:2" and "\n" not in items[1].message
    assert "nested" in items[1].message


def test_extract_cli_keeps_going_past_hostile_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(_lines({"id": "a", "text": GOOD}, "[" * 200_000,
                                     {"id": "b", "text": GOOD})))
    run = subprocess.run([sys.executable, "-m", "observatory", "extract", str(path)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert [json.loads(l)["document"]["id"] for l in run.stdout.splitlines()] == ["a", "b"]
    assert "Traceback" not in run.stderr and f"{path}:2" in run.stderr


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path, codec):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(codec, b"")
    path = tmp_path / "report.txt"
    path.write_bytes(bom + GOOD.encode(codec))
    (doc,) = read_inputs([str(path)], limit=LIMIT)
    assert isinstance(doc, Document) and "Aleppo" in doc.text


def test_utf16_without_a_mark_is_still_refused_as_binary(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(GOOD.encode("utf-16-le"))
    (item,) = read_inputs([str(path)], limit=LIMIT)
    assert isinstance(item, ReadFailure) and "binary" in item.message


def test_html_nested_past_the_parsers_depth_keeps_its_text():
    page = ("<html><body>" + "<div>" * 400 + f"<p>{GOOD}</p>" + "</div>" * 400
            + "</body></html>").encode()
    doc = read_html(page, source="deep.html", limit=LIMIT)
    assert "Aleppo" in doc.text


def test_html_with_hundreds_of_unclosed_inline_tags_keeps_its_text():
    page = ("<html><body><p>" + "<b><i><span>" * 300 + GOOD + "</p></body></html>").encode()
    doc = read_html(page, source="unclosed.html", limit=LIMIT)
    assert "Aleppo" in doc.text


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Market shelled</title><guid>e1</guid><pubDate>{date}</pubDate>
<description>&lt;p&gt;Two civilians were killed when shelling hit a market in
&lt;a href="https://example.org/aleppo"&gt;Aleppo&lt;/a&gt; on &lt;b&gt;Monday&lt;/b&gt;,
activists said.&lt;/p&gt;&lt;p&gt;Medics &amp;amp; rescuers came.&lt;/p&gt;</description>
</item></channel></rss>"""


def test_feed_inline_tags_stay_in_their_sentence_and_entities_are_decoded():
    (doc,) = read_feed(FEED.format(date="Mon, 06 Jun 2016 10:00:00 GMT").encode(),
                       source="f.xml", limit=LIMIT)
    assert isinstance(doc, Document)
    paragraphs = [doc.text[s.start:s.end] for s in doc.segments]
    assert paragraphs == ["Two civilians were killed when shelling hit a market in Aleppo on "
                          "Monday, activists said.", "Medics & rescuers came."]
    assert doc.published.date().isoformat() == "2016-06-06"


@pytest.mark.parametrize("value", ["42", "v2", "1e400", "2016", "0000-00-00", "99999-01-01",
                                   "Monday", "\x00"])
def test_values_that_are_not_dates_are_refused(value):
    with pytest.raises(InvalidDate) as exc:
        published_date(value, "doc")
    assert "\n" not in str(exc.value) and str(exc.value).startswith("doc:")


@pytest.mark.parametrize("value,day", [("2016-06-06", "2016-06-06"),
                                       ("Mon, 06 Jun 2016 10:00:00 GMT", "2016-06-06"),
                                       ("6 June 2016", "2016-06-06"),
                                       ("2016-06-06T10:00:00+02:00", "2016-06-06"),
                                       ("22-Feb-20", "2020-02-22")])
def test_dates_are_still_read(value, day):
    assert published_date(value, "doc").date().isoformat() == day


def test_a_json_line_with_a_date_that_is_not_one_fails_alone():
    items = list(read_jsonl(_lines({"id": "a", "text": GOOD, "published": "42"},
                                   {"id": "b", "text": GOOD, "published": 1e300}),
                            source="in.jsonl", limit=LIMIT))
    assert all(isinstance(i, ReadFailure) for i in items)
    assert "published" in items[0].message and items[0].source == "in.jsonl:a"


def test_a_feed_entry_with_a_date_that_is_not_one_fails_alone():
    (item,) = read_feed(FEED.format(date="v2").encode(), source="f.xml", limit=LIMIT)
    assert isinstance(item, ReadFailure) and item.source == "f.xml#1"


@pytest.mark.parametrize("value", ["42", "v2", "1e400"])
def test_published_option_refuses_what_is_not_a_date(tmp_path, value):
    path = tmp_path / "a.txt"
    path.write_text(GOOD)
    run = subprocess.run([sys.executable, "-m", "observatory", "extract", str(path),
                          "--published", value], capture_output=True, text=True, timeout=600)
    assert run.returncode == 2 and "--published" in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


@pytest.mark.parametrize("obj,reason", [
    ({"id": "a\x00b", "text": GOOD}, "id"),
    ({"id": "x" * 301, "text": GOOD}, "id"),
    ({"id": "a\nb", "text": GOOD}, "id"),
])
def test_ids_and_fields_the_store_cannot_hold_fail_alone(obj, reason):
    (item,) = read_jsonl(_lines(obj), source="in.jsonl", limit=LIMIT)
    assert isinstance(item, ReadFailure) and reason in item.message
    assert "\n" not in item.source and "\x00" not in item.source


def test_nul_bytes_in_titles_are_dropped_and_in_text_refused():
    doc, nul = read_jsonl(_lines({"id": "n", "title": "A\x00B", "text": GOOD,
                                  "url": "http://x\x00"}, {"id": "t", "text": "Shelling\x00."}),
                          source="in.jsonl", limit=LIMIT)
    assert isinstance(doc, Document) and doc.title == "AB" and doc.url == "http://x"
    assert isinstance(nul, ReadFailure) and nul.source == "in.jsonl:t"


def test_the_hostile_corpus_is_refused_line_by_line_and_the_rest_stored(tmp_path):
    from hostile import write_corpus

    folder = tmp_path / "in"
    folder.mkdir()
    good, bad = write_corpus(folder)
    run = subprocess.run([sys.executable, "-m", "observatory", "ingest", str(folder),
                          "--db", f"sqlite:///{tmp_path / 's.db'}"],
                         capture_output=True, text=True, timeout=900)
    errors = [l for l in run.stderr.splitlines() if l.startswith("error:")]
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert len(errors) == bad, errors
    assert all(str(folder) in e for e in errors)
    assert f"documents: {good} new" in run.stderr
