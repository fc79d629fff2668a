"""Measure direct-quote extraction and speaker attribution on PolNeAR.

PolNeAR (Newell et al., LREC 2018) is read from /work/shared/external/polnear;
nothing from it is stored in this repository (no licence is stated), and this
script prints snippets only to the terminal.

Gold direct quotes: PolNeAR marks attributions as Source / Cue / Content spans
(brat standoff). A direct quote keeps its quotation marks inside the Content span
(``“...,”`` or ``Clinton “is dogged,”``); an indirect one has none. Each pair of
double quote marks inside a Content span is one gold *segment*, spoken by the
attribution's Source. A Content with ``“A,” he said, “B.”`` is two segments.

Scoring
- quote spans: a prediction (``kind == "quote"``) matches a gold segment when
  their character spans overlap and their word sets have Jaccard >= 0.5;
  one-to-one, greedy by Jaccard. Main numbers use gold segments of >= 4 words
  (the extractor's stated scope: shorter ones are scare quotes / fragments);
  shorter gold segments are neutral (a prediction matching one is not a false
  positive) and reported apart.
- speakers, on matched quotes: same surname (case-insensitive) as the gold
  Source. PolNeAR's coreference lives in the CoreNLP files, which are not in
  our copy, so only quotes whose Source contains a capitalised name are
  scored; an approximate extra line resolves pronoun Sources to the latest
  named gold Source before them.

Usage: python scripts/polnear_check.py [--split test|dev|both] [--examples N]
"""

from __future__ import annotations

import argparse
import collections
import glob
import os
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from dashboard.extract import extract_document  # noqa: E402
from dashboard.extract import quotes as quotes_mod  # noqa: E402
from dashboard.extract.attribution import _VERB_RE, Attributor  # noqa: E402
from dashboard.extract.mentions import matcher_for  # noqa: E402
from dashboard.extract.speakers import registry_for  # noqa: E402
from dashboard.records import RawDocument  # noqa: E402
from dashboard.reference import default_reference  # noqa: E402

POLNEAR = "/work/shared/external/polnear/data"
DQ = '"\u201c\u201d\u201e\u00ab\u00bb'
WORD = re.compile(r"\w[\w'\u2019\-]*")
PRONOUNS = {
    "he",
    "she",
    "they",
    "i",
    "we",
    "it",
    "you",
    "him",
    "her",
    "them",
    "his",
    "its",
    "their",
}
#: Capitalised words in a Source that are not (part of) a person's name.
NOT_NAME = set(
    """the a an this that these those his her its their our my mr mrs ms dr sen rep gov gen lt col president
    vice presidential candidate nominee democratic democrat democrats republican republicans gop american
    americans u.s us former senator senate house congressman congresswoman representative governor mayor
    secretary state chairman chairwoman chief campaign manager spokesman spokeswoman spokesperson director
    press aide adviser advisor attorney general judge justice sheriff officer official officials speaker
    majority minority leader party committee national convention pac super inc fbi cia nsa doj gop dnc rnc
    cnn fox nbc abc cbs msnbc ap afp reuters post times journal news but and in on at as according when
    while after before however still yet meanwhile also then speaking asked writing wrote jr sr ii iii
    rev prof pastor donald hillary bill organization university institute department board council
    foundation association bank network commission center centre company corporation group club times
    he she they i we it you his her their its""".split()  # noqa: SIM905
)  # first names of the candidates are kept out so "Donald Trump" -> "Trump" (surname is what we compare)


# -- loading --------------------------------------------------------------------
def ann_files(split: str) -> list[tuple[str, str]]:
    """(text path, .ann path) per article; several annotators -> the first by id."""
    chosen: dict[str, str] = {}
    for path in sorted(glob.glob(f"{POLNEAR}/{split}/attributions/*.ann")):
        base = re.sub(r"_[0-9a-f]+\.ann$", "", os.path.basename(path))
        chosen.setdefault(base, path)
    return [(f"{POLNEAR}/{split}/text/{b}.txt", p) for b, p in sorted(chosen.items())]


