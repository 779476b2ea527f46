"""Places (issue 12, class 3): spellings, sources inside place names, nearby homonyms."""
from __future__ import annotations

import re

import pytest

from observatory.coding.places import load_gazetteer, match_places
from observatory.errors import ConfigError
from observatory.names import HEAD_WORDS, _words
from observatory.text import loose, name_key


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_a_source_name_inside_a_place_name_is_the_place(extract_text):
    event = extract_text("Government artillery hit the Hazrama farms in Rural Damascus on "
                         "Tuesday, wounding a farmer.").events[0]
    assert event.location is not None and event.location.admin1 == "Rural Damascus"
    event = extract_text("Mortar rounds landed on Dahiet al-Assad on Sunday, wounding two "
                         "children.").events[0]
    assert event.location is not None and event.location.name == "Dahiet Elasad"


@pytest.mark.parametrize("a,b", [
    ("Sheikh Isa", "Sheikh Issa"),  # doubled letters
    ("Jesrin", "Jisrein"),  # vowels written several ways
    ("Mastuma", "Mastumeh"),  # -a / -eh
    ("Hamouriya", "Hamouriyeh"),  # -iya / -iyeh
    ("Tell Tuqan", "Tal Tuqqan"),  # Tal / Tell
    ("Dayr Hafir", "Deir Hafer"),  # Deir / Dayr
    ("Kfar Zeita", "Kafr Zeita"),  # Kafr / Kfar
    ("Marj al-Sultan", "Marj Elsultan"),  # an article glued on as 'El'
    ("Zayzun", "Zeizoun"),  # the diphthong written 'ay' or 'ei'
    ("Huwayja", "Hweija"),
    ("Zahraa", "Zahra"),  # a final hamza written as a doubled vowel or not at all
])
def test_spellings_of_one_name_share_a_loose_key(a, b):
    assert loose(name_key(a)) == loose(name_key(b))


@pytest.mark.parametrize("a,b", [("Shami", "Shamiyeh"), ("Omari", "Omariyeh"),
                                 ("Omari", "Amara")])
def test_a_nisba_ending_is_not_a_place_ending(a, b):
    assert loose(name_key(a)) != loose(name_key(b))


def test_the_gazetteer_finds_a_loose_spelling_but_not_a_governorate_by_one(gaz):
    (i, *_) = gaz.lookup("Sheikh Isa")
    assert gaz.entries[i].name == "Sheikh Issa"
    assert all(gaz.entries[i].kind != "admin1" for i in gaz.lookup("Halib"))
    # 'Damascuss ally Russia': a possessive with its apostrophe lost, not a spelling
    assert all(gaz.entries[i].kind != "admin1" for i in gaz.lookup("Damascuss"))
    assert not gaz.lookup("Ein Isa in Ar")


def test_a_name_only_spelt_like_a_far_village_is_not_placed_there(extract_text):
    event = extract_text("Turkish artillery pounded Tawila in the Tal Tamer countryside on "
                         "Friday; nobody was hurt.").events[0]
    assert event.location is not None and event.location.name != "Tawil"
    assert event.location.admin1 == "Al-Hasakeh"


def test_a_town_followed_by_military_airport_names_the_air_base(extract_text):
    event = extract_text("Jets bombed the runway of the Abu Dhuhur military airport in the "
                         "Idlib countryside on Sunday.").events[0]
    assert event.location is not None
    assert event.location.name == "Abu al-Duhur Military Airport"
    assert event.location.admin1 == "Idleb"


def test_a_town_followed_by_military_council_is_a_unit_not_a_place(extract_text):
    event = extract_text("Fighters of the Saraqib Military Council clashed with regime troops "
                         "near Tell Tuqan in Idlib.").events[0]
    assert event.location is not None and event.location.name != "Saraqab"


def test_an_aside_of_the_same_kind_places_an_incident_whose_clause_names_no_place(extract_text):
    event = extract_text("Helicopters dropped barrel bombs while tanks shelled the village of "
                         "Murak on Thursday.").events[0]
    assert event.location is not None and event.location.name == "Murak"


def test_an_aside_of_another_kind_still_does_not_place_the_incident(extract_text):
    event = extract_text("A roadside bomb killed four soldiers on Friday as government troops "
                         "advanced towards Raqqa.").events[0]
    assert event.location is None or event.location.admin1 != "Ar-Raqqa"


def test_a_name_the_report_calls_a_town_is_looked_for_across_the_country(extract_text):
    event = extract_text("Government rockets slammed into Harsta city overnight, wounding "
                         "three people.").events[0]
    assert event.location is not None and event.location.name == "Harasta"


def test_a_village_just_across_the_border_of_the_governorate_named_is_that_village(extract_text):
    event = extract_text("Rockets fell on Deir Fool village in the northern Hama countryside "
                         "on Wednesday.").events[0]
    assert event.location is not None and event.location.name == "Deir Fool"
    assert event.location.admin1 == "Homs"


