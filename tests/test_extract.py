"""Extraction on hand-written news and speeches: quotes, speakers, reported speech, mentions, topics, dates."""

import random
import time

import pytest

from dashboard.extract import EXTRACTION_VERSION, extract_document
from dashboard.extract.dates import find_date
from dashboard.extract.mentions import find_mentions
from dashboard.extract.quotes import find_quotes
from dashboard.records import RawDocument
from dashboard.reference import default_reference


@pytest.fixture(scope="module")
def ref():
    return default_reference()


def extract(text, ref, **meta):
    return extract_document(RawDocument(text=text, source_path="test.txt", **meta), ref)


def quotes_of(doc):
    return [s for s in doc.statements if s.kind == "quote"]


NEWS = (
    "Moscow criticises Yerevan over the mission\n\n"
    "MOSCOW, May 4. /TASS/. Russian Foreign Ministry spokeswoman Maria Zakharova said on Thursday "
    "that the observers had no mandate.\n\n"
    "\u201cWe regret that our partners chose another path. This decision has no basis,\u201d Zakharova said.\n\n"
    "The diplomat recalled the talks of last year. \u201cWe are ready to continue working with Baku and "
    "Yerevan on the border issue,\u201d she added, \u201cbut not at any price.\u201d\n\n"
    "According to the ministry, \"the consultations will take place in the coming weeks in Moscow.\"\n\n"
    "Armenian Foreign Minister Ararat Mirzoyan told reporters: \"The peace treaty is ready to be signed "
    "and we expect the same from our neighbours.\"\n"
)


def test_quotes_with_curly_and_straight_marks_are_found_whole(ref):
    doc = extract(NEWS, ref)
    texts = [q.text for q in quotes_of(doc)]
    assert texts[0] == "We regret that our partners chose another path. This decision has no basis"
    assert any(t.startswith("The peace treaty is ready to be signed") for t in texts)
    assert any(t.startswith("the consultations will take place") for t in texts)


def test_quote_broken_by_its_attribution_gives_two_quotes_by_one_speaker(ref):
    doc = extract(NEWS, ref)
    parts = [q for q in quotes_of(doc) if "Baku" in q.text or q.text.startswith("but not at any price")]
    assert len(parts) == 2
    assert {q.speaker for q in parts} == {"Maria Zakharova"}


def test_speakers_resolve_names_pronouns_and_institutions(ref):
    doc = extract(NEWS, ref)
    by_text = {q.text[:20]: q for q in quotes_of(doc)}
    regret = by_text["We regret that our p"]
    assert (regret.speaker, regret.speaker_country, regret.speaker_id) == ("Maria Zakharova", "RUS", "maria-zakharova")
    assert by_text["We are ready to conti"[:20]].attribution_method == "pronoun"
    treaty = by_text["The peace treaty is "]
    assert (treaty.speaker, treaty.speaker_country) == ("Ararat Mirzoyan", "ARM")
    ministry = by_text["the consultations wi"]
    assert ministry.speaker is None and ministry.speaker_country == "RUS"
    assert ministry.attribution_method == "institution"


def test_statement_offsets_point_into_the_document(ref):
    doc = extract(NEWS, ref)
    for st in doc.statements:
        assert NEWS[st.start : st.end] == st.text
        assert st.para_start <= st.start and st.end <= st.para_end
        for m in st.mentions:
            assert st.text[m.start : m.end] == m.surface


def test_reported_speech_becomes_a_reported_statement(ref):
    doc = extract(NEWS, ref)
    reported = [s for s in doc.statements if s.kind == "reported"]
    assert any(s.text.startswith("the observers had no mandate") and s.speaker == "Maria Zakharova" for s in reported)


def test_unknown_person_keeps_the_name_and_the_country_of_the_role(ref):
    text = (
        "\"The new checkpoint will open for trucks next month,\" Georgian Deputy Economy Minister "
        "Levan Kvaratskhelia said on Friday."
    )
    (quote,) = quotes_of(extract(text, ref))
    assert quote.speaker == "Levan Kvaratskhelia"
    assert quote.speaker_country == "GEO"
    assert quote.speaker_id is None


