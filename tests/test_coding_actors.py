"""Who acted, as ACLED's analysts code it: sentences we wrote, one or more per convention."""
from __future__ import annotations

import pytest

from observatory.coding.actors import load_actors

UNKNOWN = "Unidentified Armed Group (Syria)"
UNKNOWN_AIR = "Unidentified Military Forces (Syria)"
SYRIA = "Military Forces of Syria (2000-)"


def actor1(extract_text, text: str) -> str | None:
    event = extract_text(text, published="2021-03-05").events[0]
    return event.actor1.name if event.actor1 else None


@pytest.mark.parametrize("text,name", [
    # No one named: the unidentified group, or for aircraft nobody owns the unidentified forces.
    ("Mortar rounds landed on the Bab Sharqi quarter of Damascus, damaging shops.", UNKNOWN),
    ("A landmine went off on a farm road outside Nawa, wounding a shepherd.", UNKNOWN),
    ("Aircraft struck the outskirts of Kafr Nabl in Idlib, wounding a boy.", UNKNOWN_AIR),
    # The one hit is not who acted: a passive subject, an object, a target of 'in' or 'on'.
    ("A Turkish patrol was hit by a roadside bomb near Atareb.", UNKNOWN),
    ("A roadside bomb went off in a car of the Asayish in Qamishli, killing two.", UNKNOWN),
    ("A mortar round hit an army checkpoint near Kafr Nabl, wounding two soldiers.", UNKNOWN),
    # ... but the weapon it was done with carries its owner, and who tells of it did not act.
    ("Three shepherds were killed in IS landmine blasts near Kishkiyeh.",
     "Islamic State (Syria)"),
    ("A car bomb went off in the market of Azaz, killing four, Turkish media reported.", UNKNOWN),
    # 'by' names who did it, whoever else the phrase names as hit; 'led by' names the leader
    # of those who did it.
    ("On 2 March 2021 an IED planted under a car of the regime's Fourth Division by unknown "
     "gunmen exploded in Mezzeh in Damascus.", UNKNOWN),
    ("Olive Branch factions, led by Turkish commandos, shelled YPG positions near Rajo.",
     "Operation Olive Branch"),
    # Russia's principal leads only where it acts, not where it is hit.
    ("On 4 March 2021 Russian warplanes struck Maarat al-Numan while rebels shelled a group of "
     "regime fighters nearby.", "Military Forces of Russia (2000-)"),
    # 'On 3 March' opens the sentence; the actor under it still acts.
    ("On 3 March 2021 regime forces shelled Kansafra in Idlib.", SYRIA),
])
def test_who_acted(extract_text, text, name):
    assert actor1(extract_text, text) == name


def test_backed_names_the_factions():
    actors = load_actors()
    assert actors.find_all("Turkish backed factions")[0].name == "Opposition Rebels (Syria)"
    # ... but 'backed by' names the backer after it, and the one backed before it.
    assert actors.find_all("the SDF supported by coalition aircraft")[0].name \
        == "QSD: Syrian Democratic Forces"


@pytest.mark.parametrize("phrase,name", [
    # ACLED's spelling of each family; the others are aliases.
    ("Ahrar al-Sham fighters", "AAS: Ahrar al-Sham"),
    ("Jaish al-Islam units", "Jaysh al-Islam"),
    ("Jaish Al Islam units", "Jaysh al-Islam"),  # the article with or without its hyphen
    ("Faylaq al-Sham fighters", "Sham Legion"),
    ("the Zinki Movement", "HNDZ: Nour al-Din al-Zinki Movement"),
    ("fighters of the Turkestan Islamic Party", "TIP: Turkistan Islamic Party"),
    ("Khalid bin Walid Army militants", "Khalid ibn al-Walid Army"),
    ("Free Syrian Army brigades", "JSH: Free Syrian Army"),
    ("an Islamist faction", "Islamist Militia (Syria)"),
    ("rebel and Islamist factions", "Opposition Rebels (Syria)"),
    ("the Asayish", "QSD: Syrian Democratic Forces"),
    ("Iranian militias", "Militia (Pro-Government)"),
    ("Political Security officers", "Military Forces of Syria (2000-)"),
    # Abbreviations, in capitals.
    ("JWS fighters", "JWS: Syrian National Army"),
    ("TFSA units", "JWS: Syrian National Army"),
    ("OPS factions", "Operation Peace Spring"),
    ("an HTS convoy", "HTS: Hayat Tahrir al Sham"),
])
def test_families_resolve(phrase, name):
    assert load_actors().find_all(phrase)[0].name == name


@pytest.mark.parametrize("text,name", [
    # The operation the factions fight under is coded, not the factions ...
    ("FSA units of Operation Olive Branch shelled YPG positions near Jandairis.",
     "Operation Olive Branch"),
    ("Fighting went on between the SDF and rebel groups under Operation Peace Spring near "
     "Ain Issa.", "Operation Peace Spring"),
    # ... and in fighting between the state and others, the state comes first.
    ("Clashes broke out between opposition factions and regime troops near Kafr Nabl.",
     "Military Forces of Syria (2000-)"),
    ("Fighting broke out between rebel groups and Iranian militias near Hader in Aleppo.",
     "Opposition Rebels (Syria)"),
    # Fighting named only by who was fought 'with': still the state first.
    ("Following clashes with HTS and rebel groups, army units and allied militias advanced "
     "on Tal Sultan in Idlib.", "Military Forces of Syria (2000-)"),
])
def test_first_side(extract_text, text, name):
    assert actor1(extract_text, text) == name
