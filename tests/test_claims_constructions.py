"""Attribution constructions, one or more sentences of our own for each."""
from __future__ import annotations

from datetime import date

import pytest


def said(extract_text, text):
    return [(c.speaker, c.cue) for c in extract_text(text, published="2021-05-04").claims]


@pytest.mark.parametrize("text,cue", [
    ("The health ministry said eight people died in the shelling, adding that dozens more "
     "were hurt.", "adding"),
    ("Rebel commanders said the town had fallen, stating that government troops had withdrawn "
     "overnight.", "stating"),
    ("The foreign ministry condemned the raid and blamed Israel for the deaths.", "blamed"),
])
def test_a_second_cue_in_a_participle_or_conjoined_clause_keeps_the_speaker(extract_text, text,
                                                                           cue):
    claims = extract_text(text).claims
    assert len(claims) == 2 and claims[0].speaker == claims[1].speaker
    second = next(c for c in claims if c.cue == cue)
    # The first claim stops where the second begins.
    assert second.content not in claims[0].content or claims[0].cue == cue


def test_a_conjoined_cue_after_a_name_is_that_name_s(extract_text):
    claims = extract_text("The toll from the blast reached 40 people the Syrian Observatory for "
                          "Human Rights said on Monday.").claims
    assert [c.speaker for c in claims] == ["Syrian Observatory for Human Rights"]


@pytest.mark.parametrize("text,speaker,via", [
    ("Interfax quoted a ministry spokesman as saying the planes had returned to base.",
     "a ministry spokesman", "Interfax"),
    ("The ministry was quoted by SANA as saying that gunmen shelled the district.",
     "The ministry", "SANA"),
    ("SANA, citing the defence ministry, said the army had repelled the attack.",
     "the defence ministry", "SANA"),
    ("SANA said, quoting a military source, that the army had taken the hill.",
     "a military source", "SANA"),
    ("SANA said quoting a military source that the army had taken the hill.",
     "a military source", "SANA"),
])
def test_a_channel_is_not_credited_for_what_it_relays(extract_text, text, speaker, via):
    (c,) = extract_text(text).claims
    assert c.speaker_mention == speaker and via in c.via


@pytest.mark.parametrize("text,speaker", [
    ("Two civilians were killed, as an AFP correspondent in the city said.",
     "Agence France-Presse"),
    ("The blasts led state media to report that a gas depot had exploded.",
     "Syrian state media"),
])
def test_cues_in_subordinate_clauses(extract_text, text, speaker):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker
    assert c.speaker_mention not in c.content


def test_refusing_to_say_attributes_nothing(extract_text):
    assert extract_text("The ministry declined to confirm that its jets hit the bakery.").claims \
        == ()


def test_a_capital_and_state_media_give_one_claim_each(extract_text):
    claims = extract_text("Moscow and Syrian state media said the strike targeted militants.").claims
    assert {c.speaker for c in claims} == {"Russian government", "Syrian state media"}


@pytest.mark.parametrize("text,cue", [
    ("The opposition argued that the truce had been broken.", "argued"),
    ("The ministry attributed the blast to a car bomb.", "attributed"),
    ("State media portrayed the offensive as a rescue operation.", "portrayed"),
    ("The Observatory described the attack as a massacre.", "described"),
    ("The Observatory put the death toll at 54.", "put"),
    ("The White Helmets posted a video of the damage.", "posted"),
    ("Amnesty published a report on the abuses.", "published"),
    ("SNHR documented 120 deaths in March.", "documented"),
])
def test_cues_that_name_or_weigh_what_was_said(extract_text, text, cue):
    (c,) = extract_text(text).claims
    assert c.cue == cue


@pytest.mark.parametrize("text", ["The Russian defence ministry denied responsibility.",
                                  "The Pentagon denied it."])
def test_a_short_denial(extract_text, text):
    (c,) = extract_text(text).claims
    assert c.polarity == "denies"


def test_what_a_source_does_is_not_a_claim(extract_text):
    claims = extract_text("SOHR, which documents abuses across the country, said two men died.").claims
    assert [c.cue for c in claims] == ["said"]


