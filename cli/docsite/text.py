"""Safe text for generated markdown: escaped user names, safe file names, relative links.

Scenario titles, role names and other names come from users' files and may contain
``<script>``, markdown syntax, ``../`` or any unicode. Markdown passes raw HTML through,
so every such string goes through :func:`md_text` (or a code span) before it reaches a
page, and every file name through :func:`slug`.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata

# Characters Python-Markdown gives a meaning to; each is backslash-escaped in user text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 60


def md_text(value: object) -> str:
    """``value`` as inline markdown that shows exactly its characters (no HTML, no syntax)."""
    text = " ".join(str(value).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=False)


# Look-alikes for the characters HTML gives a meaning to. mkdocs' templates print page and
# site titles without escaping (in element text and in attributes, after ``striptags``,
# which also unescapes entities), so titles must not contain these characters at all.
_TITLE_LOOKALIKES = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06", '"': "\uff02", "'": "\u2019", "`": "\u2018"})


def plain_title(value: object) -> str:
    """``value`` as a one-line navigation or site title that no template can read as HTML."""
    return " ".join(str(value).split()).translate(_TITLE_LOOKALIKES) or "untitled"


def md_code(value: object) -> str:
    """``value`` as an inline code span (markdown escapes HTML inside code spans)."""
    text = " ".join(str(value).split()).replace("|", "\u2758")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_block(text: str, language: str = "text") -> str:
    """``text`` as a fenced code block whose fence no line of ``text`` can close."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def slug(value: object, fallback: str = "item") -> str:
    """A file-name-safe slug: ASCII lowercase letters, digits and dashes, at most 60 long."""
    ascii_text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    text = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")[:MAX_SLUG].strip("-")
    return text or fallback


def unique_slug(value: object, taken: set[str], fallback: str = "item") -> str:
    """:func:`slug`, made unique against ``taken`` with a numeric suffix (and added to it)."""
    base = slug(value, fallback)
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def link(from_page: str, to_page: str, anchor: str = "") -> str:
    """The relative link from one page path (under ``docs/``) to another, with ``#anchor``."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def html_link(from_page: str, to_page: str) -> str:
    """The relative URL of ``to_page``'s built HTML, for raw HTML (which mkdocs does not rewrite)."""
    return link(from_page, to_page)[: -len(".md")] + ".html" if to_page.endswith(".md") else link(from_page, to_page)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A markdown table; cells must already be escaped markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def id_badge(value: object) -> str:
    """An internal id as a small badge beside a human title (escaped raw HTML)."""
    return f'<span class="gluesim-id">{html.escape(str(value))}</span>'
