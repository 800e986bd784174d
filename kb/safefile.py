"""Read a user's file the careful way: regular files only, through a cap on the bytes read.

Every reader of user input in gluesim (scenarios, policies, exports, templates,
``--context-entries file://``, KB folders, the KB cache, pages of ``docs build --source``)
comes through :func:`read_bytes`, so none of them can be made to hang or to fill memory:

- the file is opened without blocking (``O_NONBLOCK``), so a FIFO with no writer cannot
  stall the open, and refused unless ``fstat`` on the open descriptor says it is a regular
  file (a FIFO, a socket, ``/dev/zero`` and other devices are refused by what they are,
  never by their name, and with no race between a check and the open);
- at most ``max_bytes + 1`` bytes are read, so the cap counts the bytes actually read
  (``/dev/zero`` and files growing while read report size 0 or a stale size to ``stat``);
- every ``OSError`` (a symbolic link loop, a missing file, a folder, no permission, a name
  too long) becomes one located :class:`UnreadableFile` error naming the path.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from gluesim.kb.errors import LocatedError


class UnreadableFile(LocatedError):
    """An input path that cannot be read as a file: missing, a folder, a FIFO, a device, a loop, too big."""


# What each errno means to a user, and what to do about it.
_REASONS = {
    errno.ENOENT: "no such file",
    errno.EISDIR: "is a folder",
    errno.ELOOP: "is a symbolic link loop (or a chain of too many links); point it at a real file",
    errno.EACCES: "cannot be read (permission denied)",
    errno.EPERM: "cannot be read (operation not permitted)",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENXIO: "is not a regular file (a socket or a device with nothing behind it)",
}


def read_bytes(path: str | os.PathLike[str], max_bytes: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path`` (at most ``max_bytes``), or an :class:`UnreadableFile` error."""
    name = os.fspath(path)
    if name == "":
        raise UnreadableFile("''", f"the file name is empty; expected {_a(what)}")
    try:
        os.stat(name)  # a missing file, a loop or a bad path is told without opening anything
        descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(name, _reason(exc, what)) from None
    try:
        info = os.fstat(descriptor)
        _check_regular(name, info, max_bytes, what)
        os.set_blocking(descriptor, True)
        data = _read_at_most(descriptor, max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(name, _reason(exc, what)) from None
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:  # the file grew while it was read, or fstat did not tell its size
        raise UnreadableFile(name, f"the {what} is over {_size(max_bytes)}; at most {_size(max_bytes)} is accepted")
    return data


def _check_regular(name: str, info: os.stat_result, max_bytes: int, what: str) -> None:
    """Refuse what is not a regular file, and a regular file whose size is already over the cap."""
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(name, f"is a folder; expected {_a(what)}")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(name, f"{_special_kind(info.st_mode)}, not a regular file; expected {_a(what)}")
    if info.st_size > max_bytes:
        raise UnreadableFile(name, f"the {what} is {info.st_size / 1048576:.1f} MiB; at most {_size(max_bytes)} is accepted")


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(descriptor, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _reason(exc: OSError, what: str) -> str:
    reason = _REASONS.get(exc.errno or 0)
    if reason is None:
        return f"cannot be read ({exc.strerror or exc}); expected a readable {what}"
    if exc.errno in (errno.ENOENT, errno.EISDIR):
        return f"{reason}; expected {_a(what)}"
    return reason


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is a special file"


def _a(what: str) -> str:
    """``what`` with its indefinite article: "an export", "a scenario file"."""
    return f"{'an' if what[:1].lower() in 'aeiou' else 'a'} {what}"


def _size(count: int) -> str:
    return f"{count / 1048576:.0f} MiB" if count >= 1048576 else f"{count:,} bytes"


def resolve_inside(path: Path, folder: Path) -> bool:
    """True when ``path``, all links followed, lies inside ``folder`` (also resolved)."""
    try:
        real, root = path.resolve(strict=True), folder.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return real == root or root in real.parents
