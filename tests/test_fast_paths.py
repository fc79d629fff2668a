"""The ingest's fast paths give what the plain definitions they replace give.

Each fast path (a document tokenised once by array operations, cue matches chosen from the
document's candidates, mentions and topics in one automaton pass, the text helpers' scans) is
checked here against the simple form of the same rule, on hand-picked edge cases and on random
texts from a fixed seed.
"""

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from dashboard import text as text_module
from dashboard import tone
from dashboard.extract.mentions import ActorMatcher
from dashboard.extract.scan import DocumentScanner
from dashboard.extract.topics import TopicMatcher
from dashboard.records import Mention, Statement
from dashboard.reference import default_reference

ROOT = Path(__file__).resolve().parent.parent

PIECES = [
    "a", "B", "_", "7", "-", "'", "’", " ", "  ", "\n", "\t", ".", ",", "—", "–", "(", "]", ":",
    ";", "!", "?", "\"", "%", "é", "İ", "Σ", "\u00a0", "\u2003", "\u3000", "\U0001d400", "\U0001f600",
    "\u0660", "\u00b2", "\x0c", "x-y", "n't", "'s", "don't", "Mr", "U.S", "prof", " - ", "--",
]  # fmt: skip


def random_texts(seed: int, n: int, pieces=PIECES, size: int = 24) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, size))) for _ in range(n)]


EDGES = ["", "-", " - ", "- ", " -", "a-", "-a", "a-b", "a--b", "'a", "a'", "a'-b", "Mr. Smith. A. B.",
         "don't  won’t it's Yerevan's", "\U0001d400\U0001d401 x", "\ud800 a"]  # fmt: skip


@pytest.mark.parametrize("text", EDGES + random_texts(1, 400))
def test_document_tokens_are_the_regex_tokens(text):
    tokens = tone.TextTokens(text)
    spans = [m.span() for m in tone._TOKEN.finditer(text)]
    assert list(zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)) == spans
    raw, joined = tone._tokenise(text)
    assert tokens.raw == raw
    assert tokens.word_count() == tone.word_tokens(text)
    assert tokens.joined(0, tokens.n, tone.load_lexicon()) == joined


@pytest.mark.parametrize("text", EDGES[1:] + random_texts(2, 60, size=14))
def test_every_slice_reads_as_the_slice_on_its_own(text):
    tokens = tone.TextTokens(text)
    lex = tone.load_lexicon()
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            span = tokens.span(start, end)
            if span is None:
                continue  # a token cut by an edge: the slice is tokenised on its own
            raw, joined = tone._tokenise(text[start:end])
            piece = tokens.slice(*span)
            assert [piece[k] for k in range(len(piece))] == raw
            assert tokens.joined(*span, lex) == joined
            for scoped in (False, True):
                assert piece.boundaries(scoped) == tone._boundaries(raw, scoped)
            found = tokens.matches(*span, lex)
            alone = tone._match(joined, lex)
            assert found.found == alone.found
            whole = tokens.whole_joined(lex)
            assert [whole[a:b] for a, b in found.chars] == [joined[a:b] for a, b in alone.chars]


def test_a_slice_that_cuts_a_token_is_not_taken_from_the_document():
    tokens = tone.TextTokens("Armenia-Azerbaijan talks - and more")
    assert tokens.span(8, 18) is None  # "Azerbaijan" is inside the token "Armenia-Azerbaijan"
    assert tokens.span(0, 18) == (0, 1)
    assert tokens.span(25, 35) is None  # the slice would start with a hyphen and no space before it


def test_n_t_substitution_matches_the_regex():
    rnd = random.Random(5)
    parts = ["don't", "isn't", "n't", "xn'tn't", "a", "'s", "can't", "_n't", "n'tn't", " ", "  ", "x n't"]
    for _ in range(3000):
        joined = " " + " ".join(rnd.choice(parts) for _ in range(rnd.randrange(0, 8))) + " "
        assert tone._not_to_not(joined) == tone._NOT.sub("not", joined)


def statements_of(text: str) -> list[Statement]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        body = m.group()
        mentions = [Mention(a, w, i.start(), i.end()) for a, w in (("ARM", "Yerevan"), ("AZE", "Baku"))
                    for i in re.finditer(w, body)]  # fmt: skip
        out.append(Statement(kind="paragraph", text=body, start=m.start(), end=m.end(), para_start=m.start(),
                             para_end=m.end(), speaker_country="AZE", mentions=mentions))  # fmt: skip
    return out


