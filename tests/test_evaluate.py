"""The evaluation command: scoring on hand-made records, and the command line around it."""

import json
import math
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from dashboard import evaluate as ev
from dashboard.evaluate import GoldDocument, GoldQuote
from dashboard.records import ExtractedDocument, Mention, Statement


def quote(text, speaker=None, country=None, tone=None, mentions=()):
    return Statement(
        kind="quote",
        text=text,
        start=0,
        end=len(text),
        para_start=0,
        para_end=len(text),
        speaker=speaker,
        speaker_country=country,
        tone=tone,
        mentions=[Mention(actor, actor, 0, 1, tone_toward=t) for actor, t in mentions],
    )


def extracted(statements=(), actors=(), date=None, date_source="none"):
    return ExtractedDocument(
        date=date,
        date_source=date_source,
        doc_type="reported",
        statements=list(statements),
        mentions=[Mention(a, a, 0, 1) for a in actors],
    )


def gold_doc(doc_id="d1", quotes=(), mentions=(), date=None, text="Some text."):
    return GoldDocument(doc_id, text, {}, date, frozenset(mentions), tuple(quotes))


# --- quote matching ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("The river is wide", "the RIVER is wide!", 1.0),
        ("one two three four", "one two five six", 2 / 6),
        ("«Bridges, not walls»", "bridges not walls", 1.0),
        ("alpha beta", "gamma delta", 0.0),
        ("", "", 0.0),
    ],
)
def test_jaccard_of_lowercased_word_sets(a, b, expected):
    assert ev.jaccard(ev.word_set(a), ev.word_set(b)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("predicted", "matches"),
    [
        ("one two three four", True),  # 4/4
        ("one two three", True),  # 3/4 words of the reference
        ("one two five six", False),  # 2/6 < 0.5
        ("one two", True),  # exactly 0.5 counts
        ("one", False),  # 0.25
    ],
)
def test_match_threshold_is_jaccard_half(predicted, matches):
    assert bool(ev.match_quotes([predicted], ["one two three four"])) is matches


def test_greedy_matching_is_one_to_one_and_best_first():
    gold = ["a b c d", "a b c e"]
    # The first prediction fits both references (0.6); the second fits only the first, perfectly.
    predicted = ["a b c d e", "a b c d"]
    pairs = ev.match_quotes(predicted, gold)
    assert [(i, j) for i, j, _ in pairs] == [(1, 0), (0, 1)]
    assert pairs[0][2] == 1.0 and pairs[1][2] == pytest.approx(4 / 5)


def test_one_reference_is_matched_only_once():
    pairs = ev.match_quotes(
        ["we will build the bridge", "we will build the bridge"], ["we will build the bridge"]
    )
    assert len(pairs) == 1 and pairs[0][:2] == (0, 0)


# --- arithmetic --------------------------------------------------------------------


def test_precision_recall_f1_arithmetic():
    result = ev.prf(2, 4, 3)
    assert result.precision == 0.5
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((0, 0, 3), (None, 0.0, 0.0)),  # nothing predicted: precision undefined, F1 zero
        ((0, 2, 0), (0.0, None, 0.0)),
        ((0, 0, 0), (None, None, None)),
    ],
)
def test_undefined_ratios_are_none_not_zero(counts, expected):
    result = ev.prf(*counts)
    assert (result.precision, result.recall, result.f1) == expected


@pytest.mark.parametrize(
    ("predicted", "gold", "same"),
    [
        ("Maria Zakharova", "Maria Zakharova", True),
        ("Zakharova", "Maria Zakharova", True),
        ("M. ZAKHAROVA", "Maria Zakharova", True),
        ("Sergei Lavrov", "Sergey Lavrov", True),
        ("Şəhla Talıbova", "Shahla Talibova", True),
        ("Jeyhun Bayramov", "Bayramov, ", True),
        ("Dmitry Peskov", "Vladimir Putin", False),
        ("Vladimir Putin", None, False),
        (None, "Vladimir Putin", False),
        (None, None, True),
        ("", None, True),
    ],
)
def test_speakers_match_by_surname(predicted, gold, same):
    assert ev.speaker_matches(predicted, gold) is same


@pytest.mark.parametrize(
    ("predicted", "gold", "same"),
    [
        ("RUS", "RUS", True),
        ("rus", "RUS", True),
        (None, None, True),
        ("ARM", None, False),
        (None, "AZE", False),
    ],
)
def test_countries_match_exactly_and_null_matches_null(predicted, gold, same):
    assert ev.country_matches(predicted, gold) is same


def test_macro_f1_known_answer():
    gold = ["negative", "negative", "neutral", "positive"]
    predicted = ["negative", "neutral", "neutral", "neutral"]
    # negative 2/3, neutral 2*1/(3+1) = 1/2, positive 0
    assert ev.macro_f1(gold, predicted) == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    assert ev.accuracy(gold, predicted) == 0.5


