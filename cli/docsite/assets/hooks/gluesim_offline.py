"""MkDocs hook that lets mkdocs-material's search work from file:// with no network.

A page opened from file:// cannot fetch ``search/search_index.json``; the theme then
loads ``search/search_index.js`` with a script tag and reads the global ``__index``
instead. This hook writes that file after every build. (mkdocs-material's own
``offline`` plugin does the same but also adds a script from a public CDN, which a
site without network cannot load; ``overrides/assets/javascripts/gluesim-file-worker.js``
replaces that script.)
"""

from __future__ import annotations

import os
from typing import Any


def on_post_build(config: Any, **kwargs: Any) -> None:
    """Write ``search/search_index.js`` next to ``search/search_index.json``."""
    folder = os.path.join(config["site_dir"], "search")
    source = os.path.join(folder, "search_index.json")
    if not os.path.isfile(source):
        return
    with open(source, encoding="utf-8") as handle:
        data = handle.read()
    with open(os.path.join(folder, "search_index.js"), "w", encoding="utf-8") as handle:
        handle.write("var __index = " + data + ";\n")
