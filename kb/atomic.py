"""File writes that never surprise: a reader sees the old file or the new one, never half of it.

:func:`write_text_atomic` writes a temporary file beside the target and renames it over
the target (``os.replace``), and first refuses, with one located error, what would
surprise a user (the rules are documented in ``docs/guides/writing-files.md``):

- an empty name, a folder, a FIFO or device, a symbolic link loop, a missing folder;
- a read-only file (no write bit, or not writable by us): gluesim never replaces a file
  its owner protected;
- a symbolic link is followed: the file it points to is written and the link stays a link
  (as ``cp`` and editors do), so the target is never left stale behind a replaced link.

A replaced file keeps its permission bits; a new file gets ``0666`` less the umask, as
``open()`` would create it (``tempfile.mkstemp`` alone would leave ``0600``). Failures
while writing (a full disk, a read-only file system) remove the temporary file and
become a located error. Temporary files are named ``.NAME.gluesim-PID-RANDOM.tmp``; one
left behind by a process that was killed mid-write is removed by the next write into
the same folder (:func:`remove_leftovers`, which also removes the ``.partial`` folders of
an interrupted ``docs build``). A leftover is removed only when no process with its PID
runs on this machine, so a write in progress is never disturbed.

Why not a library: ``safer`` (maintained) and ``atomicwrites`` (archived in 2022) do the
rename and, in ``safer``'s case, keep the mode; what gluesim needs beyond that (the
refusals above with located errors, temporaries a later run can recognise and remove) is
most of this module, and ``import safer`` costs 20.6 ms against 10.6 ms for ``tempfile``
(``python -X importtime``, this machine), for three standard-library calls it would save.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from gluesim.kb.errors import LocatedError

LEFTOVER = re.compile(r"^\..*\.gluesim-(?P<pid>\d+)-\w+\.(tmp|partial)$")


def write_text_atomic(path: str | os.PathLike[str], text: str, where: str | None = None) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically; return the file written.

    ``where`` names the target in errors (e.g. ``--to 'out.yaml'``); default: the path.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected text to write, got {type(text).__name__}")
    label = where or repr(os.fspath(path))
    target = check_writable(path, label)
    data = text.encode("utf-8")
    remove_leftovers(target.parent)
    mode = _mode_of(target)
    tmp = target.parent / f".{target.name}.gluesim-{os.getpid()}-{os.urandom(4).hex()}.tmp"
    try:
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise LocatedError(label, f"cannot write into {str(target.parent)!r} ({exc.strerror}); choose a writable folder") from None
    try:
        _write_all(descriptor, data, mode)
        os.replace(tmp, target)
    except OSError as exc:
        _unlink_quietly(tmp)
        raise LocatedError(label, f"cannot write {str(target)!r} ({exc.strerror}); nothing was changed") from None
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return target


def check_writable(path: str | os.PathLike[str], where: str) -> Path:
    """The file a write to ``path`` would replace or create (links followed), or a located error."""
    name = os.fspath(path)
    if not name:
        raise LocatedError(where, "the file name is empty; expected a file to write")
    target = Path(os.path.realpath(name))
    try:
        info = os.stat(name)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise LocatedError(where, _stat_problem(exc)) from None
    if info is not None:
        _check_existing(target, info, where)
    if not target.parent.is_dir():
        raise LocatedError(where, f"its folder {str(target.parent)!r} does not exist; create it first")
    return target


def _check_existing(target: Path, info: os.stat_result, where: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise LocatedError(where, "is a folder; expected a file name to write")
    if not stat.S_ISREG(info.st_mode):
        raise LocatedError(where, "is not a regular file (a FIFO, socket or device); expected a file name to write")
    if not stat.S_IMODE(info.st_mode) & 0o222 or not os.access(target, os.W_OK):
        raise LocatedError(where, "is read-only; make it writable (chmod u+w) or choose another file")


def same_file(path: str | os.PathLike[str], other: str | os.PathLike[str]) -> bool:
    """True when both names reach one file (through symbolic or hard links too)."""
    target, source = Path(os.path.realpath(os.fspath(path) or ".")), Path(os.path.realpath(other))
    return target == source or (target.exists() and source.exists() and os.path.samefile(target, source))


def check_not_an_input(path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]], where: str) -> None:
    """Refuse an output that is one of the inputs, or lies inside an input folder."""
    target = Path(os.path.realpath(os.fspath(path) or "."))
    for given in inputs:
        source = Path(os.path.realpath(given))
        if same_file(path, given):
            raise LocatedError(where, f"is the input {os.fspath(given)!r}; write to another file, inputs are never overwritten")
        if source.is_dir() and source in target.parents:
            raise LocatedError(where, f"lies inside the input folder {os.fspath(given)!r}; write it outside the folder")


def remove_leftovers(folder: Path) -> None:
    """Remove temporary files and ``.partial`` folders that gluesim processes no longer running left in ``folder``."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = LEFTOVER.match(name)
        if match is None or _running(int(match["pid"])):
            continue
        leftover = folder / name
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            _unlink_quietly(leftover)


def leftover_prefix(name: str) -> str:
    """The start of a temporary name for ``name`` that :func:`remove_leftovers` recognises."""
    return f".{name}.gluesim-{os.getpid()}-"


def _running(pid: int) -> bool:
    """True when a process with this id exists on this machine (ours included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or a pid we cannot ask about: keep its files
    return True


def _mode_of(target: Path) -> int | None:
    """The permission bits to keep: the replaced file's, or None for a new file (umask applies)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return None


def _write_all(descriptor: int, data: bytes, mode: int | None) -> None:
    try:
        if mode is not None:
            os.fchmod(descriptor, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def _stat_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop (or a chain of too many links); point it at a real file or remove it"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is not a folder"
    return f"cannot be written ({exc.strerror}); choose another file"


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
