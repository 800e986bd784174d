"""MkDocs hook: a site that works from file:// with no network, and carries no dead weight.

- Search from file://: a page opened from file:// cannot fetch ``search/search_index.json``;
  the theme then loads ``search/search_index.js`` with a script tag and reads the global
  ``__index`` instead. This hook writes that file after every build. (mkdocs-material's own
  ``offline`` plugin does the same but also adds a script from a public CDN, which a site
  without network cannot load; ``overrides/assets/javascripts/gluesim-file-worker.js``
  replaces that script.)
- The 404 page: mkdocs renders it with links from the site's root ("/assets/..."), so that
  a server can show it at any address; opened from disk those links lead nowhere. The hook
  makes them relative to the site folder; ``gluesim docs serve`` adds a ``<base href="/">``
  when it serves the page for a missing address.
- Dead weight: source maps (and the comments that point to them), and the search stemmers
  and word segmenters of languages the site does not use (the Thai one alone is 677 kB).
"""

from __future__ import annotations

import os
import re
from typing import Any

_ROOT_LINK = re.compile(r'(\s(?:href|src))="/(?!/)')
_MAP_COMMENT = re.compile(r"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)\s*$")
LUNR = os.path.join("assets", "javascripts", "lunr")


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """Make the 404 page's links relative to the site folder."""
    if template_name != "404.html":
        return output
    output = _ROOT_LINK.sub(r'\1="./', output)
    return output.replace('"base": "/"', '"base": "."').replace('"search": "/', '"search": "')


def on_post_build(config: Any, **kwargs: Any) -> None:
    """Write ``search/search_index.js``, then remove source maps and unused search languages."""
    site = config["site_dir"]
    _write_index_script(site)
    _remove_source_maps(site)
    _remove_unused_languages(site, _languages(config))


def _write_index_script(site: str) -> None:
    folder = os.path.join(site, "search")
    source = os.path.join(folder, "search_index.json")
    if not os.path.isfile(source):
        return
    with open(source, encoding="utf-8") as handle:
        data = handle.read()
    with open(os.path.join(folder, "search_index.js"), "w", encoding="utf-8") as handle:
        handle.write("var __index = " + data + ";\n")


def _remove_source_maps(site: str) -> None:
    for folder, _dirs, files in os.walk(os.path.join(site, "assets")):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".map"):
                os.remove(path)
            elif name.endswith((".js", ".css")):
                _strip_map_comment(path)


def _strip_map_comment(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    stripped = _MAP_COMMENT.sub("\n", text)
    if stripped != text:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(stripped)


def _languages(config: Any) -> set[str]:
    search = config["plugins"].get("search")
    languages = getattr(search, "config", {}).get("lang") if search is not None else None
    return set(languages or ["en"])


def _remove_unused_languages(site: str, languages: set[str]) -> None:
    """Keep only what mkdocs-material's search worker loads for ``languages`` (nothing, for English)."""
    folder = os.path.join(site, LUNR)
    if not os.path.isdir(folder):
        return
    wanted = {f"lunr.{lang}.min.js" for lang in languages - {"en"}}
    if wanted:
        wanted.add("lunr.stemmer.support.min.js")
    if len(languages) > 1:
        wanted.add("lunr.multi.min.js")
    if "ja" in languages:
        wanted.add("tinyseg.js")
    if languages & {"hi", "th"}:
        wanted.add("wordcut.js")
    for current, _dirs, files in os.walk(folder, topdown=False):
        for name in files:
            if name not in wanted:
                os.remove(os.path.join(current, name))
        if not os.listdir(current):
            os.rmdir(current)
