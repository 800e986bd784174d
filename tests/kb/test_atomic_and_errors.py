"""Atomic writes and the error helpers."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from gluesim.kb import atomic
from gluesim.kb.atomic import check_not_an_input, write_text_atomic
from gluesim.kb.errors import LocatedError, did_you_mean, where


def test_write_is_complete_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    with pytest.raises(TypeError):
        write_text_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_did_you_mean() -> None:
    assert did_you_mean("studio-basics", ["studio-basic", "admin"]) == "; did you mean 'studio-basic'?"
    assert did_you_mean("zzz", ["studio-basic"]) == ""


def test_located_error_text() -> None:
    error = LocatedError(where("scenario.yaml", 14), "user 'analyst' has no policy")
    assert str(error) == "scenario.yaml:14: user 'analyst' has no policy"
    assert where("p.json", 3, 7) == "p.json:3:7"


def test_a_replaced_file_keeps_its_mode_and_a_new_file_gets_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.yaml"
    kept.write_text("old\n")
    kept.chmod(0o640)
    write_text_atomic(kept, "new\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new\n"
    old_umask = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "new.yaml", "new\n")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new.yaml").stat().st_mode) == 0o640  # 0666 less the umask, not mkstemp's 0600


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    assert write_text_atomic(link, "new\n") == real
    assert link.is_symlink() and real.read_text() == "new\n"
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to("created.yaml")
    write_text_atomic(dangling, "made\n")
    assert dangling.is_symlink() and (tmp_path / "created.yaml").read_text() == "made\n"


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("", lambda t: None, "the file name is empty; expected a file to write"),
        ("x", lambda t: (t / "x").mkdir(), "is a folder; expected a file name to write"),
        ("x", lambda t: os.mkfifo(t / "x"), "is not a regular file (a FIFO, socket or device); expected a file name to write"),
        ("x", lambda t: os.symlink("x", t / "x"),
         "is a symbolic link loop (or a chain of too many links); point it at a real file or remove it"),
        ("x", lambda t: ((t / "x").write_text("keep\n"), (t / "x").chmod(0o444)),
         "is read-only; make it writable (chmod u+w) or choose another file"),
        ("no/x", lambda t: None, "its folder '{t}/no' does not exist; create it first"),
    ],
    ids=["empty", "folder", "fifo", "loop", "read-only", "no-folder"],
)
def test_writes_that_would_surprise_are_refused(tmp_path: Path, name: str, make, expected: str) -> None:  # noqa: ANN001
    make(tmp_path)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(LocatedError) as caught:
        write_text_atomic(str(tmp_path / name) if name else "", "new\n", "--to X")
    assert str(caught.value) == "--to X: " + expected.replace("{t}", str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EROFS, errno.EDQUOT], ids=["full-disk", "read-only-fs", "quota"])
def test_a_failing_write_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: int
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")

    def refuse(descriptor: int, data: object) -> int:
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(atomic.os, "write", refuse)
    with pytest.raises(LocatedError) as caught:
        write_text_atomic(target, "new\n", "--write 'out.yaml'")
    assert str(caught.value) == f"--write 'out.yaml': cannot write {str(target)!r} ({os.strerror(failure)}); nothing was changed"
    assert target.read_text() == "old\n" and os.listdir(tmp_path) == ["out.yaml"]


def test_an_unwritable_folder_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, whom permission bits do not stop: the refusal the kernel gives others is simulated.
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(atomic.os, "open", refuse)
    with pytest.raises(LocatedError) as caught:
        write_text_atomic(tmp_path / "out.yaml", "new\n", "--to 'out.yaml'")
    assert str(caught.value) == f"--to 'out.yaml': cannot write into {str(tmp_path)!r} (Permission denied); choose a writable folder"


def test_leftovers_of_processes_that_died_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead_file = tmp_path / ".out.yaml.gluesim-99999999-ab12.tmp"  # above any pid_max: no such process
    dead_file.write_text("half")
    dead_folder = tmp_path / ".site.gluesim-99999999-x_y1.partial"
    (dead_folder / "result").mkdir(parents=True)
    live = tmp_path / f".other.yaml.gluesim-{os.getpid()}-cd34.tmp"
    live.write_text("in progress")
    unrelated = tmp_path / ".notes.tmp"
    unrelated.write_text("mine")
    write_text_atomic(tmp_path / "out.yaml", "new\n")
    assert sorted(os.listdir(tmp_path)) == sorted([live.name, unrelated.name, "out.yaml"])


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "gaad.json"
    source.write_text("{}")
    (tmp_path / "export").mkdir()
    hard = tmp_path / "hard.json"
    os.link(source, hard)
    for output, expected in [
        (source, f"is the input {str(source)!r}; write to another file, inputs are never overwritten"),
        (hard, f"is the input {str(source)!r}; write to another file, inputs are never overwritten"),
        (tmp_path / "export" / "a.yaml", f"lies inside the input folder {str(tmp_path / 'export')!r}; write it outside the folder"),
    ]:
        with pytest.raises(LocatedError) as caught:
            check_not_an_input(output, [source, tmp_path / "export"], "--to X")
        assert str(caught.value) == f"--to X: {expected}"
    check_not_an_input(tmp_path / "account.yaml", [source, tmp_path / "export"], "--to X")
