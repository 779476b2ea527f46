"""Events: sentences we wrote, one per kind of incident, coded as an analyst would."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from observatory.coding.triggers import _words

SYRIA = "Military Forces of Syria (2000-)"
RUSSIA = "Military Forces of Russia (2000-)"


@pytest.mark.parametrize("text,sub_event_type,actor1,place,admin1", [
    ("On 3 March 2021 Russian jets struck Kafr Nabl in the Idlib countryside and killed two "
     "children and their mother.",
     "Air/drone strike", RUSSIA, "Kafr Nobol", "Idleb"),
    ("Syrian army troops regained control of Khan Sheikhoun on Tuesday after clashes with "
     "opposition factions.", "Government regains territory", SYRIA, "Khan Shaykun", "Idleb"),
    ("HTS fighters captured the village of Tal Malah in northern Hama countryside.",
     "Non-state actor overtakes territory", "HTS: Hayat Tahrir al Sham", None, "Hama"),
    ("Turkish forces shelled Tal Rifaat with artillery on Sunday.",
     "Shelling/artillery/missile attack", "Military Forces of Turkey (2016-)", "Tall Refaat",
     "Aleppo"),
    ("Unidentified gunmen shot dead a civilian in Daraa city.", "Attack",
     "Unidentified Armed Group (Syria)", None, "Dar'a"),
    ("Clashes took place between SDF fighters and Islamic State cells near Hajin in Deir "
     "ez-Zor.", "Armed clash", "QSD: Syrian Democratic Forces", "Hajin", "Deir-ez-Zor"),
    ("Hundreds of residents protested in Saraqib against the regime offensive.",
     "Peaceful protest", "Protesters (Syria)", "Saraqab", "Idleb"),
    ("A roadside bomb left by unknown attackers went off near Al-Bab and three soldiers died.",
     "Remote explosive/landmine/IED", "Unidentified Armed Group (Syria)", "Al Bab", "Aleppo"),
    ("Government helicopters hit Kafr Zita in northern Hama with barrel bombs.",
     "Air/drone strike", SYRIA, "Kafr Zeita", "Hama"),
])
def test_incident_is_coded(extract_text, text, sub_event_type, actor1, place, admin1):
    event = extract_text(text, published="2021-03-05").events[0]
    assert event.sub_event_type == sub_event_type
    assert event.actor1 is not None and event.actor1.name == actor1
    assert event.location is not None and event.location.admin1 == admin1
    if place:
        assert event.location.name == place


def test_fields_point_to_their_evidence(extract_text):
    text = ("On 3 March 2021 Russian jets struck Kafr Nabl in the Idlib countryside and killed two "
            "children and their mother.")
    result = extract_text(text)
    event = result.events[0]
    doc = result.document.text
    assert doc[slice(*event.location.span)] == "Kafr Nabl"
    assert doc[slice(*event.date.span)] == "3 March 2021"
    assert doc[slice(*event.actor1.span)] == "Russian"
    assert doc[slice(*event.fatalities.span)] == "two children and their mother"
    assert (event.fatalities.low, event.fatalities.high) == (3, 3)
    assert "civilians" in event.targets
    assert event.date.precision == "day"
    record = event.to_dict(result.document.sha256)
    assert record["provenance"]["stage"] == "events.v1"
    assert set(record["evidence"]) >= {"event_type", "actor1", "location", "date", "fatalities"}


def test_joint_syrian_russian_strike_codes_the_syrian_forces_first(extract_text):
    event = extract_text("On 9 March 2021 Russian jets bombed Binnish in the Idlib countryside "
                         "amid shelling of the town by regime artillery.").events[0]
    assert event.actor1.name == SYRIA
    assert [a.name for a in event.assoc_actor_1] == [RUSSIA]


def test_near_a_town_is_precision_two(extract_text):
    event = extract_text("Government artillery pounded farmland near Saraqib in Idlib on "
                         "2 February 2020.").events[0]
    assert event.location.name == "Saraqab" and event.location.geo_precision == 2


def test_province_only_is_precision_three(extract_text):
    event = extract_text("Government artillery hit several villages of the Idlib countryside "
                         "on 2 February 2020.").events[0]
    assert event.location.admin1 == "Idleb" and event.location.geo_precision == 3


def test_unknown_group_keeps_its_name(extract_text):
    event = extract_text("Ansar al Tawhid fired rockets at Saraqib on 3 February 2020."
                         ).events[0]
    assert event.actor1 is not None and not event.actor1.known
    assert "Ansar al Tawhid" in event.actor1.name


def test_a_masthead_year_is_not_an_event_date(extract_text):
    result = extract_text("Monitor\n\nCreating new perspectives since 2009\n\n"
                          "Regime forces shelled Saraqib, killing 2 civilians.",
                          published="2020-02-03")
    assert result.events[0].date.start.isoformat() >= "2020-01-28"


def test_a_heading_codes_its_paragraph_without_a_trigger_word(extract_text):
    event = extract_text("Headquarters or base established: on Monday Russian troops set up "
                         "a new post on a hilltop north of Hama.",
                         published="2021-05-12").events[0]
    assert event.sub_event_type == "Headquarters or base established"


@pytest.mark.parametrize("text,sub_event_type", [
    ("A chlorine gas attack on a town in Idlib killed four people on Monday.",
     "Chemical weapon"),
    ("Rebels launched a rocket attack on Aleppo on Monday.",
     "Shelling/artillery/missile attack"),
    ("A car bomb hit a convoy of buses carrying evacuees near Aleppo.",
     "Remote explosive/landmine/IED"),
])
def test_the_weapon_names_the_attack(extract_text, text, sub_event_type):
    assert extract_text(text, published="2020-02-20").events[0].sub_event_type == sub_event_type


def test_a_news_headline_and_its_lead_are_one_incident(extractor):
    from observatory.reading import read_text
    title = "Bombing at checkpoint kills dozens outside Hama"
    text = (f"{title} At least 31 people were killed Sunday in a suicide car bomb attack at a "
            "checkpoint outside Hama a monitor said. Earlier this month an air strike hit Idlib.")
    doc = read_text(text.encode(), source="<test>", limit=10_000_000, title=title,
                    published=datetime(2021, 5, 10))  # a Monday
    (result,) = list(extractor.run([doc]))
    main = result.events[0]
    # The lead's kind (more specific than the headline's), its toll and its day.
    assert main.sub_event_type == "Suicide bomb" and main.fatalities.low == 31
    assert main.date is not None and main.date.start == date(2021, 5, 9)


def test_what_others_did_meanwhile_does_not_place_the_incident(extract_text):
    result = extract_text("A car bomb killed 12 people in Azaz on Monday as Turkish-backed fighters "
                          "advanced towards Tal Rifaat.")
    main = result.events[0]
    assert main.location is not None and main.location.name == "Azaz"
    result = extract_text("A suicide car bomb hit a crowded market killing 12 people on Monday "
                          "as government forces pushed towards the Islamic State stronghold "
                          "of Raqqa. The blast struck the market in Azaz.")
    main = result.events[0]
    assert main.location is not None and main.location.admin1 == "Aleppo"
    assert main.actor1 is None or "Islamic State" not in main.actor1.name


def test_a_clause_about_the_victims_still_places_them(extract_text):
    result = extract_text("On 3 March 2020 opposition fighters downed a government helicopter "
                          "flying over Nayrab in Idleb.")
    assert result.events[0].location is not None


def test_a_news_story_gives_its_toll_in_its_opening(extractor):
    from observatory.reading import read_text
    title = "Suicide attack on engagement party kills 27"
    text = ("The attacker blew himself up late on Sunday in the village of Tal Tamr where a local "
            "official was celebrating an engagement. A suicide bomber struck the party in northeast "
            "Syria's Hasakeh province, killing 27 people and wounding dozens a monitor said.")
    doc = read_text(text.encode(), source="<test>", limit=10_000_000, title=title,
                    published=datetime(2021, 5, 10))
    (result,) = list(extractor.run([doc]))
    main = result.events[0]
    assert (main.fatalities.low, main.fatalities.high) == (27, 27)
    assert text[main.fatalities.span[0]:main.fatalities.span[1]].startswith("27")


def test_what_went_on_for_years_comes_after_the_incident(extract_text):
    result = extract_text("In 2013 government forces killed hundreds of people in a chemical attack "
                          "on Khan Sheikhoun. On 3 March 2020 an airstrike hit a market in Saraqeb killing "
                          "five civilians.")
    main = result.events[0]
    assert main.date is not None and main.date.precision == "day"
    assert main.location is not None and main.location.name == "Saraqab"


def test_a_photo_caption_does_not_lead_a_news_story(extractor):
    from observatory.reading import read_text
    text = ("Jets are seen at an air base in Latakia June 18 2016 (File photo) Air strikes killed "
            "12 civilians in Ariha on Sunday the monitor said.")
    doc = read_text(text.encode(), source="<test>", limit=10_000_000,
                    title="Strikes kill 12 in Idlib town", published=datetime(2016, 6, 27))
    (result,) = list(extractor.run([doc]))
    main = result.events[0]
    assert main.location is not None and main.location.name == "Ariha"
    assert main.date is not None and main.date.start == date(2016, 6, 26)


def test_a_place_told_far_after_the_incident_is_not_its_place(extract_text):
    result = extract_text("Warplanes struck a market on Monday killing five people. Rescuers "
                          "searched the rubble for hours. Doctors said many were badly hurt. The "
                          "monitor said warplanes had used the same bombs in Ariha.",
                          published="2020-03-04")
    assert result.events[0].location is None


def test_a_caption_does_not_place_the_incident_of_the_story(extract_text):
    result = extract_text("A bomb exploded at a bus station on Wednesday killing six people.\n\n"
                          "A boy wounded in the bomb blast sits in a tent at Bab al-Hawa hospital "
                          "(AFP Photo)", published="2020-03-05")
    main = result.events[0]
    assert main.location is None or "Hawa" not in main.location.name


def _news(extractor, title: str, text: str):
    from observatory.reading import read_text
    # A story as outlets print it: its headline runs into its text.
    doc = read_text(f"{title} {text}".encode(), source="<test>", limit=10_000_000, title=title,
                    published=datetime(2021, 5, 10))
    (result,) = list(extractor.run([doc]))
    return result


@pytest.mark.parametrize("text", [
    "Russian strikes on Maarat al-Numan killed nine civilians on Monday.",
    "Regime raids on Saraqib killed nine civilians on Monday.",
])
def test_a_state_s_strikes_and_raids_are_air_strikes(extract_text, text):
    main = extract_text(text, published="2021-05-10").events[0]
    assert main.sub_event_type == "Air/drone strike" and main.fatalities.low == 9


@pytest.mark.parametrize("text,sub", [
    # A raid is an arrest where people are arrested in it.
    ("Regime forces raided the town of Nawa on Monday and arrested 20 young men.", "Arrests"),
    # Without arrests: flown by aircraft, named in the sentence or before it, an air strike.
    ("Russian and Syrian air forces renewed their raids on Saraqib on Monday, killing 12.",
     "Air/drone strike"),
    ("Warplanes struck Saraqib on Monday. On Tuesday the raids hit a market in Ariha.",
     "Air/drone strike"),
    # A raid that kills, with no aircraft: an assault.
    ("Rebels launched a raid on army posts in Kafr Nabudah on Monday that killed 12 soldiers.",
     "Armed clash"),
])
def test_a_raid_is_an_arrest_only_with_arrests(extract_text, text, sub):
    subs = [e.sub_event_type for e in extract_text(text, published="2021-05-10").events]
    assert sub in subs and ("Arrests" in subs) == (sub == "Arrests")


def test_a_headline_figure_beats_a_word_of_quantity_in_the_lead(extractor):
    result = _news(extractor, "58 killed in gas attack in Idlib",
                   "Dozens of people have been killed in air strikes on Idlib province on "
                   "Sunday. Rescuers worked through the night.")
    main = result.events[0]
    assert (main.fatalities.low, main.fatalities.high) == (58, 58)


def test_an_undated_lead_happened_by_the_day_its_source_told_it(extractor):
    result = _news(extractor, "Air strikes on Saraqeb kill 12",
                   "Air strikes on the town of Saraqeb killed 12 civilians. The Syrian "
                   "Observatory for Human Rights said on Saturday that most of them were children.")
    when = result.events[0].date  # the report is dated Monday 10 May
    assert (when.start, when.end, when.precision) == (date(2021, 5, 7), date(2021, 5, 8), "week")


def test_sources_with_their_own_totals_give_a_range(extractor):
    def toll(text: str):
        result = _news(extractor, "Bombing of bus convoy outside Aleppo",
                       "A bomb hit a bus convoy outside Aleppo on Sunday. " + text)
        killed = result.events[0].fatalities
        return (killed.low, killed.high), result.document.text[killed.span[0]:killed.span[1]]

    figures, told = toll("State media said a suicide attacker killed at least 22 people. The "
                         "Syrian Observatory for Human Rights said the death toll was at least 24.")
    assert figures == (22, 24) and told.startswith("at least 22") and told.endswith("24")
    # One source's later words about its own toll are no rival total.
    assert toll("The Syrian Observatory for Human Rights said a suicide attacker killed at least "
                "22 people. The Observatory said the toll was expected to rise above 30."
                )[0] == (22, None)
    # A lead that gives a new toll has replaced the earlier counts it goes on to quote.
    assert toll("At least 24 people died in the attack, according to a new toll from the Syrian "
                "Observatory for Human Rights. The provincial governor had earlier said the death "
                "toll was 19.")[0] == (24, None)


@pytest.mark.parametrize("text", [
    "Air strikes hit the town.",
    "An air strikeX, then an air raid.",  # no word end after 'strike': the shorter 'air'
    "US-led raids and a us-led raid.",
    "Rocket-propelled grenades, a rocket-propelled grenade, rocket propelled grenadesque.",
    "AIR STRIKE, Air-Strike, airstrike.",
])
def test_the_phrase_tree_matches_as_the_plain_list_of_phrases(text):
    # The lexicon's phrases are compiled as a letter tree for speed; it must find what an
    # alternation of the phrases, longest first, finds, where a phrase's end is not a word's.
    phrases = ["air", "air strike", "air strikes", "air raid", "us-led raid", "us-led raids",
               "rocket-propelled grenade", "rocket-propelled grenades", "rocket propelled grenade"]
    flat = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len,
                                                                        reverse=True)) + r")\b",
                      re.I)
    assert [(m.span(), m.group(0)) for m in _words(phrases).finditer(text)] == \
        [(m.span(), m.group(0)) for m in flat.finditer(text)]
