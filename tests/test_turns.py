"""Transcripts turn by turn: every paragraph reaches its turn's speaker and country.

Small hand-made transcripts in the label styles of en.kremlin.ru, White House briefings,
foreign-ministry briefings and press conferences, and the lines that look like labels but
are not.
"""

import pytest

from dashboard.extract import extract_document
from dashboard.extract.mentions import matcher_for
from dashboard.extract.turns import parse_label
from dashboard.records import RawDocument
from dashboard.reference import default_reference

KREMLIN = {"outlet": "en.kremlin.ru (President of Russia)", "url": "http://en.kremlin.ru/events/president/news/1"}
WHITE_HOUSE = {"outlet": "The White House", "url": "https://www.whitehouse.gov/briefings/1"}


def extract(text, **meta):
    meta.setdefault("date", "2021-11-26")
    return extract_document(RawDocument(text=text, source_path="test.jsonl", **meta), default_reference())


def who(doc):
    """(speaker, country, kind, first words) of each statement."""
    return [(s.speaker, s.speaker_country, s.kind, " ".join(s.text.split()[:3])) for s in doc.statements]


def test_kremlin_talks_give_each_leader_their_own_paragraphs():
    doc = extract(
        "Vladimir Putin held talks with President of Azerbaijan Ilham Aliyev and Prime Minister of Armenia "
        "Nikol Pashinyan in Sochi.\n\n"
        "President of Russia Vladimir Putin: Colleagues, friends, I would like to begin by thanking you.\n\n"
        "We have done a great deal together over this year.\n\n"
        "President of the Republic of Azerbaijan Ilham Aliyev: Thank you very much for the invitation, "
        "Mr President.\n\n"
        "Prime Minister of the Republic of Armenia Nikol Pashinyan: Mr President, let me first thank you "
        "for organising this meeting.\n\n"
        "Vladimir Putin: Thank you. Let us now move on to the bilateral part.",
        speaker="Vladimir Putin", speaker_country="Russia", **KREMLIN,
    )  # fmt: skip
    assert who(doc) == [
        ("President of Russia (Presidential Executive Office)", "RUS", "paragraph", "Vladimir Putin held"),
        ("Vladimir Putin", "RUS", "paragraph", "Colleagues, friends, I"),
        ("Vladimir Putin", "RUS", "paragraph", "We have done"),
        ("Ilham Aliyev", "AZE", "paragraph", "Thank you very"),
        ("Nikol Pashinyan", "ARM", "paragraph", "Mr President, let"),
        ("Vladimir Putin", "RUS", "paragraph", "Thank you. Let"),
    ]
    assert [s.attribution_method for s in doc.statements][:2] == ["narration", "label"]


def test_labels_inside_one_long_line_open_turns_too():
    # Pages scraped as one line carry their turns inline, after the end of a sentence.
    doc = extract(
        "The leaders made statements. * * * President of Russia Vladimir Putin: Friends, I am glad to "
        "welcome you in Sochi today. President of the Republic of Azerbaijan Ilham Aliyev: Thank you, "
        "Mr President. We appreciate your role. Prime Minister of the Republic of Armenia Nikol Pashinyan: "
        "Thank you for the invitation, Mr President.",
        speaker="Vladimir Putin", speaker_country="Russia", **KREMLIN,
    )  # fmt: skip
    speakers = [(s.speaker, s.speaker_country) for s in doc.statements]
    assert speakers == [
        ("President of Russia (Presidential Executive Office)", "RUS"),
        ("Vladimir Putin", "RUS"),
        ("Ilham Aliyev", "AZE"),
        ("Nikol Pashinyan", "ARM"),
    ]
    assert doc.statements[2].text == "Thank you, Mr President. We appreciate your role."


def test_no_statement_begins_with_a_label():
    doc = extract(
        "Vladimir Putin: Good afternoon, Mr Pashinyan, and welcome.\n\nPlease, the floor is yours.\n\n"
        "Nikol Pashinyan: Thank you, Mr President, for this meeting today.",
        speaker="Vladimir Putin", **KREMLIN,
    )  # fmt: skip
    for st in doc.statements:
        assert not st.text.startswith(("Vladimir Putin:", "Nikol Pashinyan:"))
    assert [s.speaker for s in doc.statements] == ["Vladimir Putin", "Vladimir Putin", "Nikol Pashinyan"]


def test_an_unknown_person_keeps_the_name_role_and_country_the_label_states():
    doc = extract(
        "Vladimir Putin: Mr Rahmon, welcome to Moscow, we are glad to see you.\n\n"
        "President of the Republic of Tajikistan Emomali Rahmon: Thank you, Mr Putin, for the invitation.",
        speaker="Vladimir Putin", **KREMLIN,
    )  # fmt: skip
    rahmon = doc.statements[1]
    assert (rahmon.speaker, rahmon.speaker_country, rahmon.speaker_role) == (
        "Emomali Rahmon", "TJK", "President of the Republic of Tajikistan",
    )  # fmt: skip
    assert rahmon.speaker_id is None