def test_macro_f1_leaves_out_classes_absent_on_both_sides():
    assert ev.macro_f1(["positive", "negative"], ["positive", "negative"]) == 1.0


def test_spearman_with_ties_against_a_hand_computed_value():
    # ranks x: 1, 2.5, 2.5, 4; ranks y: 1.5, 1.5, 3.5, 3.5; cov 3, var 4.5 and 4: rho = 3 / sqrt(18)
    assert ev.average_ranks([1, 2, 2, 3]) == [1, 2.5, 2.5, 4]
    assert ev.spearman([1, 2, 2, 3], [-1, -1, 2, 2]) == pytest.approx(1 / math.sqrt(2))


@pytest.mark.parametrize(
    ("x", "y", "rho"),
    [
        ([0.1, 0.5, 0.9], [-2, 0, 2], 1.0),
        ([0.1, 0.5, 0.9], [2, 1, -1], -1.0),
        ([0.3, 0.3, 0.3], [2, 1, -1], None),  # a constant side has no ranking
        ([0.3], [1], None),
    ],
)
def test_spearman_edges(x, y, rho):
    result = ev.spearman(x, y)
    assert result == (pytest.approx(rho) if rho is not None else None)


@pytest.mark.parametrize(
    ("score", "cls"),
    [(-0.6, "negative"), (-0.2, "negative"), (-0.1, "neutral"), (0.05, "neutral"), (0.1, "neutral"),
     (0.11, "positive"), (0.9, "positive")],
)  # fmt: skip
def test_predicted_tone_classes_use_the_neutral_band(score, cls):
    assert ev.predicted_class(score) == cls


# --- whole documents ---------------------------------------------------------------


def test_quotes_and_attribution_are_micro_averaged_over_documents():
    golds = [
        gold_doc("a", [GoldQuote("the talks went well today", "Anna Petrova", "RUS"),
                       GoldQuote("we shall not give up an inch", "Anna Petrova", "RUS")]),
        gold_doc("b", [GoldQuote("our doors remain open to all", None, None)]),
    ]  # fmt: skip
    predictions = [
        extracted([quote("the talks went well today", "Petrova", "RUS"),
                   quote("a sentence nobody said at all", "Petrova", "RUS")]),
        extracted([quote("our doors remain open to all", "Ivan Sidorov", None)]),
    ]  # fmt: skip
    report = ev.score_documents(zip(golds, predictions, strict=True))
    assert (report.gold_quotes, report.predicted_quotes, report.matched_quotes) == (3, 3, 2)
    assert report.quotes.precision == pytest.approx(2 / 3)
    assert report.speaker_accuracy == 0.5  # Sidorov is not "no speaker"
    assert report.country_accuracy == 1.0  # null matches null
    assert [q.text for q in report.errors[0].missed_quotes] == ["we shall not give up an inch"]
    assert [s.text for s in report.errors[0].spurious_quotes] == ["a sentence nobody said at all"]


def test_only_quote_statements_count_as_predicted_quotes():
    st = quote("the talks went well today")
    st.kind = "paragraph"
    report = ev.score_documents(
        [(gold_doc(quotes=[GoldQuote("the talks went well today")]), extracted([st]))]
    )
    assert report.predicted_quotes == 0 and report.matched_quotes == 0


def test_mentions_micro_f1_over_document_and_statement_actors():
    golds = [gold_doc("a", mentions={"ARM", "AZE", "RUS"}), gold_doc("b", mentions={"GEO"})]
    predictions = [
        extracted([quote("x y z", mentions=[("RUS", None)])], actors={"ARM", "TUR"}),
        extracted(actors={"GEO", "EU"}),
    ]
    report = ev.score_documents(zip(golds, predictions, strict=True))
    # found ARM, RUS, GEO = 3; predicted ARM, TUR, RUS, GEO, EU = 5; reference 4
    assert (report.mention_hits, report.predicted_mentions, report.gold_mentions) == (3, 5, 4)
    assert report.mentions.f1 == pytest.approx(6 / 9)
    assert report.errors[0].missed_mentions == ["AZE"]
    assert report.errors[0].spurious_mentions == ["TUR"]


def test_date_accuracy_with_null_equal_to_null():
    pairs = [
        (gold_doc("a", date="2024-05-01"), extracted(date="2024-05-01")),
        (gold_doc("b", date=None), extracted(date=None)),
        (gold_doc("c", date="2024-05-02"), extracted(date="2024-05-01", date_source="dateline")),
    ]
    report = ev.score_documents(pairs)
    assert report.date_accuracy == pytest.approx(2 / 3)
    assert report.errors[2].wrong_date == ("2024-05-01", "2024-05-02", "dateline")


