"""Claims from sentences we wrote: cues, speakers, channels, polarity and dates."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text,speaker,cue,polarity", [
    ("The Syrian Observatory for Human Rights said that 12 civilians were killed.",
     "Syrian Observatory for Human Rights", "said", "asserts"),
    ("Twelve civilians were killed in the strike, the monitor said.",
     "the monitor", "said", "asserts"),
    ("According to SANA, the army restored security to the town.", "SANA", "according to",
     "asserts"),
    ("The Russian Defence Ministry denied that its jets struck the market.",
     "Russian Ministry of Defence", "denied", "denies"),
    ("The White Helmets said reports of a ceasefire were fake.", "Syria Civil Defence", "said",
     "denies"),
    ("Turkey accused the SDF of shelling Tal Abyad.", "Turkish government", "accused",
     "asserts"),
])
def test_attribution(extract_text, text, speaker, cue, polarity):
    claims = extract_text(text, published="2020-02-03").claims
    assert claims, text
    c = claims[0]
    assert (c.speaker if speaker != "the monitor" else c.speaker_mention) == speaker
    assert (c.cue, c.polarity) == (cue, polarity)


def test_told_goes_to_via_and_yesterday_resolves(extract_text):
    (c,) = extract_text("SOHR told Reuters yesterday that the corridor is closed.",
                        published="2020-02-03").claims
    assert c.via == ("Reuters",) and c.date.start.isoformat() == "2020-02-02"


def test_a_surname_resolves_to_the_full_name(extract_text):
    claims = extract_text("Rami Abdulrahman said the strikes continued. Abdulrahman added that "
                          "the roads were closed.").claims
    assert [c.speaker for c in claims] == ["Rami Abdulrahman", "Rami Abdulrahman"]


def test_negated_cue_is_not_a_claim(extract_text):
    assert extract_text("The ministry did not say which weapons were used.").claims == ()


def test_user_sources_file_adds_a_speaker(tmp_path):
    from observatory.coding.nlp import load_sources
    from observatory.coding.claims import SourceIndex

    extra = tmp_path / "sources.toml"
    extra.write_text('[[source]]\nname = "Idlib Health Directorate"\ntype = "government"\n'
                     'aliases = ["Idlib Health Department"]\n\n[roles]\n\n[titles]\n')
    sources, roles, titles = load_sources(str(extra))
    index = SourceIndex(sources, roles, titles)
    found = index.find("the Idlib Health Department")
    assert found is not None and found.name == "Idlib Health Directorate"
    assert found.type == "government"


def test_she_is_the_nearest_speaker_not_called_he(extract_text):
    claims = extract_text("Omar Haddad, a local doctor, told reporters that he had treated 30 "
                          "people. Huda, a mother of three, said she saw nine children hurt. "
                          "\"Most of them could not breathe,\" she told the radio.").claims
    assert [c.speaker for c in claims] == ["Omar Haddad", "Huda", "Huda"]
    assert claims[1].speaker_type == "person"


@pytest.mark.parametrize("text,speaker", [
    ("Ahmad al-Jarba said the regime had used chemical weapons in Eastern Ghouta.",
     "Ahmad al-Jarba"),
    ("Hadi al-Bahra told reporters that the regime had broken the truce in Idlib.",
     "Hadi al-Bahra"),
    # a given name the data file lacks: the NER's person ends on the article
    ("Qusay al-Jarba said the talks in Geneva had failed.", "Qusay al-Jarba"),
    ("Khalil Haddad, a resident of Daraa, said the shelling went on all night.",
     "Khalil Haddad"),
    ("Colonel Haddad said the army had taken the hill near Hama.", "Haddad"),
])
def test_a_family_name_that_names_a_village_is_the_persons(extract_text, text, speaker):
    (c,) = extract_text(text).claims
    assert (c.speaker, c.speaker_type) == (speaker, "person")


@pytest.mark.parametrize("text,cue,content", [
    ("The audit highlighted that the records were incomplete.", "highlighted",
     "that the records were incomplete"),
    ("The charity apologised for the error in its casualty count.", "apologised",
     "for the error in its casualty count"),
])
def test_highlighting_and_apologising_are_cues(extract_text, text, cue, content):
    (c,) = extract_text(text).claims
    assert (c.cue, c.content) == (cue, content)


def test_who_made_a_claim_is_its_author(extract_text):
    (c,) = extract_text("The army has repeatedly made claims that the rebels hold chemical "
                        "weapons.").claims
    assert (c.speaker, c.content) == ("Syrian army", "the rebels hold chemical weapons")


def test_a_quotation_standing_alone_after_a_speaker_is_still_theirs(extract_text):
    claims = extract_text('"The bakery was full of people," said Ali Darwish, a volunteer. '
                          '"We pulled out eleven bodies before noon." The strikes continued. '
                          '"Nobody is safe here."').claims
    assert [(c.speaker, c.content) for c in claims] == [
        ("Ali Darwish", "The bakery was full of people"),
        ("Ali Darwish", "We pulled out eleven bodies before noon")]
    assert claims[1].quote


def test_they_opening_a_paragraph_is_its_topic_not_an_earlier_speaker(extract_text):
    claims = extract_text("The United Nations said the talks would resume in March.\n\n"
                          "Ahrar al-Sham: a large rebel group active in Idlib and Hama, close to "
                          "the Free Syrian Army. They rejected the agreement.").claims
    assert [c.speaker for c in claims] == ["United Nations", "Ahrar al-Sham"]


@pytest.mark.parametrize("text,speaker", [
    ("The Turkish army said it had shelled the positions.", "The Turkish army"),
    ("The Iran Army said it would send advisers to the front.", "The Iran Army"),
    ("The Iraqi army said it had closed the border crossing.", "The Iraqi army"),
    ("The army said it had shelled the positions.", "Syrian army"),
])
def test_a_nationality_before_a_common_word_is_another_country_s(extract_text, text, speaker):
    (c,) = extract_text(text).claims
    assert c.speaker == speaker