@pytest.mark.parametrize("text,speakers", [
    ("Rami Abdulrahman said the shelling went on. He added that two boys were among the dead.",
     ["Rami Abdulrahman", "Rami Abdulrahman"]),
    # 'It' skips the person who spoke last for the institution before them.
    ("SOHR said the strikes went on. Its director Rami Abdulrahman said roads were shut. It "
     "added that 12 people died.",
     ["Syrian Observatory for Human Rights", "Rami Abdulrahman",
      "Syrian Observatory for Human Rights"]),
    # 'The ministry' is the nearest speaker named a ministry, not the government in between.
    ("The Russian defence ministry said its jets hit militants. Turkey said the strikes hit "
     "civilians. The ministry said the claim was false.",
     ["Russian Ministry of Defence", "Turkish government", "Russian Ministry of Defence"]),
])
def test_pronoun_and_role_speakers_take_the_nearest_fitting_speaker(extract_text, text,
                                                                    speakers):
    assert [c.speaker for c in extract_text(text).claims] == speakers


@pytest.mark.parametrize("text,speaker", [("He said the attack was a crime.", "He"),
                                          ("They reported the airbase was secured.", "They")])
def test_a_pronoun_alone_stays_as_written(extract_text, text, speaker):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker


@pytest.mark.parametrize("text,speaker_type", [
    ("A military source said the army had killed dozens of insurgents.", "anonymous_official"),
    ("Residents said the bombing lasted all night.", "residents"),
    ("Authorities said the curfew would be lifted on Friday.", "government"),
    ("Activists said jets dropped barrel bombs on the town.", "activists"),
    ("Doctors at the clinic said most of the wounded were children.", "medics"),
])
def test_common_noun_speakers_have_a_type(extract_text, text, speaker_type):
    (c,) = extract_text(text).claims
    assert c.speaker_type == speaker_type


def test_a_plural_role_noun_is_not_an_earlier_speaker(extract_text):
    claims = extract_text("Rami Abdulrahman said the bakery was hit. Activists said ten died.").claims
    assert [c.speaker for c in claims] == ["Rami Abdulrahman", "Activists"]


def test_a_descriptor_noun_before_a_name_is_that_source(extract_text):
    (c,) = extract_text("The London-based organisation Syrian Observatory for Human Rights "
                        "said ten died.").claims
    assert c.speaker == "Syrian Observatory for Human Rights"


@pytest.mark.parametrize("text", [
    "The governor said the road was open, while adding that snipers remained.",
    "The envoy welcomed the truce by saying that it would save lives.",
])
def test_a_participle_after_while_or_by_keeps_the_speaker(extract_text, text):
    claims = extract_text(text).claims
    assert any(c.cue in ("adding", "saying") and c.speaker_mention in ("The governor", "The envoy")
               for c in claims)


def test_a_pronoun_cue_inside_what_was_said_is_the_same_statement(extract_text):
    claims = extract_text("SNHR said it had documented 40 deaths in the town.").claims
    assert [c.cue for c in claims] == ["said"]


@pytest.mark.parametrize("text,cue", [
    ("A US official indicated that the aid would continue.", "indicated"),
    ("The rebels admitted to the killing of two prisoners.", "admitted"),
    ("France criticised the siege as collective punishment.", "criticised"),
])
def test_more_cues(extract_text, text, cue):
    (c,) = extract_text(text).claims
    assert c.cue == cue


def test_a_wire_closing_the_sentence_carries_the_claim_inside_it(extract_text):
    claims = extract_text("Britain said on Tuesday it would raise the attack at the Security "
                          "Council and urged Damascus to let inspectors in Reuters "
                          "reported.").claims
    # (The appeal is a second statement of Britain's, carried by the same wire.)
    assert claims and all(c.speaker == "Britain" and c.via == ("Reuters",) for c in claims)


def test_a_cue_inside_the_report_a_channel_relays_is_the_speaker_s(extract_text):
    (c,) = extract_text("SANA reported that the health ministry said 20 people were "
                        "wounded.").claims
    assert c.speaker_mention == "the health ministry" and c.via == ("SANA",)


@pytest.mark.parametrize("text,cue", [
    ("The group published a statement condemning the deal.", "condemning"),
    ("The army issued a statement saying its units had taken the hill.", "saying"),
    ("The president wrote in a post saying the offensive must stop.", "saying"),
])
def test_a_statement_put_out_speaks_for_the_one_who_put_it_out(extract_text, text, cue):
    (c,) = extract_text(text).claims
    assert c.cue == cue and not c.speaker.startswith("a ")


@pytest.mark.parametrize("text,speakers", [
    ("SNHR said four died. A monitor said later that the toll had risen.",
     ["Syrian Network for Human Rights", "Syrian Network for Human Rights"]),
    ("SOHR said a drone hit the car. The Britain-based group added that two men died.",
     ["Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"]),
])
def test_a_singular_role_noun_stands_for_the_nearest_source_it_fits(extract_text, text,
                                                                    speakers):
    assert [c.speaker for c in extract_text(text).claims] == speakers


