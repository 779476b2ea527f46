"""Actors: mentions to ACLED-style names through our dictionary."""
from __future__ import annotations

import pytest

from observatory.coding.actors import load_actors


@pytest.fixture(scope="module")
def actors():
    return load_actors()


@pytest.mark.parametrize("phrase,name", [
    ("regime forces", "Military Forces of Syria (2000-)"),
    ("the Syrian army", "Military Forces of Syria (2000-)"),
    ("the Assad regime", "Military Forces of Syria (2000-)"),
    ("Russian warplanes", "Military Forces of Russia (2000-)"),
    ("opposition factions", "Opposition Rebels (Syria)"),
    ("HTS fighters", "HTS: Hayat Tahrir al Sham"),
    ("the SDF", "QSD: Syrian Democratic Forces"),
    ("Turkish forces", "Military Forces of Turkey (2016-)"),
    ("Islamic State cells", "Islamic State (Syria)"),
    ("unidentified gunmen", "Unidentified Armed Group (Syria)"),
    ("allied Syrian or Russian warplanes", "Allied Syrian and/or Russian Forces"),
])
def test_mentions_resolve(actors, phrase, name):
    assert actors.find_all(phrase)[0].name == name


def test_lowercase_words_are_not_acronyms(actors):
    assert actors.find_all("the area is calm and us too") == []
    assert actors.find_all("IS fighters")[0].name == "Islamic State (Syria)"


def test_several_actors_in_order(actors):
    found = actors.find_all("regime and Russian warplanes")
    assert [a.name for a in found] == ["Military Forces of Syria (2000-)",
                                       "Military Forces of Russia (2000-)"]


def test_user_file_extends_the_dictionary(tmp_path):
    extra = tmp_path / "actors.toml"
    extra.write_text('[[actor]]\nname = "Liwa al-Quds"\nkind = "militia"\n'
                     'aliases = ["Quds Brigade"]\n')
    assert load_actors(str(extra)).find_all("the Quds Brigade")[0].name == "Liwa al-Quds"


@pytest.mark.parametrize("phrase,name", [
    ("the Iranian army", "Military Forces of Iran (1989-)"),
    ("Iran Army units", "Military Forces of Iran (1989-)"),
    ("Turkish army helicopters", "Military Forces of Turkey (2016-)"),
    ("the Iraqi army", None),  # another country's army, not in the dictionary
    ("Lebanese security forces", None),
    ("army helicopters", "Military Forces of Syria (2000-)"),  # the bare word is Syria's
])
def test_a_nationality_makes_an_army_that_countrys(actors, phrase, name):
    found = [a.name for a in actors.find_all(phrase)]
    assert found == ([name] if name else [])
