import pytest

from dashboard.text import document_id, rejoin_wrapped, repair_broken_hyphens


@pytest.mark.parametrize(
    "a, b",
    [
        ("Russia welcomes the visit.", "Russia  welcomes\nthe visit."),
        ("Russia welcomes the visit.", "RUSSIA welcomes the visit."),
        ("Baku\u00a0and Yerevan", "Baku and Yerevan"),
    ],
)
def test_document_id_ignores_case_and_whitespace(a, b):
    assert document_id(a) == document_id(b)


def test_document_id_differs_for_different_words():
    assert document_id("Baku welcomes the visit.") != document_id("Yerevan welcomes the visit.")


WRAPPED = """At the outset, on behalf of the Republic of Armenia, I wish
to express my gratitude for the support of the General Assembly for our
request to be admitted to membership of the United Nations, and for the
kind words of so many delegations.
I wish also to congratulate the President on his election to the presi-
dency of the General Assembly. The past year has been significant for the
democra-
tization of our country and for the creation of a State of law in it, and
the Parliament has voted for a multi-
party system. Democratization continues.

3

In this relatively short time, Armenia has succeeded in carrying out
agrarian reform by distributing to the people 80 per cent of its lands,
and it has begun the privatization of small and medium-sized enterprises.
"""


def test_rejoin_wrapped_makes_one_line_per_paragraph():
    paragraphs = rejoin_wrapped(WRAPPED).split("\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("At the outset") and paragraphs[0].endswith("delegations.")
    assert paragraphs[2].startswith("In this relatively short time")


def test_rejoin_wrapped_repairs_hyphenation_and_drops_page_numbers():
    text = rejoin_wrapped(WRAPPED)
    assert "presidency" in text
    assert "democratization" in text  # the word appears unbroken elsewhere in the text
    assert "multi-party" in text  # a true compound keeps its hyphen
    assert "\n3\n" not in text and " 3 In" not in text


@pytest.mark.parametrize(
    "broken, repaired",
    [
        ("at its seventy- seventh session", "at its seventy-seventh session"),
        ("a well- known initiative", "a well-known initiative"),
        ("the inter- national community and the international order", "the international community and the international order"),
    ],
)
def test_repair_broken_hyphens(broken, repaired):
    assert repair_broken_hyphens(broken) == repaired


def test_paragraph_per_line_text_is_kept():
    text = "First paragraph, long enough to be one.\nSecond paragraph follows here.\n"
    assert rejoin_wrapped(text) == "First paragraph, long enough to be one.\nSecond paragraph follows here."


def test_clean_text_drops_control_and_format_characters_but_keeps_newlines_tabs_and_letters():
    from dashboard.text import clean_text

    assert clean_text("a\x00b\u200bc\r\n\td\ufeffe\U000e0041f Şəhla «x»") == "abc\n\tdef Şəhla «x»"