def test_a_source_in_a_role_noun_s_preposition_only_qualifies_it(extract_text):
    (c,) = extract_text("Forty fighters died in the raids, the interior ministry in Ankara "
                        "said.").claims
    assert c.speaker_mention == "the interior ministry in Ankara"
    assert c.affiliation == "Turkish government"


def test_a_descriptor_noun_with_a_name_in_apposition_is_that_name(extract_text):
    (c,) = extract_text("Both sides traded blame, although the opposition activist group the "
                        "Violations Documentation Center stated that nine of the dead were "
                        "soldiers.").claims
    assert c.speaker == "Violations Documentation Center"


def test_a_resolved_pronoun_keeps_its_words_as_the_mention(extract_text):
    claims = extract_text("Ankara sent troops into the area in an operation that it said would "
                          "clear the border.").claims
    assert [(c.speaker, c.speaker_mention) for c in claims] == [("Turkish government", "it")]


def test_a_pronoun_cue_deeper_inside_what_was_said_is_the_same_statement(extract_text):
    claims = extract_text("The reporter suggested that SNHR was attacked because they document "
                          "abuses.").claims
    assert all(c.cue != "document" for c in claims)


def test_a_conjoined_participle_speaks_for_the_statement_it_hangs_on(extract_text):
    claims = extract_text("The group published a statement condemning the deal, stating it was "
                          "a betrayal, as well as saying the talks had failed.").claims
    assert {c.speaker_mention for c in claims} == {"The group"}


def test_a_date_is_not_what_was_blamed(extract_text):
    (c,) = extract_text("The envoy on Monday blamed France for the massacre.",
                        published="2016-08-24").claims
    assert c.content == "France for the massacre" and c.date.start.isoformat() == "2016-08-22"


def test_a_passive_denial_by_two_speakers(extract_text):
    claims = extract_text("However, this was denied by the rebels and HTS.").claims
    assert {c.speaker for c in claims} == {"Syrian opposition", "Hayat Tahrir al-Sham"}
    assert {c.polarity for c in claims} == {"denies"}


def test_according_to_two_sources(extract_text):
    claims = extract_text("According to SOHR and the White Helmets, 30 people were killed.").claims
    assert {c.speaker for c in claims} == {"Syrian Observatory for Human Rights",
                                           "Syria Civil Defence"}


@pytest.mark.parametrize("text,cue", [
    ("Medics at the scene gave a higher toll of 23 dead.", "gave"),
    ("SNHR on Tuesday raised the death toll from the strikes to 61.", "raised"),
    ("The monitor called for an inquiry into the attack.", "called"),
    ("The envoy urged the inspectors to visit the site.", "urged"),
    ("A study by Tom Wilson found that the rumours spread fastest on weekends.", "found"),
])
def test_figures_appeals_and_findings(extract_text, text, cue):
    (c,) = extract_text(text).claims
    assert c.cue == cue


@pytest.mark.parametrize("text", ["Police found the bodies in a field.",
                                  "The monitor called the hospital twice."])
def test_finding_or_calling_without_a_clause_or_appeal_is_no_claim(extract_text, text):
    assert extract_text(text).claims == ()


@pytest.mark.parametrize("text,speaker", [
    ("ISIS's statement said the attack left 50 rebels dead.", "Islamic State"),
    ("A statement attributed to the Syrian army said any advance would be repelled.",
     "Syrian army"),
])
def test_a_statement_that_speaks_is_its_author_s(extract_text, text, speaker):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker


def test_who_the_organisation_is_not_a_relative_pronoun(extract_text):
    claims = extract_text('"Some patients show signs of nerve agents" WHO said in a statement '
                          'putting the death toll at 70.').claims
    assert [c.cue for c in claims] == ["said", "putting"]
    assert {c.speaker for c in claims} == {"World Health Organization"}


def test_a_participle_that_reports_nothing_is_not_the_content(extract_text):
    (c,) = extract_text("The raid killed 32 rebels as they crossed the border the Britain-based "
                        "Observatory said updating an earlier toll of 15.").claims
    assert "32 rebels" in c.content and "updating" not in c.content


def test_an_unknown_name_that_speaks_and_its_interviewer(extract_text):
    (c,) = extract_text("In an interview with Reuters, Facebook claimed that hackers based in "
                        "Syria targeted the rescuers.").claims
    assert (c.speaker, c.via) == ("Facebook", ("Reuters",))