def test_description_resolves_to_the_office_holder_on_the_date(ref):
    text = "\"We will not allow anyone to drag us into a new war,\" the Azerbaijani president said."
    (quote,) = quotes_of(extract(text, ref, date="2024-05-01"))
    assert quote.speaker == "Ilham Aliyev"
    assert quote.attribution_method == "description"


def test_scare_quotes_titles_and_short_quotes_are_not_quotes(ref):
    text = (
        "The minister rejected the so-called \"peace plan for the whole region\" and a \"buffer zone\". "
        "A film titled \"The Road To The Mountains Of Home\" opened in Baku. "
        "Maps showed it as a \"corridor under foreign control\" in the south."
    )
    assert quotes_of(extract(text, ref)) == []


def test_a_fragment_after_a_verb_of_saying_is_the_speakers_words(ref):
    text = "Zakharova called the statement a \"blatant provocation by Baku\" on Friday."
    (quote,) = quotes_of(extract(text, ref, date="2024-05-01"))
    assert quote.text == "blatant provocation by Baku"
    assert quote.speaker == "Maria Zakharova"


def test_a_headline_repeating_a_body_quote_counts_once(ref):
    text = (
        "Lavrov says \"the door to dialogue remains open for our partners\"\n\n"
        "MOSCOW, June 1. /TASS/. \"The door to dialogue remains open for our partners,\" Sergey Lavrov said."
    )
    quotes = quotes_of(extract(text, ref))
    assert len(quotes) == 1
    assert quotes[0].speaker == "Sergey Lavrov"


def test_multi_paragraph_quote_is_one_quote():
    text = (
        "\u201cWe have always supported the talks between the two neighbours.\n\n"
        "\u201cAnd we will keep doing so as long as both sides want it,\u201d the minister said."
    )
    spans = find_quotes(text)
    assert len(spans) == 1
    assert "keep doing so" in text[spans[0].start : spans[0].end]


def test_nested_single_quote_is_its_own_quote_without_the_outer_speaker(ref):
    text = "\u201cMy son kept asking me, \u2018when will we go back home, mother?\u2019 every night,\u201d she said."
    quotes = quotes_of(extract(text, ref))
    inner = [q for q in quotes if q.text.startswith("when will we go back")]
    assert len(quotes) == 2 and len(inner) == 1
    assert inner[0].speaker is None


def test_mentions_cover_capitals_demonyms_and_bodies_but_not_the_us_state(ref):
    text = (
        "Yerevan's mistakes, said the Kremlin. Azerbaijani oil workers met the Russian Foreign Ministry. "
        "In Atlanta, Georgia, voters queued; South Georgia is in the Atlantic. Georgia and the EU signed."
    )
    found = [(m.actor, m.surface) for m in find_mentions(text, ref)]
    assert ("ARM", "Yerevan") in found
    assert ("RUS", "the Kremlin") in found
    assert ("AZE", "Azerbaijani") in found
    assert ("RUS", "Russian Foreign Ministry") in found  # the longest alias, not "Russian"
    assert [s for a, s in found if a == "GEO"] == ["Georgia"]  # only the last one, the country
    assert ("EU", "EU") in found


def test_mentions_skip_languages_datelines_and_lower_case_words(ref):
    text = "BAKU, March 3. The site is in English and Russian languages. We ate turkey in china bowls."
    assert find_mentions(text, ref) == []


def test_surface_form_is_kept(ref):
    found = {m.surface: m.actor for m in find_mentions("Artsakh or Karabakh? Tbilisi and Sakartvelo.", ref)}
    assert found.get("Tbilisi") == "GEO"
    assert "Artsakh" not in found  # a region is a topic, not an actor


def test_topics_several_per_statement(ref):
    text = "\"The delimitation of the border and the unblocking of transport links go together,\" Pashinyan said."
    (quote,) = quotes_of(extract(text, ref))
    assert {"border_delimitation", "transport_corridors"} <= set(quote.topics)


