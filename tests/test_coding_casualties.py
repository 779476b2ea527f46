"""Casualties as coders count them, in sentences we wrote: single deaths without a figure,
figures that add up, denied tolls, and a report's own statement of its count."""
from __future__ import annotations

import pytest

from observatory.coding.casualties import find_casualties


def killed(text: str) -> tuple[int | None, int | None]:
    found = find_casualties(text).killed
    return found.low, found.high


@pytest.mark.parametrize("text,expected", [
    # Those hurt before a denied toll are not the dead.
    ("Mortar fire on the market left several shoppers hurt, no deaths were reported.", (0, 0)),
    # One person, told without a figure.
    ("Clashes went on near the dam. The brigade's deputy field commander, known to residents "
     "by his nickname from the old days, was killed.", (1, 1)),
    ("Border guard commander was assassinated by unknown gunmen.", (1, 1)),
    ("A shepherd who had been hurt by a mine last week succumbed to his wounds.", (1, 1)),
    ("The strike on the farmhouse killed a family of five.", (5, 5)),
    # Recovered bodies are the dead; bodies handed over may be anyone's.
    ("Rescuers pulled the bodies of six people from the rubble of a house.", (6, 6)),
    ("Fighters handed over the bodies of four prisoners.", (None, None)),
    # A figure and a likelier one: the range.
    ("4, possibly 5, guards were killed when the checkpoint was overrun.", (4, 5)),
    # An assassination attempt kills nobody.
    ("A farmer was wounded in an assassination attempt near his field.", (None, None)),
])
def test_deaths_told_without_a_plain_count(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # 'another' and 'more' count people besides those already counted.
    ("A farmer was killed by a sniper, while another man died in the shelling.", (2, 2)),
    ("Two guards were killed at the gate; three more died at the checkpoint.", (5, 5)),
    # A guess adds nobody.
    ("Two guards were killed; another two may have been killed in the crossfire.", (2, 2)),
    # Each side's count adds.
    ("The fighting killed 6 soldiers from the border brigade and 4 rebels.", (10, 10)),
    ("The battle killed 11 government and allied militia fighters and 7 opposition fighters.",
     (18, 18)),
])
def test_counts_of_different_people_add_up(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # A report's own figure settles the count.
    ("Four fighters were killed in the first assault; the deaths are put at 9 in all.", (9, 9)),
    # A total split among events: the share of one, at least one each.
    ("Shelling hit four hamlets, killing 12 people. The 12 deaths are divided evenly among the "
     "4 hamlets.", (3, 3)),
    ("Deaths on both sides were counted as 8 and split between both sites.", (4, 4)),
    ("Deaths counted as 10 and split, 2 each, between the five hamlets.", (2, 2)),
    ("Fatalities coded as 5 and split between the 7 events.", (1, 1)),
    # Spread as evenly as it goes, most of six parts of ten get two.
    ("Deaths counted as 10 and split among the 6 villages.", (2, 2)),
    # A later statement of the figure is already the share: it is not split again.
    ("Total fatalities of 12 are split over 4 events. Total fatalities coded as 3.", (3, 3)),
    # A split by side, or of something else, leaves the toll alone.
    ("The 10 deaths were split between army soldiers and rebel fighters.", (10, 10)),
    ("The convoy split between the 2 roads after 5 soldiers were killed.", (5, 5)),
])
def test_a_report_states_its_own_count(text, expected):
    assert killed(text) == expected


def test_a_note_gives_its_toll_after_the_incident(extract_text):
    # The toll is told with the other places shelled, in a sentence of its own.
    text = ("On 4 May 2022 regime forces shelled the hills east of Kafr Nabl in the Idlib "
            "countryside. Shelling on Kafr Sajna and Maarat Harma also hit homes; the dead there "
            "were counted as 6 and split between the 3 villages.")
    event = extract_text(text).events[0]
    assert event.fatalities.low == 2


@pytest.mark.parametrize("text,expected", [
    ("The death toll in the seven-year war rose to 31.", (31, 31)),
    ("Since the start of the three-month siege, 40 people were killed.", (40, 40)),
])
def test_a_number_joined_to_a_unit_of_time_counts_nobody(text, expected):
    assert killed(text) == expected