@pytest.mark.parametrize("text,cue", [
    ("They assert their impartiality in the war.", "assert"),
    ("Turkey warned Russia of a humanitarian disaster.", "warned"),
])
def test_cues_whose_object_is_what_was_said(extract_text, text, cue):
    (c,) = extract_text(text).claims
    assert c.cue == cue


def test_a_statement_with_no_author_stays_as_written(extract_text):
    (c,) = extract_text("The statement said the deal was part of a plot.").claims
    assert c.speaker == "The statement"


def test_a_toll_in_what_was_blamed_and_lives_claimed(extract_text):
    claims = extract_text("The coalition denounced the envoy who on Monday blamed France for "
                          "the massacre that claimed the lives of over 1127 civilians.").claims
    assert ("the envoy", "blamed") in [(c.speaker_mention, c.cue) for c in claims]
    assert "claimed" not in [c.cue for c in claims]


def test_a_participle_speaks_for_the_nearest_cue_before_it(extract_text):
    claims = extract_text("The truce was rejected by some rebel groups, and the Kurdish party "
                          "also denounced the deal, saying that the zones divide the "
                          "country.").claims
    saying = next(c for c in claims if c.cue == "saying")
    assert saying.speaker_mention == "the Kurdish party"


@pytest.mark.parametrize("text,speakers", [
    ("Shelling on the market killed nine people in the old town on Tuesday activists said.",
     ["activists"]),
    ("Two bakeries were hit in the northern district medics and rescue workers said.",
     ["medics", "rescue workers"]),
])
def test_a_common_noun_speaker_closing_a_sentence_without_commas(extract_text, text, speakers):
    claims = extract_text(text).claims
    assert [c.speaker for c in claims] == speakers
    assert all("killed nine" in c.content or "bakeries" in c.content for c in claims)


def test_a_participle_after_a_speaker_read_without_commas(extract_text):
    claims = extract_text("Four depots were destroyed near the river the ministry said adding "
                          "that twelve fighters had surrendered.").claims
    assert [(c.speaker, c.cue) for c in claims] == [("the ministry", "said"),
                                                    ("the ministry", "adding")]
    assert "surrendered" not in claims[0].content and "depots" in claims[0].content


@pytest.mark.parametrize("text,speaker", [
    ("Norway − Former foreign minister of Norway John Peterson said that the truce had to hold.",
     "John Peterson"),
    ("Chile − Chile's foreign minister Maria Gonzalez in response to the deal said that talks "
     "would resume in May.", "Maria Gonzalez"),
])
def test_a_list_of_reactions_credits_the_one_after_the_dash(extract_text, text, speaker):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker and c.speaker_type == "person"


def test_a_name_before_a_title_that_is_also_a_place_name(extract_text):
    claims = extract_text('"The clinic was hit twice" Karim Ariha a local rescue official '
                          'reportedly said. He added that four nurses were missing.').claims
    assert [c.speaker for c in claims] == ["Karim Ariha", "Karim Ariha"]


@pytest.mark.parametrize("text,speakers", [
    ('"The bridge was blown up before dawn," said the monitor adding that two guards died.',
     [("the monitor", "said"), ("the monitor", "adding")]),
    ("Some 3000 families have fled the valley since Sunday said the UN.",
     [("United Nations", "said")]),
])
def test_a_speaker_after_the_cue(extract_text, text, speakers):
    claims = extract_text(text).claims
    assert [(c.speaker, c.cue) for c in claims] == speakers
    assert "guards" not in claims[0].content


def test_placing_a_toll_at_a_figure(extract_text):
    (c,) = extract_text("The provincial news agency placed the toll at 31.").claims
    assert c.cue == "placed" and "31" in c.content


def test_according_to_a_report_by_a_named_source(extract_text):
    (c,) = extract_text("According to a March report by Fox News, the shelters were hit "
                        "twice.").claims
    assert c.speaker == "Fox News"


@pytest.mark.parametrize("text,speaker", [
    ("12 May 2019 Norwegian Refugee Council: Thousands more families displaced from the valley.",
     "Norwegian Refugee Council"),
    ("Government jets pound villages south of the lake: activists.", "activists"),
])
def test_a_headline_names_its_speaker_beside_a_colon(extract_text, text, speaker):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker and ":" not in c.content


def test_a_colon_that_introduces_a_name_is_no_headline(extract_text):
    assert extract_text("In May, the local teams voted to form one body: Norwegian Refugee "
                        "Council.").claims == ()


