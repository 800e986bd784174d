"""What simulate, audit and policy check share for pipelines: the config file, findings, suppressions, exit status.

Commands call :func:`settings` once (the ``--config`` file, or the nearest one), turn their
result into findings (:mod:`gluesim.simulator.findings.collect`), let :func:`suppressed`
mark the accepted ones, and exit by :func:`exit_status`.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Optional

import typer

from gluesim.cli.common import EXIT_OK, EXIT_PROBLEMS

CONFIG_HELP = "Config file (.gluesim.yaml or pyproject.toml); default: the nearest one from here up."


def config_option() -> Any:
    """The ``--config`` option, the same on every command that reads the config file."""
    return typer.Option(None, "--config", metavar="FILE", help=CONFIG_HELP, show_default=False)


def settings(option: Optional[str]) -> Any:
    """The config (``gluesim.simulator.findings.config.Config``) of ``--config``, else the nearest file."""
    from gluesim.kb.errors import LocatedError
    from gluesim.simulator.findings import config

    if option is not None and not Path(option).is_file():
        raise LocatedError(f"--config {option}", "no such file; expected a .gluesim.yaml or pyproject.toml file")
    return config.load(Path(option) if option else config.find(Path.cwd()))


def chosen_format(given: Any, cfg: Any, allowed: type) -> Any:
    """``--format`` when given, else the config's ``format``, else text; a config format must be one of ``allowed``."""
    if given is not None:
        return given
    if not cfg.format:
        return allowed("text")
    try:
        return allowed(cfg.format.lower())
    except ValueError:
        from gluesim.kb.errors import LocatedError

        choices = ", ".join(member.value for member in allowed)
        raise LocatedError(cfg.path, f"format {cfg.format!r} is not a format of this command; expected {choices}") \
            from None


def suppressed(findings: list[Any], cfg: Any, extra: list[Any] | None = None) -> list[Any]:
    """``findings`` with the config's (and ``extra`` in-source) suppressions applied, plus expired ones."""
    from gluesim.simulator.findings import suppress

    return suppress.apply(findings, [*cfg.suppressions, *(extra or [])], datetime.date.today())


def scenario_findings(report: Any, model: Any, path: str, text: str, cfg: Any) -> list[Any]:
    """The findings of a simulation of the scenario file ``path`` (its ``text``), suppressions applied."""
    from gluesim.kb import yamlsafe
    from gluesim.simulator.findings.collect import from_report
    from gluesim.simulator.findings.locate import ScenarioLocator
    from gluesim.simulator.findings.suppress import scenario_suppressions

    data = yamlsafe.loads(text, path)
    found = from_report(report, model, ScenarioLocator(data, text, path))
    return suppressed(found, cfg, scenario_suppressions(data, path))


def exit_status(findings: list[Any], cfg: Any) -> int:
    """1 when an unsuppressed finding is at the config's fail-on level or worse, else 0."""
    from gluesim.simulator.findings.model import fails

    return EXIT_PROBLEMS if fails(findings, cfg.fail_on) else EXIT_OK


def sarif(findings: list[Any]) -> str:
    """The findings as a SARIF 2.1.0 log."""
    from gluesim.cli.common import package_version
    from gluesim.cli.render.sarif import render

    return render(findings, package_version())


def audit_context(sources: list[str]) -> tuple[Any, list[Any]]:
    """(a locator when the one source is a scenario file, the in-source suppressions of the sources)."""
    from pathlib import Path as _Path

    from gluesim.simulator.findings.locate import ScenarioLocator
    from gluesim.simulator.findings.suppress import scenario_suppressions, template_suppressions
    from gluesim.simulator.importers import is_scenario_file

    if len(sources) == 1 and is_scenario_file(sources[0]):
        from gluesim.kb import yamlsafe

        text = _Path(sources[0]).read_text(encoding="utf-8")
        data = yamlsafe.loads(text, sources[0])
        return ScenarioLocator(data, text, sources[0]), scenario_suppressions(data, sources[0])
    found: list[Any] = []
    for source in sources:
        if _Path(source).is_file() and _Path(source).suffix.lower() in (".yaml", ".yml", ".json", ".template"):
            found += _template_suppressions(source, template_suppressions)
    return None, found


def _template_suppressions(source: str, read: Any) -> list[Any]:
    from gluesim.kb.errors import GluesimError
    from gluesim.simulator.importers.cfn.loader import load

    try:
        data = load(source)
    except GluesimError:  # not a template the loader reads: the import reports it
        return []
    return read(data, source) if isinstance(data, dict) and "Resources" in data else []