def test_tone_and_targets_on_matched_quotes():
    golds = [
        gold_doc("a", [
            GoldQuote("we welcome this step by our neighbours", tone=1, targets={"ARM": 1, "AZE": 0}),
            GoldQuote("these provocations are unacceptable to us", tone=-2, targets={"AZE": -2}),
            GoldQuote("a quote that nobody will find here", tone=2),
        ])
    ]  # fmt: skip
    predictions = [
        extracted([
            # ARM averaged over two mentions: (0.5 + 0.1) / 2 = 0.3 -> positive; AZE 0.05 -> neutral
            quote("we welcome this step by our neighbours", tone=0.4,
                  mentions=[("ARM", 0.5), ("ARM", 0.1), ("AZE", 0.05), ("TUR", 0.4)]),
            # AZE 0.0 is neutral, the reference says hostile; no tone on the statement itself
            quote("these provocations are unacceptable to us", tone=None, mentions=[("AZE", 0.0)]),
        ])
    ]  # fmt: skip
    report = ev.score_documents(zip(golds, predictions, strict=True))
    assert report.tone_pairs == [(1, 0.4, "we welcome this step by our neighbours")]
    assert report.tone.accuracy == 1.0 and report.tone.spearman is None
    assert (report.target_pairs, report.target_hits) == (3, 2)
    assert len(report.gold_tones) == 3


def test_json_has_exactly_the_documented_keys_even_without_tone():
    out = ev.report_json(ev.score_documents([(gold_doc(), extracted())]))
    assert {k: set(v) for k, v in out.items()} == {
        "quotes": {"precision", "recall", "f1"},
        "attribution": {"speaker", "country"},
        "mentions": {"precision", "recall", "f1"},
        "tone": {"accuracy", "macro_f1", "spearman"},
        "targets": {"sign_accuracy"},
        "date": {"accuracy"},
        "n": {"documents", "gold_quotes", "predicted_quotes"},
    }
    assert out["tone"]["accuracy"] is None


def test_vader_baseline_scores_reference_texts():
    scores = ev.vader_scores([("We are very grateful to our wonderful friends.", 2),
                              ("This is a disgraceful and hateful attack.", -2)])  # fmt: skip
    assert scores.n == 2 and scores.accuracy == 1.0 and scores.spearman == pytest.approx(1.0)


# --- the command line --------------------------------------------------------------

GOLD_LINES = [
    {
        "doc_id": "river-1",
        "meta": {"date": "2023-04-11", "title": "Bridge talks", "outlet": "Test Wire"},
        "text": "Talks on the river bridge resumed. “We are ready to sign the bridge agreement "
        "this spring,” said Anna Petrova. “Nobody should doubt our patience with the delays,” she added.",
        "gold": {
            "date": "2023-04-11",
            "mentions": ["RUS", "GEO"],
            "quotes": [
                {
                    "text": "We are ready to sign the bridge agreement this spring",
                    "speaker": "Anna Petrova",
                    "speaker_country": "RUS",
                    "tone": 1,
                    "targets": {"GEO": 1},
                },
                {
                    "text": "Nobody should doubt our patience with the delays",
                    "speaker": "Anna Petrova",
                    "speaker_country": "RUS",
                    "tone": -1,
                    "targets": {},
                },
            ],
        },
    },  # fmt: skip
    {
        "doc_id": "river-2",
        "meta": {},
        "text": "The ministry published a short statement on water levels.",
        "gold": {"date": None, "mentions": [], "quotes": []},
    },
]


@pytest.fixture
def gold_file(tmp_path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in GOLD_LINES) + "\n")
    return path


@pytest.fixture
def stub_extraction(monkeypatch):
    """An extractor that finds the first quote only, so the second is a miss; real extraction is not needed."""

    def extract_document(raw, reference):
        assert raw.source_path.startswith("eval:") and raw.source_format == "jsonl"
        if raw.source_path == "eval:river-1":
            assert raw.title == "Bridge talks" and raw.date == "2023-04-11"
            st = quote("We are ready to sign the bridge agreement this spring", "Petrova", "RUS", 0.4,
                       mentions=[("GEO", 0.4)])  # fmt: skip
            return extracted(
                [st], actors={"RUS", "GEO", "ARM"}, date=raw.date, date_source="metadata"
            )
        return extracted(date="2020-01-01", date_source="header")

    module = types.ModuleType("dashboard.extract")
    module.extract_document = extract_document
    monkeypatch.setitem(sys.modules, "dashboard.extract", module)


