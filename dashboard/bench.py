"""Benchmark: every page's queries on synthetic databases of 100k and 1M statements.

The synthetic databases are built by resampling the statements (with their
mentions and topics) of a source database — by default the one built from the
shipped sample — ``k`` times, each copy shifted by a few days so that
timelines stay realistic. Every synthetic document is labelled: its
``source_format`` is ``synthetic`` and its title starts with ``[synthetic]``.
They live in ``data/bench/``, which git ignores.

For each size and page the benchmark runs the page's queries
(``queries.PAGE_QUERIES``) as a user first sees the page and again with
typical filters, ``--runs`` times each, in a child process, and prints the
median and 95th-percentile time per page, the database size, and the peak
memory of the process that ran the queries. With ``--app`` it also starts the
Streamlit app on the largest database, opens every page in headless Chromium
and reports the app server's peak memory.

It also times the extraction of single documents of 1, 10 and 40 MB built from
the sample's paragraphs, in three shapes (paragraphs, one line with no line
break, an HTML page read as ingest reads it): the seconds per MB must stay
flat as the document grows.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dashboard import names, settings, storage
from dashboard.reference import default_reference

SCHEMA = Path(__file__).parent / "sql" / "schema.sql"
DEFAULT_SIZES = (100_000, 1_000_000)
TARGET_P95_MS = 100.0
#: Views timed on every page: as first opened; with the filters a user typically sets (one speaker
#: country, one actor mentioned); and with a free-text search, which has to read the statements' text.
VIEWS = {
    "default": {},
    "filtered": {"speaker_country": ["ARM"], "actor": ["AZE"]},
    "search": {"q": "peace"},
}
ID_STRIDE = 100_000_000  # statement ids of copy r: r * ID_STRIDE + row number


def build_synthetic(source: Path, target: Path, n_statements: int) -> dict:
    """Resample ``source`` into a new database ``target`` holding about ``n_statements`` statements."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for path in (target, target.with_name(target.name + ".wal")):
        path.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        con.execute(f"ATTACH {storage.sql_string(source)} AS src (READ_ONLY)")
        base = con.execute("SELECT count(*) FROM src.statements").fetchone()[0]
        if base == 0:
            raise ValueError(f"{source} holds no statements to resample")
        copies = max(1, -(-n_statements // base))
        con.execute(
            "CREATE TEMP TABLE st AS SELECT *, row_number() OVER (ORDER BY statement_id) AS rn "
            "FROM src.statements"
        )
        con.execute(f"CREATE TEMP TABLE reps AS SELECT range AS r FROM range({copies})")
        # A copy's dates move by r * 3 days (modulo 5 weeks): timelines keep their shape.
        shift = "CAST(((r * 3) % 35) AS INTEGER)"
        con.execute(
            f"""
            INSERT INTO documents BY NAME
            SELECT d.* REPLACE (d.doc_id || '-s' || r AS doc_id, 'synthetic' AS source_format,
                   '[synthetic] ' || coalesce(d.title, '') AS title, 'synthetic benchmark data' AS outlet,
                   d.date + {shift} AS date)
            FROM src.documents d, reps
            """
        )
        con.execute(
            f"""
            INSERT INTO statements BY NAME
            SELECT st.* EXCLUDE (rn) REPLACE (r * {ID_STRIDE} + rn AS statement_id,
                   doc_id || '-s' || r AS doc_id, date + {shift} AS date)
            FROM st, reps
            WHERE r * {base} + rn <= {n_statements}
            """
        )
        con.execute(
            f"""
            INSERT INTO mentions BY NAME
            SELECT m.* REPLACE (r * {ID_STRIDE} + st.rn AS statement_id, m.doc_id || '-s' || r AS doc_id,
                   m.date + {shift} AS date)
            FROM src.mentions m JOIN st USING (statement_id), reps
            WHERE r * {base} + st.rn <= {n_statements}
            """
        )
        con.execute(
            f"""
            INSERT INTO statement_topics
            SELECT r * {ID_STRIDE} + st.rn, t.topic FROM src.statement_topics t JOIN st USING (statement_id), reps
            WHERE r * {base} + st.rn <= {n_statements}
            """
        )
        con.execute(
            "INSERT INTO document_actors SELECT a.doc_id || '-s' || r, a.actor, a.surfaces, a.n "
            "FROM src.document_actors a, reps"
        )
        for table in ("actors", "speakers", "topics", "events", "sources", "ingest_runs", "rejects"):
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM src.{table}")
        with contextlib.suppress(duckdb.CatalogException):  # a source built before the names table has none
            con.execute("INSERT INTO names BY NAME SELECT * FROM src.names")
        con.execute("DETACH src")
        storage.build_rollups(con)
        # the names of the source, else those of data/names.csv, found in the resampled statements
        has_names = con.execute("SELECT count(*) FROM names").fetchone()[0] > 0
        names.build_statement_names(con, None if has_names else default_reference().names)
        con.execute("CHECKPOINT")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("documents", "statements", "mentions")}  # fmt: skip
    finally:
        con.close()
    counts["copies"] = copies
    return counts


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def time_pages(db: Path, runs: int) -> dict:
    """Time each page's queries on ``db`` (run this in a child process: it reports its own peak memory)."""
    from dashboard import queries
    from dashboard.filters import Filters

    con = queries.connect(db)
    views = {label: Filters.from_query_params(params)[0] for label, params in VIEWS.items()}
    result: dict = {"pages": {}}
    for page, functions in queries.PAGE_QUERIES.items():
        for label, filters in views.items():
            for fn in functions:  # warm-up: the first run reads the file from disk
                fn(con, filters)
            samples = []
            per_query: list[list[float]] = [[] for _ in functions]
            for _ in range(runs):
                started = time.perf_counter()
                for i, fn in enumerate(functions):
                    t0 = time.perf_counter()
                    fn(con, filters)
                    per_query[i].append((time.perf_counter() - t0) * 1000)
                samples.append((time.perf_counter() - started) * 1000)
            slowest = max(range(len(functions)), key=lambda i: _percentile(per_query[i], 0.95))
            result["pages"][f"{page} ({label})"] = {
                "median_ms": statistics.median(samples),
                "p95_ms": _percentile(samples, 0.95),
                "queries": len(functions),
                "slowest_query": _query_name(functions[slowest]),
                "slowest_p95_ms": _percentile(per_query[slowest], 0.95),
            }
    # The first search for a word reads every statement's text once (then the page's charts reuse it).
    firsts = []
    for word in ("border", "treaty", "sanctions", "humanitarian", "corridor", "energy", "refugees", "nuclear"):
        t0 = time.perf_counter()
        queries.search_table(con, word)
        firsts.append((time.perf_counter() - t0) * 1000)
    result["first_search_ms"] = statistics.median(firsts)
    con.close()
    result["peak_rss_mb"] = _peak_rss_mb()
    return result


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, because ru_maxrss survives exec on Linux and
    would report the parent's peak (the parent has just built a database)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _query_name(fn) -> str:
    inner = getattr(fn, "func", fn)
    name = getattr(inner, "__name__", "query")
    if name == "<lambda>":
        code = inner.__code__
        name = next((n for n in code.co_names if n not in ("con",)), "query")
    return name


def _time_in_child(db: Path, runs: int) -> dict:
    code = (
        "import json, sys; from pathlib import Path; from dashboard.bench import time_pages; "
        f"print(json.dumps(time_pages(Path({str(db)!r}), {runs})))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"timing {db} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def app_peak_memory(db: Path, port: int = 8599) -> float | None:
    """Start the app on ``db``, open every page in headless Chromium, return the server's peak RSS (MB)."""
    chromium = shutil.which("chromium")
    if not chromium:
        return None
    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "RHETORIC_DB": str(db)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
    )  # fmt: skip
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            deadline = time.time() + 60
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/overview", timeout=10_000)
                    break
                except Exception:
                    if time.time() > deadline:
                        raise
                    time.sleep(1)
            for path in ("overview", "countries", "tone", "quotes", "data"):
                page.goto(f"http://127.0.0.1:{port}/{path}", timeout=60_000)
                page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
                page.wait_for_timeout(2500)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
                )
            browser.close()
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        return peak_kb / 1024
    finally:
        server.terminate()
        server.wait(timeout=20)


