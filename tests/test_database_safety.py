"""The database file: one consistent live database after every ingest, kill or failure.

A killed writer's log, a --db that is a symlink, two ingests at once, kills at random moments,
and every way the database or the disk can refuse: each ends with the previous database whole,
no staging file left, and (for failures) one line on stderr, never a traceback.
"""

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dashboard import queries
from dashboard.cli import main
from dashboard.ingest import ingest
from dashboard.storage import (
    remove_stale_staging,
    staging_files,
    staging_path,
    wal_path,
    writer_lock,
)

ROOT = Path(__file__).resolve().parent.parent
UNGDC = ROOT / "data" / "sample" / "ungdc"

#: A program that writes the database and is killed before its checkpoint: its committed
#: transaction stays in the write-ahead log beside the file, as a crashed writer leaves it.
KILLED_WRITER = """
import duckdb, os, signal, sys
con = duckdb.connect(sys.argv[1])
con.execute("SET wal_autocheckpoint='1TB'")
con.execute("PRAGMA disable_checkpoint_on_shutdown")
con.execute("CREATE OR REPLACE TABLE killed_writer AS SELECT 42 AS answer")
os.kill(os.getpid(), signal.SIGKILL)
"""


def start_ingest(*paths, db, **kwargs) -> subprocess.Popen:
    command = [sys.executable, "-m", "dashboard", "ingest", *map(str, paths), "--db", str(db), "--quiet"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def run_ingest(*paths, db, **kwargs) -> subprocess.CompletedProcess:
    proc = start_ingest(*paths, db=db, **kwargs)
    stdout, stderr = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def kill_a_writer(db: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db)], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert wal_path(db).exists()


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def documents(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT source_path FROM documents").fetchall()}
    finally:
        con.close()


def leftovers(db: Path) -> list[str]:
    return [p.name for p in (*staging_files(db), wal_path(db)) if p.exists()]


@pytest.fixture
def speeches(tmp_path) -> Path:
    """Twenty UN General Debate statements (0.7 MB): an ingest of a second or two."""
    folder = tmp_path / "speeches"
    (folder / "txt").mkdir(parents=True)
    shutil.copy(UNGDC / "speakers.csv", folder / "speakers.csv")
    for path in sorted((UNGDC / "txt").glob("*.txt"))[:20]:
        shutil.copy(path, folder / "txt" / path.name)
    return folder


def wait_for(condition, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)


# A killed writer's log --------------------------------------------------------------------------


def test_a_killed_writers_log_goes_into_the_new_database_and_is_not_left_beside_it(built_db, speeches):
    kill_a_writer(built_db)
    before = documents(built_db)

    proc = run_ingest(speeches / "txt" / "ARM_47_1992.txt", db=built_db)

    assert proc.returncode == 0, proc.stderr
    assert leftovers(built_db) == []
    con = duckdb.connect(str(built_db), read_only=True)
    assert con.execute("SELECT answer FROM killed_writer").fetchall() == [(42,)]  # replayed, not lost
    con.close()
    assert documents(built_db) - before == {str(speeches / "txt" / "ARM_47_1992.txt")}
    info = subprocess.run([sys.executable, "-m", "dashboard", "info", "--db", str(built_db)],
                          cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert info.returncode == 0 and "killed_writer" in info.stdout, info.stderr
    app = queries.connect(built_db)
    assert app.execute("SELECT count(*) FROM documents").fetchone()[0] == len(before) + 1
    app.close()
    again = run_ingest(speeches / "txt" / "ARM_48_1993.txt", db=built_db)
    assert again.returncode == 0, again.stderr
    assert len(documents(built_db)) == len(before) + 2


def test_a_log_older_than_its_database_is_refused_in_one_line_and_nothing_is_touched(built_db, capsys):
    # The state an ingest used to leave: the new file, and the old file's log beside it.
    kill_a_writer(built_db)
    old_log = wal_path(built_db).read_bytes()
    ingest([], built_db, progress=False)
    wal_path(built_db).write_bytes(old_log)
    data = built_db.read_bytes()

    assert main(["ingest", str(ROOT / "data" / "sample" / "news"), "--db", str(built_db), "--quiet"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "older version" in line and "move it away" in line and str(wal_path(built_db)) in line
    assert main(["info", "--db", str(built_db)]) == 1
    assert "older version" in one_error_line(capsys.readouterr().err)
    assert built_db.read_bytes() == data and wal_path(built_db).read_bytes() == old_log
    assert not staging_path(built_db).exists()


def test_the_app_says_why_it_cannot_open_a_database_with_an_older_log(built_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    kill_a_writer(built_db)
    old_log = wal_path(built_db).read_bytes()
    ingest([], built_db, progress=False)
    wal_path(built_db).write_bytes(old_log)
    monkeypatch.setenv("RHETORIC_DB", str(built_db))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()

    assert not at.exception
    assert "cannot be opened" in at.error[0].value and "older version" in at.error[0].value


# A symlinked --db ------------------------------------------------------------------------------


def test_a_symlinked_db_stays_a_link_and_its_target_gets_the_batch(built_db, speeches, tmp_path):
    link = tmp_path / "elsewhere" / "link.duckdb"
    link.parent.mkdir()
    link.symlink_to(built_db)
    before = documents(built_db)

    proc = run_ingest(speeches / "txt" / "ARM_47_1992.txt", db=link)

    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and link.resolve() == built_db
    assert len(documents(built_db)) == len(before) + 1
    assert sorted(p.name for p in link.parent.iterdir()) == ["link.duckdb"]  # lock and staging beside the target
    assert leftovers(built_db) == []


def test_two_ingests_at_once_through_the_link_and_the_real_path(built_db, speeches, tmp_path, capsys):
    link = tmp_path / "link.duckdb"
    link.symlink_to(built_db)
    before = documents(built_db)

    first = start_ingest(speeches, db=link)
    wait_for(staging_path(built_db).exists, first)
    first.send_signal(signal.SIGSTOP)  # holds the lock, mid-batch, for as long as the test needs
    try:
        second = run_ingest(ROOT / "data" / "sample" / "news", db=built_db)
        assert main(["ingest", str(speeches), "--db", str(link), "--quiet"]) == 1
        third = one_error_line(capsys.readouterr().err)
    finally:
        first.send_signal(signal.SIGCONT)
    stdout, stderr = first.communicate(timeout=300)

    assert second.returncode == 1
    assert "another ingest is writing" in one_error_line(second.stderr)
    assert "another ingest is writing" in third
    assert first.returncode == 0, stderr
    assert len(documents(built_db)) == len(before) + 20
    assert leftovers(built_db) == []


def test_a_held_lock_on_the_real_path_stops_an_ingest_through_the_link(built_db, tmp_path, capsys):
    link = tmp_path / "link.duckdb"
    link.symlink_to(built_db)
    with writer_lock(built_db):
        assert main(["ingest", str(ROOT / "data" / "sample" / "news"), "--db", str(link), "--quiet"]) == 1
    assert "another ingest is writing" in one_error_line(capsys.readouterr().err)


# Kills -----------------------------------------------------------------------------------------


def test_kills_at_random_moments_leave_the_previous_database_whole_and_the_next_run_cleans_up(
    built_db, speeches
):
    before = documents(built_db)
    everything = before | {str(p) for p in (speeches / "txt").glob("*.txt")}
    moments = random.Random(12).sample([i / 20 for i in range(40)], 3)  # after the copy began
    for delay in moments:
        proc = start_ingest(speeches, db=built_db)
        wait_for(staging_path(built_db).exists, proc)
        time.sleep(delay)
        proc.kill()
        proc.communicate()
        # Killed before the rename: the old database; after it: the whole batch. Never half.
        assert documents(built_db) in (before, everything), delay
        assert not wal_path(built_db).exists()
        info = subprocess.run([sys.executable, "-m", "dashboard", "info", "--db", str(built_db)],
                              cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        assert info.returncode == 0, info.stderr
        assert leftovers(built_db) == [], delay  # info cleared what the dead ingest left
        before = documents(built_db)
    proc = run_ingest(speeches, db=built_db)
    assert proc.returncode == 0, proc.stderr
    assert documents(built_db) == everything
    assert sorted(p.name for p in built_db.parent.iterdir() if p.name.startswith(built_db.name)) == [
        built_db.name, built_db.name + ".lock"
    ]  # fmt: skip


def test_a_killed_ingests_staging_file_is_removed_by_the_next_ingest(built_db, speeches):
    proc = start_ingest(speeches, db=built_db)
    wait_for(staging_path(built_db).exists, proc)
    proc.kill()
    proc.communicate()
    assert staging_path(built_db).exists()  # a SIGKILL cannot be caught

    again = run_ingest(ROOT / "data" / "sample" / "news", db=built_db)

    assert again.returncode == 0, again.stderr
    assert leftovers(built_db) == []


def test_leftovers_stay_while_an_ingest_holds_the_lock_and_go_once_it_is_dead(built_db):
    stage, log, spill = staging_files(built_db)
    with writer_lock(built_db):
        stage.write_bytes(b"being written")
        log.write_bytes(b"being written")
        spill.mkdir()
        remove_stale_staging(built_db)  # what info or export does meanwhile
        assert leftovers(built_db) == [stage.name, log.name, spill.name]
    remove_stale_staging(built_db)
    assert leftovers(built_db) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_remove_the_staging_file_themselves(built_db, speeches, signum):
    data = built_db.read_bytes()
    proc = start_ingest(speeches, db=built_db)
    wait_for(staging_path(built_db).exists, proc)

    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)

    assert proc.returncode == 128 + signum
    assert one_error_line(stderr) == f"error: ingest interrupted ({signal.Signals(signum).name})"
    assert leftovers(built_db) == []
    assert built_db.read_bytes() == data


# One line instead of a traceback ---------------------------------------------------------------


def not_a_database_file(tmp_path: Path) -> Path:
    db = tmp_path / "notes.duckdb"
    db.write_text("my notes, not a database\n")
    return db


def a_folder(tmp_path: Path) -> Path:
    db = tmp_path / "folder.duckdb"
    (db / "inside").mkdir(parents=True)
    return db


def under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain-file").write_text("x")
    return tmp_path / "plain-file" / "rhetoric.duckdb"


def snapshot(path: Path) -> dict:
    if path.is_dir():
        return {p.name: p.is_dir() for p in path.iterdir()}
    return {"bytes": path.read_bytes() if path.exists() else None, "siblings": sorted(os.listdir(path.parent))}


@pytest.mark.parametrize(
    ("make_db", "reason"),
    [
        (not_a_database_file, "not a valid DuckDB database file"),
        (a_folder, "is a folder, not a database file"),
        (under_a_file, "plain-file is a file, not a folder"),
    ],
)
def test_a_db_that_cannot_be_a_database_is_refused_in_one_line(make_db, reason, tmp_path, capsys):
    db = make_db(tmp_path)
    before = snapshot(db) if db.parent.is_dir() else None

    assert main(["ingest", str(ROOT / "data" / "sample" / "news"), "--db", str(db), "--quiet"]) == 2

    assert reason in one_error_line(capsys.readouterr().err)
    if before is not None and db.is_dir():
        assert snapshot(db) == before
    elif before is not None:
        assert snapshot(db)["bytes"] == before["bytes"]
        assert not staging_path(db).exists()
    assert main(["info", "--db", str(db)]) == 1
    one_error_line(capsys.readouterr().err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_db_in_a_read_only_folder_is_refused_in_one_line(built_db, capsys):
    data = built_db.read_bytes()
    built_db.parent.chmod(0o555)
    try:
        status = main(["ingest", str(ROOT / "data" / "sample" / "news"), "--db", str(built_db), "--quiet"])
    finally:
        built_db.parent.chmod(0o755)
    assert status in (1, 2)
    assert "Permission denied" in one_error_line(capsys.readouterr().err)
    assert built_db.read_bytes() == data


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a folder no one may write: Linux's /sys")
def test_a_db_in_a_folder_no_one_may_write_is_refused_in_one_line(capsys):
    db = "/sys/rhetoric.duckdb"  # even root may not create files in sysfs
    assert main(["ingest", str(ROOT / "data" / "sample" / "news"), "--db", db, "--quiet"]) == 2
    assert one_error_line(capsys.readouterr().err).startswith(f"error: cannot write a database at {db}: ")
    assert not Path(db).exists()


def without_root_powers(command: list[str]) -> list[str]:
    """``command`` run so that file modes bind it: as root, without the capabilities that let root
    enter and read what a folder's modes forbid (setpriv drops them)."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: no folder can be made unenterable")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]


def test_an_input_folder_that_cannot_be_entered_is_a_reason_not_a_traceback(built_db, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "article.txt").write_text("Yerevan and Baku met in Geneva.\n")
    data = built_db.read_bytes()
    folder.chmod(0o644)  # listed, never entered: no execute permission
    try:
        command = [sys.executable, "-m", "dashboard", "ingest", str(folder), "--db", str(built_db)]
        proc = subprocess.run(without_root_powers(command), capture_output=True, text=True, cwd=ROOT, timeout=120)
    finally:
        folder.chmod(0o755)
    assert "Traceback" not in proc.stderr
    if proc.returncode == 0:  # the file recorded as a reject: the rest of a batch would still go in
        assert "rejected: " in proc.stdout and str(folder) in proc.stdout and "ermission" in proc.stdout
    else:
        assert proc.returncode in (1, 2)
        assert "Permission denied" in one_error_line(proc.stderr)
        assert built_db.read_bytes() == data


def run_with_file_size_limit(limit: int, *paths, db: Path) -> subprocess.CompletedProcess:
    """An ingest whose writes fail past ``limit`` bytes per file (EFBIG), as on a full disk."""

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return run_ingest(*paths, db=db, preexec_fn=limit_file_size)


@pytest.mark.parametrize("room", [-1_000_000, 300_000], ids=["copy-fails", "build-fails"])
def test_a_full_disk_while_building_leaves_the_old_database_and_no_staging_file(built_db, speeches, room):
    data = built_db.read_bytes()

    proc = run_with_file_size_limit(len(data) + room, speeches, db=built_db)

    assert proc.returncode == 1
    assert "File too large" in one_error_line(proc.stderr)
    assert built_db.read_bytes() == data
    assert leftovers(built_db) == []