@pytest.mark.parametrize(
    ("text", "meta", "expected"),
    [
        ("body", "2024-02-03", ("2024-02-03", "metadata")),
        (" date 2025-03-20 20 Mar. 22:45 (UTC+3 MSK)\n\nBody.", None, ("2025-03-20", "header")),
        ("Title\n\nMOSCOW, December 26. /TASS/. Talks held on December 26, 2024 went well.", None, ("2024-12-26", "dateline")),
        ("Title\n\nMOSCOW, December 26. /TASS/. The war of 2020 was mentioned.", None, (None, "none")),
        ("She spoke in autumn 2020 and again in September 2022.", None, (None, "none")),
        ("Foreign Minister's interview with a TV channel (Moscow, February 10, 2026)\n\nText.", None,
         ("2026-02-10", "dateline")),
        ("Title\n\nHe recalled the talks (Baku, May 2, 2019) at length.", None, (None, "none")),
        ("body", "not a date", (None, "none")),
    ],
)
def test_dates_come_from_metadata_header_or_dateline_and_are_never_invented(text, meta, expected):
    assert find_date(text, meta) == expected


def test_first_person_document_gives_one_statement_per_paragraph(ref):
    text = "We welcome the agreement reached in Washington.\n\nArmenia and Azerbaijan must now sign the treaty."
    doc = extract(text, ref, speaker="Mr. Bayramov", speaker_country="AZE", doc_type="first_person")
    assert doc.doc_type == "first_person"
    assert [s.kind for s in doc.statements] == ["paragraph", "paragraph"]
    assert {s.speaker_country for s in doc.statements} == {"AZE"}
    assert {s.attribution_method for s in doc.statements} == {"metadata"}
    assert doc.statements[1].mentions[0].actor == "ARM"


def test_every_statement_is_scored_for_tone(ref):
    doc = extract(NEWS, ref)
    assert all(s.tone is not None and s.tone_band for s in doc.statements)


def test_extraction_version_is_a_positive_integer():
    assert isinstance(EXTRACTION_VERSION, int) and EXTRACTION_VERSION >= 1


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # honorific and surname
        ("\"We will never accept a frozen conflict in the region,\" Ms. Dorian said.", "Dorian"),
        # an appositive between the name and the verb
        ("\"Trade will double within two years at this pace,\" Tigran Arakelyan, an economist at a Yerevan bank, said.",
         "Tigran Arakelyan"),
        # an inverted subject after an abbreviation's full stop, with a parenthesis
        ("\"The sanctions have not worked as intended,\" said Sen. John Whitfield (R-Ohio), a member of the committee.",
         "John Whitfield"),
        # the employer after "of" is not the speaker
        ("\"The talks are stuck on the corridor question,\" said Anna Petrosyan of the Regional Studies Center.",
         "Anna Petrosyan"),
        # a label opening the paragraph, as in transcripts
        ("Levan Beridze: \"We are open to any format that brings our citizens home.\"", "Levan Beridze"),
        # a dash after the quote
        ("\"Nobody asked the people who live along the border.\" \u2014 Gor Hovhannisyan, a farmer", "Gor Hovhannisyan"),
    ],
)
def test_attribution_structures_of_news_writing(ref, text, speaker):
    (quote,) = quotes_of(extract(text, ref))
    assert quote.speaker == speaker


def test_a_pronoun_skips_a_person_of_the_other_gender(ref):
    text = (
        "Spokeswoman Elena Morozova stated that the meeting had been long. "
        "Mr. Karapetyan said that the border talks were useful. "
        "\"Our position on the border has not changed at all,\" she said."
    )
    (quote,) = quotes_of(extract(text, ref))
    assert quote.speaker == "Elena Morozova"


def test_initials_parentheses_and_long_appositives_do_not_hide_the_name(ref):
    text = (
        "\"Inflation will ease next year,\" Central Bank Governor Martin L. Galstyan (Yerevan) said. "
        "\"We will not be drawn into this dispute,\" Nino Kapanadze, the deputy head of the parliamentary "
        "committee on foreign relations, said."
    )
    first, second = quotes_of(extract(text, ref))
    assert first.speaker == "Martin Galstyan"
    assert second.speaker == "Nino Kapanadze"


def test_a_surname_seen_in_full_is_a_person_even_when_it_is_also_a_country(ref):
    text = (
        "Deputy minister Paul Jordan opened the session. "
        "\"We are ready to sign the memorandum this year,\" Jordan said."
    )
    (quote,) = quotes_of(extract(text, ref))
    assert quote.speaker == "Paul Jordan"