def pipeline_speed(sample: Path) -> dict:
    """Extraction (documents/s, MB/s) on the shipped sample, and tone (sentences/s) on one core."""
    from dashboard.extract import extract_document
    from dashboard.readers import discover, read_file
    from dashboard.reference import default_reference
    from dashboard.tone import score_text

    ref = default_reference()
    files, _ = discover([sample])
    documents = [d for f in files for d in read_file(f).documents]
    started = time.perf_counter()
    statements = 0
    for doc in documents:
        statements += len(extract_document(doc, ref).statements)
    seconds = time.perf_counter() - started
    megabytes = sum(len(d.text.encode("utf-8")) for d in documents) / 1e6
    sentences = [s.strip() for d in documents[:200] for s in d.text.split(". ") if len(s.split()) >= 5]
    sentences = sentences[:20_000]
    t0 = time.perf_counter()
    for s in sentences:
        score_text(s)
    tone_seconds = time.perf_counter() - t0
    return {
        "documents": len(documents), "statements": statements, "seconds": seconds,
        "docs_per_s": len(documents) / seconds, "mb_per_s": megabytes / seconds,
        "tone_sentences": len(sentences), "tone_per_s": len(sentences) / tone_seconds,
    }  # fmt: skip


#: Sizes (MB) of the documents whose extraction time per MB is compared.
EXTRACTION_SIZES = (1.0, 10.0, 40.0)
#: A file must be read and extracted within this many seconds per MB (issue 12), whatever its size.
EXTRACTION_LIMIT_S_PER_MB = 5.0


