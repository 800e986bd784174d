"""Test-wide settings: no timing in hypothesis, user folders kept out, nothing read beside the repository.

Under CI (``CI`` set) hypothesis examples are derandomized, so a landing never hinges on the
draw of one run; local runs keep exploring new examples each time (and report any failure's
seed). Examples have no per-example deadline: no test depends on timing.

The repository stands alone: an audit hook (PEP 578) refuses, during the whole run, every
``open`` of a path outside the repository, the temporary folder, the Python installation and
the system folders, so a test or source file that reads a folder beside the repository (or the home folder)
fails where it does so (copy such material into the repository instead). ``tests/test_standalone.py`` proves the guard is on.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("gluesim", deadline=None, print_blob=True)
settings.register_profile("gluesim-ci", parent=settings.get_profile("gluesim"), derandomize=True)
settings.load_profile("gluesim-ci" if os.environ.get("CI") else "gluesim")

REPOSITORY = Path(__file__).resolve().parent.parent
READABLE_ROOTS = tuple(
    os.path.realpath(root)
    for root in (REPOSITORY, tempfile.gettempdir(), sys.prefix, sys.base_prefix, sys.exec_prefix,
                 "/dev", "/proc", "/sys", "/etc", "/usr")
)
# The project's material beside a developer's checkout: refused even where the checkout sits
# in the temporary folder (a clone in /tmp has its "beside" in a readable root).
BESIDE = os.path.realpath(REPOSITORY.parent / "shared")
OUTSIDE_READS: list[str] = []


class OutsideRepositoryRead(RuntimeError):
    """A test or the code under test opened a path outside the repository (see the module docstring)."""


def readable(path: str) -> bool:
    """True when ``path`` lies inside one of the roots a test may read."""
    real = os.path.realpath(path)
    if real == BESIDE or real.startswith(BESIDE + "/"):
        return False
    return any(real == root or real.startswith(root.rstrip("/") + "/") for root in READABLE_ROOTS)


def _guard(event: str, args: tuple) -> None:
    if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.fsdecode(args[0])
    if os.path.isabs(path) and not readable(path):
        OUTSIDE_READS.append(path)
        raise OutsideRepositoryRead(f"{path}: opened outside the repository; copy what a test needs into it")


sys.addaudithook(_guard)


# gluesim's cache and the XDG folders go to a temporary folder, never the user's home. Set at
# import, before collection: some test modules load the knowledge base (and its cache) to
# parametrize their tests.
USER_FOLDERS = Path(tempfile.mkdtemp(prefix="gluesim-tests-home-"))
os.environ["GLUESIM_CACHE_DIR"] = str(USER_FOLDERS / "cache")
for _name in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
    os.environ[_name] = str(USER_FOLDERS / _name.lower())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the user folders; fail the run even where the code under test caught the guard's exception."""
    shutil.rmtree(USER_FOLDERS, ignore_errors=True)
    if OUTSIDE_READS and exitstatus == 0:
        session.exitstatus = 1
        print(f"\nopened outside the repository: {sorted(set(OUTSIDE_READS))}")