@pytest.mark.parametrize("text,speaker,opening", [
    # The source a headline closes on is not the speaker of the lead run into it, and the
    # headline is not part of what the lead's speaker said.
    ("Car bomb kills eight near Azaz Observatory Local officials said a car bomb killed eight "
     "people at a checkpoint near Azaz.", "Local officials", "a car bomb killed eight"),
    ("Air strikes kill 30 in Idlib Monitor Residents said warplanes struck a busy market in the "
     "town of Ariha on Sunday.", "Residents", "warplanes struck"),
    ("Shelling kills 12 in Douma SANA Twelve civilians died when shells hit a market in Douma "
     "on Sunday the ministry said.", "the ministry", "Twelve civilians died"),
    ("Air raids on Saraqib kill 14 Monitor AFP Warplanes struck the town of Saraqib on Tuesday "
     "killing 14 civilians a monitoring group said.", "a monitoring group", "Warplanes struck"),
])
def test_a_headline_run_into_the_lead_is_not_the_lead_s(extract_text, text, speaker, opening):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker and c.content.startswith(opening)


@pytest.mark.parametrize("text", [
    "Coalition air strikes killed at least 20 jihadists in eastern Syria near the border with "
    "Iraq a monitoring group said on Saturday.",
    "Government air strikes killed at least 70 people in a rebel district outside Damascus "
    "following rocket fire on the capital a monitoring group said on Friday.",
])
def test_a_comma_less_lead_parsed_as_a_second_subject_is_what_was_said(extract_text, text):
    # The lead of a story whose headline is set apart: the parse makes what was said the
    # cue's other subject.
    (c,) = extract_text(text).claims
    assert (c.speaker, c.content) == ("a monitoring group", text[:text.index(" a monitoring")])


@pytest.mark.parametrize("text,content", [
    ("Air raids on the town killed at least 12 fighters said the Syrian Observatory for Human "
     "Rights.", "Air raids on the town killed at least 12 fighters"),
    ("Rocket fire on Sunday near a bakery in Homs killed at least six people said the Syrian "
     "Observatory for Human Rights.", "Rocket fire on Sunday near a bakery in Homs killed at "
                                      "least six people"),
])
def test_a_speaker_after_the_cue_is_not_the_object_of_what_was_said(extract_text, text,
                                                                    content):
    (c,) = extract_text(text).claims
    assert (c.speaker, c.content) == ("Syrian Observatory for Human Rights", content)


def test_a_headline_above_the_date_line_names_its_speaker(extract_text):
    head, body = extract_text("SOHR: no civilians crossed the corridor out of Khan Sheikhoun\n\n"
                              "August 24, 2019 at 10:15 am\n\n"
                              "The Syrian Observatory for Human Rights said on Friday that no "
                              "civilians had crossed the corridor.").claims
    assert (head.cue, head.speaker, head.content) == (
        ":", "Syrian Observatory for Human Rights",
        "no civilians crossed the corridor out of Khan Sheikhoun")
    # A headline has no day of its own: its speaker said it when the story says so.
    assert head.date.start == body.date.start == date(2019, 8, 23)


@pytest.mark.parametrize("text,speakers", [
    ("The footage was reported by Snopes and Channel 4 News as being staged.",
     {"Snopes", "Channel 4 News"}),
    ("Jaysh al-Izza, Faylaq al-Sham, and Ahrar al-Sham rejected the ceasefire on Sunday.",
     {"Jaysh al-Izza", "Faylaq al-Sham", "Ahrar al-Sham"}),
    ("Both the government and the rebels traded blame for the attack on the bakery.",
     {"Syrian government", "Syrian opposition"}),
])
def test_coordinated_speakers_give_one_claim_each(extract_text, text, speakers):
    assert {c.speaker for c in extract_text(text).claims} >= speakers


def test_a_name_holding_an_and_inside_a_preposition_is_one_speaker(extract_text):
    claims = extract_text("The National Coalition for Syrian Revolutionary and Opposition Forces "
                          "stated that it would abide by the truce.").claims
    assert [c.speaker for c in claims] == [
        "National Coalition for Syrian Revolutionary and Opposition Forces"]


def test_a_participle_claimed_by_two_groups(extract_text):
    claims = extract_text("On 3 May, unknown gunmen (claimed by both HTS and the Army of "
                          "Victory) shot down a helicopter near Saraqib.").claims
    assert {c.speaker_mention for c in claims} == {"HTS", "the Army of Victory"}
    assert all("shot down a helicopter" in c.content for c in claims)