def test_a_host_governments_official_without_a_country_is_the_hosts():
    doc = extract(
        "Vladimir Putin: Mrs Golikova, please report on the situation in the regions.\n\n"
        "Deputy Prime Minister Tatyana Golikova: Mr President, colleagues, the situation is stable.\n\n"
        "Tatyana Golikova: We have also prepared the figures you asked for last week.",
        speaker="Vladimir Putin", **KREMLIN,
    )  # fmt: skip
    assert [(s.speaker, s.speaker_country) for s in doc.statements][1:] == [
        ("Tatyana Golikova", "RUS"), ("Tatyana Golikova", "RUS"),
    ]  # fmt: skip


BRIEFING = (
    "James S. Brady Press Briefing Room\n\n"
    "10:02 A.M. EST\n\n"
    "MS. PSAKI: Good morning, everyone. I have two announcements for you today.\n\n"
    "Q Thank you, Jen. Will the President call the leaders of Armenia and Azerbaijan?\n\n"
    "MS. PSAKI: He will speak with both leaders later this week about the ceasefire.\n\n"
    "SENIOR ADMINISTRATION OFFICIAL: We remain deeply engaged with both sides on this.\n\n"
    "THE PRESIDENT: We support a lasting peace between Armenia and Azerbaijan.\n\n"
    "PRESIDENT DUDA: Poland stands with its allies in this difficult moment for Europe.\n\n"
    "END 10:41 A.M. EST"
)


def test_a_white_house_briefing_gives_answers_to_officials_and_questions_to_no_one():
    doc = extract(BRIEFING, speaker="Jen Psaki", speaker_country="UNITED STATES", date="2021-10-05", **WHITE_HOUSE)
    assert who(doc) == [
        ("Jen Psaki", "USA", "paragraph", "Good morning, everyone."),
        (None, None, "question", "Thank you, Jen."),
        ("Jen Psaki", "USA", "paragraph", "He will speak"),
        ("Senior Administration Official", "USA", "paragraph", "We remain deeply"),
        ("Joe Biden", "USA", "paragraph", "We support a"),  # THE PRESIDENT on that date
        ("Duda", None, "paragraph", "Poland stands with"),  # a visitor: no country the label states
    ]


def test_questions_have_no_country_and_no_tone():
    doc = extract(BRIEFING, speaker="Jen Psaki", speaker_country="USA", date="2021-10-05", **WHITE_HOUSE)
    question = next(s for s in doc.statements if s.kind == "question")
    assert question.speaker_country is None and question.tone is None
    assert {m.actor for m in question.mentions} == {"ARM", "AZE"}
    assert all(m.tone_toward is None for m in question.mentions)


def test_clock_lines_are_not_statements():
    doc = extract(BRIEFING, speaker="Jen Psaki", speaker_country="USA", date="2021-10-05", **WHITE_HOUSE)
    assert not any("A.M." in s.text for s in doc.statements)


def test_a_ministry_briefing_with_question_and_answer_labels():
    doc = extract(
        "Maria Zakharova: Good afternoon. Let me start with the situation in the South Caucasus.\n\n"
        "Question: Could you comment on the talks between Baku and Yerevan?\n\n"
        "Answer: We welcome every step that brings peace between Azerbaijan and Armenia.",
        speaker="Maria Zakharova", speaker_country="RUS", date="2024-03-20",
        outlet="Russian MFA", url="https://mid.ru/en/briefings/1",
    )  # fmt: skip
    assert who(doc) == [
        ("Maria Zakharova", "RUS", "paragraph", "Good afternoon. Let"),
        (None, None, "question", "Could you comment"),
        ("Maria Zakharova", "RUS", "paragraph", "We welcome every"),
    ]
    assert doc.statements[2].attribution_method == "label_answer"


def test_a_press_conference_with_two_ministers_and_interpreted_questions():
    doc = extract(
        "Sergey Lavrov: We have had substantive talks with my Azerbaijani colleague today.\n\n"
        "Jeyhun Bayramov: I thank Minister Lavrov for his hospitality and for the open discussion.\n\n"
        "Question (via interpreter): What about the border delimitation process?\n\n"
        "Jeyhun Bayramov: The commissions will meet again next month to continue their work.",
        date="2024-05-10", outlet="Russian MFA", url="https://mid.ru/en/press/2",
    )  # fmt: skip
    assert [(s.speaker, s.speaker_country, s.kind) for s in doc.statements] == [
        ("Sergey Lavrov", "RUS", "paragraph"),
        ("Jeyhun Bayramov", "AZE", "paragraph"),
        (None, None, "question"),
        ("Jeyhun Bayramov", "AZE", "paragraph"),
    ]


