"""Property: fixing a scenario and diffing the file touches only lines the changes name.

The library scenarios are taken as users write them, with comment lines added at random
places (hypothesis); each is fixed, and the file edited in place of the changed values.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from gluesim.simulator import scenario
from gluesim.simulator.fix import fix
from gluesim.simulator.scenario.edit import edited
from gluesim.simulator.scenario.writer import to_data

LIBRARY = sorted((Path(__file__).resolve().parents[3] / "simulator" / "data" / "scenarios").glob("*.yaml"))
_KEY_LINE = re.compile(r"^(\s*)(- )?[A-Za-z_]+:")


def _comment_slots(lines: list[str]) -> list[int]:
    """Lines before which a full-line comment may go (a key line outside any block scalar)."""
    slots, scalar_indent = [], None
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if scalar_indent is not None and (not line.strip() or indent > scalar_indent):
            continue
        scalar_indent = None
        if _KEY_LINE.match(line):
            slots.append(number)
        if line.rstrip().endswith(("|", ">", "|-", ">-")):
            scalar_indent = indent
    return slots


@st.composite
def commented_scenarios(draw: st.DrawFn) -> tuple[str, str]:
    path = draw(st.sampled_from(LIBRARY))
    lines = path.read_text().splitlines(keepends=True)
    slots = _comment_slots(lines)
    chosen = sorted(draw(st.sets(st.sampled_from(slots), max_size=6)), reverse=True)
    for number in chosen:
        indent = len(lines[number]) - len(lines[number].lstrip())
        lines.insert(number, " " * indent + f"# note {number}: kept by fix --write\n")
    return path.name, "".join(lines)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commented_scenarios())
def test_fix_then_diff_touches_only_the_changed_lines(case: tuple[str, str]) -> None:
    name, text = case
    model = scenario.loads(text, name)
    fixed = fix(model).fixed_scenario
    result = edited(text, model, fixed, name)
    assert result is not None
    assert to_data(scenario.loads(result.text, name)) == to_data(fixed)
    old = text.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=result.text.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            assert set(range(i1, i2)) <= result.touched, (name, old[i1:i2])
    comments = [line for number, line in enumerate(old) if line.lstrip().startswith("#") and number not in result.touched]
    assert [line for line in result.text.splitlines() if line.lstrip().startswith("#")][:len(comments)] == comments


def test_an_untouched_file_comes_back_byte_for_byte() -> None:
    for path in LIBRARY:
        text = path.read_text()
        model = scenario.loads(text, path.name)
        result = edited(text, model, model, path.name)
        assert result is not None and result.text == text and not result.touched
