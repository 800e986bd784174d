"""``gluesim docs build``: generate the site's mkdocs project and build it, all or nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gluesim.cli.docsite import mkdocs_run, publish


@dataclass(frozen=True, slots=True)
class Summary:
    """What a build produced: the folder, how many pages, files and bytes, and mkdocs' warnings."""

    out: Path
    pages: int
    files: int
    bytes: int
    warnings: tuple[str, ...]
    markdown_only: bool


def build(
    out: Path,
    title: str,
    scenario_paths: Sequence[Path] | None = None,
    markdown_only: bool = False,
    force: bool = False,
    strict: bool = False,
) -> Summary:
    """Generate the onboarding site for the shipped KB and ``scenario_paths`` into ``out``.

    ``scenario_paths=None`` means the scenarios shipped with gluesim. Everything is
    loaded and checked before ``out`` is touched.
    """
    from gluesim.cli.docsite import scenario_pages, site
    from gluesim.kb import loader
    from gluesim.kb.policies import policy_names

    inputs = scenario_pages.default_paths() if scenario_paths is None else list(scenario_paths)
    publish.check_target(out, force, inputs)
    scenarios = scenario_pages.load_all(inputs)
    generated = site.generate(loader.load(), policy_names(), scenarios, title)
    return produce(out, generated.write, len(generated.pages()), markdown_only, force, strict, inputs=inputs)


def produce(
    out: Path,
    write: Callable[[Path], None],
    pages: int,
    markdown_only: bool,
    force: bool,
    strict: bool,
    where: str = "generated site",
    inputs: Sequence[Path] = (),
) -> Summary:
    """Write a project with ``write(folder)`` and publish it (or the site built from it) at ``out``."""
    warnings: list[str] = []
    if not markdown_only:
        mkdocs_run.check_installed()

    def make(folder: Path) -> None:
        if markdown_only:
            write(folder)
            return
        with tempfile.TemporaryDirectory(prefix="gluesim-docs-") as project:
            write(Path(project))
            warnings.extend(mkdocs_run.build(Path(project), folder, strict, where))

    publish.publish(out, force, make, inputs)
    files = [p for p in out.rglob("*") if p.is_file()]
    return Summary(out, pages, len(files), sum(p.stat().st_size for p in files), tuple(warnings), markdown_only)
