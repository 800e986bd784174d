"""Put a generated site (or mkdocs project) in place all at once, or not at all.

The output is made in a temporary folder next to ``--out`` and renamed into place when
complete, so a failed build never leaves a half-written folder that looks like a site.
Every build leaves a marker file (:data:`MARKER`) in what it writes. An existing
non-empty ``--out`` is replaced only when it holds that marker (gluesim built it) and
``force`` is given; any other non-empty folder is refused, with or without ``force``, and
so is an ``--out`` holding one of the build's inputs. Nothing outside ``--out`` is ever
removed, except the ``.partial`` folders interrupted builds left beside it
(:func:`gluesim.kb.atomic.remove_leftovers`). docs/guides/writing-files.md documents this.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from gluesim.kb.errors import LocatedError

MARKER = ".gluesim-site"
MARKER_TEXT = (
    "This folder was built by 'gluesim docs build'.\n"
    "'gluesim docs build --force' replaces only folders that hold this file.\n"
)


def _where(out: Path) -> str:
    return f"--out {str(out)!r}"


def check_target(out: Path, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Raise a located error unless ``out`` may receive a new site built from ``inputs``."""
    where = _where(out)
    if out.is_symlink():
        raise LocatedError(where, "is a symbolic link; give the real folder")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise LocatedError(where, f"folder {str(parent)!r} does not exist; create it first or choose another --out")
    if out.exists() and not out.is_dir():
        raise LocatedError(where, "is a file, not a folder; choose a folder for the site")
    if out.is_dir() and any(out.iterdir()):
        if not built_by_gluesim(out):
            raise LocatedError(where, f"folder is not empty and gluesim did not build it (no {MARKER} file); "
                               "choose an empty or new folder: --force replaces only a folder gluesim built")
        if not force:
            raise LocatedError(where, "holds a site gluesim built; pass --force to replace it, or choose an empty or new folder")
        _check_replaceable(out, where)
        _check_no_input_inside(out, inputs, where)


def built_by_gluesim(out: Path) -> bool:
    """True when ``out`` holds the marker file a gluesim build writes (a regular file, not a link)."""
    marker = out / MARKER
    return marker.is_file() and not marker.is_symlink()


def _check_no_input_inside(out: Path, inputs: Iterable[Path], where: str) -> None:
    """Refuse to replace a folder that holds one of the build's inputs (it would be deleted)."""
    target = Path(os.path.realpath(out))
    for given in inputs:
        real = Path(os.path.realpath(given))
        if real == target or target in real.parents:
            raise LocatedError(where, f"holds the input {str(given)!r}; choose an --out that holds no input")


def _check_replaceable(out: Path, where: str) -> None:
    """Refuse to replace a folder whose removal would delete the user's own work."""
    target = out.resolve()
    cwd = Path.cwd().resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise LocatedError(where, "is the root or home folder; choose a folder of its own for the site")
    if cwd == target or target in cwd.parents:
        raise LocatedError(where, "contains the current folder; choose a folder of its own for the site")


def publish(out: Path, force: bool, produce: Callable[[Path], None], inputs: Iterable[Path] = ()) -> None:
    """Call ``produce(folder)`` on a fresh folder beside ``out``, mark it as gluesim's, then move it to ``out``."""
    from gluesim.kb.atomic import leftover_prefix, remove_leftovers

    check_target(out, force, inputs)
    parent = out.absolute().parent
    remove_leftovers(parent)
    try:
        staging = Path(tempfile.mkdtemp(prefix=leftover_prefix(out.name or "site"), suffix=".partial", dir=parent))
    except OSError as exc:
        raise LocatedError(_where(out), f"cannot write into {str(parent)!r} ({exc.strerror}); choose a writable folder") from None
    try:
        produced = staging / "result"
        produced.mkdir()
        produce(produced)
        (produced / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _swap_in(produced, out, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(produced: Path, out: Path, staging: Path) -> None:
    """Rename ``produced`` to ``out``; an old ``out`` goes into ``staging`` and is removed with it."""
    old = staging / "previous"
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(produced, out)
    except OSError:
        if old.exists():
            os.rename(old, out)
        raise
