"""Event types: sentences we wrote, each coded as an analyst codes its kind of incident."""
from __future__ import annotations

import pytest

CLASH = ("Battles", "Armed clash")
GAINED = ("Battles", "Government regains territory")
OVERTAKEN = ("Battles", "Non-state actor overtakes territory")
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
AIR = ("Explosions/Remote violence", "Air/drone strike")


def coded(extract_text, text: str) -> tuple[str, str]:
    event = extract_text(text, published="2021-03-20").events[0]
    return event.event_type, event.sub_event_type


@pytest.mark.parametrize("text", [
    # a strike in a clause about the fighting it went with
    "On 14 March 2021 army artillery shelled the hills around Kafr Nabl in Idlib amid clashes "
    "between army units and opposition fighters.",
    "On 14 March 2021 fighting broke out between army units and rebels near Kafr Nabl in "
    "Idlib, accompanied by Russian airstrikes on the area.",
    "On 14 March 2021 Russian jets carried out airstrikes on Kafr Nabl in Idlib as clashes "
    "went on between army units and rebels around the town.",
    # a weapon both sides used
    "On 14 March 2021 army units and rebels exchanged mortar fire near Kafr Nabl in Idlib.",
    "On 14 March 2021 mutual shelling between army units and rebels hit the hills near Kafr "
    "Nabl in Idlib.",
])
def test_strikes_told_with_fighting_are_the_clash(extract_text, text):
    assert coded(extract_text, text) == CLASH
    # A strike told alone stays a strike.
    assert coded(extract_text, "On 14 March 2021 Russian jets bombed Kafr Nabl in Idlib, "
                               "hitting two houses.") == AIR


@pytest.mark.parametrize("text,expected", [
    # a capture told in a later clause of the fighting
    ("On 14 March 2021 fighting broke out between army units and HTS near Kafr Nabl in "
     "Idlib, where the army managed to take control of the hill west of the town.", GAINED),
    # or in the next sentence
    ("On 14 March 2021 army units and HTS fought near Kafr Nabl in Idlib. HTS fighters "
     "seized the village of Kafr Nabl at dawn.", OVERTAKEN),
    # a capture told with the verb 'control'
    ("On 14 March 2021 the Syrian army managed to control Kafr Nabl in Idlib after the rebels "
     "pulled out.", GAINED),
    ("On 14 March 2021 HTS established control over Kafr Nabl in Idlib following heavy "
     "fighting.", OVERTAKEN),
])
def test_captures_change_territory(extract_text, text, expected):
    assert coded(extract_text, text) == expected


@pytest.mark.parametrize("text", [
    # attempted
    "On 14 March 2021 HTS fighters tried to capture Kafr Nabl in Idlib from army units.",
    # brief
    "On 14 March 2021 HTS fighters briefly seized Kafr Nabl in Idlib from army units.",
    # undone by the other side
    "On 14 March 2021 HTS fighters took control of Kafr Nabl in Idlib before the army "
    "recaptured it in the evening.",
    # told as what went before the incident
    "On 14 March 2021 rebels attacked army posts in Kafr Nabl in Idlib a day after the army "
    "took control of the town.",
])
def test_captures_that_did_not_hold_are_clashes(extract_text, text):
    assert coded(extract_text, text) == CLASH


def test_arms_seized_are_not_ground(extract_text):
    assert coded(extract_text, "On 14 March 2021 HTS fighters seized three tanks from army "
                               "units during clashes near Kafr Nabl in Idlib.") == CLASH


@pytest.mark.parametrize("text", [
    "On 14 March 2021 Israeli jets struck army depots near Kisweh in Rural Damascus; Syrian "
    "air defences intercepted several of the missiles.",
    "On 14 March 2021 drones of unknown origin attacked the Hmeimim base in Latakia and were "
    "brought down by the defense system.",
])
def test_a_strike_answered_by_air_defences_is_a_clash(extract_text, text):
    assert coded(extract_text, text) == CLASH
    # Air defences that fire on a drone struck; they answered nothing.
    assert coded(extract_text, "On 14 March 2021 Syrian air defences fired on an Israeli "
                               "drone over Quneitra.")[0] == "Explosions/Remote violence"