def parse_ann(path: str) -> list[dict]:
    spans, events = {}, []
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if parts[0].startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, [tuple(map(int, s.split())) for s in offsets.split(";")])
        elif parts[0].startswith("E") and len(parts) >= 2:
            roles = dict(r.split(":", 1) for r in parts[1].split() if ":" in r)
            events.append(roles)
    out = []
    for roles in events:
        content = spans.get(roles.get("Content", ""))
        if not content:
            continue
        out.append({
            "content": content[1],
            "source": spans[roles["Source"]][1] if roles.get("Source") in spans else None,
            "cue": spans[roles["Cue"]][1] if roles.get("Cue") in spans else None,
        })  # fmt: skip
    return out


def gold_segments(text: str, attrs: list[dict]) -> list[dict]:
    """Each pair of double quote marks inside a Content span."""
    segs = []
    for a in attrs:
        lo, hi = min(s for s, _ in a["content"]), max(e for _, e in a["content"])
        marks = [
            i for i in range(lo, hi) if text[i] in DQ and any(s <= i < e for s, e in a["content"])
        ]
        if not marks:
            continue
        open_at = None
        pieces = []
        for i in marks:
            c = text[i]
            before = text[i - 1] if i > 0 else " "
            opening = (
                c in "\u201c\u201e\u00ab"
                or (c == "\u201d" and i == lo)
                or (c == '"' and (before.isspace() or before in "([-\u2014\u2013/" or i == lo))
            )
            if open_at is None and opening:
                open_at = i
            elif open_at is not None and not (
                opening and c == '"' and text[i + 1 : i + 2].isalnum()
            ):
                pieces.append((open_at + 1, i))
                open_at = None
            elif open_at is None:  # a closing mark: the Content starts inside the quote
                pieces.append((lo, i))
            else:
                open_at = i
        if open_at is not None:  # quote running to the end of the Content (next paragraph goes on)
            pieces.append((open_at + 1, hi))
        for s, e in pieces:
            seg_text = text[s:e]
            if not WORD.search(seg_text):
                continue
            segs.append(
                {"start": s, "end": e, "text": seg_text, "attr": a, "n_pieces": len(pieces)}
            )
    return segs


# -- helpers ---------------------------------------------------------------------
def words(t: str) -> set[str]:
    return {w.lower().strip("'\u2019") for w in WORD.findall(t)}