def _sample_paragraphs(sample: Path) -> list[str]:
    from dashboard.readers import discover, read_file

    files, _ = discover([sample])
    return [p.strip() for f in files for d in read_file(f).documents for p in d.text.split("\n\n") if p.strip()]


def synthetic_document(paragraphs: list[str], megabytes: float, shape: str, seed: int = 12) -> str:
    """A document of about ``megabytes`` MB of the given paragraphs in a shuffled order (the same each
    run): ``paragraphs`` separated by blank lines, ``single line`` joined by spaces, or ``html``,
    a page with one ``<p>`` per paragraph."""
    import html
    import random

    rnd = random.Random(seed)
    target = int(megabytes * 1e6)
    chosen, size = [], 0
    while size < target:
        paragraph = rnd.choice(paragraphs)
        chosen.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    if shape == "single line":
        return " ".join(chosen).replace("\n", " ")  # (a paragraph of the sample may hold a line break)
    if shape == "html":
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in chosen)
        return (
            "<!DOCTYPE html><html><head><title>Synthetic benchmark page</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>Synthetic benchmark page</h1>{body}</article>"
            "<footer>Contact</footer></body></html>"
        )
    return "\n\n".join(chosen)


def extraction_per_mb(sample: Path, out: Path, sizes=EXTRACTION_SIZES,
                      shapes=("paragraphs", "single line", "html")) -> list[dict]:  # fmt: skip
    """CPU seconds to extract one document of each size and shape, and per MB of the file (an HTML
    page is read by ``read_html`` first, as ingest reads it; the time includes the reading)."""
    import gc

    from dashboard.extract import extract_document
    from dashboard.records import RawDocument
    from dashboard.reference import default_reference

    ref = default_reference()
    paragraphs = _sample_paragraphs(sample)
    extract_document(RawDocument(text=paragraphs[0], source_path="warm-up"), ref)
    out.mkdir(parents=True, exist_ok=True)
    # What the bench built before (the sample's ingest, its caches) stays out of the collector's
    # scans, so each document is timed as a fresh ingest would run it.
    gc.collect()
    gc.freeze()
    try:
        return _extraction_rows(paragraphs, ref, out, sizes, shapes)
    finally:
        gc.unfreeze()


def _extraction_rows(paragraphs, ref, out: Path, sizes, shapes) -> list[dict]:
    import gc

    from dashboard.extract import extract_document
    from dashboard.readers import read_html
    from dashboard.records import RawDocument

    rows = []
    for shape in shapes:
        for size in sizes:
            text = synthetic_document(paragraphs, size, shape)
            megabytes = len(text.encode("utf-8")) / 1e6
            gc.collect()
            started = time.process_time()
            if shape == "html":
                page = out / "extraction_bench.html"
                page.write_text(text, encoding="utf-8")
                try:
                    raw = read_html(page).documents[0]
                finally:
                    page.unlink(missing_ok=True)
            else:
                raw = RawDocument(text=text, source_path=f"synthetic {shape}", title="Synthetic benchmark document")
            statements = len(extract_document(raw, ref).statements)
            seconds = time.process_time() - started
            rows.append({"shape": shape, "mb": megabytes, "seconds": seconds, "s_per_mb": seconds / megabytes,
                         "statements": statements})  # fmt: skip
    return rows