def test_a_not_a_place_word_with_its_article_is_the_town(gaz):
    assert not gaz.lookup("Tall")
    (i,) = gaz.lookup("Al-Tall")
    assert gaz.entries[i].name == "At Tall"


@pytest.mark.parametrize("word", ["Other", "Barack", "Near", "ISIL"])
def test_short_english_words_are_not_loose_spellings_of_villages(gaz, word):
    assert not gaz.lookup(word)


def test_a_place_people_came_from_is_not_where_the_incident_happened(extract_text):
    event = extract_text("A car bomb tore through buses carrying families from the besieged "
                         "towns of Fuaa and Kafraya at a transit stop west of Aleppo.").events[0]
    assert event.location is not None and event.location.admin1 == "Aleppo"
    assert event.location.name != "Kafrnaya"
    event = extract_text("Turkish guns fired shells from the Tell Abiad countryside at "
                         "villages around Ein Issa in Raqqa.").events[0]
    assert event.location is not None and event.location.name == "Ein Issa"


def test_a_village_named_without_its_twin_qualifier_is_found_in_the_governorate(extract_text):
    event = extract_text("Rebel gunners shelled army posts in Huweiz in the Hama countryside "
                         "on Monday.").events[0]
    assert event.location is not None and event.location.name == "Eastern Huweiz"


def test_the_word_before_town_of_describes_the_town(extract_text):
    event = extract_text("Jets hit the northern Syiran town of Raqqa on Sunday.").events[0]
    assert event.location is not None and event.location.admin1 == "Ar-Raqqa"
    assert event.location.geo_precision == 3 or event.location.name == "Ar-Raqqa"


def test_a_city_quarter_is_a_place_of_its_own(gaz):
    # Jobar lies within 3 km of Zamalka, a suburb across the Damascus city line: the quarter is
    # a place of its own, in Damascus, not a spelling of the suburb.
    assert "Damascus" in {gaz.entries[i].admin1 for i in gaz.lookup("Jobar")}
    zamalka = [gaz.entries[i] for i in gaz.lookup("Zamalka")]
    assert zamalka and all(e.admin1 == "Rural Damascus" for e in zamalka)


@pytest.mark.parametrize("text,admin1", [
    # a city quarter keeps its own governorate
    ("Fighting went on in the Jobar district of Damascus.", "Damascus"),
    # 'Abu Hama' is a village of Deir ez-Zor, not the governorate of Hama
    ("A mine went off in Abu Hama village in eastern Deir ez-Zor, wounding a shepherd.",
     "Deir-ez-Zor"),
    # a governorate spelt loosely still places the event
    ("Artillery hit farmland outside Rural Damacus on Monday.", "Rural Damascus"),
    # Hamam is a village in Aleppo, Homs and Hasakeh; Olive Branch was fought around Afrin
    ("Olive Branch factions clashed with YPG fighters around Hamam on Tuesday.", "Aleppo"),
    # Zara is in Aleppo, Hama and Homs; Latmin, named beside it, only in Hama
    ("Regime forces shelled Zara and Latmin on Wednesday.", "Hama"),
    # a mountain region has its own point
    ("Government troops shelled villages in Jabal al-Akrad on Thursday.", "Lattakia"),
    # 'Abbas' is a village in Deir ez-Zor, and here a commander's family name
    ("A rebel commander, Ahmad Abbas, was killed in clashes with government troops near "
     "Taftanaz military airport.", "Idleb"),
    # a region named beside a village is its governorate
    ("Government troops and Jaysh al-Islam fought on the Hosh al-Zarqiyah front in Eastern "
     "Ghouta.", "Rural Damascus"),
    # the quarters of Damascus city
    ("Mortar shells hit Bab Touma on Sunday, wounding a woman.", "Damascus"),
    ("A shell landed near the Abbasiyyin square, wounding two passers-by.", "Damascus"),
    ("Mortars struck the Old City of Damascus, damaging a church.", "Damascus"),
    # a well-known base has its own point
    ("A landmine exploded near Wadi al-Deif, killing a shepherd.", "Idleb"),
    # 'Rasm' begins many hamlet names; before the rest of a name the gazetteer lacks it is
    # not the village some list spells 'Rasm'
    ("Government forces took Rasm Qatifa and Rasm Zuhayr, near Abu al-Duhur airport, after "
     "clashes with rebels.", "Idleb"),
    # a long governorate name is recognised however it is spelt
    ("Coalition jets struck oil wells in the desert of eastern Dair-e-Zour on Friday.",
     "Deir-ez-Zor"),
    # a neighbourhood is a city's quarter, not the village of the same name in Idleb
    ("Mortars fell on the neighbourhood of al-Zahraa on Monday, wounding three people.",
     "Aleppo"),
    # 'the X area of the town of Y': Y is the place, wherever else an X may lie
    ("Rebels overran the Hamidiyeh area of the town of Gharanij at dawn.", "Deir-ez-Zor"),
])
def test_the_event_is_placed_in_the_governorate_the_report_means(extract_text, text, admin1):
    event = extract_text(text).events[0]
    assert event.location is not None and event.location.admin1 == admin1