@pytest.mark.parametrize("text,mention,content", [
    ("A car bomb hit a market in Azaz on Friday state media said with a monitor saying at least "
     "12 people were killed.", "a monitor", "at least 12 people were killed"),
    ("Government forces shelled the suburbs in what two opposition groups claimed was a chlorine "
     "attack.", "two opposition groups", "chlorine attack"),
    ("The army was accused by the opposition of executing 65 prisoners near the airport.",
     "the opposition", "executing 65 prisoners"),
])
def test_cues_inside_clauses_and_phrases(extract_text, text, mention, content):
    claim = next(c for c in extract_text(text).claims if c.speaker_mention == mention)
    assert content in claim.content


def test_a_report_citing_a_source_without_commas_is_the_source_s(extract_text):
    (c,) = extract_text("Airstrikes killed seven civilians including two children Al Jazeera "
                        "reported Wednesday citing a local source.").claims
    assert c.speaker_mention == "a local source" and c.via == ("Al Jazeera",)
    assert "killed seven civilians" in c.content


@pytest.mark.parametrize("text,cue,content,polarity", [
    ("The army threatened to shoot down any drone flying over the base.", "threatened",
     "shoot down any drone", "asserts"),
    ("The monitor listed 55 wounded people, including nine women.", "listed", "55 wounded",
     "asserts"),
    ("The Observatory disagreed with the ministry's account of the raid.", "disagreed",
     "account of the raid", "denies"),
    ("The United Nations issued a warning that an offensive would cause a bloodbath.", "issued",
     "bloodbath", "asserts"),
    ("The United States said there was no evidence of any attack.", "said", "no evidence",
     "denies"),
])
def test_cues_of_threat_list_disagreement_and_warning(extract_text, text, cue, content, polarity):
    claim = next(c for c in extract_text(text).claims if c.cue == cue)
    assert content in claim.content and claim.polarity == polarity


def test_a_role_noun_is_the_nearest_fitting_source_and_never_its_conjunct(extract_text):
    claims = extract_text("SDF fighters advanced on Manbij on Monday. Airstrikes on Daesh-held "
                          "villages killed 20 civilians, Syrian opposition activists and the "
                          "extremist group said.").claims
    group = next(c for c in claims if c.speaker_mention == "the extremist group")
    assert group.speaker == "Islamic State"


@pytest.mark.parametrize("text", [
    "The US authorities said the raid killed a senior commander.",
    "US officials said the raid killed a senior commander.",
    "Washington said the raid killed a senior commander.",
    "The US said the raid killed a senior commander.",
])
def test_one_state_under_its_several_names(extract_text, text):
    (c,) = extract_text(text).claims
    assert c.speaker == "United States government"


def test_a_ministry_in_a_capital_is_that_state_s_ministry(extract_text):
    (c,) = extract_text("The defence ministry in Moscow said 40 fighters were killed.").claims
    assert c.speaker == "Russian Ministry of Defence"


def test_a_nameless_source_in_a_place_does_not_speak_for_its_government(extract_text):
    (c,) = extract_text("A source in Damascus said the convoy had left the town.").claims
    assert c.speaker_type == "anonymous" and c.affiliation is None


def test_a_possessive_that_lost_its_apostrophe_is_still_the_source(extract_text):
    (c,) = extract_text("Human Rights Watchs said the attack killed 20 people.").claims
    assert c.speaker == "Human Rights Watch"


@pytest.mark.parametrize("text,speaker,content", [
    ("The group's leader, Abu Mohammad al-Julani, stated that the fighters would not withdraw.",
     "Abu Mohammad al-Julani", "would not withdraw"),
    ("Such attacks will not stop us from fighting Daesh Cavusoglu said.", "Cavusoglu",
     "will not stop us"),
    ("Konashenkov added a command post and three depots had been destroyed near the town.",
     "Konashenkov", "three depots had been destroyed"),
])
def test_person_speakers_beside_titles_and_groups(extract_text, text, speaker, content):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker and c.speaker_type == "person" and content in c.content


@pytest.mark.parametrize("text,speaker,content", [
    ("The ministry rejected Assad's claim that the rescuers are militants.", "Bashar al-Assad",
     "the rescuers are militants"),
    ("Diplomats responded to the claim by activists in the city that at least 300 people had "
     "been killed.", "activists in the city", "at least 300 people had been killed"),
])
def test_a_claim_noun_carries_its_author_s_clause(extract_text, text, speaker, content):
    claim = next(c for c in extract_text(text).claims if c.cue.startswith("claim"))
    assert speaker in (claim.speaker, claim.speaker_mention) and claim.content == content


