"""The careful reader: exactly the bytes of a regular file under the cap, a located refusal otherwise."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.jsonnumbers import MAX_INT_DIGITS, NumberTooLong, line_col, parse_int
from gluesim.kb.safefile import UnreadableFile, read_bytes


@given(data=st.binary(max_size=600), cap=st.integers(min_value=0, max_value=600))
def test_a_regular_file_reads_whole_under_the_cap_and_is_refused_over_it(data: bytes, cap: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f"
        path.write_bytes(data)
        if len(data) <= cap:
            assert read_bytes(path, cap) == data
        else:
            with pytest.raises(UnreadableFile, match="at most"):
                read_bytes(path, cap)


def test_the_cap_counts_bytes_read_not_the_size_stat_reports(tmp_path: Path) -> None:
    # /proc files report size 0 to stat, as /dev/zero and growing files can mislead it.
    with pytest.raises(UnreadableFile) as caught:
        read_bytes("/proc/self/status", 10, "status file")
    assert str(caught.value) == "/proc/self/status: the status file is over 10 bytes; at most 10 bytes is accepted"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda t: os.mkfifo(t / "x"), "is a FIFO (named pipe), not a regular file; expected an export"),
        (lambda t: os.symlink("/dev/zero", t / "x"), "is a device, not a regular file; expected an export"),
        (lambda t: os.symlink("x", t / "x"), "is a symbolic link loop (or a chain of too many links); point it at a real file"),
        (lambda t: (t / "x").mkdir(), "is a folder; expected an export"),
        (lambda t: None, "no such file; expected an export"),
    ],
    ids=["fifo", "device", "loop", "folder", "missing"],
)
def test_anything_but_a_regular_file_is_refused_with_its_name(tmp_path: Path, make, expected: str) -> None:  # noqa: ANN001
    make(tmp_path)
    with pytest.raises(UnreadableFile) as caught:  # a FIFO is opened without blocking, so this cannot hang
        read_bytes(tmp_path / "x", 1024, "export")
    assert str(caught.value) == f"{tmp_path / 'x'}: {expected}"


@given(st.integers(min_value=-(10 ** 300), max_value=10 ** 300))
def test_parse_int_agrees_with_int_below_the_limit(value: int) -> None:
    assert json.loads(str(value), parse_int=parse_int) == value


@given(digits=st.integers(min_value=MAX_INT_DIGITS + 1, max_value=MAX_INT_DIGITS + 50), lines=st.integers(0, 5))
def test_a_too_long_integer_is_refused_at_its_place(digits: int, lines: int) -> None:
    text = "\n" * lines + '{"a": [1, ' + "7" * digits + "]}"
    with pytest.raises(NumberTooLong) as caught:
        json.loads(text, parse_int=parse_int)
    assert line_col(text, caught.value) == (lines + 1, 11)
    assert caught.value.message() == f"a number with {digits:,} digits; at most 4,300 digits are accepted"
