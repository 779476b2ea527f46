"""Casualties: killed and injured as ranges, from sentences we wrote."""
from __future__ import annotations

import pytest

from observatory.coding.casualties import find_casualties


@pytest.mark.parametrize("text,killed,injured", [
    ("At least 16 civilians were killed and 30 wounded.", (16, None), (30, 30)),
    ("The strike killed two children and their mother.", (3, 3), (None, None)),
    ("Hundreds have been killed, thousands wounded.", (100, 999), (1000, 9999)),
    ("Dozens were killed in the bombardment.", (24, 99), (None, None)),
    ("Up to 20 people were killed.", (1, 20), (None, None)),
    ("More than 40 fighters died in the clashes.", (40, None), (None, None)),
    ("The raid caused neither fatalities nor injuries, residents said.", (0, 0), (0, 0)),
    ("The shelling caused no casualties.", (0, 0), (0, 0)),
    ("No fatalities were reported.", (0, 0), (None, None)),
    ("The airstrike killed a little girl.", (1, 1), (None, None)),
    ("A man was shot dead by unknown gunmen.", (1, 1), (None, None)),
    ("The death toll rose to 44.", (44, 44), (None, None)),
    ("Twenty-three people were killed.", (23, 23), (None, None)),
    ("the mortar round killed between 4-5 farmers and wounded 11 others", (4, 5), (11, 11)),
    ("sniper fire killed 5 residents, among them 3 teenagers", (5, 5), (None, None)),
    ("an ambush killed at least 1 guard and injured others at the post", (1, None), (None, None)),
    ("On 9 March 2019 4 farmers died when a mine went off in their field.", (4, 4), (None, None)),
    ("8 villagers were shot dead by three masked men.", (8, 8), (None, None)),
    ("The report describes the shelling of the town.", (None, None), (None, None)),
    ("A roadside charge caused the killing of 1 member of the border police and the wounding "
     "of 2 others.", (1, 1), (2, 2)),
    ("Gunmen assassinated a prominent figure in Talbiseh.", (1, 1), (None, None)),
    ("On 1 March the director of the hospital died from his wounds.", (1, 1), (None, None)),
    # Headlines and news leads.
    ("Drone strike on Aleppo market kills at least 12 Monitor", (12, None), (None, None)),
    ("Death toll in car bomb on Hama checkpoint hits 17 Ministry", (17, 17), (None, None)),
    ("At least 126 people including 68 children were killed on Saturday.",
     (126, None), (None, None)),
    ("At least 15 civilians were killed in a barrel bomb attack on a rebel-held district.",
     (15, None), (None, None)),
    ("Most of the dead were evacuees but they also included several rebels.",
     (None, None), (None, None)),
    # An 'a' that ends a name counts nobody.
    ("Many residents of Fuaa and Kafraya were killed when a vehicle hit their buses.",
     (None, None), (None, None)),
    ("A police source confirmed the death toll to an AFP correspondent.",
     (None, None), (None, None)),
    # What follows 'killed and' is the next clause: those wounded are not the dead.
    ("At least 9 people were killed and more than 40 others injured in the blast.",
     (9, None), (None, None)),
    ("Four people were killed and dozens others wounded when the device went off.",
     (4, 4), (None, None)),
    # A qualifier after the count, and 'at least' is no place ('at the checkpoint').
    ("Truck Bomb Kills 35 People at Least in Northern Town", (35, None), (None, None)),
    ("The fighting claimed the lives of at least 12 fighters.", (12, None), (None, None)),
    # The verb that gives the toll can come well after 'death toll'.
    ("The death toll from a suspected barrel bomb attack on a crowded market in the "
     "northern town has risen to at least 61 a medical source said.", (61, None), (None, None)),
    ("The number of victims of the blast is at least 33.", (33, None), (None, None)),
    # A range is a range, before the cue or after a toll.
    ("Between 200 and 350 people died in the gas attack, activists said.", (200, 350),
     (None, None)),
    ("With the death toll estimated between 200 and 350 the attack was the worst this year.",
     (200, 350), (None, None)),
    # Counts listed before the cue add up; a part of a whole, or an aside's part, does not.
    ("Five civilians and three fighters were killed in the strikes.", (8, 8), (None, None)),
    ("Three soldiers, two civilians and a child were killed.", (6, 6), (None, None)),
    ("At least 126 people including 68 children and 20 women were killed.",
     (126, None), (None, None)),
    ("The clashes left 12 civilians - including four children - and 9 fighters dead.",
     (21, 21), (None, None)),
    # A date's year is not a count, nor does it swallow the count after it.
    ("Reuters Tuesday 3 Mar 2015 Eleven civilians among them four children were killed.",
     (11, 11), (None, None)),
])
def test_phrases(text, killed, injured):
    found = find_casualties(text)
    assert (found.killed.low, found.killed.high) == killed
    assert (found.injured.low, found.injured.high) == injured


def test_two_figures_give_the_conservative_reading():
    found = find_casualties("Five people were killed, while rescuers said 12 died.")
    assert found.killed.low == 5


def test_span_points_at_the_figure():
    text = "Shelling on Ariha killed 4 civilians on Monday."
    found = find_casualties(text, offset=10)
    s, e = found.killed.span
    assert text[s - 10:e - 10] == "4 civilians"


def test_a_news_lead_gives_its_total_first():
    text = "The raids killed 43 people, after a pilot was killed by rebels."
    assert find_casualties(text).killed.low == 1  # a note's conservative reading
    assert find_casualties(text, first=True).killed.low == 43


def test_a_figure_given_again_as_a_minimum_is_a_minimum():
    found = find_casualties("Air raids kill 21 in Saraqeb. The raids killed at least 21 people.",
                            first=True)
    assert (found.killed.low, found.killed.high) == (21, None)


@pytest.mark.parametrize("phrase,expected", [("dozens of civilians", True), ("hundreds", True),
                                             ("32 people", False), ("Eleven civilians", False)])
def test_a_word_of_quantity_is_vague(phrase, expected):
    from observatory.coding.casualties import vague
    assert vague(phrase) is expected