@pytest.mark.parametrize("text,mention,kind", [
    ("According to aid agencies, 9,000 people reached the camps in one week.", "aid agencies",
     "ngo"),
    ("According to medical charities, the strikes hit four hospitals.", "medical charities",
     "medics"),
])
def test_aid_agencies_and_charities_are_not_news_agencies(extract_text, text, mention, kind):
    (c,) = extract_text(text).claims
    assert c.speaker_mention == mention and c.speaker_type == kind


def test_a_question_said_before_its_speaker_is_the_speaker_s(extract_text):
    claims = extract_text("Who will rebuild the hospital after the strikes on Idlib? the "
                          "governor questioned.").claims
    assert [(c.speaker_mention, c.cue) for c in claims] == [("the governor", "questioned")]
    assert "rebuild the hospital" in claims[0].content


@pytest.mark.parametrize("text,mention,content", [
    ("A video posted online by activists showed two burning tanks near the checkpoint.",
     "activists", "two burning tanks"),
    ("The local council's Facebook page posted a photo showing five houses reduced to rubble.",
     "The local council's Facebook page", "five houses reduced to rubble"),
])
def test_what_a_speaker_s_video_or_photo_shows(extract_text, text, mention, content):
    claim = next(c for c in extract_text(text).claims if c.cue.startswith("show"))
    assert claim.speaker_mention == mention and content in claim.content


@pytest.mark.parametrize("text,speaker,affiliation", [
    ("Rami Abdel Rahman head of the Britain-based Syrian Observatory for Human Rights disagreed "
     "with the ministry's account.", "Rami Abdulrahman", "Syrian Observatory for Human Rights"),
    ('Mustafa Sejari, a Free Syrian Army official told journalists, "The deal preserves lives."',
     "Mustafa Sejari", "Free Syrian Army"),
])
def test_a_name_before_its_title_without_commas_is_the_speaker(extract_text, text, speaker,
                                                               affiliation):
    (c,) = extract_text(text).claims
    assert (c.speaker, c.affiliation) == (speaker, affiliation)


def test_a_second_statement_conjoined_inside_what_was_said_keeps_its_speaker(extract_text):
    claims = extract_text("Britain said on Wednesday it would raise the attack at the Security "
                          "Council and called on Damascus to give inspectors access to the "
                          "site.").claims
    called = next(c for c in claims if c.cue == "called")
    assert called.speaker == "Britain" and "give inspectors access" in called.content


@pytest.mark.parametrize("text,first,second", [
    ("The monitor said nine fighters were killed and that the toll could still rise.",
     "nine fighters were killed", "the toll could still rise"),
    ("A medic said the clinic was shelled at dawn but that nobody inside was hurt.",
     "the clinic was shelled at dawn", "nobody inside was hurt"),
])
def test_each_that_clause_joined_to_what_was_said_is_a_claim_of_its_own(extract_text, text,
                                                                        first, second):
    claims = extract_text(text).claims
    assert len(claims) == 2 and claims[0].speaker == claims[1].speaker
    assert claims[0].content == first and claims[1].content.endswith(second)


@pytest.mark.parametrize("text,first,second", [
    ("A commander rejected the claims of the army about the convoy saying the trucks carried "
     "only food.", "rejected", "saying"),
    ("The minister said he was angry beyond words declaring that the truce was over.", "said",
     "declaring"),
])
def test_a_participle_without_commas_after_what_was_said_is_the_speaker_s(extract_text, text,
                                                                          first, second):
    claims = extract_text(text).claims
    assert [c.cue for c in claims] == [first, second]
    assert claims[0].speaker == claims[1].speaker
    assert second not in claims[0].content


def test_a_participle_on_a_report_speaks_for_the_report(extract_text):
    claims = extract_text("The ministry denied reports by activists saying that 20 people were "
                          "killed in the raid.").claims
    assert [c.cue for c in claims] == ["denied"]
    assert "saying that 20 people were killed" in claims[0].content


def test_an_opening_participle_that_the_next_cue_repeats_is_one_claim(extract_text):
    (c,) = extract_text("Condemning the shelling, a ministry spokesman slammed the shelling of "
                        "the market.").claims
    assert (c.cue, c.content) == ("slammed", "the shelling of the market")


@pytest.mark.parametrize("text,polarity", [
    ("The opposition coalition denounced the claims made by the government's envoy.", "denies"),
    ("The opposition coalition denounced the shelling of the camp.", "asserts"),
    ("The Democratic Union Party denounced the deal on the border zone.", "denies"),
    ("Some rebel groups expressed their refusal to leave the zone.", "denies"),
])
def test_disapproving_of_a_claim_denies_it(extract_text, text, polarity):
    (c,) = extract_text(text).claims
    assert c.polarity == polarity


