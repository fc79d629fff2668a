"""Draw the pool of statements for the labelled tone corpus (data/labels/).

Reads only ``../shared/corpus/`` (texts the project may ship: UN General Debate
CC0, en.kremlin.ru CC BY 4.0, White House public domain), never ``../shared/eval/``.
Writes batches of items, each a statement with the paragraphs around it, for
annotators to read and label by hand (see data/labels/README.md). Selection
uses only who speaks and which actors a paragraph names, never any tone score,
so the set is not tilted toward what the project's scorer can see.

    python scripts/label_pool.py OUT_DIR [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.extract.mentions import matcher_for  # noqa: E402
from dashboard.extract.quotes import paragraphs  # noqa: E402
from dashboard.reference import load_reference  # noqa: E402
from dashboard.text import rejoin_wrapped  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
REGION = {"ARM", "AZE", "GEO", "RUS", "TUR", "IRN"}
UNGDC_COUNTRIES = {"ARM", "AZE", "GEO", "RUS", "TUR", "IRN", "USA", "FRA", "DEU", "EU", "GBR", "UKR"}
# Items wanted per speaker group (before the overlap set). The groups follow the issue:
# eight speaker countries, EU and EU states together.
QUOTAS = {"ARM": 200, "AZE": 200, "GEO": 130, "RUS": 260, "TUR": 120, "IRN": 110, "EU": 150, "USA": 220,
          "OTHER": 30, "QUOTE": 160}  # fmt: skip
# Share of a group's quota taken first from transcripts and news (en.kremlin.ru, White House) where
# the group speaks there, so that turns and readouts, not only UN speeches, are labelled.
SPOKEN_FIRST = 0.4
QUOTE_WINDOW = 600  # characters of the quotation's paragraph shown either side of it
EU_STATES = {"FRA", "DEU", "EU", "ITA", "ESP", "POL", "NLD", "SWE", "AUT", "BEL", "LTU", "LVA", "EST",
             "ROU", "BGR", "GRC", "FIN", "DNK", "CZE", "SVK", "HUN", "HRV", "SVN", "IRL", "PRT", "CYP",
             "LUX", "MLT"}  # fmt: skip
MIN_WORDS, MAX_WORDS = 12, 170
BATCH_SIZE = 145
OVERLAP = 150

# Turn labels of the Kremlin and White House transcripts, for the pool only: the annotator
# reads the label and the context and gives the speaker as the text shows it.
KREMLIN_PEOPLE = (
    ("Pashinyan", "ARM"), ("Sarkissian", "ARM"), ("Aliyev", "AZE"), ("Erdogan", "TUR"),
    ("Rouhani", "IRN"), ("Raisi", "IRN"), ("Macron", "FRA"), ("Merkel", "DEU"), ("Scholz", "DEU"),
    ("Conte", "ITA"), ("Putin", "RUS"), ("Peskov", "RUS"), ("Lavrov", "RUS"), ("Shoigu", "RUS"),
    ("Lukashenko", "BLR"), ("Tokayev", "KAZ"), ("Xi Jinping", "CHN"),
)  # fmt: skip
WH_LABEL = re.compile(r"^(?P<label>(?:Q|[A-Z][A-Z.\-' ]{1,50}))(?::|\s(?=[A-Z]))")


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def ungdc_units():
    speakers = {}
    with (CORPUS / "ungdc" / "speakers.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            speakers[(row["iso3"], row["year"])] = row
    for path in sorted((CORPUS / "ungdc" / "txt").glob("*.txt")):
        iso, session, year = path.stem.split("_")
        if iso not in UNGDC_COUNTRIES or int(year) < 1992:
            continue
        text = rejoin_wrapped(path.read_text(encoding="utf-8", errors="replace"))
        row = speakers.get((iso, year), {})
        paras = [text[a:b] for a, b in paragraphs(text)]
        doc = {
            "source": "ungdc", "doc": path.name, "date": f"{year}-09-01",
            "title": f"{row.get('country') or iso} at the UN General Debate, session {session} ({year})",
            "url": None, "licence": "CC0 1.0",
        }  # fmt: skip
        speaker = ", ".join(x for x in (row.get("speaker"), row.get("post")) if x) or None
        for i in range(len(paras)):
            yield doc, paras, i, {"speaker_hint": speaker, "country_hint": iso, "kind_hint": "paragraph"}


def _kremlin_paragraphs(record: dict) -> list[str]:
    text = record["text"]
    labels = sorted(record.get("speaker_labels_in_text") or [], key=len, reverse=True)
    if labels:
        # Records scraped as one line carry their turns inline: break before each label.
        pattern = re.compile(r"(?<=[.!?…*:,])\s+(?=(?:" + "|".join(re.escape(x) for x in labels) + r"):)")
        text = pattern.sub("\n", text)
    return [p.strip() for p in text.split("\n") if p.strip()]


def kremlin_units():
    for name in ("kremlin_en_2018_2020.jsonl", "kremlin_en_2021_2022.jsonl"):
        with (CORPUS / "kremlin_en" / name).open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                paras = _kremlin_paragraphs(record)
                labels = sorted(record.get("speaker_labels_in_text") or [], key=len, reverse=True)
                doc = {
                    "source": "kremlin_en", "doc": record["source_id"], "date": record["date"],
                    "title": record["title"], "url": record["url"],
                    "licence": "CC BY 4.0 (President of Russia, en.kremlin.ru)",
                }  # fmt: skip
                label, country = None, "RUS"  # narration: the press service
                for i, para in enumerate(paras):
                    hit = next((x for x in labels if para.startswith(x + ":")), None)
                    if hit:
                        label = hit
                        country = next((c for k, c in KREMLIN_PEOPLE if k in hit), "OTHER")
                    kind = "turn" if label else "narration"
                    yield doc, paras, i, {"speaker_hint": label or "Kremlin press service",
                                          "country_hint": country, "kind_hint": kind}  # fmt: skip


def whitehouse_units():
    with (CORPUS / "whitehouse" / "whitehouse_2021_2026.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            paras = [p.strip() for p in record["text"].split("\n") if p.strip()]
            doc = {
                "source": "whitehouse", "doc": record["url"], "date": record["date"],
                "title": record["title"], "url": record["url"], "licence": "public domain (US government work)",
            }  # fmt: skip
            transcript = record.get("wh_category") in ("press-briefings", "speeches-remarks")
            label = None
            for i, para in enumerate(paras):
                m = WH_LABEL.match(para) if transcript else None
                if m and (m["label"] == "Q" or m["label"].isupper()):
                    label = m["label"]
                if label == "Q":
                    continue  # journalists' questions are not a state's words
                kind = "turn" if label else ("reported" if record.get("doc_type") == "reported" else "paragraph")
                yield doc, paras, i, {"speaker_hint": label or record.get("speaker"), "country_hint": "USA",
                                      "kind_hint": kind}  # fmt: skip


def quote_units():
    """Direct quotations in the White House's compiled articles and the Kremlin's news items."""
    from dashboard.extract.quotes import find_quotes

    sources = [("whitehouse", CORPUS / "whitehouse" / "whitehouse_2021_2026.jsonl")]
    sources += [("kremlin_en", CORPUS / "kremlin_en" / n) for n in ("kremlin_en_2018_2020.jsonl", "kremlin_en_2021_2022.jsonl")]
    for source, path in sources:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if source == "whitehouse" and record.get("wh_category") != "articles":
                    continue
                text = record["text"]
                spans = paragraphs(text)
                paras = [text[a:b] for a, b in spans]
                doc = {
                    "source": source, "doc": record.get("source_id") or record["url"], "date": record["date"],
                    "title": record["title"], "url": record["url"],
                    "licence": "public domain (US government work)" if source == "whitehouse"
                    else "CC BY 4.0 (President of Russia, en.kremlin.ru)",
                }  # fmt: skip
                for n, q in enumerate(find_quotes(text, spans)):
                    i = next((k for k, (a, b) in enumerate(spans) if a <= q.start < b), None)
                    if i is None or q.nested:
                        continue
                    quoted = text[q.start : q.end]
                    a, b = spans[i]
                    lo, hi = max(a, q.start - QUOTE_WINDOW), min(b, q.end + QUOTE_WINDOW)
                    context = ("… " if lo > a else "") + text[lo : q.start] + "[[" + quoted + "]]"
                    context += text[q.end : hi] + (" …" if hi < b else "")
                    yield doc, [*paras[:i], quoted, *paras[i + 1 :]], i, {
                        "speaker_hint": None, "country_hint": "QUOTE", "kind_hint": "quote",
                        "paragraph": context, "quote_number": n,
                    }


def group_of(country: str) -> str:
    if country in EU_STATES:
        return "EU"
    if country == "QUOTE":
        return "QUOTE"
    return country if country in QUOTAS else "OTHER"


def stable(key: str, seed: int) -> float:
    return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:12], 16) / 16**12


def all_items(min_words: int = MIN_WORDS) -> list[dict]:
    """Every unit of the corpora within the length bounds, with the actors it names."""
    matcher = matcher_for(load_reference())
    items = []
    for units in (ungdc_units(), kremlin_units(), whitehouse_units(), quote_units()):
        for doc, paras, i, hints in units:
            text = paras[i]
            if not min_words <= words(text) <= MAX_WORDS:
                continue
            actors = sorted({m.actor for m in matcher.find(text)})
            others = [a for a in actors if a != hints["country_hint"]]
            suffix = f":q{hints.pop('quote_number')}" if "quote_number" in hints else ""
            items.append({
                "id": f"{doc['source']}:{hashlib.sha1(str(doc['doc']).encode()).hexdigest()[:8]}:{i}{suffix}",
                **doc,
                "context_before": " ".join(paras[max(0, i - 2) : i])[-900:],
                "text": text,
                "context_after": " ".join(paras[i + 1 : i + 2])[:400],
                **hints,
                "actors_named": actors,
                "_others": others,
            })  # fmt: skip
    return items


def build(out: Path, seed: int) -> None:
    by_group: dict[str, list[dict]] = defaultdict(list)
    for item in all_items():
        by_group[group_of(item["country_hint"])].append(item)
    chosen: list[dict] = []
    for group, quota in QUOTAS.items():
        items = sorted(by_group[group], key=lambda it: stable(it["id"], seed))
        if group not in ("RUS", "USA", "QUOTE"):  # these two speak mostly in their own transcripts
            spoken = [it for it in items if it["source"] != "ungdc"][: int(quota * SPOKEN_FIRST)]
            items = spoken + [it for it in items if it not in spoken]
        # Three in four name another actor (so there is a stance to label), favouring the region.
        named = [it for it in items if set(it["_others"]) & (REGION | {"EU", "USA"})]
        rest = [it for it in items if it not in named]
        take = named[: int(quota * 0.75)]
        take += rest[: quota - len(take)]
        take += [it for it in named if it not in take][: quota - len(take)]
        per_doc = Counter()
        kept = []
        for it in take:  # at most 8 items from one document: many voices, not a few speeches
            if per_doc[it["doc"]] < 8:
                kept.append(it)
                per_doc[it["doc"]] += 1
        chosen.extend(kept)
    for it in chosen:
        it.pop("_others")
    chosen.sort(key=lambda it: stable("order:" + it["id"], seed))
    out.mkdir(parents=True, exist_ok=True)
    batches = [chosen[i : i + BATCH_SIZE] for i in range(0, len(chosen), BATCH_SIZE)]
    for n, batch in enumerate(batches, start=1):
        with (out / f"batch_{n:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for it in batch:
                fh.write(json.dumps({**it, "batch": n}, ensure_ascii=False) + "\n")
    overlap = sorted(chosen, key=lambda it: stable("overlap:" + it["id"], seed))[:OVERLAP]
    with (out / "overlap.jsonl").open("w", encoding="utf-8") as fh:
        for it in overlap:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    counts = Counter(group_of(it["country_hint"]) for it in chosen)
    print(f"{len(chosen)} items in {len(batches)} batches; overlap {len(overlap)}; by group {dict(counts)}")


#: Words of war and its victims: the supplement draws statements about them, which are neutral
#: when no one is blamed and hostile when someone is, so that a scorer learns the difference.
WAR_WORDS = re.compile(
    r"\b(?:killed|wounded|victims?|refugees|displaced|casualties|missing persons|landmines?|mines|"
    r"shelling|hostages?|died|dead|destroyed|bombing|civilians|prisoners|massacre|genocide|war)\b",
    re.IGNORECASE,
)
SUPPLEMENT_QUOTES, SUPPLEMENT_WAR, SUPPLEMENT_QUESTIONS = 145, 100, 45


def supplement(out: Path, seed: int) -> None:
    """A second round (batch_12, batch_13) for what the first round had too little of: short direct
    quotations (as news gives them), statements about war and victims, and statements that ask
    questions (rhetorical or not). Chosen by kind and by words of the subject, never by tone."""
    pooled = {json.loads(line)["id"] for f in out.glob("batch_*.jsonl") for line in f.open(encoding="utf-8")}
    items = [it for it in all_items(min_words=6) if it["id"] not in pooled]
    for it in items:
        it.pop("_others")
    speaking = [it for it in items if group_of(it["country_hint"]) not in ("OTHER", "QUOTE")]
    quotes = sorted((it for it in items if it["kind_hint"] == "quote"), key=lambda it: stable(it["id"], seed))
    war = sorted((it for it in speaking if WAR_WORDS.search(it["text"]) and words(it["text"]) >= MIN_WORDS),
                 key=lambda it: stable(it["id"], seed))  # fmt: skip
    asking = sorted((it for it in speaking if "?" in it["text"] and it not in war[:SUPPLEMENT_WAR]),
                    key=lambda it: stable(it["id"], seed))  # fmt: skip

    def capped(pool: list[dict], n: int) -> list[dict]:
        """At most ``n`` items, four a document, taken in turn from each speaker group."""
        groups: dict[str, list[dict]] = defaultdict(list)
        for it in pool:
            groups[group_of(it["country_hint"])].append(it)
        rounds = [it for rank in range(max(map(len, groups.values()), default=0))
                  for g in sorted(groups) if rank < len(groups[g]) for it in (groups[g][rank],)]  # fmt: skip
        per_doc: Counter = Counter()
        kept = []
        for it in rounds:
            if len(kept) < n and per_doc[it["doc"]] < 4:
                kept.append(it)
                per_doc[it["doc"]] += 1
        return kept

    batches = {12: capped(quotes, SUPPLEMENT_QUOTES),
               13: capped(war, SUPPLEMENT_WAR) + capped(asking, SUPPLEMENT_QUESTIONS)}  # fmt: skip
    for n, batch in batches.items():
        batch.sort(key=lambda it: stable("order:" + it["id"], seed))
        with (out / f"batch_{n:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for it in batch:
                fh.write(json.dumps({**it, "batch": n}, ensure_ascii=False) + "\n")
        print(f"batch_{n:02d}: {len(batch)} items")


#: Third round: what ministry posts and news quotes look like. Readouts and statements of the
#: presidencies (press-service narration, White House statement paragraphs), the quotations left,
#: and single sentences of speeches and turns (a news quote is often one sentence).
THIRD_QUOTES, THIRD_READOUTS, THIRD_SENTENCES = 145, 290, 145
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])")


def third_round(out: Path, seed: int) -> None:
    pooled = {json.loads(line)["id"] for f in out.glob("batch_*.jsonl") for line in f.open(encoding="utf-8")}
    items = [it for it in all_items(min_words=6) if it["id"] not in pooled]
    for it in items:
        it.pop("_others")
    order = lambda it: stable("third:" + it["id"], seed)  # noqa: E731
    quotes = sorted((it for it in items if it["kind_hint"] == "quote"), key=order)
    readouts = sorted((it for it in items if it["kind_hint"] in ("narration", "paragraph") and it["source"] != "ungdc"
                       and words(it["text"]) <= 90), key=order)  # fmt: skip
    sentences = []
    for it in sorted((it for it in items if it["kind_hint"] in ("paragraph", "turn")
                      and group_of(it["country_hint"]) not in ("OTHER", "QUOTE")), key=order):  # fmt: skip
        parts = [x for x in _SENTENCE.split(it["text"]) if MIN_WORDS <= words(x) <= 60]
        if len(parts) < 2:
            continue
        one = parts[int(stable("sentence:" + it["id"], seed) * len(parts))]
        sentences.append({**it, "id": it["id"] + ":s", "paragraph": it["text"].replace(one, "[[" + one + "]]", 1),
                          "text": one, "kind_hint": it["kind_hint"] + "_sentence"})  # fmt: skip

    def capped(pool: list[dict], n: int, per: int = 3) -> list[dict]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for it in pool:
            groups[group_of(it["country_hint"])].append(it)
        rounds = [it for rank in range(max(map(len, groups.values()), default=0))
                  for g in sorted(groups) if rank < len(groups[g]) for it in (groups[g][rank],)]  # fmt: skip
        per_doc: Counter = Counter()
        kept = []
        for it in rounds:
            if len(kept) < n and per_doc[it["doc"]] < per:
                kept.append(it)
                per_doc[it["doc"]] += 1
        return kept

    readout_items = capped(readouts, THIRD_READOUTS, per=2)
    batches = {14: capped(quotes, THIRD_QUOTES), 15: readout_items[: THIRD_READOUTS // 2],
               16: readout_items[THIRD_READOUTS // 2 :], 17: capped(sentences, THIRD_SENTENCES, per=1)}  # fmt: skip
    for n, batch in batches.items():
        batch.sort(key=lambda it: stable("order:" + it["id"], seed))
        with (out / f"batch_{n:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for it in batch:
                fh.write(json.dumps({**it, "batch": n}, ensure_ascii=False) + "\n")
        print(f"batch_{n:02d}: {len(batch)} items")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--supplement", action="store_true",
                        help="draw the second round (batch_12, batch_13) beside an existing pool in OUT")  # fmt: skip
    parser.add_argument("--third", action="store_true",
                        help="draw the third round (batch_14 to batch_17) beside an existing pool in OUT")  # fmt: skip
    args = parser.parse_args()
    if args.third:
        third_round(args.out, args.seed)
    elif args.supplement:
        supplement(args.out, args.seed)
    else:
        build(args.out, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
