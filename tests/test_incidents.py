"""Merging, origins, confidence and disputes from facts built by hand (no model, no database)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from observatory.record.incidents import (EventFacts, best_match, governorates_of, joinable, match,
                                  match_main, matches, may_join, summarise, terms, told_apart,
                                  wire_origin, with_headline)


def facts(n, doc, *, sub="Air/drone strike", etype="Explosions/Remote violence",
          day=date(2020, 2, 3), precision="day", place="ocha:C1", name="Saraqab",
          lat=35.86, lon=36.80, geo=1, admin1="Idleb", actor="Military Forces of Syria (2000-)",
          killed=(5, 5), stance="asserts", origin=None, words=("saraqab", "market"), rank=0,
          end=None):
    return EventFacts(event_id=n, document=doc, origin=origin or doc, event_type=etype,
                      sub_event_type=sub, topic=None, date_start=day, date_end=end or day,
                      precision=precision, admin1=admin1, gazetteer_id=place, place_name=name,
                      lat=lat, lon=lon, geo_precision=geo, actor1=actor, actor1_known=True,
                      fatalities=killed, stance=stance, speakers=(origin or doc,),
                      terms=frozenset(words), rank=rank)


def test_same_strike_from_two_outlets_merges_with_a_reason():
    reason = match(facts(1, "a"), facts(2, "b", day=date(2020, 2, 4)))
    assert reason is not None and reason.score >= 4
    assert "place" in reason.matched and "1 day apart" in reason.matched


def test_same_day_same_town_different_kind_stays_apart():
    clash = facts(2, "b", sub="Armed clash", etype="Battles")
    assert match(facts(1, "a"), clash) is None


def test_far_apart_towns_or_days_stay_apart():
    assert match(facts(1, "a"), facts(2, "b", place="ocha:C2", name="Ariha", lat=35.81,
                                      lon=36.61)) is None
    assert match(facts(1, "a"), facts(2, "b", day=date(2020, 2, 9))) is None
    assert match(facts(1, "a"), facts(2, "b", admin1="Aleppo", place="ocha:C9", lat=36.2,
                                      lon=37.1)) is None


def test_damascus_and_its_countryside_are_one_area_for_a_vague_place():
    words = ("ghouta", "gas", "zamalka", "sarin")
    city = dict(admin1="Damascus", place="admin1:Damascus", name="Damascus", geo=3, lat=33.51,
                lon=36.29, words=words)
    ghouta = facts(1, "a", admin1="Rural Damascus", place="ocha:C2320", name="Zamalka",
                   lat=33.53, lon=36.35, words=words, rank=1)
    assert match_main(facts(2, "b", **city, rank=1), ghouta) is not None
    assert governorates_of("Damascus") == governorates_of("Rural Damascus")
    # Two named places far apart are still two incidents.
    assert match_main(facts(2, "b", **{**city, "geo": 1, "place": "ocha:C1", "lat": 33.1},
                            rank=1), ghouta) is None
    assert match_main(facts(2, "b", **{**city, "admin1": "Homs"}, rank=1), ghouta) is None


def test_governorate_only_needs_shared_words():
    vague = dict(place="admin1:Idleb", name="Idleb", geo=3, lat=35.93, lon=36.63)
    a = facts(1, "a", **vague, words=("maarat", "numan", "bakery", "queue"))
    assert match(a, facts(2, "b", **vague, words=("bakery", "queue", "numan"))) is not None
    assert match(a, facts(2, "b", **vague, words=("convoy",))) is None


def test_month_dates_are_background_and_never_merge():
    assert match(facts(1, "a", precision="month"), facts(2, "b", precision="month")) is None


def test_best_match_picks_the_incident_whose_report_matches():
    incidents = {7: [facts(1, "a")], 8: [facts(2, "c", day=date(2020, 1, 1))]}
    found = best_match(facts(3, "b"), incidents)
    assert found is not None and found[0] == 7
    assert best_match(facts(4, "a"), {7: [facts(1, "a")]}) is None  # same report


def test_relayed_source_counts_once_and_tolls_dispute():
    events = [facts(1, "a", origin="SOHR", killed=(16, 16)),
              facts(2, "b", origin="SOHR", killed=(16, None)),
              facts(3, "c", origin="SANA", killed=(44, 44))]
    s = summarise(events)
    assert s.origins == 2 and s.confidence == "corroborated"
    (d,) = s.disputes
    assert d.field == "fatalities"
    values = {tuple(side.documents): side.value for side in d.sides}
    assert values[("a",)] == {"low": 16, "high": 16} and values[("c",)]["low"] == 44
    assert s.fatalities == (16, 44)


def test_denial_makes_it_contested_and_only_denials_denied():
    s = summarise([facts(1, "a", origin="SANA"), facts(2, "b", origin="SOHR", stance="denies")])
    assert s.confidence == "contested" and [d.field for d in s.disputes] == ["occurred"]
    assert summarise([facts(1, "a", stance="denies")]).confidence == "denied"


def test_different_perpetrators_and_who_holds_the_town():
    s = summarise([facts(1, "a"), facts(2, "b", actor="Military Forces of Russia (2000-)")])
    assert "perpetrator" in [d.field for d in s.disputes] and s.confidence == "contested"
    taken = dict(sub="Government regains territory", etype="Battles")
    s = summarise([facts(1, "a", **taken),
                   facts(2, "b", **taken, actor="Opposition Rebels (Syria)")])
    assert "control" in [d.field for d in s.disputes]


def test_announcement_status_over_time():
    corridor = dict(sub="Agreement", etype="Strategic developments")
    a = facts(1, "state", **corridor, origin="SANA")
    b = facts(2, "memo", **corridor, origin="SOHR", stance="denies")
    a = EventFacts(**{**{f: getattr(a, f) for f in a.__dataclass_fields__},
                      "claims": (("Syrian state media", "asserts", date(2019, 8, 21),
                                  "the opening of the corridor"),)})
    b = EventFacts(**{**{f: getattr(b, f) for f in b.__dataclass_fields__},
                      "claims": (("SOHR", "denies", date(2019, 8, 22),
                                  "the corridor is non-existent"),)})
    s = summarise([a, b])
    assert [x["status"] for x in s.status] == ["announced", "denied"]


def test_wire_credit_and_terms():
    assert wire_origin("Five people were killed. --Reuters") == "Reuters"
    assert wire_origin("BEIRUT (AFP) - Five people were killed.") == "Agence France-Presse"
    assert wire_origin("Five people were killed, SOHR said.") is None
    words = terms("Syrian regime shelled the Maghayir district of Aleppo, killing 18 mourners")
    assert {"maghayir", "mourners", "18"} <= words and "syrian" not in words


# Two outlets' leads on one bombing: coded differently, placed at different precision.
CONVOY = ("rashidin", "evacuees", "fuaa", "kafraya", "buses", "convoy", "transit")
LEAD = dict(place="admin1:Aleppo", name="Aleppo", geo=3, lat=36.2, lon=37.1, admin1="Aleppo",
            rank=1, words=CONVOY)


def test_two_leads_on_one_incident_merge_on_their_words():
    a = facts(1, "a", sub="Suicide bomb", **LEAD, killed=(43, None))
    b = facts(2, "b", sub="Remote explosive/landmine/IED", **LEAD, killed=(126, None),
              day=date(2020, 2, 4))
    reason = match(a, b)
    assert reason is not None and any(m.startswith("shared words") for m in reason.matched)
    # The same place and day, but nothing else shared: two incidents.
    other = facts(3, "c", sub="Air/drone strike", **{**LEAD, "words": ("market", "raids")})
    assert match(a, other) is None
    # Leads three days apart, or in another governorate, are other incidents.
    assert match(a, facts(4, "d", sub="Suicide bomb", **LEAD, day=date(2020, 2, 6))) is None
    far = {**LEAD, "admin1": "Idleb", "place": "admin1:Idleb"}
    assert match(a, facts(5, "e", sub="Suicide bomb", **far)) is None


def test_leads_placed_only_in_a_governorate_must_share_three_words():
    # Two strikes in one province on one day: two shared words (the kind of strike, a toll
    # word) are what any two such reports share; a third, distinctive one makes them one.
    a = facts(1, "a", **{**LEAD, "words": ("raids", "killed", "bakery", "queue")})
    assert match(a, facts(2, "b", **{**LEAD, "words": ("raids", "killed", "school")})) is None
    assert match(a, facts(2, "b", **{**LEAD, "words": ("raids", "killed", "bakery")})) is not None


def test_an_undated_lead_matches_on_its_window():
    # 'today or yesterday': a news lead with no date of its own.
    a = facts(1, "a", sub="Suicide bomb", **LEAD, day=date(2020, 2, 3), end=date(2020, 2, 4),
              precision="week")
    assert match(a, facts(2, "b", sub="Suicide bomb", **LEAD, day=date(2020, 2, 5))) is not None
    # Two such windows hold the day before each report: apart, the leads are days apart.
    b = facts(2, "b", sub="Suicide bomb", **LEAD, day=date(2020, 2, 5), end=date(2020, 2, 6),
              precision="week")
    assert match(a, b) is None
    assert match(a, replace(b, date_start=date(2020, 2, 4))) is not None


def test_background_events_never_merge():
    # Far down a report, or undated in passing: context, not a report of the incident.
    assert match(facts(1, "a", rank=4), facts(2, "b", rank=1)) is None
    assert match(facts(1, "a", rank=2, precision="week"), facts(2, "b")) is None
    # A passing mention matches another report on its day: an undated lead's week is too loose.
    mention = facts(1, "a", rank=2)
    assert match(mention, facts(2, "b", rank=1)) is not None
    assert match(mention, facts(2, "b", rank=1, precision="week", end=date(2020, 2, 4))) is None


def test_may_join_agrees_with_match_on_every_kind_of_event():
    # The merge reads no candidates for an event may_join rules out: that must never lose a
    # match. Every rank and precision against every kind of member, announcements included.
    kinds = [dict(rank=r, precision=p, sub=sub, etype=etype)
             for r in (1, 2, 3, 4) for p in ("day", "week", "month", None)
             for sub, etype in (("Air/drone strike", "Explosions/Remote violence"),
                                ("Agreement", "Strategic developments"))]
    for kind in kinds:
        event = facts(1, "a", **kind)
        found = [match(event, facts(2, "b", **other)) for other in kinds]
        assert may_join(event) or not any(found), kind
        if may_join(event):
            assert any(found), kind
    assert not may_join(facts(1, "a", rank=4)) and not may_join(facts(1, "a", rank=1,
                                                                        precision="month"))


def test_a_lead_must_match_most_of_an_incidents_leads():
    a = facts(1, "a", sub="Suicide bomb", **LEAD)
    b = facts(2, "b", sub="Suicide bomb", **LEAD)
    stray = facts(3, "c", sub="Suicide bomb", **{**LEAD, "words": ("wedding", "hasakeh")})
    new = facts(4, "d", sub="Suicide bomb", **LEAD)
    assert [i for i, _ in matches(new, {7: [a, b], 8: [a, stray, stray]})] == [7]


def test_a_lead_prefers_the_incident_whose_lead_it_matches():
    new = facts(4, "d", sub="Suicide bomb", **LEAD)
    lead = facts(1, "a", sub="Suicide bomb", **{**LEAD, "words": (
        "buses", "convoy", "rashidin", "bomber", "van", "aid", "supplies")}, killed=(43, None))
    # Another report's passing mention of it, placed in the same town: a higher score on the
    # scale of passing mentions, but a lead that matches a lead has found its incident.
    mention = facts(2, "b", sub="Suicide bomb", **{**LEAD, "rank": 2})
    assert match(new, mention).score > match(new, lead).score
    assert [i for i, _ in matches(new, {7: [mention], 8: [lead]})] == [8, 7]


def test_an_incident_that_a_new_report_links_joins_another():
    a = facts(1, "a", sub="Suicide bomb", **LEAD)
    b = facts(2, "b", sub="Remote explosive/landmine/IED", **LEAD)
    assert joinable([a], [b])
    assert not joinable([a], [a])  # one report in both: two incidents of that report
    assert not joinable([a], [facts(3, "c", sub="Suicide bomb",
                                    **{**LEAD, "words": ("wedding", "hasakeh")})])


def test_a_word_of_quantity_clashes_only_with_a_figure_of_another_order():
    events = [facts(1, "a", killed=(24, 99)), facts(2, "b", killed=(120, 120))]
    assert [d.field for d in summarise(events).disputes] == ["fatalities"]
    events[0] = replace(events[0], toll_vague=True)  # 'dozens were killed'
    assert "fatalities" not in [d.field for d in summarise(events).disputes]
    events[1] = facts(2, "b", killed=(20, 20))
    assert "fatalities" not in [d.field for d in summarise(events).disputes]
    # 'Dozens' beside 'between 500 and 1,300': the word's side keeps its own range.
    events[1] = facts(2, "b", killed=(500, 1300))
    (d,) = summarise(events).disputes
    assert {frozenset(side.documents): side.value for side in d.sides} == {
        frozenset("a"): {"low": 24, "high": 99}, frozenset("b"): {"low": 500, "high": 1300}}


def test_toll_sides_leave_out_figures_that_fit_every_side():
    events = [facts(1, "a", killed=(43, 43)), facts(2, "b", killed=(40, None)),
              facts(3, "c", killed=(126, 126)), facts(4, "d", killed=(112, None))]
    (d,) = summarise(events).disputes
    sides = {frozenset(side.documents): side.value for side in d.sides}
    # 'at least 40' fits both 43 and 126: it takes no side; 'at least 112' sides with 126.
    assert sides == {frozenset("a"): {"low": 43, "high": 43},
                     frozenset("cd"): {"low": 126, "high": 126}}
    # 'at least 60' fits 126 and 130 but not 43: between two sides it takes neither.
    events[1] = facts(2, "b", killed=(60, None))
    events.append(facts(5, "e", killed=(130, 130)))
    (d,) = summarise(events).disputes
    assert not any("b" in side.documents for side in d.sides) and len(d.sides) == 3


def test_two_reports_leading_with_one_announcement_are_matched_on_its_topic():
    deal = dict(sub="Agreement", etype="Strategic developments", rank=1, words=("corridor",))
    state = replace(facts(1, "a", **deal), topic="corridor")
    monitor = replace(facts(2, "b", **{**deal, "words": ("exist", "fake")}, day=date(2020, 2, 4),
                            place="ocha:C9", name="Souran", lat=35.3, lon=36.7, admin1="Hama"),
                      topic="corridor")
    assert match(state, monitor) is not None
    assert match(state, replace(monitor, topic="ceasefire")) is None


def test_a_generic_attack_and_an_air_strike_can_be_one_incident():
    common = ("tokhar", "fleeing", "families")
    a = facts(1, "a", sub="Attack", etype="Violence against civilians", **{**LEAD, "words": common
              + tuple(f"a{i}" for i in range(23))})
    b = facts(2, "b", sub="Air/drone strike", **{**LEAD, "words": common
              + tuple(f"b{i}" for i in range(23))})
    reason = match_main(a, b)
    assert reason is not None and "type violence" in reason.matched
    # A protest is no one's word for an air strike.
    assert match_main(replace(a, sub_event_type="Peaceful protest", event_type="Protests"),
                      b) is None


def test_a_governorate_capital_is_not_apart_from_the_towns_of_its_governorate():
    words = ("quriyah", "mosque", "raids")
    town = facts(1, "a", admin1="Deir-ez-Zor", place="ocha:C1", name="Quriyeh", lat=34.97,
                 lon=40.53, rank=1, words=words)
    capital = facts(2, "b", admin1="Deir-ez-Zor", place="ocha:C5086", name="Deir-ez-Zor",
                    lat=35.34, lon=40.14, rank=1, words=words)
    assert match_main(town, capital) is not None
    other_town = replace(capital, place_name="Mayadin", gazetteer_id="ocha:C2")
    assert match_main(town, other_town) is None


# Coalition strikes on one town on two days: Monday's reports, then Tuesday's, each dated by
# its own weekday. Tuesday's story recalls Monday's strike in a sentence of its own.
STRIKES = dict(place="ocha:C7", name="Manbij", lat=36.53, lon=37.95, admin1="Aleppo",
               words=("coalition", "manbij", "raids", "stronghold", "civilians"))


def test_a_report_that_tells_the_day_befores_strike_apart_is_not_that_strike():
    monday = facts(1, "mon", **STRIKES, rank=1, day=date(2016, 7, 18), killed=(21, None))
    tuesday = facts(2, "tue", **STRIKES, rank=1, day=date(2016, 7, 19), killed=(85, None))
    # Without its recollection the two leads look like one strike reported a day apart.
    assert match(monday, tuesday) is not None
    recalled = facts(3, "tue", **STRIKES, rank=2, day=date(2016, 7, 18), killed=(15, None),
                     sub="Attack", etype="Violence against civilians")
    tuesday = replace(tuesday, recalled=(recalled,))
    assert told_apart(tuesday, monday)
    assert match(monday, tuesday) is None and match(tuesday, monday) is None
    assert not joinable([monday], [tuesday])
    # Monday's lead undated ('today or yesterday' of a Monday report): the same.
    undated = replace(monday, precision="week", date_start=date(2016, 7, 17))
    assert match(undated, tuesday) is None


def test_a_recollection_tells_apart_only_another_day_in_the_same_place():
    monday = facts(1, "mon", **STRIKES, rank=1, day=date(2016, 7, 18))
    recalled = facts(3, "tue", **STRIKES, rank=2, day=date(2016, 7, 18))
    tuesday = replace(facts(2, "tue", **STRIKES, rank=1, day=date(2016, 7, 19)),
                      recalled=(recalled,))
    # Another report on Tuesday's strike is not told apart.
    assert match(tuesday, replace(monday, date_start=date(2016, 7, 19),
                                  date_end=date(2016, 7, 19))) is not None
    # A lead whose dates allow Tuesday as well ('Monday or Tuesday') may still be Tuesday's.
    assert not told_apart(tuesday, replace(monday, precision="week",
                                           date_end=date(2016, 7, 19)))
    # What the report recalls happened elsewhere: it says nothing of Monday's strike here.
    far = replace(recalled, gazetteer_id="ocha:C8", place_name="Jarablus", lat=36.82,
                  lon=38.01)
    assert not told_apart(replace(tuesday, recalled=(far,)), monday)


def test_a_lead_placed_nowhere_takes_the_governorate_its_headline_names():
    words = ("quriyah", "unicef", "mosque", "children", "raids")
    unplaced = facts(1, "a", rank=1, place=None, name=None, lat=None, lon=None, geo=None,
                     admin1=None, words=words, sub="Attack", etype="Violence against civilians")
    town = facts(2, "b", rank=1, admin1="Deir-ez-Zor", place="ocha:C5207", name="Quriyeh",
                 lat=34.97, lon=40.54, words=words)
    elsewhere = replace(town, admin1="Homs", gazetteer_id="ocha:C9", place_name="Qaryatayn",
                        lat=34.23, lon=37.24)
    # Placed nowhere, the lead matches a strike anywhere on the same words, and no better
    # here than in another province.
    assert match_main(unplaced, elsewhere) is not None
    headed = with_headline(unplaced, "UNICEF: 25 children among Syria's Deir Ez-Zor dead")
    assert headed.admin1 == "Deir-ez-Zor"
    assert match_main(headed, town).score > match_main(unplaced, town).score
    assert match_main(headed, elsewhere) is None
    # 'Rural Damascus' is one governorate, not Damascus as well; Hamas is not Hama.
    assert with_headline(unplaced, "Shelling in Rural Damascus").admin1 == "Rural Damascus"
    assert with_headline(unplaced, "Strikes hit Syria's Idlib").admin1 == "Idleb"
    assert with_headline(unplaced, "Hamas condemns the strike").admin1 is None
    # Two governorates in a headline, a lead placed by its own words, a passing event: as is.
    assert with_headline(unplaced, "Strikes on Ghouta and Deir Ezzor").admin1 is None
    assert with_headline(town, "Strikes in Homs").admin1 == "Deir-ez-Zor"
    assert with_headline(replace(unplaced, rank=2), "Deaths in Idlib").admin1 is None