def test_statements_score_the_same_from_the_documents_tokens():
    text = (
        "We thank Baku, but Yerevan keeps distorting facts. This is a lie.\n"
        "Although we appreciate Yerevan's efforts, the provocations must stop.\n"
        "Instead of talks with Baku, Yerevan chose escalation - not cooperation.\n"
        "Mr. Smith said the U.S. won't support it; nor will Baku.\n"
        "Nothing to see here\n"
    )
    alone, shared = statements_of(text), statements_of(text)
    tone.score_statements(alone, model=None)
    tone.score_statements(shared, model=None, tokens=tone.TextTokens(text))
    for a, b in zip(alone, shared, strict=True):
        assert (a.tone, a.tone_band, a.cue_signs) == (b.tone, b.tone_band, b.cue_signs)
        assert [m.tone_toward for m in a.mentions] == [m.tone_toward for m in b.mentions]


@pytest.fixture(scope="module")
def ref():
    return default_reference()


def test_one_pass_finds_the_mentions_and_topics_of_two(ref):
    actors, topics = ActorMatcher(ref), TopicMatcher(ref)
    scanner = DocumentScanner(actors, topics)
    assert scanner.merged
    words = ["United States", "United\nStates", "UNITED STATES", "US", "us", "U.S.", "Georgia", "South Georgia",
             "human rights", "human\nrights", "human\u00a0rights", "economic", "war", "Ukraine", "MOSCOW",
             "Russian language", "Baku", "\n", "\t", ", ", "_", "x"]  # fmt: skip
    news = sorted((ROOT / "data" / "sample" / "news").glob("*"))
    texts = random_texts(3, 500, words, 10) + [path.read_text(encoding="utf-8") for path in news]
    assert news
    for text in texts:
        assert scanner.scan(text) == (actors.find(text), topics.hits(text))


def broken_hyphens_by_regex(text: str) -> str:
    vocab = text_module._vocabulary(text)
    return text_module._BROKEN_HYPHEN.sub(lambda m: text_module._repair_hyphen(m[1], m[2], vocab), text)


@pytest.mark.parametrize("text", random_texts(4, 600, ["ab", "Z", "-", "--", " ", "_", "1", "é", "\n", "'", "x"], 20))
def test_broken_hyphens_are_found_as_the_regex_finds_them(text):
    assert text_module.repair_broken_hyphens(text) == broken_hyphens_by_regex(text)


def test_words_are_looked_up_as_the_vocabulary_counts_them():
    for text in random_texts(6, 400, ["ab", "a-b", "-", " ", "x", "İ", "1", "--", "é"], 12):
        counts, lazy = text_module._vocabulary(text), text_module._LazyVocabulary(text)
        for word in set(counts) | {"ab", "a-b", "b", "ab-", "x", "", "a b"}:
            assert (counts[word] > 0) == (lazy[word] > 0), (text, word)


def test_whitespace_table_holds_every_whitespace_character():
    import sys

    everything = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace() and ch != " ")
    assert everything == text_module._WHITESPACE


@pytest.mark.parametrize("text", random_texts(7, 400))
def test_id_normalisation_collapses_whitespace_as_split_does(text):
    import unicodedata

    expected = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    assert text_module.normalise_for_id(text) == expected


def test_control_characters_are_the_ones_the_class_names():
    import unicodedata

    for cp in list(range(0x10000)) + [0x1D173, 0xE0001, 0xE007F, 0xE0080, 0xF0000, 0x10FFFD, 0x1F600]:
        ch = chr(cp)
        expected = (cp < 0x10000 and ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")) or (
            0xE0000 <= cp <= 0xE007F or cp >= 0xF0000
        )  # fmt: skip
        assert text_module._is_control(ch) == expected, hex(cp)
    assert text_module.clean_text("a\x0cb\u200bc\ue000d\n\te\U000f0000") == "abcd\n\te"


def test_vocabulary_counts_like_the_regex():
    text = "The demo-cracy and demo- cratization of self- determination"
    assert Counter(re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower())) == text_module._vocabulary(text)
