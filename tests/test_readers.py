"""Readers: every kind of input, and every kind of bad input, without loading a model."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from observatory.reading import read_inputs, read_html, read_text
from observatory.records import Document, ReadFailure

GOLDEN = Path(__file__).parent / "golden"
LIMIT = 10_000_000


def read(paths, **kw):
    return list(read_inputs([str(p) for p in paths], limit=kw.pop("limit", LIMIT), **kw))


def test_plain_text_copied_from_a_page_loses_its_chrome_and_keeps_the_caption():
    (doc,) = read([GOLDEN / "memo-2019-08-23-sohr-corridor.txt"])
    lines = {line.strip() for line in doc.text.splitlines()}
    assert "clear" not in lines
    assert "Creating new perspectives since 2009" not in doc.text
    assert "READ: Assad regime backed by Russia sieges NW Syria" not in doc.text
    assert doc.title == "SOHR: Syria army ‘humanitarian corridor’ out of Idlib does not exist"
    assert doc.published == datetime(2019, 8, 23, 12, 36)
    # The headline above the date line is the report's own, a segment apart.
    head, caption, lead = doc.segments[:3]
    assert (head.kind, doc.text[head.start:head.end]) == ("headline", doc.title)
    assert caption.kind == "caption"
    caption = doc.text[caption.start:caption.end]
    assert caption.startswith("Civil defense crews") and caption.endswith("Anadolu Agency]")
    assert lead.kind == "paragraph"
    assert doc.text[lead.start:].startswith("Reports that the Syrian regime")


def test_document_keeps_sha256_of_raw_bytes(tmp_path):
    import hashlib
    raw = "SOHR said on Monday that five people were killed.\n".encode()
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    (doc,) = read([path])
    assert doc.sha256 == hashlib.sha256(raw).hexdigest() == doc.id


def test_given_published_date_wins_over_none(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Clashes took place in Saraqib.")
    (doc,) = read([path], published=datetime(2020, 2, 3))
    assert doc.published == datetime(2020, 2, 3)


def test_html_keeps_figcaption_as_its_own_segment():
    html = b"""<html><head><title>Strikes on Ariha</title></head><body>
    <nav>Home | World | Subscribe</nav>
    <article><h1>Strikes on Ariha</h1>
    <figure><img src="x.jpg"><figcaption>Rescuers search the rubble after an airstrike on
    Ariha in Idlib on 3 February 2020.</figcaption></figure>
    <p>Russian jets bombed Ariha on Monday and three civilians died,
    the Syrian Observatory for Human Rights said. The monitor said the strikes hit a market.</p>
    <p>Syrian state media said the army targeted terrorist positions near the town.</p>
    </article><footer>Copyright</footer></body></html>"""
    doc = read_html(html, source="page.html", limit=LIMIT)
    kinds = [s.kind for s in doc.segments]
    assert kinds[0] == "caption"
    assert "airstrike on Ariha" in doc.text[doc.segments[0].start:doc.segments[0].end]
    assert "paragraph" in kinds
    assert "Subscribe" not in doc.text
    assert doc.text.count("Rescuers search the rubble") == 1


def test_feed_gives_one_document_per_entry_and_fetches_nothing(tmp_path):
    feed = tmp_path / "news.xml"
    feed.write_text("""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Monitor feed</title>
<item><title>Shelling on Kafr Nabl</title><link>http://example.org/1</link>
<pubDate>Mon, 03 Feb 2020 10:00:00 GMT</pubDate>
<description>Regime forces shelled Kafr Nabl, the monitor said.</description></item>
<item><title>Clashes in Saraqib</title><link>http://example.org/2</link>
<description>Clashes took place near Saraqib on Sunday.</description></item>
</channel></rss>""")
    docs = read([feed])
    assert [d.title for d in docs] == ["Shelling on Kafr Nabl", "Clashes in Saraqib"]
    assert docs[0].published == datetime(2020, 2, 3, 10, 0)
    assert docs[0].outlet == "Monitor feed" and docs[0].url == "http://example.org/1"


def test_feed_external_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    feed = tmp_path / "evil.rss"
    feed.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>t</title>
<item><title>x</title><description>Report &xxe; ends here with enough words.</description></item>
</channel></rss>""")
    items = read([feed])
    text = " ".join(d.text for d in items if isinstance(d, Document))
    assert "TOP-SECRET-CONTENT" not in text


