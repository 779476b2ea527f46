"""Places: spellings, ambiguity and governorates against the bundled gazetteer."""
from __future__ import annotations

import pytest

from observatory.coding.places import choose_entry, load_gazetteer, match_places


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize("spellings,name,admin1", [
    (["Khan Sheikhoun", "Khan Shaykhun", "Khan Shaykun"], "Khan Shaykun", "Idleb"),
    (["Maarat al-Numan", "Ma'arrat An Nu'man", "Maarrat al Numan"], "Ma'arrat An Nu'man", "Idleb"),
    (["Kafr Nabudah", "Kafr Nabutha"], "Kafr Nabutha", "Hama"),
    (["Saraqeb", "Saraqib", "Saraqab"], "Saraqab", "Idleb"),
    (["Khan Tuman", "Khantuman"], "Khantuman", "Aleppo"),
])
def test_alternative_spellings_find_one_place(gaz, spellings, name, admin1):
    for spelling in spellings:
        ids = gaz.lookup(spelling)
        assert ids, spelling
        entry = choose_entry(ids, gaz)
        assert (entry.name, entry.admin1) == (name, admin1), spelling


def test_ambiguous_name_follows_the_governorate_named_beside_it(gaz):
    ids = gaz.lookup("Ras Al Ain")
    assert {gaz.entries[i].admin1 for i in ids} >= {"Hama", "Al-Hasakeh"}
    assert choose_entry(ids, gaz, near_admin1=["Al-Hasakeh"]).admin1 == "Al-Hasakeh"
    assert choose_entry(ids, gaz, near_admin1=["Hama"]).admin1 == "Hama"


def test_governorate_spellings(gaz):
    for spelling, area in [("Idlib", "Idleb"), ("Hasakah", "Al-Hasakeh"), ("Deir ez-Zor",
                           "Deir-ez-Zor"), ("Daraa", "Dar'a"), ("Latakia", "Lattakia")]:
        assert gaz.area_of(spelling) == area
    assert "Rural Damascus" in gaz.areas_near("Damascus")


def test_countries_are_never_places(gaz):
    assert gaz.lookup("Syria") == () and gaz.lookup("Turkey") == ()
    # Nor are they a spelling of a village: 'Northern Syria' is not Northern Ora.
    assert gaz.fuzzy("Northern Syria") == () and gaz.variant("Northern Syria", admin1="Idleb") == ()


def test_weapons_named_like_a_subdistrict_are_not_places(gaz):
    assert gaz.lookup("Sarin") == () and gaz.lookup("Chlorine") == ()


def test_fuzzy_within_a_governorate(gaz):
    ids = gaz.fuzzy("Kafr Noubol", admin1="Idleb")
    assert [gaz.entries[i].name for i in ids] == ["Kafr Nobol"]
    assert gaz.fuzzy("Kafr Noubol", admin1="Hasakeh") == ()


def test_matching_over_words_prefers_the_longest_name(gaz):
    words = "airstrikes on Khan Sheikhoun in Idlib".split()
    caps = [w[0].isupper() for w in words]
    found = match_places(words, gaz, capitalised=caps)
    assert [" ".join(words[m.start:m.end]) for m in found] == ["Khan Sheikhoun", "Idlib"]


def test_imported_geonames_places_are_used(tmp_path):
    from observatory.coding.gazetteer import import_geonames

    dump = tmp_path / "XK.txt"
    row = ["786714", "Pristina", "Pristina", "Prishtina,Priştina", "42.67272", "21.16688", "P",
           "PPLC", "XK", "", "01", "", "", "", "145149", "", "652", "Europe/Belgrade", "2019-01-01"]
    dump.write_text("\t".join(row) + "\n")
    out = tmp_path / "extra.tsv"
    assert import_geonames(dump, out) == 1
    load_gazetteer.cache_clear()
    gaz = load_gazetteer(str(out))
    (i,) = gaz.lookup("Prishtina")
    assert gaz.entries[i].id == "geonames:786714"
    load_gazetteer.cache_clear()


@pytest.mark.parametrize("spelling,admin1,name", [
    ("Iblin", "Idleb", "Ablin"),  # the same consonants
    ("Um Kayf", "Al-Hasakeh", "Um Elkeif"),
    ("Sarmeen", "Idleb", "Sarmin"),
    ("Mastuma", "Idleb", "Mastumeh"),
])
def test_a_spelling_the_gazetteer_lacks_is_found_within_the_governorate(gaz, spelling, admin1,
                                                                        name):
    ids = gaz.variant(spelling, admin1=admin1)
    assert ids and gaz.entries[ids[0]].name == name
    assert not any(gaz.entries[i].admin1 != admin1 for i in ids)


@pytest.mark.parametrize("spelling,name", [
    ("Orm al-Kubra", "Big Orm"), ("Hmeimeh Saghireh", "Little Hmeimeh"),
    ("Kwaires Sharqi", "Eastern Kwaires"),
])
def test_arabic_qualifiers_find_translated_names(gaz, spelling, name):
    assert name in {gaz.entries[i].name for i in gaz.lookup(spelling)}


def test_an_unknown_village_read_as_a_person_is_placed(extract_text):
    event = extract_text("Warplanes bombed Tuqad in Aleppo on Monday, wounding a farmer.",
                         published="2021-05-12").events[0]
    assert event.location is not None and event.location.name == "Tqad"


@pytest.mark.parametrize("text,name,precision", [
    ("Artillery hit villages across Jabal al-Zawiya in southern Idlib on Monday.",
     "Jabal al-Zawiya", 2),
    ("A drone struck Menagh Military Airport north of Aleppo on Monday.",
     "Menagh Military Airport", 1),
])
def test_regions_and_bases_no_community_list_holds(extract_text, text, name, precision):
    location = extract_text(text, published="2021-05-12").events[0].location
    assert location is not None and (location.name, location.geo_precision) == (name, precision)


def test_a_convoy_is_placed_where_it_went_not_where_it_came_through(extract_text):
    event = extract_text("A column of armoured vehicles crossed into Syria via Bab al-Hawa "
                         "crossing on Monday and deployed in Sarmada in Idlib.",
                         published="2021-05-12").events[0]
    assert event.location is not None and event.location.name != "Bab al-Hawa crossing"
    assert event.location.admin1 == "Idleb"


def test_a_source_that_is_also_a_place_is_the_place_where_it_stands_as_one(extract_text):
    event = extract_text("A car bomb exploded near a bakery in Damascus city on Monday.",
                         published="2021-05-12").events[0]
    assert event.location is not None and event.location.admin1 == "Damascus"
    said = extract_text("Damascus said the attack on the bakery was a crime.",
                        published="2021-05-12")
    assert said.claims and said.claims[0].speaker != "Damascus"
