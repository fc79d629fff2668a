"""The tone scorer: cues, negation, contrast, subject vs stance, tone toward actors, the cue file."""

import re
from pathlib import Path

import pytest

from dashboard import tone
from dashboard.records import TONE_BANDS, Mention, Statement
from dashboard.tone import band_for, gdelt_tone, load_lexicon, score_text

ROOT = Path(__file__).resolve().parent.parent


def targets_for(text: str, **surfaces: str) -> list[tuple[str, int, int]]:
    """(actor, start, end) for the first occurrence of each surface form."""
    out = []
    for actor, surface in surfaces.items():
        start = text.index(surface)
        out.append((actor, start, start + len(surface)))
    return out


def sign(x: float) -> int:
    return 0 if x == 0 else (1 if x > 0 else -1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We deeply regret this decision.", -1),
        ("The statement is a distortion of facts.", -1),
        ("Such provocations are unacceptable.", -1),
        ("The accusations have no basis.", -1),
        ("We welcome the agreement reached yesterday.", 1),
        ("We are ready to continue our work with our partners.", 1),
        ("We express our sincere gratitude for this brotherly support.", 1),
        ("The delegation arrived on Tuesday and the talks lasted three hours.", 0),
        ("The minister will visit the capital next week.", 0),
    ],
)
def test_cue_words_set_the_sign(text, expected):
    assert sign(score_text(text).score) == expected


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("We express our heartfelt gratitude to our brotherly friends.", "warm"),
        ("We welcome this step.", "cooperative"),
        ("The meeting was held in the capital.", "neutral"),
        ("We regret this decision.", "critical"),
        ("This is an act of aggression and a blatant provocation.", "hostile"),
    ],
)
def test_statements_land_in_the_expected_band(text, band):
    assert score_text(text).band == band


def test_negation_turns_a_cooperative_cue_into_criticism():
    assert score_text("Their approach is constructive.").score > 0
    assert score_text("Their approach is not constructive.").score < 0


def test_a_negated_weak_cooperative_cue_is_still_criticism():
    assert score_text("They will cooperate.").score > 0
    assert score_text("They won't cooperate.").score < 0


def test_negation_of_a_critical_cue_is_not_counted_as_criticism():
    assert score_text("This is a provocation.").score < 0
    assert score_text("This is not a provocation.").score == 0


def test_failure_to_do_something_good_is_criticism():
    assert score_text("They refused to cooperate.").score < 0


def test_multi_word_cues_beat_their_words():
    # "thanks to" is causal, not gratitude; "not only ... but also" is neither negation nor contrast.
    assert score_text("Thanks to the new road, trade has grown.").score == 0
    assert score_text("This is not only constructive but also useful.").score > 0


def test_contracted_negation_and_curly_apostrophes_are_read():
    assert score_text("Their approach isn’t constructive.").score < 0
    assert score_text("They don't welcome the agreement.").score < 0
    text = "These are Yerevan’s mistakes."
    assert score_text(text, targets_for(text, ARM="Yerevan")).toward["ARM"] < -0.5


def test_abbreviations_do_not_end_a_sentence():
    # "Mr." does not start a new sentence, so the warm cue stays in Mr. Pashinyan's sentence.
    text = "We thank Mr. Pashinyan of Armenia for the cordial talks. The weather was fine."
    result = score_text(text, targets_for(text, ARM="Armenia"))
    assert result.toward["ARM"] > 0.5


def test_a_prefix_cue_matches_every_ending_but_only_at_a_word_start():
    for text in ("This was a provocation.", "These are provocations.", "A provocative act."):
        assert score_text(text).score < 0, text
    assert score_text("We cooperated closely.").score > 0
    assert score_text("Their noncooperation continued.").score <= 0  # not "cooperat*"


def test_intensifier_strengthens_a_cue():
    assert score_text("We strongly condemn it.").score < score_text("We condemn it.").score


def test_contrast_gives_opposite_tone_toward_two_actors():
    text = "We thank Baku for its hospitality, but Yerevan keeps distorting the facts."
    result = score_text(text, targets_for(text, AZE="Baku", ARM="Yerevan"))
    assert result.toward["AZE"] > 0.1
    assert result.toward["ARM"] < -0.1


def test_contrast_puts_the_weight_on_what_follows_but():
    assert score_text("We welcome the talks, but we regret the delay.").score < 0
    assert score_text("We regret the delay, but we welcome the talks.").score > 0