def test_a_title_between_an_institution_and_a_name_makes_the_name_the_speaker(extract_text):
    (c,) = extract_text("National Coalition leader Ahmed al-Jarba told reporters that the "
                        "raids must stop.").claims
    assert c.speaker == "Ahmed al-Jarba"
    assert c.affiliation == "National Coalition for Syrian Revolutionary and Opposition Forces"


@pytest.mark.parametrize("text,speaker", [
    ("Saudi Arabia − Foreign Minister Adel al-Jubeir wrote on Twitter warning that the border "
     "would stay closed.", "Adel al-Jubeir"),
    ("Hezbollah − on 2 May, the group said that its fighters had left the hill.", "Hezbollah"),
])
def test_a_reaction_under_a_heading_is_the_named_speaker_s(extract_text, text, speaker):
    claims = extract_text(text).claims
    assert claims and {c.speaker for c in claims} == {speaker}
    assert not any(c.content.startswith(text.split(" − ")[0]) for c in claims)


def test_partners_joined_to_accuse_each_accuse(extract_text):
    claims = extract_text("Syria Civil Defence joined the Union of Medical Relief Organizations, "
                          "Amnesty International and the Violations Documentation Center to "
                          "accuse the air force of bombing clinics.").claims
    assert {c.speaker for c in claims} == {
        "Syria Civil Defence", "the Union of Medical Relief Organizations",
        "Amnesty International", "Violations Documentation Center"}
    assert {c.content for c in claims} == {"the air force of bombing clinics"}


def test_a_list_that_speaks_through_who_speaks_member_by_member(extract_text):
    claims = extract_text("The group was attacked online by the Russian government, bloggers, "
                          "and their followers, who have accused it of faking rescues.").claims
    assert {c.speaker for c in claims} == {"Russian government", "bloggers", "their followers"}


def test_a_channel_keeps_what_it_tells_beyond_the_claim_it_holds(extract_text):
    claims = extract_text("According to journalists, the town became the target of a long "
                          "campaign of shelling by the army and militias, who have accused its "
                          "people of hiding fighters.").claims
    assert "journalists" in {c.speaker for c in claims}


def test_they_after_a_list_of_speakers_is_all_of_them(extract_text):
    claims = extract_text("SANA, Hezbollah and the Syrian Observatory for Human Rights reported "
                          "that troops had entered the town. Within hours, they reported the "
                          "town was secured.").claims
    second = [c for c in claims if "secured" in c.content]
    assert {c.speaker for c in second} == {"SANA", "Hezbollah",
                                           "Syrian Observatory for Human Rights"}


def test_an_object_keeps_its_own_preposition(extract_text):
    claims = extract_text("Russia and Turkey announced the Terms for a Cessation of Hostilities "
                          "in Idlib on Monday.").claims
    assert claims and all(c.content.startswith("the Terms for a Cessation") for c in claims)


def test_an_according_to_list_the_parse_split_keeps_every_member(extract_text):
    claims = extract_text("According to the opposition, Amnesty International and some local "
                          "residents the prisoners were shot by the guards.").claims
    assert {c.speaker for c in claims} == {"Syrian opposition", "Amnesty International",
                                           "some local residents"}
    assert {c.content for c in claims} == {"the prisoners were shot by the guards"}


def test_calling_something_a_name_is_a_claim(extract_text):
    (c,) = extract_text("The Syrian Network for Human Rights called the raid a war crime.").claims
    assert c.content == "the raid a war crime"


def test_a_study_by_two_authors_is_a_claim_of_each(extract_text):
    claims = extract_text("A study by Sarah Jones and Omar Saleh, published in a journal in May, "
                          "found that most of the posts came from a few accounts.").claims
    assert {c.speaker for c in claims} == {"Sarah Jones", "Omar Saleh"}
    assert all("most of the posts came from a few accounts" in c.content for c in claims)


def test_did_not_say_but_said_is_the_same_speaker_s(extract_text):
    claims = extract_text("The ministry did not say when the attack occurred but said at least "
                          "two fighters were killed.").claims
    assert [(c.speaker_mention, c.content) for c in claims] == [
        ("The ministry", "at least two fighters were killed")]


def test_an_object_keeps_the_with_the_parse_hung_on_the_verb(extract_text):
    (c,) = extract_text("Several senior commanders, including clerics in Ahrar al-Sham, "
                        "expressed their dissatisfaction with the terms through messaging "
                        "channels.").claims
    assert c.content == "their dissatisfaction with the terms"