def format_extraction(rows: list[dict]) -> str:
    lines = ["extraction per MB (one document, built from the sample; CPU seconds, HTML including its reading):",
             f"  {'shape':<12} {'MB':>6} {'seconds':>8} {'s/MB':>6} {'statements':>10}"]  # fmt: skip
    for row in rows:
        lines.append(f"  {row['shape']:<12} {row['mb']:>6.1f} {row['seconds']:>8.2f} {row['s_per_mb']:>6.2f} "
                     f"{row['statements']:>10,}")  # fmt: skip
    for shape in dict.fromkeys(r["shape"] for r in rows):
        own = [r for r in rows if r["shape"] == shape]
        if len(own) > 1:
            growth = own[-1]["s_per_mb"] / own[0]["s_per_mb"]
            lines.append(f"  {shape}: {own[-1]['mb']:.3g} MB takes {growth:.2f} times the time per MB of "
                         f"{own[0]['mb']:.3g} MB (1.00 is linear)")  # fmt: skip
    worst = max((r["s_per_mb"] for r in rows), default=0.0)
    ok = "met" if worst <= EXTRACTION_LIMIT_S_PER_MB else "MISSED"
    lines.append(f"  target: every document within {EXTRACTION_LIMIT_S_PER_MB:.0f} s per MB -- {ok}")
    return "\n".join(lines)


#: Ingest must read, extract, score and write at least this many MB of text per CPU second.
INGEST_TARGET_MB_S = 2.0

_INGEST_CHILD = """
import json, resource, sys, time
from pathlib import Path
from dashboard.ingest import ingest
started = time.perf_counter()
summary = ingest([sys.argv[1]], Path(sys.argv[2]), progress=False)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"documents": summary.documents_added + summary.documents_updated,
                  "statements": summary.statements, "text_mb": summary.text_bytes / 1e6,
                  "wall_s": time.perf_counter() - started, "cpu_s": usage.ru_utime + usage.ru_stime,
                  "rejected": summary.files_rejected}))
"""


def ingest_speed(sample: Path, out: Path) -> dict:
    """A whole ingest of ``sample`` into a new database, in a child process: MB of text per CPU
    second (that is, per core: the ingest runs on one), and the wall time."""
    target = out / "ingest_speed.duckdb"
    out.mkdir(parents=True, exist_ok=True)
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", _INGEST_CHILD, str(sample), str(target)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["mb_per_cpu_s"] = figures["text_mb"] / figures["cpu_s"]
    target.unlink(missing_ok=True)
    return figures


