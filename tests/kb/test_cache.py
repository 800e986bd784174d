"""The KB cache: same knowledge base as parsing the YAML, never stale, never required."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluesim.kb import cache
from gluesim.kb.loader import data_files, load_files


@pytest.fixture
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GLUESIM_NO_CACHE", raising=False)
    monkeypatch.setenv("GLUESIM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def as_data(kb: object) -> list[dict[str, object]]:
    return [cache.entry_to_data(entry) for entry in kb]  # type: ignore[attr-defined]


def test_round_trip_gives_the_same_entries(cache_in: Path) -> None:
    paths = data_files()
    parsed = load_files(paths)
    assert cache.read(paths) is None
    cache.write(paths, parsed)
    cached = cache.read(paths)
    assert cached is not None
    assert as_data(cached) == as_data(parsed)
    assert cached.files == parsed.files
    assert [e.permissions for e in cached] == [e.permissions for e in parsed]


def test_a_changed_file_invalidates_the_cache(cache_in: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    for path in data_files():
        (folder / path.name).write_text(path.read_text())
    paths = sorted(folder.glob("*.yaml"))
    cache.write(paths, load_files(paths))
    assert cache.read(paths) is not None
    paths[0].write_text(paths[0].read_text() + "\n# edited\n")
    assert cache.read(paths) is None


def test_a_corrupt_cache_is_ignored(cache_in: Path) -> None:
    paths = data_files()
    cache.write(paths, load_files(paths))
    (target,) = cache_in.iterdir()
    target.write_text("{not json")
    assert cache.read(paths) is None
    data = {"key": cache.signature(paths), "files": [], "entries": [{"id": "x"}]}
    target.write_text(json.dumps(data))
    assert cache.read(paths) is None


def test_no_cache_means_no_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GLUESIM_NO_CACHE", "1")
    monkeypatch.setenv("GLUESIM_CACHE_DIR", str(tmp_path))
    cache.write(data_files(), load_files(data_files()))
    assert list(tmp_path.iterdir()) == []
    assert cache.read(data_files()) is None


def test_an_unwritable_cache_folder_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.delenv("GLUESIM_NO_CACHE", raising=False)
    monkeypatch.setenv("GLUESIM_CACHE_DIR", str(blocker / "sub"))
    cache.write(data_files(), load_files(data_files()))  # no exception
    assert cache.read(data_files()) is None
