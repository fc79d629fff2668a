"""Settings in one place: each has a default, an environment override and a line of help."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env) or self.default


SETTINGS = {
    s.name: s
    for s in (
        Setting(
            "db",
            "RHETORIC_DB",
            str(PROJECT_ROOT / "data" / "rhetoric.duckdb"),
            "DuckDB file the ingest command writes and the app reads.",
        ),
        Setting(
            "data_dir",
            "RHETORIC_DATA_DIR",
            str(PROJECT_ROOT / "data"),
            "Folder holding the reference tables (actors, speakers, topics, events, tone cues).",
        ),
        Setting(
            "sample_dir",
            "RHETORIC_SAMPLE_DIR",
            str(PROJECT_ROOT / "data" / "sample"),
            "Folder of shipped sample documents ingested by `make run` when the database is missing.",
        ),
        Setting(
            "max_file_mb",
            "RHETORIC_MAX_FILE_MB",
            "50",
            "Files larger than this many megabytes are rejected.",
        ),
        Setting(
            "file_seconds_per_mb",
            "RHETORIC_FILE_SECONDS_PER_MB",
            "10",
            "Reading and extracting one file may take this many seconds per MB; a slower file is rejected.",
        ),
        Setting(
            "file_min_seconds",
            "RHETORIC_FILE_MIN_SECONDS",
            "30",
            "The time limit of a small file: however small, a file may take this many seconds.",
        ),
        Setting(
            "memory_limit",
            "RHETORIC_MEMORY_LIMIT",
            "1GB",
            "Most memory the app's database connection may use (DuckDB's memory_limit).",
        ),
        Setting(
            "low_n",
            "RHETORIC_LOW_N",
            "5",
            "Means over fewer statements than this are marked as unreliable.",
        ),
    )
}


def db_path() -> Path:
    return Path(SETTINGS["db"].value())


def data_dir() -> Path:
    return Path(SETTINGS["data_dir"].value())


def sample_dir() -> Path:
    return Path(SETTINGS["sample_dir"].value())


def max_file_bytes() -> int:
    return int(float(SETTINGS["max_file_mb"].value()) * 1024 * 1024)


def file_time_limit(size_bytes: int) -> float:
    """Seconds one file of ``size_bytes`` may take to read and extract before it is rejected."""
    per_mb = float(SETTINGS["file_seconds_per_mb"].value()) * size_bytes / 1024 / 1024
    return max(float(SETTINGS["file_min_seconds"].value()), per_mb)


def memory_limit() -> str:
    return SETTINGS["memory_limit"].value()


def low_n() -> int:
    return int(SETTINGS["low_n"].value())
