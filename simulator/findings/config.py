"""The config file: ``.gluesim.yaml`` or ``[tool.gluesim]`` in ``pyproject.toml``, found by walking up.

Keys (the same in both files)::

    format: sarif              # default --format of simulate, audit and policy check
    fail-on: error             # error | warning (default) | note | never: the least severe level that fails
    actions: [run-job]         # simulate only these actions (like --action)
    actors: [dana]             # simulate only these users (like --actor)
    suppress:                  # accepted findings (see gluesim.simulator.findings.suppress)
      - rule: job-role.name-prefix
        job: legacy-*
        reason: the legacy jobs move to new roles in the Q3 migration
        expires: 2027-06-30

The nearest folder (from the working directory up to the root) holding either file wins;
in one folder ``.gluesim.yaml`` comes before ``pyproject.toml``, and a ``pyproject.toml``
without ``[tool.gluesim]`` does not count. ``--config FILE`` names the file instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.simulator.findings.model import LEVELS, Location, Suppression

KEYS = ("format", "fail-on", "actions", "actors", "suppress")
FAIL_ON = (*LEVELS, "never")
YAML_NAME = ".gluesim.yaml"
TOML_NAME = "pyproject.toml"


@dataclass(frozen=True, slots=True)
class Config:
    """What the config file says (every field has its default when there is no file)."""

    path: str = ""
    format: str = ""
    fail_on: str = "warning"
    actions: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    suppressions: tuple[Suppression, ...] = ()


def find(start: Path) -> Path | None:
    """The config file nearest to ``start`` (a folder), walking up; None when there is none."""
    for folder in (start, *start.parents):
        if (folder / YAML_NAME).is_file():
            return folder / YAML_NAME
        toml = folder / TOML_NAME
        if toml.is_file() and "gluesim" in _toml_table(toml):
            return toml
    return None


def load(path: Path | None) -> Config:
    """Read the config file at ``path`` (None: the defaults)."""
    if path is None:
        return Config()
    if path.name.endswith(".toml"):
        table = _toml_table(path).get("gluesim")
        if not isinstance(table, dict):
            raise LocatedError(str(path), "has no [tool.gluesim] table; expected one, or a .gluesim.yaml file")
        return _parse(table, str(path), lambda key, index=None: Location(str(path), path=_toml_path(key, index)))
    from gluesim.kb import yamlsafe

    data = yamlsafe.load(path, what="config file")
    if data is None:
        return Config(path=str(path))
    if not isinstance(data, dict):
        raise LocatedError(f"{path}:1", "the config file is not a mapping; expected keys such as fail-on: error")

    def where(key: str, index: int | None = None) -> Location:
        line = yamlsafe.line_of(data[key], index) if index is not None else yamlsafe.line_of(data, key)
        return Location(str(path), line or 1)

    return _parse(data, str(path), where)


def _toml_table(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle).get("tool", {})
    except tomllib.TOMLDecodeError as exc:
        raise LocatedError(str(path), f"is not valid TOML ({exc}); fix the file or pass --config") from None


def _toml_path(key: str, index: int | None) -> str:
    return f"tool.gluesim.{key}" + (f"[{index}]" if index is not None else "")


def _parse(data: dict[str, Any], name: str, where: Any) -> Config:
    for key in data:
        if key not in KEYS:
            hint = did_you_mean(str(key), KEYS) or "; expected " + ", ".join(KEYS)
            raise LocatedError(str(where(key)), f"unknown config key {key!r}{hint}")
    fail_on = data.get("fail-on", "warning")
    if fail_on not in FAIL_ON:
        raise LocatedError(str(where("fail-on")), f"fail-on is {fail_on!r}; expected one of " + ", ".join(FAIL_ON))
    suppress = data.get("suppress") or []
    if not isinstance(suppress, list):
        raise LocatedError(str(where("suppress")), "suppress is a list of suppressions; expected - rule: ...")
    from gluesim.simulator.findings.suppress import parse

    return Config(name, str(data.get("format", "")), fail_on, _names(data, "actions", where),
                  _names(data, "actors", where),
                  tuple(parse(entry, where("suppress", index)) for index, entry in enumerate(suppress)))


def _names(data: dict[str, Any], key: str, where: Any) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LocatedError(str(where(key)), f"{key} is a list of names; expected e.g. {key}: [run-job]")
    return tuple(value)