@pytest.mark.parametrize("heading", ["Non-violent activity", "Formation of armed group"])
def test_a_heading_codes_its_paragraph(extract_text, heading):
    text = (f"{heading}: On 14 March 2021 army snipers fired on houses in Kafr Nabl in "
            "Idlib. No one was hurt.")
    assert coded(extract_text, text)[0] == "Strategic developments"


GRENADE = ("Explosions/Remote violence", "Grenade")


@pytest.mark.parametrize("text", [
    "On 14 March 2021 unknown men threw a hand grenade at a shop in Daraa city, wounding "
    "its owner.",
    "On 14 March 2021 a grenade went off in a shop in Daraa city, wounding its owner.",
    "On 14 March 2021 a grenade exploded in a shop in Daraa city, wounding its owner.",
])
def test_hand_grenades_are_grenades(extract_text, text):
    assert coded(extract_text, text) == GRENADE
    # One fired from a launcher is shelling.
    assert coded(extract_text, "On 14 March 2021 rebels fired rocket-propelled grenades at "
                               "army posts near Kafr Nabl in Idlib.") == SHELLING


def test_a_generic_act_with_a_weapon_is_its_strike(extract_text):
    assert coded(extract_text, "On 14 March 2021 rebels hit and destroyed an army tank near "
                               "Kafr Nabl in Idlib with a guided anti-tank missile.") == SHELLING


@pytest.mark.parametrize("text,expected", [
    ("On 14 March 2021 the body of a young man was found in an orchard near Kafr Nabl in "
     "Idlib.", ("Violence against civilians", "Attack")),
    ("On 14 March 2021 the bodies of two soldiers were found on a road near Kafr Nabl in "
     "Idlib.", CLASH),
])
def test_a_body_found_is_an_event(extract_text, text, expected):
    assert coded(extract_text, text) == expected


def test_armed_men_a_group_detains_are_taken_in_a_clash(extract_text):
    assert coded(extract_text, "On 14 March 2021 HTS members detained five fighters of a "
                               "rival faction near Kafr Nabl in Idlib.") == CLASH
    assert coded(extract_text, "On 14 March 2021 HTS members detained five farmers near Kafr "
                               "Nabl in Idlib.") == ("Violence against civilians",
                                                     "Abduction/forced disappearance")


def test_a_month_is_no_march(extract_text):
    result = extract_text("On 2 March 2021 the governor visited Kafr Nabl in Idlib.",
                          published="2021-03-05")
    assert all(e.event_type != "Protests" for e in result.events)


def test_who_takes_ground_decides_its_sub_type(extract_text):
    # A foreign army overtakes ground; it does not regain it for a government.
    assert coded(extract_text, "On 14 March 2021 Turkish forces and allied rebels captured "
                               "Tal Rifaat in Aleppo from the SDF.") == OVERTAKEN
    # With no subject parsed, the capturer is the one named just before the capture.
    assert coded(extract_text, "After fighting HTS and rebel groups, government troops and "
                               "their militias pushed on to establish control over Kafr "
                               "Nabl town in southern Idlib.") == GAINED


def test_a_heading_holds_over_who_acted(extract_text):
    # A non-state group's detentions would be abductions; the note labels them arrests.
    text = ("Arrests: On 14 March 2021 SDF forces detained a dozen residents of Hajin in Deir "
            "ez-Zor on charges of dealing with IS.")
    assert coded(extract_text, text) == ("Strategic developments", "Arrests")


def test_sniper_fire_is_an_attack_on_civilians_and_a_clash_with_soldiers(extract_text):
    # Analysts code a sniper's shot by whom it hits, as any other shooting.
    assert coded(extract_text, "On 14 March 2021 a shopkeeper in Kafr Nabl in Idlib was "
                               "wounded by sniper fire.") == ("Violence against civilians",
                                                              "Attack")
    assert coded(extract_text, "On 14 March 2021 rebel snipers fired at army positions "
                               "outside Kafr Nabl in Idlib.") == CLASH