def test_jsonl_lines_become_documents_with_their_fields(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "r1", "text": "Clashes in Saraqib.", "title": "T",
                                "published": "2020-02-03", "outlet": "SOHR",
                                "url": "http://x"}) + "\n")
    (doc,) = read([path])
    assert (doc.id, doc.title, doc.outlet, doc.url) == ("r1", "T", "SOHR", "http://x")
    assert doc.published == datetime(2020, 2, 3)


def test_folder_is_walked_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("Clashes took place in Saraqib on Sunday.")
    (tmp_path / "a" / "b" / "two.txt").write_text("Shelling hit Ariha on Monday.")
    (tmp_path / "a" / "b" / "skip.png").write_bytes(b"\x89PNG")
    docs = read([tmp_path])
    assert sorted(Path(d.source).name for d in docs) == ["one.txt", "two.txt"]


def test_stdin_is_json_lines():
    import io
    stream = io.BytesIO(b'{"id": "s1", "text": "Clashes took place in Saraqib."}\n')
    (doc,) = list(read_inputs(["-"], limit=LIMIT, stdin=stream))
    assert doc.id == "s1" and doc.source == "<stdin>:s1"


# Bad input: each gives one failure naming the document, and the batch goes on.

def _failures_and_docs(items):
    return ([i for i in items if isinstance(i, ReadFailure)],
            [i for i in items if isinstance(i, Document)])


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty document"),
    ("blank.txt", b"  \n\n ", "empty document"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("latin1.txt", "Shelling on Ma\xe2arrat".encode("latin-1") + b" \xff\xfe", "not valid UTF-8"),
    ("page.pdf", b"%PDF-1.4", "unsupported file type"),
])
def test_bad_file_fails_alone_naming_the_document(tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "zgood.txt"
    good.write_text("Regime forces shelled Ariha on Monday.")
    failures, docs = _failures_and_docs(read([bad, good]))
    assert len(failures) == 1 and failures[0].source == str(bad)
    assert reason in failures[0].message
    assert [Path(d.source).name for d in docs] == ["zgood.txt"]


def test_malformed_json_line_fails_alone(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "Clashes in Saraqib."}\n{"id": "b", "text": \n'
                    '[1, 2]\n{"id": "c"}\n{"id": "d", "text": "Shelling on Ariha."}\n')
    failures, docs = _failures_and_docs(read([path]))
    assert [d.id for d in docs] == ["a", "d"]
    assert [f.source for f in failures] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "malformed JSON line" in failures[0].message
    assert 'missing "text"' in failures[2].message


def test_twenty_megabyte_document_is_refused_without_reading_it_whole(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.write(b"Shelling hit Ariha. " * (20 * 1024 * 1024 // 20))
    failures, docs = _failures_and_docs(read([big], limit=10_000_000))
    assert docs == []
    assert "over the limit" in failures[0].message and "20,971,520" in failures[0].message


def test_missing_path_is_reported(tmp_path):
    failures, _ = _failures_and_docs(read([tmp_path / "nope.txt"]))
    assert failures[0].message == "no such file or folder"


def test_text_reader_refuses_control_character_soup():
    from observatory.errors import BinaryDocument
    with pytest.raises(BinaryDocument):
        read_text(bytes(range(1, 32)) * 40, source="x", limit=LIMIT)


def test_one_text_under_two_outlets_is_two_documents():
    from observatory.reading.jsonl import read_jsonl

    lines = [json.dumps({"id": n, "text": "Five people were killed in Ariha.", "outlet": outlet})
             .encode() for n, outlet in (("a", "Outlet A"), ("b", "Outlet B"))]
    first, second = list(read_jsonl(lines, source="<test>", limit=LIMIT))
    assert first.text == second.text and first.sha256 != second.sha256
    # What is kept is what was hashed: the line, with its id and outlet.
    assert hashlib.sha256(first.raw).hexdigest() == first.sha256 and b"Outlet A" in first.raw


@pytest.mark.parametrize("opening,published", [
    ("Posted on August 3 2016 by Nadia Karam ", datetime(2016, 8, 3)),
    ("Thu Sep 5 2013 ", datetime(2013, 9, 5)),
    ("Last updated at Apr 152017 ", datetime(2017, 4, 15)),
    ("20.04.2017Get short URL 0 0 0 ", datetime(2017, 4, 20)),
    ("Sat 24 Aug 2013 at 2354 Regional NNA - ", datetime(2013, 8, 24)),
    ("", None),
])
def test_a_flattened_page_loses_its_dateline_and_keeps_its_headline_apart(opening, published):
    title = "Car bomb kills four in Damascus"
    body = "A car bomb killed four people in the Syrian capital on Thursday."
    doc = read_text(f"{opening}{title} {body}".encode(), source="<test>", limit=LIMIT,
                    title=title, published=datetime(2011, 2, 2))
    # The page's own dateline wins over metadata, which is often when it was indexed.
    assert doc.published == (published or datetime(2011, 2, 2))
    head, lead = doc.segments[:2]
    assert (head.kind, doc.text[head.start:head.end]) == ("headline", title)
    assert doc.text[lead.start:lead.end] == body


def test_a_wire_stamp_under_the_headline_dates_the_story():
    title = "Air strikes kill nine in Idlib"
    text = (f"{title} Government air strikes killed nine civilians in the north AFP Friday 10 Oct "
            "2014 The monitor said nine people including two children died in the raids.")
    doc = read_text(text.encode(), source="<test>", limit=LIMIT, title=title,
                    published=datetime(2014, 10, 5))  # when it was indexed, not written
    assert doc.published == datetime(2014, 10, 10)
    # A stamp far down the story, or a wire named without one, dates nothing.
    late = read_text(("x " * 300 + text).encode(), source="<test>", limit=LIMIT,
                     published=datetime(2014, 10, 5))
    assert late.published == datetime(2014, 10, 5)


def test_a_caption_run_into_the_text_is_split_out():
    text = ("Strikes kill 12 in Idlib. Jets are seen at an air base in Syria June 18 2016 (File "
            "photo) The monitor said strikes on Ariha killed 12 civilians on Sunday.")
    doc = read_text(text.encode(), source="<test>", limit=LIMIT)
    kinds = [(s.kind, doc.text[s.start:s.end]) for s in doc.segments]
    assert kinds == [("paragraph", "Strikes kill 12 in Idlib."),
                     ("caption", "Jets are seen at an air base in Syria June 18 2016 (File photo)"),
                     ("paragraph", "The monitor said strikes on Ariha killed 12 civilians on Sunday.")]
    # The stop before the credit ends the caption; a dateline before it stays a dateline.
    dotted = read_text(b"Published July 19 2016 Fighters walk in Manbij July 1 2016. (Reuters "
                       b"Photo) Airstrikes killed 85 civilians on Tuesday.", source="<test>",
                       limit=LIMIT)
    assert dotted.published == datetime(2016, 7, 19)
    assert [(s.kind, dotted.text[s.start:s.end][:9]) for s in dotted.segments] == [
        ("caption", "Fighters "), ("paragraph", "Airstrike")]
    # A wire named in the text is no photo's credit.
    plain = read_text(b"BEIRUT (Reuters) The monitor said 12 died.", source="<test>", limit=LIMIT)
    assert [s.kind for s in plain.segments] == ["paragraph"]


def _opening(text: str, title: str | None = None) -> list[tuple[str, str]]:
    doc = read_text(text.encode(), source="<test>", limit=LIMIT, title=title)
    return [(s.kind, doc.text[s.start:s.end]) for s in doc.segments]


@pytest.mark.parametrize("text,headline,lead", [
    # A headline that closes on its source, run into the lead with no stop.
    ("Barrel bombs kill nine in Ariha Monitor An air raid killed nine people in the town of "
     "Ariha on Monday a monitoring group said.",
     "Barrel bombs kill nine in Ariha Monitor", "An air raid killed nine"),
    ("Shelling of Douma kills 12 children state TV Twelve children died when shells hit a "
     "school in Douma on Sunday.", "Shelling of Douma kills 12 children state TV", "Twelve"),
    ("Gas attack symptoms point to a nerve agent WHO Patients treated after the attack showed "
     "signs of a nerve agent the World Health Organization said.",
     "Gas attack symptoms point to a nerve agent WHO", "Patients treated"),
    # The wire's credit and stamp between them are neither.
    ("Car bomb kills six in Homs Monitor AFP Sunday 4 May 2014 Six people were killed when a "
     "car bomb went off near a bakery in Homs.", "Car bomb kills six in Homs Monitor", "Six"),
    ("Rebel shells hit Aleppo district killing nine AP Monday 9 Jun 2014 Rocket fire on a "
     "market in western Aleppo killed nine people on Monday.",
     "Rebel shells hit Aleppo district killing nine", "Rocket fire"),
    # Under a dateline, a first sentence too short and bare to be the lead.
    ("Sun 16 Apr 2017 Toll from Homs bus blast rises to 40. The toll from a car bomb that hit "
     "a bus in Homs rose to 40 people on Sunday.", "Toll from Homs bus blast rises to 40",
     "The toll from"),
])
def test_a_flattened_page_shows_its_headline_without_a_title(text, headline, lead):
    (head_kind, head), (lead_kind, body) = _opening(text)[:2]
    assert (head_kind, head, lead_kind) == ("headline", headline, "paragraph")
    assert body.startswith(lead)


def test_a_wire_s_credit_between_headline_and_lead_is_kept_in_neither():
    doc = read_text(b"Car bomb kills six in Homs Monitor AFP Sunday 4 May 2014 Six people were "
                    b"killed when a car bomb went off near a bakery in Homs.", source="<test>",
                    limit=LIMIT)
    head, lead = doc.segments
    # Still in the text as the page printed it, parsed as neither.
    assert doc.text[head.end:lead.start].strip() == "AFP Sunday 4 May 2014"
    assert doc.published == datetime(2014, 5, 4)


@pytest.mark.parametrize("text", [
    # A source in the middle of a lead: after an article, or before a name that speaks.
    "Shells killed two people in Homs the Syrian Observatory for Human Rights Britain-based "
    "monitor said on Monday.",
    "Mortars killed two people near the Opera House Syrian state TV Ikhbariya reported citing "
    "a police source.",
    "Jets pounded rebel districts near Aleppo Airport overnight Activists who fled the "
    "district said at least nine people died.",
    # A name after a title, or a headline in title case going on after a name.
    "Speaking to reporters in the city Homs Governor Talal Barazi said the blast killed seven "
    "people.",
    "Syrian Army Kills 83 ISIS Fighters in Two Days Near Palmyra Villages. Troops advanced on "
    "the town on Monday.",
    # A dateline and the lead itself.
    "3 August 2015 A Syrian jet crashed into a market in the town of Ariha on Monday killing "
    "27 people a monitor said. The jet was on a bombing run.",
    "9 Aug 2016 Five people were killed in an air raid on Idlib. Rescuers searched the rubble "
    "of two houses for survivors.",
])
def test_a_lead_is_not_taken_for_a_headline(text):
    assert [kind for kind, _ in _opening(text)] == ["paragraph"]


@pytest.mark.parametrize("title,text,headline,lead", [
    # The page's title adds the site's name.
    ("Shelling kills five in Daraa - Region - World - Example Online",
     "Shelling kills five in Daraa AFP Monday 9 Jun 2014 Five people died when shells hit a "
     "market in Daraa on Monday.", "Shelling kills five in Daraa", "Five people died"),
    ("Air raid kills 21 at a Maarat market | The Daily Example",
     "Air raid kills 21 at a Maarat market An air raid on a market in Maarat al-Numan killed "
     "21 people on Thursday.", "Air raid kills 21 at a Maarat market", "An air raid"),
    # The title closes on a credit the text lacks.
    ("Car bomb kills 12 at a checkpoint near Daraa Rebels",
     "Car bomb kills 12 at a checkpoint near Daraa A car bomb killed 12 fighters at a "
     "checkpoint north of Daraa on Friday.",
     "Car bomb kills 12 at a checkpoint near Daraa", "A car bomb killed"),
    # The text adds a credit and a wire the title lacks.
    ("Air raids kill ten near a hospital in Idlib",
     "Air raids kill ten near a hospital in Idlib Monitor AFP A barrage of air raids near a "
     "hospital in Idlib killed ten civilians on Saturday.",
     "Air raids kill ten near a hospital in Idlib Monitor", "A barrage"),
])
def test_a_given_title_finds_the_headline_it_nearly_repeats(title, text, headline, lead):
    (head_kind, head), (_, body) = _opening(text, title)[:2]
    assert (head_kind, head) == ("headline", headline) and body.startswith(lead)
