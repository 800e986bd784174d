"""The KB loader: every bad-KB fixture gives exactly its expected located error line."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb import loader
from gluesim.kb.errors import LocatedError
from gluesim.kb.loader import find_cycle, load_dir, load_files

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def expected_error(case: Path) -> str:
    """The expected message of a fixture, with ``{dir}`` standing for the fixture folder."""
    return (case / "expected.txt").read_text(encoding="utf-8").strip().replace("{dir}", str(case))


def test_there_is_a_fixture_for_each_kind_of_load_error() -> None:
    names = {case.name for case in CASES}
    assert {"unknown-key", "missing-field", "duplicate-id", "unknown-depends-on", "cycle"} <= names


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_kb_fixture_gives_its_exact_error(case: Path) -> None:
    with pytest.raises(LocatedError) as caught:
        load_dir(case)
    assert str(caught.value) == expected_error(case)


def test_a_fixture_fixed_loads(tmp_path: Path) -> None:
    text = (FIXTURES / "unknown-key" / "kb.yaml").read_text().replace("titel:", "title:")
    (tmp_path / "kb.yaml").write_text(text)
    kb = load_dir(tmp_path)
    assert sorted(kb.entries) == ["a.one", "a.two"]
    assert kb.get("a.two").line == 11


def test_load_dir_refuses_a_folder_without_yaml(tmp_path: Path) -> None:
    with pytest.raises(LocatedError) as caught:
        load_dir(tmp_path)
    assert str(caught.value) == f"{tmp_path}: holds no *.yaml files; expected knowledge-base files"


def test_load_dir_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(LocatedError) as caught:
        load_dir(tmp_path / "nope")
    assert str(caught.value) == f"{tmp_path / 'nope'}: is not a folder; expected a folder of knowledge-base *.yaml files"


def test_shipped_kb_loads_once_per_process() -> None:
    assert loader.load() is loader.load()


def test_find_cycle_is_rotated_to_its_smallest_id() -> None:
    assert find_cycle({"c": ["a"], "a": ["b"], "b": ["c"]}) == ["a", "b", "c"]
    assert find_cycle({"a": ["b"], "b": []}) == []
    assert find_cycle({"x": ["x"]}) == ["x"]


def test_find_cycle_ignores_diamonds() -> None:
    assert find_cycle({"top": ["l", "r"], "l": ["base"], "r": ["base"], "base": []}) == []


VALID_ENTRY = """topic: Test
entries:
  - id: a.one
    kind: step
    title: One
    summary: Summary.
    depends_on: []
    source: {section: Section, url: "https://example.com/page"}
    remediation: Do it.
    basis: stated
"""


@given(st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True).filter(lambda k: k not in loader.ENTRY_KEYS))
def test_every_unknown_entry_key_is_refused_at_its_line(key: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kb.yaml"
        # Quoted: YAML reads a bare yes/no/on/off/y/n as a boolean, not as the key name.
        path.write_text(VALID_ENTRY + f'    "{key}": x\n')
        with pytest.raises(LocatedError) as caught:
            load_files([path])
    assert str(caught.value).startswith(f"{path}:11: unknown key {key!r} in entry 'a.one'; ")


ENTRY_FIELDS = {
    "id": "a.one",
    "kind": "step",
    "title": "One",
    "summary": "Summary.",
    "depends_on": "[]",
    "source": '{section: Section, url: "https://example.com/page"}',
    "remediation": "Do it.",
    "basis": "stated",
}


@given(st.sampled_from(sorted(k for k, required in loader.ENTRY_KEYS.items() if required)))
def test_every_required_entry_key_is_required(key: str) -> None:
    kept = [f"{name}: {value}" for name, value in ENTRY_FIELDS.items() if name != key]
    text = "topic: Test\nentries:\n  - " + "\n    ".join(kept) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kb.yaml"
        path.write_text(text)
        with pytest.raises(LocatedError) as caught:
            load_files([path])
    what = "the entry" if key == "id" else "entry 'a.one'"
    assert str(caught.value) == f"{path}:3: {what} is missing the required key {key!r}"
