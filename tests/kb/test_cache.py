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


@pytest.mark.parametrize(
    "content",
    ["[" * 200_000, '{"key": ' * 50_000, '{"key": [], "files": [], "entries": [' + "9" * 5000 + "]}", "\x00\xff"],
    ids=["nested-lists", "nested-objects", "huge-number", "binary"],
)
def test_a_corrupted_cache_is_silently_rebuilt(
    cache_in: Path, content: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gluesim.kb import loader
    from support import run_cli

    paths = data_files()
    target = cache.cache_file(cache_in, paths)
    cache_in.mkdir()
    target.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert cache.read(paths) is None
    monkeypatch.setattr(loader, "load", loader.load.__wrapped__)  # this process has loaded the KB already
    code, out, err = run_cli(capsys, "explain", "glue:BatchDeleteJob")
    assert (code, err) == (0, "") and "BatchDeleteJob" in out
    assert cache.read(paths) is not None  # rewritten whole


def test_a_cache_that_is_a_fifo_is_skipped_without_blocking(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    folder = tmp_path / "cache"
    folder.mkdir()
    fifo = cache.cache_file(folder, data_files())
    os.mkfifo(fifo)
    env = {**os.environ, "GLUESIM_CACHE_DIR": str(folder)}
    env.pop("GLUESIM_NO_CACHE", None)
    try:  # a subprocess, so that a reader that blocks fails this test instead of hanging the suite
        done = subprocess.run([sys.executable, "-m", "gluesim.cli", "explain", "glue:BatchDeleteJob"], env=env,
                              capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("gluesim explain blocked on a cache file that is a FIFO")
    assert (done.returncode, done.stderr) == (0, "") and "BatchDeleteJob" in done.stdout
    assert fifo.is_fifo()  # never replaced: gluesim writes only regular files
