"""``fix --write`` and ``import --to``: what they refuse (exit 2, one located line, nothing written) and what they keep.

The rules are in docs/guides/writing-files.md; kb/atomic.py implements them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from support import run_cli

TESTS = Path(__file__).resolve().parents[1]
SCENARIO = TESTS / "simulator" / "fixtures" / "typical.yaml"
GAAD = TESTS / "simulator" / "importers" / "samples" / "authorization-details" / "awscli-docs-example.json"
BUNDLE = TESTS / "simulator" / "importers" / "bundle"


def copy(source: Path, name: str) -> Callable[[Path], None]:
    return lambda t: (t / name).write_bytes(source.read_bytes())


def read_only(t: Path) -> None:
    (t / "out.yaml").write_text("keep\n")
    (t / "out.yaml").chmod(0o444)


def command(kind: str, target: str) -> list[str]:
    if kind == "fix":
        return ["fix", "{t}/s.yaml", "--write", target]
    return ["import", "{t}/gaad.json", "--to", target]


def scenario_and_export(t: Path) -> None:
    copy(SCENARIO, "s.yaml")(t)
    copy(GAAD, "gaad.json")(t)


REFUSALS = [
    ("empty", "", lambda t: None, "the file name is empty; expected a file to write"),
    ("folder", "{t}", lambda t: None, "is a folder; expected a file name to write"),
    ("read-only", "{t}/out.yaml", read_only, "is read-only; make it writable (chmod u+w) or choose another file"),
    ("loop", "{t}/out.yaml", lambda t: os.symlink("out.yaml", t / "out.yaml"),
     "is a symbolic link loop (or a chain of too many links); point it at a real file or remove it"),
    ("fifo", "{t}/out.yaml", lambda t: os.mkfifo(t / "out.yaml"),
     "is not a regular file (a FIFO, socket or device); expected a file name to write"),
    ("no-folder", "{t}/no/out.yaml", lambda t: None, "its folder '{t}/no' does not exist; create it first"),
]


@pytest.mark.parametrize("kind", ["fix", "import"])
@pytest.mark.parametrize(("target", "make", "expected"), [c[1:] for c in REFUSALS], ids=[c[0] for c in REFUSALS])
def test_a_surprising_output_is_refused_before_any_work(
    kind: str, target: str, make: Callable[[Path], None], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario_and_export(tmp_path)
    make(tmp_path)
    before = {p.name: p.lstat().st_mtime_ns for p in tmp_path.iterdir()}
    option = "--write" if kind == "fix" else "--to"
    argv = [a.replace("{t}", str(tmp_path)) for a in command(kind, target)]
    code, out, err = run_cli(capsys, *argv)
    shown = target.replace("{t}", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"Error: {option} {shown!r}: {expected.replace('{t}', str(tmp_path))}\n"
    assert {p.name: p.lstat().st_mtime_ns for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import", "{t}/gaad.json", "--to", "{t}/gaad.json"],
         "--to '{t}/gaad.json': is the input '{t}/gaad.json'; write to another file, inputs are never overwritten"),
        (["import", "{t}/gaad.json", "--to", "{t}/link.json"],
         "--to '{t}/link.json': is the input '{t}/gaad.json'; write to another file, inputs are never overwritten"),
        (["import", "{t}/b", "--to", "{t}/b/account.yaml"],
         "--to '{t}/b/account.yaml': lies inside the input folder '{t}/b'; write it outside the folder"),
    ],
    ids=["import-onto-its-export", "import-onto-a-link-to-its-export", "import-into-its-folder"],
)
def test_an_output_that_is_an_input_is_refused(
    argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    scenario_and_export(tmp_path)
    os.symlink("gaad.json", tmp_path / "link.json")
    shutil.copytree(BUNDLE, tmp_path / "b")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, _, err = run_cli(capsys, *[a.replace("{t}", str(tmp_path)) for a in argv])
    assert (code, err) == (2, f"Error: {expected.replace('{t}', str(tmp_path))}\n")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_writing_through_a_link_updates_its_target_and_keeps_modes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario_and_export(tmp_path)
    real = tmp_path / "account.yaml"
    real.write_text("old\n")
    real.chmod(0o640)
    (tmp_path / "current.yaml").symlink_to(real.name)
    code, _, err = run_cli(capsys, "import", tmp_path / "gaad.json", "--to", tmp_path / "current.yaml", "--allow-partial")
    assert code == 0, err
    assert (tmp_path / "current.yaml").is_symlink() and real.read_text().startswith("name:")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["account.yaml", "current.yaml", "gaad.json", "s.yaml"]


def test_a_full_disk_leaves_the_old_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from gluesim.kb import atomic

    scenario_and_export(tmp_path)
    (tmp_path / "fixed.yaml").write_text("old\n")

    def full(descriptor: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "write", full)
    code, _, err = run_cli(capsys, "fix", tmp_path / "s.yaml", "--write", tmp_path / "fixed.yaml")
    target = str(tmp_path / "fixed.yaml")
    assert (code, err) == (2, f"Error: --write {target!r}: cannot write {target!r} (No space left on device); nothing was changed\n")
    assert (tmp_path / "fixed.yaml").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed.yaml", "gaad.json", "s.yaml"]


def test_fix_writes_its_own_scenario_in_place_keeping_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gluesim.simulator.library import library_dir

    scenario = tmp_path / "mine.yaml"
    original = (library_dir() / "default.yaml").read_text(encoding="utf-8")
    scenario.write_text(original, encoding="utf-8")
    scenario.chmod(0o640)
    code, _, err = run_cli(capsys, "fix", scenario, "--write", scenario)
    assert code == 0, err
    fixed = scenario.read_text(encoding="utf-8")
    assert fixed != original
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in fixed.splitlines() for line in comments)
    assert stat.S_IMODE(scenario.stat().st_mode) == 0o640
    assert run_cli(capsys, "simulate", scenario)[0] == 0


def test_fix_in_place_is_refused_when_the_layout_cannot_be_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gluesim.simulator.library import library_dir
    from gluesim.simulator.scenario import edit

    scenario = tmp_path / "mine.yaml"
    scenario.write_text((library_dir() / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = scenario.read_bytes()
    monkeypatch.setattr(edit, "edited", lambda *args: None)  # a change the editor cannot make in place
    code, out, err = run_cli(capsys, "fix", scenario, "--write", scenario)
    assert (code, out) == (2, "")
    assert err == (f"Error: --write {str(scenario)!r}: cannot keep this file's comments and layout for this change; "
                   "write the fixed scenario to another file, or review it with --diff\n")
    assert scenario.read_bytes() == before
