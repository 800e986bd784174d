"""The careful YAML loader every gluesim loader shares."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb import yamlsafe
from gluesim.kb.errors import GluesimError

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.text(max_size=20)
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(documents)
def test_loads_reads_what_pyyaml_dumps(value: object) -> None:
    text = yaml.safe_dump(value)
    assert yamlsafe.loads(text, "t.yaml") == yaml.safe_load(text)


def test_mappings_and_sequences_know_their_lines() -> None:
    data = yamlsafe.loads("a: 1\nb:\n  - x\n  - {y: 2}\n", "t.yaml")
    assert data.line == 1
    assert data.line_of("b") == 2
    assert data["b"].line_of(1) == 4
    assert yamlsafe.line_of(data["b"][1], "y") == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "t.yaml:2: duplicate key 'a' (first at line 1); keep one"),
        ("a: [1, 2\n", "t.yaml:2:1: YAML syntax error: did not find expected ',' or ']'"),
        ("x: !!python/object:os.system a\n", "t.yaml:1: cannot read value: could not determine a constructor for "
         "the tag 'tag:yaml.org,2002:python/object:os.system'"),
        ("<<: {a: 1}\n", "t.yaml:1: YAML merge keys ('<<') are not supported; write the keys out"),
        ("? [a, b]\n: 1\n", "t.yaml:1: a mapping key must be a plain value"),
    ],
)
def test_bad_yaml_gets_one_located_line(text: str, message: str) -> None:
    with pytest.raises(GluesimError) as caught:
        yamlsafe.loads(text, "t.yaml")
    assert str(caught.value) == message


def test_alias_bomb_is_refused_without_expanding_it() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    with pytest.raises(GluesimError, match=r"t\.yaml:\d+: YAML aliases expand to more than 2,000,000 values"):
        yamlsafe.loads("\n".join(lines) + "\n", "t.yaml")


def test_small_aliases_are_fine() -> None:
    assert yamlsafe.loads("a: &x [1, 2]\nb: *x\n", "t.yaml") == {"a": [1, 2], "b": [1, 2]}


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(GluesimError) as caught:
        yamlsafe.load(path)
    assert str(caught.value) == f"{path}:2:4: byte 0xff is not valid UTF-8; save the file as UTF-8"


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(GluesimError) as caught:
        yamlsafe.load(path, max_bytes=10 * 1024 * 1024, what="scenario file")
    assert str(caught.value) == f"{path}: the scenario file is 50.0 MiB; at most 10 MiB is accepted"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(GluesimError, match="no such file; expected a YAML file"):
        yamlsafe.load(tmp_path / "absent.yaml")
    with pytest.raises(GluesimError, match="is a folder; expected a YAML file"):
        yamlsafe.load(tmp_path)


def test_empty_document_is_none() -> None:
    assert yamlsafe.loads("", "t.yaml") is None


def _node_count(node: object) -> int:
    if isinstance(node, yaml.MappingNode):
        return 1 + sum(_node_count(k) + _node_count(v) for k, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return 1 + sum(_node_count(item) for item in node.value)
    return 1


@given(st.text(alphabet="ab:,-?[]{}\n #'\"|>!", max_size=60))
def test_without_anchors_a_text_holds_at_most_two_nodes_per_character(text: str) -> None:
    """The bound that lets the loader skip the alias-expansion walk when the text has no ``&``."""
    try:
        node = yaml.compose(text, Loader=yamlsafe._loader_class())
    except yaml.YAMLError:
        return
    count = 0 if node is None else _node_count(node)
    assert count <= 2 * len(text) + 1


def test_a_long_text_without_anchors_is_still_counted() -> None:
    """Past the bound the walk runs: a flat list longer than the limit is refused."""
    text = "[" + ",".join(["1"] * 600) + "]"
    with pytest.raises(GluesimError, match="more than 500 values"):
        yamlsafe.loads(text, "t.yaml", max_nodes=500)