def test_a_headline_naming_the_speaker_resolves_the_leads_description(ref):
    text = "\"We will keep supplying gas to our partners in Europe,\" the Russian leader said."
    (with_title,) = quotes_of(extract(text, ref, title="Gas will keep flowing \u2014 Putin", date="2024-12-26"))
    (without,) = quotes_of(extract(text, ref, date="2024-12-26"))
    assert with_title.speaker == "Vladimir Putin"
    assert without.speaker is None and without.speaker_country == "RUS"


# -- long and hostile documents: extraction stays linear in the text's length --------------------

#: Issue 12's bound for any file, whatever its size and shape (CPU seconds, so a busy machine does not fail it).
SECONDS_PER_MB = 5.0


def _timed_extract(text, ref, **meta):
    started = time.process_time()
    doc = extract(text, ref, **meta)
    return doc, (time.process_time() - started) / (len(text.encode("utf-8")) / 1e6)


def test_twenty_thousand_paragraphs_of_quotations_extract_within_the_bound(ref):
    # the case: 2,500 paragraphs took 0.18 s and 20,000 took 5.4 s (each quotation re-read
    # every speech verb of the document); thousands of quotations alike but for a number
    paragraphs = [
        ["Armenia said peace.", "Baku", "Yerevan noted that the border talks continue",
         f"\u201cWe will talk about peace in round {i},\u201d Lavrov said."][i % 4]
        for i in range(20_000)
    ]  # fmt: skip
    doc, per_mb = _timed_extract("\n\n".join(paragraphs), ref)
    quotes = quotes_of(doc)
    assert len(quotes) == 5_000  # none is taken for a copy of another
    assert {q.speaker for q in quotes} == {"Sergey Lavrov"}
    assert quotes[-1].text == "We will talk about peace in round 19999"
    assert sum(s.kind == "reported" for s in doc.statements) == 5_000
    assert per_mb < SECONDS_PER_MB


def test_a_text_of_one_long_line_extracts_within_the_bound_with_its_quotes_attributed(ref):
    sentences = []
    for i in range(6_000):
        sentences.append(f"\u201cRound {i} of the talks on the border opens on day {i + 100_000},\u201d Zakharova said.")
        sentences.append("Armenian Foreign Minister Ararat Mirzoyan said that the peace treaty was ready to be signed.")
    text = " ".join(sentences)  # about 1 MB and not one line break
    doc, per_mb = _timed_extract(text, ref)
    quotes = quotes_of(doc)
    assert len(quotes) == 6_000
    assert {q.speaker for q in quotes} == {"Maria Zakharova"}
    assert all(text[s.start : s.end] == s.text for s in doc.statements)
    assert per_mb < SECONDS_PER_MB


def test_long_runs_of_spaces_and_marks_are_read_once(ref):
    # a run of spaces after a full stop was re-read for every way of splitting it (hours for this
    # text), and a heading of marks searched from each of its characters for the end of the run
    text = (
        "!" * 200_000 + " Armenia and Azerbaijan met.\n\n"
        "Zakharova said that the consultations would take place in Moscow." + " " * 300_000
        + "\u201cWe are ready to continue working with Baku and Yerevan,\u201d she added." + "." * 200_000
    )  # fmt: skip
    doc, per_mb = _timed_extract(text, ref, title="Armenia and Azerbaijan met")
    assert [s.speaker for s in quotes_of(doc)] == ["Maria Zakharova"]
    assert any(s.kind == "reported" and s.speaker == "Maria Zakharova" for s in doc.statements)
    assert per_mb < SECONDS_PER_MB


def test_a_repeated_quotation_is_found_as_comparing_every_pair_finds_it():
    from dashboard.extract.quotes import _repeated_later

    rnd = random.Random(7)
    for _ in range(3_000):
        vocabulary = [f"w{k}" for k in range(rnd.randint(1, 12))]
        signatures = [frozenset(rnd.sample(vocabulary, rnd.randint(0, len(vocabulary))))
                      for _ in range(rnd.randint(0, 12))]  # fmt: skip
        pairwise = [any(len(a & b) / max(1, len(a | b)) >= 0.8 for b in signatures[i + 1 :])
                    for i, a in enumerate(signatures)]  # fmt: skip
        assert _repeated_later(signatures) == pairwise
