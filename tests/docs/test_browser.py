"""The built site in a real headless Chromium with no network: from file:// and from ``gluesim docs serve``.

Checks what a reader sees (the theme's styles applied, the dependency graph drawn,
search finding IAM action names) and that not one request leaves the machine.
Screenshots are saved to ``build/artifacts/`` for CI to keep.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gluesim.cli.app import main
from gluesim.kb import loader

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "build" / "artifacts"
INDIGO = "rgb(64, 81, 181)"  # mkdocs-material's "indigo" primary colour: the theme's CSS is applied
LOCAL_PREFIXES = ("file://", "http://127.0.0.1:", "data:", "about:blank", "blob:")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full site: shipped knowledge base, managed policies and scenario library."""
    out = tmp_path_factory.mktemp("browser") / "site"
    assert main(["docs", "build", "--out", str(out), "--strict", "--title", "Glue Studio onboarding"]) == 0
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """``gluesim docs serve`` on a free port; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gluesim.cli", "docs", "serve", "--out", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert " at http://127.0.0.1:" in line, (line, process.stderr.read() if process.stderr else "")
        yield line.split(" at ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["file", "http"])
def base_url(request: pytest.FixtureRequest, site: Path) -> str:
    """The site's base URL, opened from disk and from the local server."""
    if request.param == "file":
        return site.as_uri() + "/"
    return request.getfixturevalue("served")


def search(browser, query: str) -> list[str]:  # noqa: ANN001 - the conftest Browser
    """Open the search box as a reader does, type ``query``, return the result links."""
    browser.evaluate("document.querySelector('label[for=__search]').click()")
    meta = "document.querySelector('.md-search-result__meta').textContent.trim()"
    # From file:// the theme starts its search engine when the search box first opens.
    browser.wait_for(lambda: browser.evaluate(meta) not in ("", "Initializing search"), "the search engine to start")
    browser.evaluate("document.querySelector('input.md-search__input').focus()")
    browser.type_text(query)
    script = "[...document.querySelectorAll('.md-search-result__item > a')].map(a => a.href)"
    # Results appear while typing; the theme marks each link with the terms it matched
    # (?h=s3+putobject), so wait for the links of the whole query.
    whole = "h=" + query.lower().replace(":", "+")
    return browser.wait_for(
        lambda: [url for url in browser.evaluate(script) if whole in url], f"search results for {query!r}"
    )


def assert_nothing_left_the_machine(browser) -> None:  # noqa: ANN001
    urls = browser.requested_urls()
    assert any(url.endswith(".css") for url in urls), urls  # the recorder saw the page's own requests
    external = [url for url in urls if not url.startswith(LOCAL_PREFIXES)]
    assert external == [], external


def test_home_renders_with_the_theme(browser, base_url: str) -> None:  # noqa: ANN001
    browser.open(base_url + "index.html")
    header = browser.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header == INDIGO
    assert browser.evaluate("document.querySelector('.md-content h1').firstChild.textContent") == "Glue Studio onboarding"
    assert browser.evaluate("document.querySelectorAll('.md-nav__link').length") > 50
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    mode = "file" if base_url.startswith("file:") else "http"
    browser.screenshot(ARTIFACTS / f"docs-home-{mode}.png")
    assert_nothing_left_the_machine(browser)


def test_dependency_graph_is_drawn(browser, base_url: str) -> None:  # noqa: ANN001
    browser.open(base_url + "graph.html")
    drawn = browser.evaluate(
        "(() => { const svg = document.querySelector('.gluesim-graph svg'); const box = svg.getBBox();"
        " return {nodes: svg.querySelectorAll('g.node').length, edges: svg.querySelectorAll('path.edge').length,"
        " width: box.width, height: box.height, links: svg.querySelectorAll('a').length}; })()"
    )
    kb = loader.load()
    assert drawn["nodes"] == len(kb) == drawn["links"]
    assert drawn["edges"] == len(kb.edges())
    assert drawn["width"] > 500 and drawn["height"] > 300
    mode = "file" if base_url.startswith("file:") else "http"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.screenshot(ARTIFACTS / f"docs-graph-{mode}.png")
    assert_nothing_left_the_machine(browser)


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("BatchDeleteJob", "kb/action.delete-jobs.html"),
        ("BatchDeleteJob", "kb/user.batch-delete-jobs.html"),
        ("PutObject", "kb/job-role.s3-target-write.html"),
        ("s3:PutObject", "kb/job-role.s3-target-write.html"),
    ],
)
def test_search_finds_iam_action_names(browser, base_url: str, query: str, page: str) -> None:  # noqa: ANN001
    browser.open(base_url + "index.html")
    found = [url.split("#")[0].split("?")[0] for url in search(browser, query)]
    assert base_url + page in found, json.dumps(found, indent=1)
    if query == "BatchDeleteJob" and page.endswith("action.delete-jobs.html"):
        mode = "file" if base_url.startswith("file:") else "http"
        browser.screenshot(ARTIFACTS / f"docs-search-{mode}.png")
    assert_nothing_left_the_machine(browser)