def test_the_area_of_a_district_or_governorate_is_the_place_named_first(extract_text):
    for text in ("Shelling hit the Darkosh area of the Jisr al-Shughur district on Monday.",
                 "Shelling hit the Darkosh area of Idlib on Monday."):
        location = extract_text(text).events[0].location
        assert location is not None and location.name == "Darkosh"


def test_an_operation_fought_in_one_governorate_places_an_unknown_village(extract_text):
    event = extract_text("Olive Branch factions captured the village of Qarablur from the YPG "
                         "on Friday.").events[0]
    assert event.location is not None and event.location.admin1 == "Aleppo"
    assert event.location.geo_precision == 3
    # Peace Spring was fought in two governorates: it names neither.
    event = extract_text("Peace Spring factions captured the village of Qarablur from the SDF "
                         "on Friday.").events[0]
    assert event.location is None


def test_a_castle_town_is_found_without_the_word_castle(gaz):
    # OCHA writes the town of Qalaat al-Madiq 'Madiq Castle'; reports write 'al-Madiq'.
    assert {gaz.entries[i].admin1 for i in gaz.lookup("al-Madiq")} == {"Hama"}


def test_a_place_name_does_not_end_on_the_article_of_the_next_name(extract_text):
    # Comma-less copy: 'Idlib province Al Jazeera reported' keeps the channel its article.
    result = extract_text("Government jets struck a market in Idlib province Al Jazeera "
                          "reported on Monday.")
    assert [c.speaker for c in result.claims] == ["Al Jazeera"]
    assert result.events[0].location.admin1 == "Idleb"


def _places(gaz, text: str) -> list[str]:
    """The names match_places finds, over words split as spaCy splits 'al-Jarba' and 'Dr.'."""
    words = re.findall(r"Dr\.|\w+|[^\w\s]", text)
    caps = [w[:1].isupper() or (w.lower() in ("al", "el") and i + 1 < len(words))
            for i, w in enumerate(words)]
    return [" ".join(words[m.start:m.end]) for m in match_places(words, gaz, capitalised=caps)]


@pytest.mark.parametrize("text", [
    "Ahmad al-Jarba spoke to the press",  # a family name joined by its article
    "Hadi el-Bahra spoke to the press",
    "Ahmad Al Jarba spoke to the press",
    "Mahmoud Jarba spoke to the press",  # or without it
    "Mazloum Haddad spoke to the press",  # a Kurdish given name
    "Mehmet Haddad spoke to the press",  # a Turkish one
    "Colonel Haddad spoke to the press",  # a title before the name
    "Dr. Haddad spoke to the press",
    "Khalil Haddad spoke to the press",  # a given name that is a village too
    "Salim Khalil spoke to the press",
])
def test_a_village_name_in_a_persons_name_is_no_place(gaz, text):
    assert _places(gaz, text) == []


def test_the_same_names_are_villages_where_no_person_is_named(gaz):
    assert gaz.lookup("Jarba") and gaz.lookup("Bahra") and gaz.lookup("Haddad")
    assert _places(gaz, "Jets struck Jarba and al-Bahra before shelling Haddad") == [
        "Jarba", "Bahra", "Haddad"]
    # a given name that names a village stays the village before a common noun
    assert _places(gaz, "Shells fell on Khalil Camp") == ["Khalil"]


def test_a_given_name_or_title_must_be_written_as_one_word_of_the_data_file():
    with pytest.raises(ConfigError, match="names.toml"):
        _words({"turkish": ["Hüseyin"]}, "given_names")


def test_the_spellings_of_a_name_head_are_one_list_for_keys_and_tails(gaz):
    # 'Hawsh' and 'Hosh' are one head: one spelling key, and each makes the next name a tail.
    assert loose(name_key("Hawsh Bilas")) == loose(name_key("Hosh Bilas"))
    assert {"hosh", "hawsh", "tal", "tall"} <= HEAD_WORDS
    assert _places(gaz, "Shells fell on Tall Haddad") == []


@pytest.mark.parametrize("text,name", [
    ("Unknown gunmen assassinated Hussam al-Haddad, a local council member, on Monday.", None),
    ("Fighters of Hussam al-Haddad clashed with regime forces near Saraqib on Monday.",
     "Saraqab"),
])
def test_a_family_name_does_not_place_the_event(extract_text, text, name):
    location = extract_text(text).events[0].location
    assert (location and location.name) == name
