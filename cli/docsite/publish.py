"""Put a generated site (or mkdocs project) in place all at once, or not at all.

The output is made in a temporary folder next to ``--out`` and renamed into place when
complete, so a failed build never leaves a half-written folder that looks like a site.
An existing non-empty ``--out`` is replaced only with ``force``, and nothing outside
``--out`` (and the temporary folder beside it) is ever removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from gluesim.kb.errors import LocatedError


def _where(out: Path) -> str:
    return f"--out {str(out)!r}"


def check_target(out: Path, force: bool) -> None:
    """Raise a located error unless ``out`` may receive a new site."""
    where = _where(out)
    if out.is_symlink():
        raise LocatedError(where, "is a symbolic link; give the real folder")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise LocatedError(where, f"folder {str(parent)!r} does not exist; create it first or choose another --out")
    if out.exists() and not out.is_dir():
        raise LocatedError(where, "is a file, not a folder; choose a folder for the site")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise LocatedError(where, "folder is not empty; pass --force to replace it, or choose an empty or new folder")
        _check_replaceable(out, where)


def _check_replaceable(out: Path, where: str) -> None:
    """Refuse to replace a folder whose removal would delete the user's own work."""
    target = out.resolve()
    cwd = Path.cwd().resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise LocatedError(where, "is the root or home folder; choose a folder of its own for the site")
    if cwd == target or target in cwd.parents:
        raise LocatedError(where, "contains the current folder; choose a folder of its own for the site")


def publish(out: Path, force: bool, produce: Callable[[Path], None]) -> None:
    """Call ``produce(folder)`` on a fresh folder beside ``out``, then move it to ``out``."""
    check_target(out, force)
    parent = out.absolute().parent
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name or 'site'}.", suffix=".partial", dir=parent))
    except OSError as exc:
        raise LocatedError(_where(out), f"cannot write into {str(parent)!r} ({exc.strerror}); choose a writable folder") from None
    try:
        produced = staging / "result"
        produced.mkdir()
        produce(produced)
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