def jaccard(a: str, b: str) -> float:
    x, y = words(a), words(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def span_text(text: str, spans) -> str:
    return " ".join(text[s:e] for s, e in spans)


def gold_name(source: str) -> str | None:
    """Surname in a Source span: the last capitalised run of its head (before an appositive,
    "of"/"at"/"from" complement or relative clause), else None."""
    source = re.sub(r"\([^)]*\)", " ", source)
    source = re.split(r",|\s(?:of|at|from|for|with|who|which|in|on)\s", source)[0]
    runs, cur = [], []
    for m in re.finditer(r"[A-Za-z][\w.\-']*|[^\w\s]", source):
        tok = re.sub(r"['\u2019]s$", "", m.group()).strip(".")
        low = tok.lower()
        if (
            tok
            and tok[0].isupper()
            and low not in NOT_NAME
            and not (tok.isupper() and len(tok) > 1)
        ):
            cur.append(tok)
        else:
            if cur:
                runs.append(cur)
            cur = []
            if m.group().endswith(("'s", "\u2019s")) and tok and tok[0].isupper():
                runs.append([tok])  # "Trump's spokeswoman Hope Hicks" keeps both runs
    if cur:
        runs.append(cur)
    # a run that is only a possessive owner ("Clinton's campaign") still names the source
    return runs[-1][-1].lower() if runs else None


def surname(name: str | None) -> str | None:
    if not name:
        return None
    toks = [re.sub(r"['\u2019]s$", "", t).strip(".,") for t in name.split()]
    toks = [t for t in toks if t and t.lower() not in {"jr", "sr", "ii", "iii"}]
    return toks[-1].lower() if toks else None


def person_like(sn: str, text: str) -> bool:
    """A surname the text also gives with a first name or an honorific ("Debra Steger", "Ms. Steger")."""
    return bool(
        re.search(rf"\b(?:[A-Z][a-z]+|Mr\.|Ms\.|Mrs\.|Dr\.) {re.escape(sn)}\b", text, re.IGNORECASE)
        and re.search(rf"\b[A-Z][a-z]+ {re.escape(sn.capitalize())}\b", text)
    )


def source_form(src: str) -> str:
    s = src.strip()
    if s.lower() in PRONOUNS:
        return "pronoun"
    head = re.split(r",|\s(?:of|at|from|for|with|who|which)\s", s)[0].strip()
    caps = [t for t in head.split() if t[:1].isupper()]
    if head != s:
        return "name + appositive/complement" if caps else "description"
    if len(head.split()) == 1 and caps:
        return "bare surname"
    if re.match(r"(?:the )?(?:Mr|Ms|Mrs|Dr|Sen|Rep|Gov|Rev|Gen)\.? [A-Z][\w'\-]+$", head):
        return "honorific + surname"
    if caps and all(t[:1].isupper() or t in ("Jr.",) for t in head.split()):
        return "full name"
    if caps:
        return "role/owner + name"
    return "description"


def source_kind(src: str | None) -> str:
    if src is None:
        return "no_source"
    s = src.strip().lower()
    if s in PRONOUNS:
        return "pronoun"
    return "named" if gold_name(src) else "description"


def snippet(text: str, s: int, e: int, pad: int = 60, limit: int = 230) -> str:
    lo, hi = max(0, s - pad), min(len(text), e + pad)
    out = text[lo:hi].replace("\n", " / ")
    if len(out) > limit:
        out = out[: limit // 2] + " ... " + out[-limit // 2 :]
    return out


def sentence_around(text: str, s: int, e: int) -> tuple[int, int]:
    lo = max(text.rfind("\n", 0, s), 0)
    hi = text.find("\n", e)
    return lo, (hi if hi >= 0 else len(text))


# -- failure diagnosis -------------------------------------------------------
def raw_quote_spans(text: str) -> list[tuple[int, int, str]]:
    """Every candidate span the quote finder sees, with why it would be dropped (or '')."""
    paras = quotes_mod.paragraphs(text)
    out = []
    for sp in quotes_mod._double_spans(text, paras):
        inner = text[sp.start : sp.end]
        why = ""
        if quotes_mod.word_count(inner) < quotes_mod.MIN_QUOTE_WORDS:
            why = "short"
        elif quotes_mod._is_title(text, sp):
            why = "title"
        elif quotes_mod._is_phrase(text, sp):
            why = "phrase"
        out.append((sp.start, sp.end, why))
    return out


def diagnose_fn(text: str, seg: dict, raw, preds) -> str:
    s, e = seg["start"], seg["end"]
    over = [p for p in preds if p.start < e and s < p.end]
    if over:
        p = over[0]
        if p.end - p.start > 1.5 * (e - s):
            return "boundary: predicted span runs past the gold quote (mis-paired marks / merged paragraphs)"
        return "boundary: predicted span covers only part of the gold quote"
    if text[s - 1 : s] == "\u201d" and (s < 2 or not text[s - 2].isalnum()):
        return "reversed curly mark: \u201d used as the opening mark"
    if seg["n_pieces"] and text[s - 1 : s] not in DQ:
        return "gold quote continues from previous paragraph/content (no opening mark in span)"
    for rs, re_, why in raw:
        if rs < e and s < re_ and abs(rs - s) <= 2 and abs(re_ - e) <= 2:
            if why:
                return f"dropped by filter: {why}"
            return "dropped as repeated copy (headline/lead duplicate)"
    return "marks mis-paired: finder never produced this span"


def diagnose_fp(text: str, p, gold_all: list[dict], content_spans) -> str:
    inner = p.text
    if p.attribution_method == "nested":
        return "nested single-quoted text inside a quote"
    if any(g["start"] < p.end and p.start < g["end"] for g in gold_all):
        g = next(g for g in gold_all if g["start"] < p.end and p.start < g["end"])
        if quotes_mod.word_count(g["text"]) < 4:
            return "overlaps a short gold fragment but boundaries differ"
        return "boundary: overlaps a gold quote, Jaccard < 0.5"
    in_content = any(s <= p.start < e for s, e in content_spans)
    before = text[max(0, p.start - 40) : p.start - 1].lower()
    if re.search(
        r"\b(?:headline|book|film|show|song|article|column|op-ed|ad|video|titled|called|report)\b",
        before,
    ):
        return "title of a work / ad / report (no title cue word matched or not Title Case)"
    if in_content:
        return "quoted text inside an indirect attribution (annotated as paraphrase content)"
    ws = quotes_mod.word_count(inner)
    if p.start < 200:
        return "headline/lead quote not annotated"
    if ws <= 7:
        return "short scare-quoted phrase / slogan / nickname (not an attribution in gold)"
    return (
        "quoted words with no attribution in gold (mention of words, tweet text, sign, chant, etc.)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=["test", "dev", "both"])
    ap.add_argument("--examples", type=int, default=3)
    args = ap.parse_args()
    splits = ["test", "dev"] if args.split == "both" else [args.split]

    t0 = time.perf_counter()
    ref = default_reference()
    ref_time = time.perf_counter() - t0

    tp = fp = fn = 0
    short_gold = short_matched = 0
    n_attr_direct = 0
    extract_time = 0.0
    n_docs = 0
    n_chars = 0
    by_method = collections.defaultdict(lambda: collections.Counter())
    by_srckind = collections.Counter()
    fn_patterns = collections.defaultdict(list)
    fp_patterns = collections.defaultdict(list)
    spk_patterns = collections.defaultdict(list)
    cue_missing = collections.Counter()
    cue_all = collections.Counter()

    for split in splits:
        for text_path, ann_path in ann_files(split):
            with open(text_path, encoding="utf-8") as fh:
                text = fh.read()
            attrs = parse_ann(ann_path)
            segs = gold_segments(text, attrs)
            n_attr_direct += sum(
                1 for a in attrs if any(text[i] in DQ for s, e in a["content"] for i in range(s, e))
            )
            date = re.search(r"_(\d{4}-\d{2}-\d{2})_", text_path)
            raw = RawDocument(
                text=text, source_path=text_path, date=date.group(1) if date else None
            )
            t1 = time.perf_counter()
            doc = extract_document(raw, ref)
            extract_time += time.perf_counter() - t1
            n_docs += 1
            n_chars += len(text)
            preds = [s for s in doc.statements if s.kind == "quote"]
            content_spans = [sp for a in attrs for sp in a["content"]]

            # greedy one-to-one matching
            pairs = []
            for gi, g in enumerate(segs):
                for pi, p in enumerate(preds):
                    if p.start < g["end"] and g["start"] < p.end:
                        j = jaccard(p.text, g["text"])
                        if j >= 0.5:
                            pairs.append((j, gi, pi))
            pairs.sort(reverse=True)
            g_used, p_used, matches = set(), set(), []
            for _j, gi, pi in pairs:
                if gi in g_used or pi in p_used:
                    continue
                g_used.add(gi)
                p_used.add(pi)
                matches.append((gi, pi))

            big = [quotes_mod.word_count(g["text"]) >= quotes_mod.MIN_QUOTE_WORDS for g in segs]
            for gi, _pi in matches:
                if big[gi]:
                    tp += 1
                else:
                    short_matched += 1
            short_gold += sum(1 for b in big if not b)
            raw_spans = raw_quote_spans(text)
            for gi, g in enumerate(segs):
                if gi in g_used or not big[gi]:
                    continue
                fn += 1
                why = diagnose_fn(text, g, raw_spans, preds)
                fn_patterns[why].append(snippet(text, g["start"] - 1, g["end"] + 1))
            for pi, p in enumerate(preds):
                if pi in p_used:
                    continue
                fp += 1  # noqa: SIM113
                why = diagnose_fp(text, p, segs, content_spans)
                fp_patterns[why].append(snippet(text, p.start - 1, p.end + 1))
                by_method[p.attribution_method]["unmatched_pred"] += 1

            # speakers, in document order so pronouns can take the latest named gold source
            named_at = sorted(
                (min(s for s, _ in a["source"]), gold_name(span_text(text, a["source"])))
                for a in attrs if a["source"] and gold_name(span_text(text, a["source"]))
                and person_like(gold_name(span_text(text, a["source"])), text)
            )  # fmt: skip
            attributor = Attributor(
                text, quotes_mod.find_quotes(text), raw.date, registry_for(ref), matcher_for(ref)
            )
            for gi, pi in sorted(matches):
                g, p = segs[gi], preds[pi]
                m = p.attribution_method
                by_method[m]["matched"] += 1
                src = span_text(text, g["attr"]["source"]) if g["attr"]["source"] else None
                kind = source_kind(src)
                by_srckind[kind] += 1
                cue = span_text(text, g["attr"]["cue"]).strip() if g["attr"]["cue"] else ""
                pred_sn = surname(p.speaker)
                if kind == "named":
                    gold_sn = gold_name(src)
                    ok = pred_sn == gold_sn
                    by_method[m]["scored"] += 1
                    by_method[m]["correct"] += ok
                elif kind == "pronoun" and src.strip().lower() in {"he", "she"}:
                    pos = min(s for s, _ in g["attr"]["source"])
                    prior = [n for at, n in named_at if at < pos]
                    if not prior:
                        continue
                    gold_sn = prior[-1]
                    ok = pred_sn == gold_sn
                    by_method[m]["pron_scored"] += 1
                    by_method[m]["pron_correct"] += ok
                    if ok:
                        continue
                    src = f"{src} (~{gold_sn})"
                else:
                    continue
                if kind == "named":
                    cue_all[cue.lower()] += 1
                if ok:
                    continue
                # why the speaker is wrong: what became of the gold cue in our event list
                gold_src_span = g["attr"]["source"]
                s0 = min(s for s, _ in gold_src_span)
                cue_span = g["attr"]["cue"]
                form = source_form(span_text(text, gold_src_span))
                verb_known = bool(cue and _VERB_RE.search(cue))
                ev_at_cue = [
                    ev
                    for ev in attributor.events
                    if cue_span and any(a <= ev.verb_start < b for a, b in cue_span)
                ]
                cue_after = bool(cue_span) and min(a for a, _ in cue_span) > g["end"]
                if not cue_span or not verb_known:
                    reason = "A. gold cue is not a listed speech verb (or no cue: colon / headline / bare quote)"
                    cue_missing[cue.lower() or "(none)"] += 1
                elif not ev_at_cue:
                    reason = (
                        f"B. speech verb found but its subject not resolved -> no event [{form}]"
                    )
                elif (
                    surname(
                        ev_at_cue[0].attribution.person.name
                        if ev_at_cue[0].attribution.person
                        else None
                    )
                    == gold_sn
                ):
                    reason = f"C. right event exists but the quote was not linked to it [cue {'after' if cue_after else 'before'} quote]"
                else:
                    ev = ev_at_cue[0]
                    reason = f"D. event at the gold cue resolved to the wrong person [{ev.attribution.method}; gold {form}]"
                    if ev.attribution.person and not person_like(
                        surname(ev.attribution.person.name) or "", text
                    ):
                        reason += " (ours is not a person: place/organisation/possessive)"
                spk_patterns[reason].append(
                    f"[{m}] [gold: {src!r} cue {cue!r}; ours: {p.speaker!r}] "
                    + snippet(
                        text,
                        min(s0, g["start"] - 1),
                        max(max(e for _, e in gold_src_span), g["end"] + 1),
                        pad=25,
                    )
                )

    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(
        f"PolNeAR {'+'.join(splits)}: {n_docs} articles, {n_attr_direct} attributions with direct-quote content"
    )
    print(
        f"gold quote segments >= 4 words: {tp + fn}; shorter (neutral): {short_gold} ({short_matched} matched)"
    )
    print(f"quote spans: P {prec:.3f}  R {rec:.3f}  F1 {f1:.3f}   (TP {tp}, FP {fp}, FN {fn})")
    nested_fp = sum(c["unmatched_pred"] for m, c in by_method.items() if m == "nested")
    print(
        f"  precision without nested single-quoted predictions: {tp / max(1, tp + fp - nested_fp):.3f};"
        f" recall counting short gold fragments too: {(tp + short_matched) / max(1, tp + fn + short_gold):.3f}"
    )
    print(f"gold source of matched quotes: {dict(by_srckind)}")
    print()
    print(
        f"{'method':<14}{'matched':>8}{'unmatch':>8}{'scored':>8}{'acc':>7}{'pron~':>7}{'acc~':>7}"
    )
    tot = collections.Counter()
    for m, c in sorted(by_method.items(), key=lambda kv: -kv[1]["matched"]):
        tot.update(c)
        acc = c["correct"] / c["scored"] if c["scored"] else float("nan")
        pacc = c["pron_correct"] / c["pron_scored"] if c["pron_scored"] else float("nan")
        print(
            f"{m:<14}{c['matched']:>8}{c['unmatched_pred']:>8}{c['scored']:>8}{acc:>7.2f}{c['pron_scored']:>7}{pacc:>7.2f}"
        )
    acc = tot["correct"] / tot["scored"] if tot["scored"] else float("nan")
    pacc = tot["pron_correct"] / tot["pron_scored"] if tot["pron_scored"] else float("nan")
    print(
        f"{'all':<14}{tot['matched']:>8}{tot['unmatched_pred']:>8}{tot['scored']:>8}{acc:>7.2f}{tot['pron_scored']:>7}{pacc:>7.2f}"
    )
    print(
        "(acc = same surname as a named gold Source; pron~/acc~ = he/she Sources resolved to the latest named gold Source, approximate)"
    )
    print()
    print(
        f"speed: {n_docs / extract_time:.1f} docs/s, {n_chars / extract_time / 1000:.0f} k chars/s (reference load {ref_time:.1f}s, excluded)"
    )

    def show(title, patterns):
        print(f"\n== {title} ==")
        for why, items in sorted(patterns.items(), key=lambda kv: -len(kv[1])):
            via = collections.Counter(x[1 : x.index("]")] for x in items if x.startswith("["))
            print(
                f"{len(items):5d}  {why}"
                + (f"   (ours via {dict(via.most_common())})" if via else "")
            )
            for ex in items[: args.examples]:
                print(f"         - {ex}")

    show("missed gold quotes (FN)", fn_patterns)
    show("spurious predicted quotes (FP)", fp_patterns)
    show("wrong speakers on matched quotes (named + approx. pronoun sources)", spk_patterns)
    grouped = collections.Counter()
    for why, items in spk_patterns.items():
        grouped[why.split(" [")[0]] += len(items)
    print("\n== wrong speakers, grouped ==")
    for why, n in grouped.most_common():
        print(f"{n:5d}  {why}")
    print("\n== gold cues of pattern A ==")
    print(", ".join(f"{c}:{n}" for c, n in cue_missing.most_common(30)))


if __name__ == "__main__":
    main()
