"""Build the labelled corpus (data/labels/statements.jsonl) from the pool and the annotations.

    python scripts/build_labels.py            # writes statements.jsonl and agreement.json, prints the balance

Reads ``data/labels/pool/*.jsonl`` (what annotators were shown, drawn by ``label_pool.py``)
and ``data/labels/annotations/*.jsonl`` (what they wrote, by hand). Each labelled item gets a
fixed split by a hash of its **document**, so paragraphs of one speech never sit on both sides
of a split: ``test`` (never trained or tuned on), ``tune`` (choosing regularisation and
thresholds) and ``train``. The second annotator's labels of ``overlap.jsonl`` give the agreement
(Cohen's kappa for tone, sign agreement for targets), the realistic ceiling of any scorer; the
corpus keeps the first annotator's label of those items.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "data" / "labels"
#: Shares of documents, by hash: test first, then tune; the rest is train.
TEST_SHARE, TUNE_SHARE = 0.22, 0.15
SEED = "caucasus-rhetoric-labels-v1"
KREMLIN_CREDIT = "Source: President of Russia, en.kremlin.ru, CC BY 4.0"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split_of(source: str, doc: str) -> str:
    u = int(hashlib.sha256(f"{SEED}:{source}:{doc}".encode()).hexdigest()[:12], 16) / 16**12
    if u < TEST_SHARE:
        return "test"
    return "tune" if u < TEST_SHARE + TUNE_SHARE else "train"


def sign(v: int | float) -> int:
    return (v > 0) - (v < 0)


def cohen_kappa(a: list, b: list) -> float | None:
    if not a:
        return None
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def weighted_kappa(a: list[int], b: list[int], levels=(-2, -1, 0, 1, 2)) -> float | None:
    """Cohen's kappa with linear weights (a disagreement of one step counts half of two)."""
    if not a:
        return None
    n, k = len(a), len(levels)
    idx = {v: i for i, v in enumerate(levels)}
    w = [[abs(i - j) / (k - 1) for j in range(k)] for i in range(k)]
    obs = sum(w[idx[x]][idx[y]] for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    exp = sum(w[idx[x]][idx[y]] * ca[x] * cb[y] for x in levels for y in levels) / (n * n)
    return None if exp == 0 else 1 - obs / exp


def agreement(first: dict[str, dict], second: dict[str, dict]) -> dict:
    both = [i for i in second if i in first and first[i].get("use") and second[i].get("use")]
    ta = [first[i]["tone"] for i in both]
    tb = [second[i]["tone"] for i in both]
    pairs = [(first[i]["targets"][a], second[i]["targets"][a]) for i in both
             for a in first[i]["targets"] if a in second[i]["targets"]]  # fmt: skip
    only = sum(len(set(first[i]["targets"]) ^ set(second[i]["targets"])) for i in both)
    common = [i for i in second if i in first]
    use_agree = sum(bool(first[i].get("use")) == bool(second[i].get("use")) for i in common)
    return {
        "items_double_labelled": len(common),
        "items_both_usable": len(both),
        "use_agreement": round(use_agree / len(common), 3) if common else None,
        "tone_exact_agreement": round(sum(x == y for x, y in zip(ta, tb, strict=True)) / len(both), 3)
        if both else None,
        "tone_kappa_5": _r(cohen_kappa(ta, tb)),
        "tone_kappa_5_linear": _r(weighted_kappa(ta, tb)),
        "tone_kappa_3": _r(cohen_kappa([sign(x) for x in ta], [sign(x) for x in tb])),
        "tone_3class_agreement": round(sum(sign(x) == sign(y) for x, y in zip(ta, tb, strict=True))
                                       / len(both), 3) if both else None,  # fmt: skip
        "target_pairs_in_both": len(pairs),
        "target_sign_agreement": round(sum(sign(x) == sign(y) for x, y in pairs) / len(pairs), 3)
        if pairs else None,
        "target_kappa_3": _r(cohen_kappa([sign(x) for x, _ in pairs], [sign(y) for _, y in pairs])),
        "targets_named_by_one_only": only,
    }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def build(out: Path = LABELS) -> dict:
    pool: dict[str, dict] = {}
    for path in sorted((LABELS / "pool").glob("batch_*.jsonl")):
        for item in read_jsonl(path):
            pool[item["id"]] = item
    first: dict[str, dict] = {}
    annotator: dict[str, str] = {}
    for path in sorted((LABELS / "annotations").glob("batch_*.jsonl")):
        for label in read_jsonl(path):
            if label["id"] not in pool:
                raise SystemExit(f"{path.name}: unknown id {label['id']}")
            first[label["id"]] = label
            annotator[label["id"]] = path.stem
    # Third round: the own country's stance read again under the revised rule of GUIDE.md.
    revised: dict[str, tuple[str, int]] = {}
    for path in sorted((LABELS / "annotations").glob("own_*.jsonl")):
        for label in read_jsonl(path):
            revised[label["id"]] = (label["actor"], int(label["value"]))
    second_path = LABELS / "annotations" / "overlap_B.jsonl"
    second = {x["id"]: x for x in read_jsonl(second_path)} if second_path.exists() else {}

    rows = []
    for item_id, item in pool.items():
        label = first.get(item_id)
        if label is None or not label.get("use") or label.get("tone") is None:
            continue
        kind = label.get("kind") or item["kind_hint"]
        if kind == "question":
            continue
        targets = {k: int(v) for k, v in (label.get("targets") or {}).items() if v is not None}
        own = revised.get(item_id)
        if own and own[0] in targets:
            targets[own[0]] = own[1]
        rows.append({
            "id": item_id,
            "split": split_of(item["source"], str(item["doc"])),
            "source": item["source"], "doc": item["doc"], "date": item["date"], "title": item["title"],
            "url": item["url"], "licence": item["licence"],
            "attribution": KREMLIN_CREDIT if item["source"] == "kremlin_en" else None,
            "kind": kind, "speaker": label.get("speaker"), "speaker_country": label.get("speaker_country"),
            "text": item["text"],
            "paragraph": item.get("paragraph"),
            "context_before": item["context_before"], "context_after": item["context_after"],
            "tone": int(label["tone"]), "targets": targets, "tags": sorted(set(label.get("tags") or [])),
            "note": label.get("note"), "annotator": annotator[item_id],
            "own_country_revised": item_id in revised,
            "second_tone": second[item_id]["tone"] if item_id in second and second[item_id].get("use") else None,
        })  # fmt: skip
    rows.sort(key=lambda r: (r["split"], r["id"]))
    out.mkdir(parents=True, exist_ok=True)
    with (out / "statements.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    stats = balance(rows, len(first), len(pool))
    stats["agreement"] = agreement(first, second)
    (out / "agreement.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return stats


def balance(rows: list[dict], labelled: int, pooled: int) -> dict:
    tones = Counter(r["tone"] for r in rows)
    pairs = [(r, a, v) for r in rows for a, v in r["targets"].items()]
    return {
        "pooled": pooled,
        "labelled": labelled,
        "usable": len(rows),
        "by_split": dict(Counter(r["split"] for r in rows)),
        "by_source": dict(Counter(r["source"] for r in rows)),
        "by_kind": dict(Counter(r["kind"] for r in rows)),
        "by_speaker_country": dict(Counter(r["speaker_country"] or "none" for r in rows).most_common()),
        "tone": {str(k): tones[k] for k in sorted(tones)},
        "negative_share": round(sum(v for k, v in tones.items() if k < 0) / len(rows), 3) if rows else None,
        "target_pairs": len(pairs),
        "target_signs": dict(Counter(("neg", "neu", "pos")[sign(v) + 1] for _r, _a, v in pairs)),
        "own_country_pairs": sum(1 for r, a, _v in pairs if a == r["speaker_country"]),
        "multi_target_different_signs": sum(
            1 for r in rows if len({sign(v) for v in r["targets"].values()}) > 1
        ),
        "targets_of_opposite_signs": sum(
            1 for r in rows if {-1, 1} <= {sign(v) for v in r["targets"].values()}
        ),
        "tags": dict(Counter(t for r in rows for t in r["tags"]).most_common()),
    }


def main() -> int:
    stats = build()
    print(json.dumps(stats, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