def test_an_interview_in_a_news_outlet_is_read_turn_by_turn():
    doc = extract(
        "Minister of Foreign Affairs of Armenia Ararat Mirzoyan gave an interview to Turkish media.\n\n"
        "Journalist (Haberturk): Could you describe the meeting with the Foreign Minister of Turkiye?\n\n"
        "Ararat Mirzoyan: Well, thank you for this opportunity. We had a very good discussion.\n\n"
        "Journalist (Haberturk): Are there tangible results?\n\n"
        "Ararat Mirzoyan: Several tangible steps have already been implemented on the border.",
        date="2025-04-17", outlet="ArmInfo", url="https://arminfo.info/full_news.php?id=1",
    )  # fmt: skip
    assert doc.doc_type == "reported"
    assert [(s.speaker, s.speaker_country, s.kind) for s in doc.statements] == [
        (None, None, "question"), ("Ararat Mirzoyan", "ARM", "paragraph"),
        (None, None, "question"), ("Ararat Mirzoyan", "ARM", "paragraph"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        # a colon inside a quotation is not a turn
        'Vladimir Putin: We met today.\n\nHe said: "Nikol Pashinyan: this is the main point of the talks."',
        # list items are not turns
        "Vladimir Putin: Here are the results.\n\n• Armenia: the border commission will meet.\n\n"
        "• Nikol Pashinyan: visit to be prepared by the ministries.",
        # headings are not turns
        "Vladimir Putin: Let us begin.\n\nKey points: the sides agreed on the next steps of the work.",
    ],
)
def test_lines_that_only_look_like_labels_stay_in_their_turn(text):
    doc = extract(text, speaker="Vladimir Putin", **KREMLIN)
    assert {s.speaker for s in doc.statements} == {"Vladimir Putin"}


def test_a_list_of_names_and_posts_is_not_a_transcript():
    doc = extract(
        "The following took part in the meeting.\n\n"
        "Sergey Lavrov: Foreign Minister\n\nSergei Shoigu: Defence Minister\n\nAlexei Overchuk: Deputy Prime Minister\n\n"
        "The participants discussed the situation in the region in detail.",
        **KREMLIN,
    )  # fmt: skip
    assert {s.speaker for s in doc.statements} == {"President of Russia (Presidential Executive Office)"}


def test_a_speech_without_labels_is_its_speakers():
    doc = extract(
        "Mr President, distinguished delegates, Armenia remains committed to peace.\n\n"
        "We call on Azerbaijan to return to the negotiating table without preconditions.",
        speaker="Nikol Pashinyan", speaker_country="Armenian", doc_type="first_person",
    )  # fmt: skip
    assert [(s.speaker, s.speaker_country, s.attribution_method) for s in doc.statements] == [
        ("Nikol Pashinyan", "ARM", "metadata"), ("Nikol Pashinyan", "ARM", "metadata"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "label, expected",
    [
        ("President of Russia Vladimir Putin", ("person", "Vladimir Putin", "RUS")),
        ("Prime Minister of the Republic of Armenia Nikol Pashinyan", ("person", "Nikol Pashinyan", "ARM")),
        ("MS. PSAKI", ("person", "Psaki", None)),
        ("THE PRESIDENT", ("office", None, None)),
        ("Question (retranslated)", ("question", None, None)),
        ("Q", ("question", None, None)),
        ("Answer", ("answer", None, None)),
        ("MODERATOR", ("staff", None, None)),
        ("Gazprom CEO Alexei Miller", ("person", "Alexei Miller", None)),
    ],
)
def test_labels_are_read_for_role_name_and_country(label, expected):
    found = parse_label(label, matcher_for(default_reference()))
    assert (found.role, found.name, found.country) == expected


@pytest.mark.parametrize(
    "label",
    ["Key points", "The message reads, in part", "Azerbaijan", "Russia's EMERCOM", "TARIFFS WORK",
     "Strengthening the Health Workforce", "Nominations Sent to the Senate", "Thank you", "Colleagues"],
)  # fmt: skip
def test_headings_and_actors_are_not_labels(label):
    assert parse_label(label, matcher_for(default_reference())) is None


def test_a_list_of_appointments_is_the_publishers_not_a_run_of_turns():
    doc = extract(
        "Vladimir Putin signed executive orders on the appointment of ministers of the new Government.\n\n"
        "Minister of Foreign Affairs: Sergei Lavrov.\n\n"
        "Minister of Healthcare: Veronika Skvortsova.\n\n"
        "Minister for the Development of the Russian Far East: Alexander Kozlov.\n\n"
        "Minister of Construction, Housing and Utilities: Vladimir Yakushev.",
        **KREMLIN,
    )
    speakers = {(s.speaker, s.speaker_country) for s in doc.statements}
    assert len(speakers) == 1
    assert speakers.pop()[1] == "RUS"


@pytest.mark.parametrize("label", ["Minister of Healthcare", "Minister for Civil Defence, Emergencies and Disaster Relief"])
def test_a_portfolio_after_of_or_for_is_not_a_persons_name(label):
    assert parse_label(label, matcher_for(default_reference())) is None
