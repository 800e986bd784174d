"""The built site in a real headless Chromium with no network: from file:// and from ``gluesim docs serve``.

Checks what a reader sees, measured in the page's DOM: the theme's styles applied, the
dependency graph drawn and fitting the window, failures and their fixes nested on every
scenario page, no IAM name broken across lines in any table, search finding IAM action
names (s3:PutObject as one term first), the light/dark toggle, the 404 page, and that not
one request leaves the machine. Screenshots are saved to ``build/artifacts/`` for CI to keep.
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
    fits = "(() => { const r = document.querySelector('.gluesim-graph svg').getBoundingClientRect();" \
           " return r.left >= 0 && r.right <= document.documentElement.clientWidth; })()"
    assert browser.evaluate(fits) is True  # the whole graph is in view, no sideways scrolling
    order = browser.evaluate("[...document.querySelectorAll('.gluesim-graph g.wave')].map(g => g.getAttribute('aria-label'))")
    assert order[0].startswith("Wave 1:") and order == sorted(order, key=lambda label: int(label.split()[1][:-1]))
    drawn = browser.evaluate(
        "(() => { const svg = document.querySelector('.gluesim-graph svg'); const box = svg.getBBox();"
        " return {nodes: svg.querySelectorAll('g.node').length, edges: svg.querySelectorAll('path.edge').length,"
        " width: box.width, height: box.height, links: svg.querySelectorAll('a').length}; })()"
    )
    kb = loader.load()
    assert drawn["nodes"] == len(kb) == drawn["links"]
    assert drawn["edges"] == len(kb.edges())
    assert drawn["width"] > 500 and drawn["height"] > 300
    # Zoomed in, the drawing keeps its own size and its frame scrolls sideways.
    browser.evaluate("document.querySelector('.gluesim-zoom-label').click()")
    natural = browser.evaluate("document.querySelector('.gluesim-graph svg').getBoundingClientRect().width")
    assert natural == pytest.approx(float(browser.evaluate("document.querySelector('.gluesim-graph svg').getAttribute('width')")))
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
    if ":" in query:  # an IAM name is one term: the first results name it whole, none misses half of it
        items = browser.evaluate("[...document.querySelectorAll('.md-search-result__item')].map(i => i.textContent)")
        assert query.lower() in items[0].lower(), items[0]
        assert not any("Missing" in item for item in items[:5])
        browser.screenshot(ARTIFACTS / f"docs-search-iam-name-{'file' if base_url.startswith('file:') else 'http'}.png")
    if query == "BatchDeleteJob" and page.endswith("action.delete-jobs.html"):
        mode = "file" if base_url.startswith("file:") else "http"
        browser.screenshot(ARTIFACTS / f"docs-search-{mode}.png")
    assert_nothing_left_the_machine(browser)



# ---------------------------------------------------------------- every page, measured in the DOM

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}


def set_size(browser, width: int, height: int) -> None:  # noqa: ANN001
    browser.page("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


NESTED_FAILURES = """(() => {
  const lists = [...document.querySelectorAll('article details.failure ul')].filter(ul => !ul.closest('li'));
  const failures = lists.flatMap(ul => [...ul.children]);
  return failures.map(li => {
    const nested = li.querySelector(':scope > ul');
    const items = nested ? [...nested.children].map(c => c.textContent.trim()) : [];
    return {text: li.firstChild.textContent.slice(0, 60), fix: items.some(t => t.startsWith('Fix:')),
            source: items.some(t => t.startsWith('Source:'))};
  });
})()"""

BROKEN_NAMES = """(() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  return [...document.querySelectorAll('article td code')]
    .filter(code => !/\\s/.test(code.textContent) && code.getClientRects().length > 1)
    .map(code => code.textContent);
})()"""


def test_every_scenario_page_nests_each_failures_details_and_fix(browser, site: Path) -> None:  # noqa: ANN001
    from gluesim.simulator import library

    references = {entry.name for entry in library.ordered() if not entry.training.fails}  # nothing fails there
    pages = sorted((site / "scenarios").glob("*.html"))
    checked = 0
    for page in pages:
        browser.open(page.as_uri())
        failures = browser.evaluate(NESTED_FAILURES)
        if page.stem in references:
            assert failures == [], page.name
            continue
        assert failures, page.name
        assert all(f["fix"] and f["source"] for f in failures), (page.name, failures)
        checked += 1
    assert checked == len(pages) - len(references) > 20
    assert_nothing_left_the_machine(browser)


def test_no_iam_name_breaks_across_lines_in_any_table(browser, site: Path) -> None:  # noqa: ANN001
    set_size(browser, *SIZES["desktop"])
    measured = 0
    for page in sorted(site.rglob("*.html")):
        browser.open(page.as_uri())
        broken = browser.evaluate(BROKEN_NAMES)
        assert broken == [], (str(page.relative_to(site)), broken[:5])
        measured += browser.evaluate("document.querySelectorAll('article td code').length")
    assert measured > 500  # the check met the tables it is about
    assert_nothing_left_the_machine(browser)


def test_the_dark_toggle_switches_the_scheme(browser, base_url: str) -> None:  # noqa: ANN001
    browser.open(base_url + "index.html")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    background = "getComputedStyle(document.body).backgroundColor"
    assert browser.evaluate(scheme) == "default"
    light = browser.evaluate(background)
    browser.evaluate("document.querySelector('form[data-md-component=palette] label:not([hidden])').click()")
    browser.wait_for(lambda: browser.evaluate(scheme) == "slate", "the dark scheme")
    assert browser.evaluate(background) != light
    browser.open(base_url + "graph.html")  # the choice is remembered on the next page
    assert browser.evaluate(scheme) == "slate"
    assert_nothing_left_the_machine(browser)


def test_the_404_page_works_from_disk_and_from_the_server(browser, base_url: str) -> None:  # noqa: ANN001
    url = base_url + ("404.html" if base_url.startswith("file:") else "kb/no-such-page.html")
    browser.open(url)
    assert browser.evaluate("document.querySelector('.md-content h1').textContent") == "This page is not here"
    assert browser.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == INDIGO
    home = browser.evaluate("[...document.querySelectorAll('.md-content a')].find(a => a.textContent === 'home page').href")
    assert home == base_url + "index.html"
    assert_nothing_left_the_machine(browser)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_screenshots_of_the_main_pages(browser, site: Path, size: str) -> None:  # noqa: ANN001
    set_size(browser, *SIZES[size])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, page in (("home", "index.html"), ("scenario", "scenarios/role-name-prefix.html"),
                       ("plan", "plans/s3-to-s3.html"), ("graph", "graph.html")):
        browser.open((site / page).as_uri())
        width = browser.evaluate("document.documentElement.clientWidth")
        assert browser.evaluate("document.documentElement.scrollWidth") <= width, page  # no sideways page scroll
        browser.screenshot(ARTIFACTS / f"docs-{name}-{SIZES[size][0]}.png")
    assert_nothing_left_the_machine(browser)


def test_hints_appear_one_at_a_time(browser, site: Path) -> None:  # noqa: ANN001
    browser.open((site / "scenarios" / "default.html").as_uri())
    shown = "[...document.querySelectorAll('details.hint')].filter(d => d.getClientRects().length).length"
    total = browser.evaluate("document.querySelectorAll('details.hint').length")
    assert total >= 3 and browser.evaluate(shown) == 1
    browser.evaluate("document.querySelector('details.hint summary').click()")
    assert browser.evaluate(shown) == 2
    assert browser.evaluate("[...document.querySelectorAll('details.failure, details.success')].every(d => !d.open)")
    assert_nothing_left_the_machine(browser)