def test_possessive_binds_the_cue_to_its_owner():
    text = "These are Yerevan's mistakes, while Moscow is not to blame."
    result = score_text(text, targets_for(text, ARM="Yerevan", RUS="Moscow"))
    assert result.toward["ARM"] < -0.1
    assert result.toward["RUS"] >= 0


def test_victim_of_aggression_is_not_its_target():
    text = "Azerbaijan continues its aggression against Armenia."
    result = score_text(text, targets_for(text, AZE="Azerbaijan", ARM="Armenia"))
    assert result.toward["AZE"] < -0.1
    assert result.toward["ARM"] == 0


def test_the_accused_is_not_the_speakers_verdict():
    text = "Once again they try to blame Russia for everything."
    result = score_text(text, targets_for(text, RUS="Russia"))
    assert result.score < 0
    assert result.toward["RUS"] == 0


def test_counterfactual_clause_is_criticism_of_the_main_clause():
    text = "Instead of engaging in dialogue with Ankara, Baku chose another provocation."
    result = score_text(text, targets_for(text, TUR="Ankara", AZE="Baku"))
    assert result.score < 0
    assert result.toward["AZE"] < -0.1
    assert result.toward["TUR"] == 0


def test_actor_in_a_neutral_sentence_is_neutral():
    text = "Talks with Georgia were held on Monday. We categorically reject Iran's provocations."
    result = score_text(text, targets_for(text, GEO="Georgia", IRN="Iran"))
    assert result.score < 0
    assert result.toward["IRN"] < -0.1
    assert result.toward["GEO"] == 0


def test_actorless_sentence_refers_back_to_the_actors_before_it():
    text = "We received the delegation of Kazakhstan. The conversation was warm and friendly."
    result = score_text(text, targets_for(text, KAZ="Kazakhstan"))
    assert result.toward["KAZ"] > 0.1


def test_criticism_without_a_named_actor_stays_with_the_criticised_actor():
    text = (
        "Baku keeps distorting the facts. Talks between Armenia and Georgia continue. "
        "This is a blatant provocation."
    )
    result = score_text(text, targets_for(text, AZE="Baku", ARM="Armenia", GEO="Georgia"))
    assert result.toward["AZE"] < -0.5
    assert result.toward["ARM"] == result.toward["GEO"] == 0


def test_criticism_in_a_speakers_mouth_is_not_aimed_at_their_own_country():
    text = "Once again they distort the facts and try to blame Russia for their own failures."
    t = targets_for(text, RUS="Russia")
    assert score_text(text, t).score < 0
    assert score_text(text, t, speaker_country="RUS").toward["RUS"] == 0


def test_own_country_is_praised_only_as_the_agent_of_a_cooperative_cue():
    text = "Russia is always ready to continue cooperation with Vietnam."
    t = targets_for(text, RUS="Russia", VNM="Vietnam")
    result = score_text(text, t, speaker_country="RUS")
    assert result.toward["RUS"] > 0.1
    assert result.toward["VNM"] > 0.1
    text = "We hope our partners will resume direct flights to Russia."
    t = targets_for(text, RUS="Russia")
    assert score_text(text, t, speaker_country="RUS").toward["RUS"] == 0


def test_score_statement_uses_the_speakers_country():
    text = "They keep spreading lies about Russia."
    st = Statement(
        kind="quote", text=text, start=0, end=len(text), para_start=0, para_end=len(text)
    )
    st.speaker_country = "RUS"
    st.mentions = [Mention("RUS", "Russia", text.index("Russia"), text.index("Russia") + 6)]
    tone.score_statement(st, model=None)  # the cue lexicon alone (the tone model: test_tone_model.py)
    assert st.tone < 0
    assert st.mentions[0].tone_toward == 0
    assert st.tone_confidence is None


def test_historical_label_next_to_an_actor_counts_against_it_but_not_overall():
    text = "We remember the victory over German Nazism together with our friends."
    result = score_text(text, targets_for(text, DEU="German"))
    assert result.toward["DEU"] < -0.1
    assert result.score >= 0


@pytest.mark.parametrize(
    "text",
    [
        "We remember those who did not return from the front.",
        "In honour of the Great Victory over Nazism, veterans will march through the city.",
        "We will commemorate the victims of the Second World War and the fight against fascism.",
        "The memorial honours the fallen heroes of the war.",
        "We commemorate the victims of Nazi aggression and occupation.",
        "Veterans celebrated the Great Victory with pride.",
    ],
)
def test_sad_or_violent_subject_is_not_the_speakers_stance(text):
    assert score_text(text).score == 0