def test_json_output_is_one_object_with_exactly_the_documented_keys(
    gold_file, stub_extraction, capsys
):
    assert ev.run_cli([str(gold_file), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"quotes", "attribution", "mentions", "tone", "targets", "date", "n"}
    assert out["n"] == {"documents": 2, "gold_quotes": 2, "predicted_quotes": 1}
    assert out["quotes"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert out["attribution"] == {"speaker": 1.0, "country": 1.0}
    assert out["mentions"]["precision"] == 0.6667
    assert out["date"] == {"accuracy": 0.5}
    assert out["targets"] == {"sign_accuracy": 1.0}


def test_table_output_has_every_section(gold_file, stub_extraction, capsys):
    assert ev.run_cli([str(gold_file)]) == 0
    out = capsys.readouterr().out
    for section in (
        "Quotes",
        "Attribution",
        "Mentions",
        "Tone",
        "VADER",
        "Targets",
        "Date",
        "Speed",
    ):
        assert section in out
    assert "recall 0.5000" in out


def test_details_list_the_missed_quote_and_the_wrong_date(gold_file, stub_extraction, capsys):
    assert ev.run_cli([str(gold_file), "--details"]) == 0
    out = capsys.readouterr().out
    assert "missed quote:" in out and "Nobody should doubt our patience" in out
    assert re.search(r"spurious mentions:\s+ARM", out)
    assert re.search(r"wrong date:\s+2020-01-01, reference None \(date_source: header\)", out)


def test_details_with_json_keep_stdout_one_json_object(gold_file, stub_extraction, capsys):
    assert ev.run_cli([str(gold_file), "--json", "--details"]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "missed quote:" in captured.err


def test_missing_file_exits_2_with_a_message(tmp_path, capsys):
    assert ev.run_cli([str(tmp_path / "absent.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("second_line", "message"),
    [
        ("{not json", "line 2: malformed JSON"),
        ('{"doc_id": "x", "text": "words", "gold": {"quotes": [{"speaker": "A"}]}}', "line 2: x: quote 1 needs a 'text'"),
        ('{"doc_id": "x", "text": "words"}', "line 2: x: missing 'gold'"),
        ('{"doc_id": "x", "text": "w", "gold": {"quotes": [{"text": "a b", "tone": 5}]}}', "must be a number from -2 to 2"),
    ],
)  # fmt: skip
def test_malformed_line_exits_2_naming_the_line(tmp_path, capsys, second_line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOLD_LINES[1]) + "\n" + second_line + "\n")
    assert ev.run_cli([str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_failing_extraction_scores_as_empty_and_is_reported(gold_file, monkeypatch, capsys):
    def extract_document(raw, reference):
        raise RuntimeError("boom")

    module = types.ModuleType("dashboard.extract")
    module.extract_document = extract_document
    monkeypatch.setitem(sys.modules, "dashboard.extract", module)
    assert ev.run_cli([str(gold_file), "--json", "--details"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["quotes"]["recall"] == 0.0
    assert re.search(r"extraction failed:\s+RuntimeError: boom", captured.err)


def test_the_cli_dispatches_eval(tmp_path, capsys):
    from dashboard.cli import main

    assert main(["eval", str(tmp_path / "absent.jsonl")]) == 2


def test_end_to_end_with_real_extraction(tmp_path):
    """The command as a user runs it, on a hand-made document, with the project's own extraction."""
    line = {
        "doc_id": "hand-1",
        "meta": {
            "date": "2024-05-03",
            "title": "Ministers meet",
            "outlet": "Test Wire",
            "language": "en",
        },
        "text": "Ministers meet\n\nThe foreign ministers of Armenia and Georgia met in Tbilisi on Friday.\n\n"
        "“We are ready to deepen our cooperation with Georgia on every track,” "
        "Armenian Foreign Minister Ararat Mirzoyan said.\n",
        "gold": {
            "date": "2024-05-03",
            "mentions": ["ARM", "GEO"],
            "quotes": [
                {
                    "text": "We are ready to deepen our cooperation with Georgia on every track",
                    "speaker": "Ararat Mirzoyan",
                    "speaker_country": "ARM",
                    "tone": 1,
                    "targets": {"GEO": 1},
                }
            ],
        },
    }
    path = tmp_path / "hand.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "eval", str(path), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["n"] == {"documents": 1, "gold_quotes": 1, "predicted_quotes": 1}
    assert out["quotes"]["recall"] == 1.0
    assert out["date"]["accuracy"] == 1.0
    assert out["mentions"]["recall"] == 1.0


def test_mentions_outside_the_reference_scheme_are_not_scored():
    from dashboard.evaluate import actor_set
    from dashboard.records import ExtractedDocument, Mention

    doc = ExtractedDocument(
        date=None, date_source="none", doc_type="reported", statements=[],
        mentions=[Mention("ARM", "Armenia", 0, 7), Mention("CSTO", "CSTO", 8, 12),
                  Mention("BRICS", "BRICS", 13, 18), Mention("SCO", "SCO", 13, 16), Mention("SUN", "Soviet Union", 19, 31)],
    )  # fmt: skip
    assert actor_set(doc) == {"ARM", "CSTO"}
