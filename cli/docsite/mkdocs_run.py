"""Run ``mkdocs build`` in-process on a project folder and collect its warnings."""

from __future__ import annotations

import logging
from pathlib import Path

from gluesim.kb.errors import GluesimError


def check_installed() -> None:
    """Raise a GluesimError unless mkdocs and a supported mkdocs-material are installed."""
    from importlib.metadata import PackageNotFoundError, version

    from gluesim.cli.docsite.project import MATERIAL_SUPPORTED, MKDOCS_VERSION

    try:
        found = {name: version(name) for name in ("mkdocs", "mkdocs-material")}
    except PackageNotFoundError as exc:
        raise GluesimError(
            f"{exc.name} is not installed; reinstall gluesim (pip install gluesim installs it) or use --markdown-only"
        ) from None
    major_minor = tuple(int(part) for part in found["mkdocs-material"].split(".")[:2] if part.isdigit())
    if found["mkdocs"] != MKDOCS_VERSION or not (9, 7) <= major_minor < (9, 9):
        raise GluesimError(
            f"mkdocs {found['mkdocs']} with mkdocs-material {found['mkdocs-material']} is not supported; "
            f"expected mkdocs {MKDOCS_VERSION} and mkdocs-material {MATERIAL_SUPPORTED} (reinstall gluesim to get them)"
        )


class _Collect(logging.Handler):
    """Keep mkdocs' warnings instead of printing them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


def build(project: Path, site_dir: Path, strict: bool, where: str = "") -> list[str]:
    """Build ``project/mkdocs.yml`` into ``site_dir``; return warnings (strict: raise on the first).

    ``where`` names the user's source of the project in error messages.
    """
    check_installed()
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers[:] = [collect]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        mkdocs_build(config)
    except (Abort, ConfigurationError) as exc:
        first = (collect.messages[0] if collect.messages else str(exc)).rstrip(".")
        hint = "fix it or build without --strict" if strict else "fix it"
        raise GluesimError(f"{where or project / 'mkdocs.yml'}: mkdocs: {first}; {hint}") from None
    finally:
        logger.handlers[:], level, logger.propagate = saved[0], saved[1], saved[2]
        logger.setLevel(level)
    return collect.messages
