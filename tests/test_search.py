"""The search syntax (words, "phrases", -exclusions), its SQL and Python patterns, and excerpts with the match marked."""

import duckdb
import pytest

from dashboard.search import (
    MARK,
    MAX_TERMS,
    SearchQuery,
    excerpt,
    match_spans,
    parse_search,
    python_pattern,
    re2_pattern,
    re2_prefilter,
)


@pytest.mark.parametrize(
    ("text", "include", "exclude"),
    [
        ("peace", ("peace",), ()),
        ("peace treaty", ("peace", "treaty"), ()),
        ('"peace treaty"', ("peace treaty",), ()),
        ('"peace   treaty" border', ("peace treaty", "border"), ()),
        ("peace -russia", ("peace",), ("russia",)),
        ('peace -"peace treaty"', ("peace",), ("peace treaty",)),
        ('"peace treaty', ("peace treaty",), ()),  # an unclosed quote runs to the end
        ('peace "treaty', ("peace", "treaty"), ()),
        ("-russia -iran", (), ("russia", "iran")),  # only exclusions
        ("Nagorno-Karabakh", ("Nagorno-Karabakh",), ()),  # a hyphen inside a word is literal
        ("- -- \"\" '", ("'",), ()),  # dashes alone and empty phrases ask for nothing
        ("Peace peace PEACE", ("Peace",), ()),  # case-insensitive duplicates count once
        ("peace -peace", ("peace",), ()),
        ("a.b* (x) [y]+ ^$ \\d", ("a.b*", "(x)", "[y]+", "^$", "\\d"), ()),
        ("", (), ()),
        (None, (), ()),
    ],
)
def test_parse_search(text, include, exclude):
    assert parse_search(text) == SearchQuery(include, exclude)


def test_a_huge_search_keeps_its_first_terms_only():
    query = parse_search(" ".join(f"w{i}" for i in range(5000)) + ' "unclosed')
    assert query.include == tuple(f"w{i}" for i in range(MAX_TERMS))


def test_an_empty_search_asks_for_nothing():
    assert not parse_search('  - "" ')
    assert parse_search("-x")


def test_canonical_form_ignores_order_case_and_spacing():
    assert parse_search('Peace  "X   y" -Z').canonical() == parse_search('-z "x y" peace').canonical()
    assert parse_search("peace").canonical() != parse_search("-peace").canonical()


STATEMENT_CASES = [
    # (query, text, matches)
    ("peace", "We want peace.", True),
    ("peace", "A PEACEFUL settlement", True),  # word prefix, any case
    ("peace", "Do not appease them", False),  # not inside a word
    ("armenia", "Armenia's position", True),
    ("armenia", "Transarmenian", False),
    ("peace treaty", "the treaty brings peace", True),  # words in any order
    ("peace treaty", "peace, at last", False),  # all words must occur
    ('"peace treaty"', "the peace\n  treaty is ready", True),  # any spacing inside a phrase
    ('"peace treaty"', "the treaty brings peace", False),
    ("peace -russia", "peace with Armenia", True),
    ("peace -russia", "Russia wants peace", False),
    ("-russia", "Armenia and Azerbaijan", True),
    ("-russia", "the Russian side", False),  # an exclusion is a word prefix too
    ("50%", "cut by 50% now", True),
    ("%", "50% _x", True),  # a term starting with punctuation matches anywhere
    ("a.b", "aXb", False),  # metacharacters are literal
    ("[y]+", "see [y]+ here", True),
    ("^$", "a ^$ b", True),
    ("\\d", "a 7 b", False),
    ("Qarabağ", "QARABAĞ region", True),
    ("Qarabağ", "İçəriQarabağ", False),
    ("Şəhla", "(Şəhla)", True),
]


@pytest.mark.parametrize(("q", "text", "expected"), STATEMENT_CASES)
def test_duckdb_and_python_patterns_agree_on_what_matches(q, text, expected):
    query = parse_search(q)
    con = duckdb.connect()
    sql = " AND ".join(
        [f"regexp_matches($t, $i{k}) AND regexp_matches($t, $pre{k})" for k in range(len(query.include))]
        + [f"NOT regexp_matches($t, $x{k})" for k in range(len(query.exclude))]
    )
    params = {"t": text}
    params.update({f"i{k}": re2_pattern(term) for k, term in enumerate(query.include)})
    params.update({f"pre{k}": re2_prefilter(term) for k, term in enumerate(query.include)})
    params.update({f"x{k}": re2_pattern(term) for k, term in enumerate(query.exclude)})
    assert con.execute(f"SELECT {sql}", params).fetchone()[0] is expected
    in_python = all(python_pattern(t).search(text) for t in query.include) and not any(
        python_pattern(t).search(text) for t in query.exclude
    )
    assert in_python is expected


def test_match_spans_cover_the_whole_word_and_merge_overlaps():
    text = "Peaceful talks; the peace treaty."
    assert [text[a:b] for a, b in match_spans(text, parse_search("peace"))] == ["Peaceful", "peace"]
    assert [text[a:b] for a, b in match_spans(text, parse_search('peace "peace treaty"'))] == [
        "Peaceful", "peace treaty"
    ]  # fmt: skip
    assert match_spans(text, parse_search("-peace")) == []


def test_excerpt_keeps_twenty_words_either_side_and_marks_the_match():
    before = " ".join(f"b{i}" for i in range(30))
    after = " ".join(f"a{i}" for i in range(30))
    text = f"{before} the peace treaty {after}"
    out = excerpt(text, parse_search('"peace treaty"'))
    assert out.startswith("… b11 ") and out.endswith(" a19 …")
    assert f"{MARK[0]}peace treaty{MARK[1]}" in out
    assert len(out.split()) == 2 + 20 + 2 + 20  # the two ellipses, 20 words, the phrase, 20 words


def test_excerpt_of_a_short_statement_is_whole_and_marks_every_match():
    out = excerpt("Peace now.\nPeace\tforever.", parse_search("peace"))
    assert out == "▸Peace◂ now. ▸Peace◂ forever."


def test_excerpt_keeps_html_and_markdown_from_the_document_as_literal_text():
    text = '<script>alert(1)</script> **bold** [link](javascript:x) <b>peace</b> &amp; _x_'
    out = excerpt(text, parse_search("peace"))
    assert out == '<script>alert(1)</script> **bold** [link](javascript:x) <b>▸peace◂</b> &amp; _x_'


def test_a_documents_own_mark_characters_cannot_pass_for_a_match():
    out = excerpt("▸fake◂ and real peace", parse_search("peace"))
    assert out == "›fake‹ and real ▸peace◂"


def test_excerpt_without_a_match_is_the_start_of_the_statement():
    text = " ".join(f"w{i}" for i in range(60))
    assert excerpt(text, parse_search("-russia")) == " ".join(f"w{i}" for i in range(40)) + " …"
    assert excerpt("", parse_search("peace")) == ""


def test_the_detail_view_highlights_the_match_and_escapes_the_rest():
    from dashboard.ui.quotes import marked_markdown

    out = marked_markdown("<b>x</b> the peace\ntreaty **now** [a](b)", parse_search('"peace treaty"'))
    assert out == (
        "\\<b\\>x\\<\\/b\\> the :orange-background[**peace**]\n:orange-background[**treaty**] "
        "\\*\\*now\\*\\* \\[a\\]\\(b\\)"
    )
    assert marked_markdown("a_b", parse_search("-a")) == "a\\_b"