def test_the_shield_silences_stance_cues_next_to_it():
    assert score_text("We condemn the aggression.").score < 0
    assert score_text("We remember the Nazi aggression.").score == 0


def test_present_day_labels_are_still_hostile():
    text = "The neo-Nazi Kiev regime keeps shelling residential areas."
    result = score_text(text, targets_for(text, UKR="Kiev regime"))
    assert result.band == "hostile"
    assert result.toward["UKR"] < -0.5


def test_scores_stay_in_range_and_match_their_band():
    text = " ".join(["We strongly condemn this aggression and the provocations."] * 20)
    result = score_text(text)
    assert -1 <= result.score <= 1
    assert result.band == band_for(result.score) == "hostile"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (-1.0, "hostile"),
        (-0.51, "hostile"),
        (-0.5, "critical"),
        (-0.11, "critical"),
        (-0.1, "neutral"),
        (0.0, "neutral"),
        (0.1, "neutral"),
        (0.11, "cooperative"),
        (0.5, "cooperative"),
        (0.51, "warm"),
        (1.0, "warm"),
        (None, None),
    ],
)
def test_band_edges(score, band):
    assert band_for(score) == band
    assert band is None or band in TONE_BANDS


def test_gdelt_tone_arithmetic():
    # 10 words, one positive cue ("welcome") and three negative ones: 100 * (1 - 3) / 10.
    text = "We welcome talks but regret the provocation and aggression today"
    assert len(text.split()) == 10
    assert gdelt_tone(text) == pytest.approx(-20.0)
    assert gdelt_tone("") == 0.0
    assert gdelt_tone("The delegation arrived today.") == 0.0


def test_score_statement_fills_tone_band_and_tone_toward():
    text = "We thank Baku, but Yerevan keeps distorting facts."
    st = Statement(
        kind="quote", text=text, start=0, end=len(text), para_start=0, para_end=len(text)
    )
    st.mentions = [Mention("AZE", "Baku", 9, 13), Mention("ARM", "Yerevan", 19, 26)]
    tone.score_statement(st)
    assert st.tone_band == band_for(st.tone)
    assert st.mentions[0].tone_toward > 0
    assert st.mentions[1].tone_toward < 0


def test_scoring_is_deterministic():
    text = "We welcome Armenia's readiness, but regret Azerbaijan's provocations."
    t = targets_for(text, ARM="Armenia", AZE="Azerbaijan")
    first = score_text(text, t)
    assert all(score_text(text, t) == first for _ in range(5))


def test_shipped_cue_file_loads_every_kind():
    lex = load_lexicon()
    kinds = {c.kind for c in lex.cues}
    assert set(tone.STANCE_KINDS) <= kinds
    assert {"negator", "contrast", "subject_shield", "intensifier"} <= kinds
    assert load_lexicon() is lex  # loaded once


def test_an_edited_cue_file_changes_the_result(tmp_path):
    path = tmp_path / "cues.csv"
    path.write_text(
        "cue,kind,weight,note\n"
        "marvellous,warmth,0.8,test\n"
        "regret,cooperation,0.4,deliberately inverted\n"
        "not,negator,-0.6,\n",
        encoding="utf-8",
    )
    lex = load_lexicon(path)
    assert score_text("A marvellous meeting.", lexicon=lex).band == "warm"
    assert score_text("A marvellous meeting.").score == 0  # not in the shipped file
    assert score_text("We regret it.", lexicon=lex).score > 0
    assert score_text("It is not marvellous.", lexicon=lex).score < 0


def test_bad_cue_file_rows_are_reported(tmp_path):
    path = tmp_path / "cues.csv"
    path.write_text("cue,kind,weight,note\nfoo,praise,0.5,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kind"):
        load_lexicon(path)


def doc_examples():
    doc = (ROOT / "docs" / "tone.md").read_text(encoding="utf-8")
    block = doc.split("<!-- examples -->")[1].split("<!-- /examples -->")[0]
    rows = [line for line in block.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


@pytest.mark.parametrize("row", doc_examples(), ids=lambda r: r[0][:40])
def test_documented_examples_match_the_code(row):
    text, targets, score, band, toward = row
    surfaces = dict(part.split("=", 1) for part in re.split(r",\s*", targets) if part)
    result = score_text(text, targets_for(text, **surfaces))
    assert f"{result.score:+.2f}" == score
    assert result.band == band
    shown = ", ".join(f"{a} {result.toward[a]:+.2f}" for a in surfaces)
    assert shown == toward
