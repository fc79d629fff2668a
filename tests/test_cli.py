"""The command line: documented, helpful, and honest about what it did."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import COMMANDS, main

README = Path(__file__).resolve().parent.parent / "README.md"


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_in_the_readme(command):
    assert re.search(rf"python -m dashboard {command}\b", README.read_text(encoding="utf-8"))


def test_ingest_help_names_the_options():
    out = run("ingest", "--help").stdout
    assert "--db" in out and "PATH" in out and "RHETORIC_DB" in out


def test_ingest_prints_a_closing_summary(tiny_corpus, tmp_path):
    (tiny_corpus / "bad.json").write_text("{not json")
    db = tmp_path / "x.duckdb"
    proc = run("ingest", str(tiny_corpus), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "files seen:          6" in proc.stdout
    assert "documents added:     5" in proc.stdout
    assert "files rejected:      1" in proc.stdout
    assert "bad.json: malformed JSON" in proc.stdout
    assert "Ingesting" in proc.stderr  # the progress bar


def test_ingest_honours_the_environment_variable(tiny_corpus, tmp_path):
    import os

    db = tmp_path / "from-env.duckdb"
    proc = run("ingest", str(tiny_corpus / "news"), "--quiet", env={**os.environ, "RHETORIC_DB": str(db)})
    assert proc.returncode == 0, proc.stderr
    assert db.exists()


def test_info_and_export(built_db, tmp_path, capsys):
    assert main(["info", "--db", str(built_db)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"documents\s+5", out)
    assert main(["export", str(tmp_path / "pq"), "--db", str(built_db)]) == 0
    months = sorted(p.name for p in (tmp_path / "pq" / "statements").iterdir())
    assert "month=2020-09" in months


def test_info_without_database_says_how_to_build_one(tmp_path, capsys):
    assert main(["info", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "python -m dashboard ingest" in capsys.readouterr().err