def format_table(rows: list[dict]) -> str:
    lines = [
        f"{'size':>10}  {'page (filters)':<22} {'queries':>7} {'median ms':>9} {'p95 ms':>7}  "
        f"{'slowest query (p95 ms)':<34} target",
        "-" * 100,
    ]
    for row in rows:
        for page, t in row["pages"].items():
            ok = "ok" if t["p95_ms"] <= TARGET_P95_MS else "SLOW"
            slowest = f"{t.get('slowest_query', '')} ({t.get('slowest_p95_ms', 0):.0f})"
            lines.append(
                f"{row['statements']:>10,}  {page:<22} {t['queries']:>7} {t['median_ms']:>9.1f} "
                f"{t['p95_ms']:>7.1f}  {slowest:<34} {ok}"
            )
        lines.append(
            f"{'':>10}  database {row['db_mb']:.0f} MB, {row['documents']:,} documents, "
            f"{row['mentions']:,} mentions; build {row['build_s']:.0f} s; "
            f"query process peak memory {row['peak_rss_mb']:.0f} MB"
        )
        if "first_search_ms" in row:
            lines.append(
                f"{'':>10}  a new text search first reads all statements' text once: "
                f"median {row['first_search_ms']:.0f} ms (the 'search' rows above reuse it)"
            )
        lines.append("")
    return "\n".join(lines)


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard bench",
        description="Time every page's queries on synthetic databases resampled from the shipped sample.",
    )
    parser.add_argument("--source", type=Path, default=None, help="database to resample (default: RHETORIC_DB)")
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="statement counts, comma-separated (default: 100000,1000000)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page and filter set (default 20)")
    parser.add_argument("--out", type=Path, default=Path("data/bench"), help="folder for the synthetic databases")
    parser.add_argument("--app", action="store_true", help="also measure the app server's peak memory in Chromium")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--sample", type=Path, default=Path("data/sample"),
                        help="documents for the extraction and tone speed (default data/sample)")  # fmt: skip
    parser.add_argument("--extraction-sizes", default=",".join(f"{s:g}" for s in EXTRACTION_SIZES),
                        help="MB of the single documents whose extraction time per MB is compared "
                             "(default 1,10,40; empty: skip)")  # fmt: skip
    args = parser.parse_args(argv)

    source = args.source or settings.db_path()
    if not source.exists():
        print(f"No database at {source}: build it first with `make db`.", file=sys.stderr)
        return 2
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        print(f"--sizes must be whole numbers separated by commas, got {args.sizes!r}", file=sys.stderr)
        return 2
    try:
        extraction_sizes = [float(s) for s in args.extraction_sizes.split(",") if s.strip()]
    except ValueError:
        print(f"--extraction-sizes must be numbers separated by commas, got {args.extraction_sizes!r}",
              file=sys.stderr)  # fmt: skip
        return 2
    rows = []
    for size in sizes:
        target = args.out / f"synthetic_{size}.duckdb"
        print(f"Building {target} (synthetic, resampled from {source}) ...", file=sys.stderr)
        started = time.perf_counter()
        counts = build_synthetic(source, target, size)
        build_s = time.perf_counter() - started
        print(f"Timing the pages on {counts['statements']:,} statements ...", file=sys.stderr)
        timing = _time_in_child(target, args.runs)
        rows.append({
            "statements": counts["statements"], "documents": counts["documents"],
            "mentions": counts["mentions"], "db_mb": target.stat().st_size / 2**20,
            "build_s": build_s, **timing,
        })  # fmt: skip
    if args.app and rows:
        target = args.out / f"synthetic_{sizes[-1]}.duckdb"
        print("Measuring the app server on the largest database ...", file=sys.stderr)
        rows[-1]["app_peak_rss_mb"] = app_peak_memory(target)
    speed = pipeline_speed(args.sample) if args.sample.exists() else None
    ingest = ingest_speed(args.sample, args.out) if args.sample.exists() else None
    per_mb = None
    if args.sample.exists() and extraction_sizes:
        print("Timing the extraction of single documents of " + ", ".join(f"{s:g}" for s in extraction_sizes)
              + " MB ...", file=sys.stderr)  # fmt: skip
        per_mb = extraction_per_mb(args.sample, args.out, extraction_sizes)
    if args.json:
        print(json.dumps({"pages": rows, "pipeline": speed, "ingest": ingest, "extraction_per_mb": per_mb}, indent=2))
    else:
        if ingest:
            ok = "met" if ingest["mb_per_cpu_s"] >= INGEST_TARGET_MB_S else "MISSED"
            print(
                f"ingest of {args.sample} into a new database: {ingest['text_mb']:.1f} MB of text, "
                f"{ingest['documents']:,} documents, {ingest['statements']:,} statements in "
                f"{ingest['wall_s']:.1f} s wall, {ingest['cpu_s']:.1f} s CPU = "
                f"{ingest['mb_per_cpu_s']:.2f} MB of text per second per core "
                f"(target >= {INGEST_TARGET_MB_S:.1f}: {ok})"
            )
        if speed:
            print(
                f"extraction on {args.sample}: {speed['documents']} documents, {speed['statements']:,} statements "
                f"in {speed['seconds']:.1f} s = {speed['docs_per_s']:.0f} documents/s, "
                f"{speed['mb_per_s']:.2f} MB/s (one core, tone included)\n"
                f"tone: {speed['tone_per_s']:,.0f} sentences/s on one core "
                f"({speed['tone_sentences']:,} sentences of the sample)\n"
            )
        if per_mb:
            print(format_extraction(per_mb) + "\n")
        if rows:
            print(format_table(rows))
        if args.app and rows:
            peak = rows[-1].get("app_peak_rss_mb")
            print("app server peak memory: " + (f"{peak:.0f} MB" if peak else "not measured (no chromium)"))
        slow = [(r["statements"], p) for r in rows for p, t in r["pages"].items() if t["p95_ms"] > TARGET_P95_MS]
        if rows:  # with --sizes "" no page was timed: no verdict
            print(f"target: every page's queries within {TARGET_P95_MS:.0f} ms at the 95th percentile -- "
                  + ("met" if not slow else f"missed by {len(slow)} page views"))  # fmt: skip
    return 0
