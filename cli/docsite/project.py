"""A plain mkdocs project on disk: ``mkdocs.yml``, markdown pages and the offline assets.

Everything gluesim-specific stays in ordinary mkdocs places (pages under ``docs/``, a
theme ``custom_dir`` and one ``hooks:`` file), so the generated project builds with
``mkdocs build`` alone, and moving off mkdocs-material later means editing ``theme:``.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Union

from gluesim.cli.docsite.text import plain_title
from gluesim.kb.atomic import write_text_atomic

# The versions this project is built and tested with. mkdocs-material 9.x is in
# maintenance mode and announces its end of life for May 2027; everything
# theme-specific is in ``theme:``, ``overrides/`` and the hook, so a move is small.
MKDOCS_VERSION = "1.6.1"
MATERIAL_SUPPORTED = ">=9.7,<9.9"

# Split search terms on white space, dashes and the punctuation of IAM names, but keep
# "PutObject" whole: "s3:PutObject" indexes as "s3" and "putobject", so the searches
# "PutObject", "s3:PutObject" and "BatchDeleteJob" all find the pages naming them.
SEARCH_SEPARATOR = r"[\s\-:,;/()\[\]{}\"'=|]+"

OVERRIDES_DIR = "overrides"
HOOK_FILE = "hooks/gluesim_offline.py"


@dataclass(frozen=True, slots=True)
class Page:
    """One markdown page: its path under ``docs/`` (POSIX, no ``..``), title and text."""

    path: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Section:
    """A navigation section: a title and its pages or sub-sections, in order."""

    title: str
    items: tuple[Union[Page, "Section"], ...] = field(default_factory=tuple)


NavItem = Union[Page, Section]


def nav_entry(item: NavItem) -> dict[str, Any]:
    """The ``nav:`` YAML for one page or section."""
    if isinstance(item, Page):
        return {plain_title(item.title): item.path}
    return {plain_title(item.title): [nav_entry(child) for child in item.items]}


def pages_of(items: Sequence[NavItem]) -> list[Page]:
    """Every page in a navigation tree, depth first."""
    found: list[Page] = []
    for item in items:
        found.extend([item] if isinstance(item, Page) else pages_of(item.items))
    return found


# Light and dark colour schemes: the first visit follows the reader's prefers-color-scheme,
# the toggle in the header switches (mkdocs-material remembers the choice in the browser).
PALETTE = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/brightness-4", "name": "Switch to dark mode"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/brightness-7", "name": "Switch to light mode"}},
]
FEATURES = ["navigation.sections", "navigation.prune", "navigation.top", "navigation.footer",
            "search.highlight", "content.code.copy"]
MARKDOWN_EXTENSIONS = [
    # sane_lists: an ordered list starts at its first number (a plan's step numbers run across waves).
    "tables", "admonition", "attr_list", "md_in_html", "sane_lists", {"toc": {"permalink": True}},
    # Code highlighted by Pygments at build time (JSON policies, shell commands): no script.
    {"pymdownx.highlight": {"use_pygments": True}}, "pymdownx.superfences",
    # Collapsed blocks (hints, answers) and check boxes readers can tick (the start-here path).
    "pymdownx.details", {"pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}},
]
SCRIPTS = ["assets/javascripts/gluesim-checklist.js"]


def mkdocs_config(site_name: str, nav: Sequence[NavItem] | list[Any], description: str = "") -> dict[str, Any]:
    """The ``mkdocs.yml`` settings of a generated project: offline, no CDN, no fonts.

    ``nav`` is a tree of :class:`Page`/:class:`Section`, or a ready ``nav:`` list.
    """
    return {
        "site_name": plain_title(site_name),
        "site_description": plain_title(description or site_name),
        "docs_dir": "docs",
        "site_dir": "site",
        # Links must resolve from file:// too: page.html, not page/ (which needs a server).
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "custom_dir": OVERRIDES_DIR,
            # No Google Fonts: the theme falls back to the system fonts.
            "font": False,
            "palette": PALETTE,
            "features": FEATURES,
        },
        # Only the built-in search plugin (English only: no other language's stemmer is shipped):
        # no offline (CDN shim), social, privacy or analytics.
        "plugins": [{"search": {"separator": SEARCH_SEPARATOR, "lang": ["en"]}}],
        "hooks": [HOOK_FILE],
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "extra_css": ["assets/stylesheets/gluesim.css"],
        "extra_javascript": SCRIPTS,
        "validation": {
            "nav": {"omitted_files": "warn", "not_found": "warn", "absolute_links": "warn"},
            "links": {"not_found": "warn", "anchors": "warn", "absolute_links": "warn", "unrecognized_links": "warn"},
        },
        "extra": {"generator": False},
        "nav": [nav_entry(item) if isinstance(item, (Page, Section)) else item for item in nav],
    }


def requirements_text() -> str:
    """The pinned build requirements written next to ``mkdocs.yml``."""
    return (
        "# Build this site with: pip install -r requirements.txt && mkdocs build\n"
        f"# Supported: mkdocs {MKDOCS_VERSION}, mkdocs-material {MATERIAL_SUPPORTED} (9.x ends May 2027).\n"
        f"mkdocs=={MKDOCS_VERSION}\n"
        f"mkdocs-material=={_installed_material()}\n"
    )


def _installed_material() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mkdocs-material")
    except PackageNotFoundError:
        return "9.8.2"


def write_project(root: Path, config: dict[str, Any], pages: Sequence[Page], files: dict[str, str] | None = None) -> None:
    """Write a complete mkdocs project into the empty folder ``root``."""
    import yaml

    write_text_atomic(root / "mkdocs.yml", _yaml_header() + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    write_text_atomic(root / "requirements.txt", requirements_text())
    copy_assets(root)
    for page in pages:
        write_file(root / "docs", page.path, page.text)
    for relative, text in (files or {}).items():
        write_file(root / "docs", relative, text)


def _yaml_header() -> str:
    return (
        "# Generated by gluesim: a plain mkdocs project that builds with no network.\n"
        "# pip install -r requirements.txt && mkdocs build   (then open site/index.html)\n"
    )


def write_file(base: Path, relative: str, text: str) -> None:
    """Write ``text`` at ``base/relative``, refusing any path that would leave ``base``."""
    target = base.joinpath(*safe_parts(relative))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, text)


def safe_parts(relative: str) -> tuple[str, ...]:
    """The parts of a relative POSIX path, or ValueError when it is absolute or climbs out."""
    parts = tuple(relative.split("/"))
    if any(part in ("..", ".", "") or "\\" in part or "\0" in part for part in parts):
        raise ValueError(f"unsafe page path {relative!r}")
    return parts


def copy_assets(root: Path) -> None:
    """Copy the theme overrides, the offline hook, the stylesheet and the page scripts into the project."""
    assets = resources.files("gluesim.cli.docsite") / "assets"
    with resources.as_file(assets) as folder:
        shutil.copytree(folder / "overrides", root / OVERRIDES_DIR, dirs_exist_ok=True)
        shutil.copytree(folder / "hooks", root / "hooks", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        (root / "docs" / "assets" / "stylesheets").mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / "gluesim.css", root / "docs" / "assets" / "stylesheets" / "gluesim.css")
        (root / "docs" / "assets" / "javascripts").mkdir(parents=True, exist_ok=True)
        for script in SCRIPTS:
            shutil.copy2(folder / "scripts" / Path(script).name, root / "docs" / script)
