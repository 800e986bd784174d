"""Users' names never become markup, and no file is written outside the output folder."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.cli.app import main
from gluesim.cli.docsite import graph_svg
from gluesim.cli.docsite.project import safe_parts, write_file
from gluesim.cli.docsite.text import md_code, md_text, plain_title, slug, unique_slug

HOSTILE_TITLE = "<script>alert('title')</script>"
SITE_TITLE = '<img src=y onerror=alert(3)> "Team" & co'
HOSTILE_USER = "<img src=x onerror=alert(1)> ü ../x"
HOSTILE_ROLE = "<script>alert('role')</script> ../r"
HOSTILE_JOB = "<i>job</i> ü"
HOSTILE_SCENARIO = f"""\
name: "{HOSTILE_TITLE}"
description: "A [link](javascript:alert(2)) and </title><b>bold</b> and ../../etc/passwd"
account:
  id: "111122223333"
  region: us-east-1
users:
  - name: "{HOSTILE_USER}"
    console_access: true
    managed_policies: [Maintainer]
roles:
  - name: "{HOSTILE_ROLE}"
    trusted_services: [glue.amazonaws.com]
policies:
  - name: Maintainer
    document:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [glue:UseGlueStudio, glue:GetJobs, glue:DeleteJob]
          Resource: "*"
buckets:
  - name: raw
jobs:
  - name: "{HOSTILE_JOB}"
    created_by: "{HOSTILE_USER}"
    role: "{HOSTILE_ROLE}"
    sources:
      - s3: s3://raw/in/
    targets:
      - s3: s3://raw/out/
checks:
  - {{actor: "{HOSTILE_USER}", action: delete-jobs}}
"""
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)


class _Markup(HTMLParser):
    """What a browser would run or follow: script tags, on* attributes, javascript: links, bold tags."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.js_links: list[str] = []
        self.bold = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "inline")
        if tag in ("b", "i"):
            self.bold += 1
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.js_links += [v for n, v in attrs if n in ("href", "src") and v and v.strip().lower().startswith("javascript:")]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    scenario = folder / "..evil name ü.yaml"
    scenario.write_text(HOSTILE_SCENARIO, encoding="utf-8")
    out = folder / "site"
    assert main(["docs", "build", "--scenarios", str(scenario), "--out", str(out), "--strict", "--title", SITE_TITLE]) == 0
    return out


def test_hostile_names_are_shown_not_run(hostile_site: Path) -> None:
    page = hostile_site / "scenarios" / "evil-name-u.html"
    text = page.read_text(encoding="utf-8")
    assert html.escape(HOSTILE_TITLE, quote=False) in text
    for name in (HOSTILE_USER, HOSTILE_ROLE, HOSTILE_JOB):
        assert html.escape(name, quote=False) in text, name
    for path in hostile_site.rglob("*.html"):
        found = _Markup()
        found.feed(path.read_text(encoding="utf-8"))
        assert found.handlers == [] and found.js_links == [] and found.bold == 0, path
        assert all(src == "inline" or not src.startswith(("http", "//")) for src in found.scripts), path
        inline = re.findall(r"<script>(.*?)</script>", path.read_text(encoding="utf-8"), flags=re.S)
        assert not any("alert(" in body for body in inline), path


def test_titles_in_navigation_and_head_cannot_be_markup(hostile_site: Path) -> None:
    text = (hostile_site / "scenarios" / "evil-name-u.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", text, flags=re.S)
    assert title is not None
    assert title.group(1) == f"{plain_title(HOSTILE_TITLE)} - {plain_title(SITE_TITLE)}"


def test_nothing_is_written_outside_the_output_folder(hostile_site: Path) -> None:
    folder = hostile_site.parent
    assert sorted(p.name for p in folder.iterdir()) == ["..evil name ü.yaml", "site"]
    root = hostile_site.resolve()
    assert all(p.resolve().is_relative_to(root) for p in hostile_site.rglob("*"))
    assert (hostile_site / "scenarios" / "evil-name-u.html").is_file()


@given(TEXT)
def test_md_text_renders_exactly_the_text(value: str) -> None:
    rendered = markdown.markdown(md_text(value), extensions=["tables", "attr_list", "md_in_html", "admonition"])
    inner = re.fullmatch(r"<p>(.*)</p>", rendered, flags=re.S)
    assert inner is not None, rendered
    assert "<" not in inner.group(1)
    assert html.unescape(inner.group(1)) == " ".join(value.split())


@given(TEXT)
def test_md_text_stays_one_table_cell(value: str) -> None:
    rendered = markdown.markdown(f"| a |\n|---|\n| {md_text(value)} |", extensions=["tables"])
    cells = re.findall(r"<td>(.*?)</td>", rendered, flags=re.S)
    assert [html.unescape(cell) for cell in cells] == [" ".join(value.split())]


@given(TEXT)
def test_md_code_is_one_code_span(value: str) -> None:
    rendered = markdown.markdown(md_code(value))
    assert re.fullmatch(r"<p><code>[^<]*</code></p>", rendered), rendered


@given(TEXT)
def test_slugs_are_safe_file_names(value: str) -> None:
    name = slug(value)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) and len(name) <= 60


def test_unique_slugs_do_not_collide() -> None:
    taken: set[str] = set()
    assert [unique_slug(v, taken) for v in ("A b", "a-b", "a_b", "", "名前")] == ["a-b", "a-b-2", "a-b-3", "item", "item-2"]


@given(TEXT)
def test_plain_titles_have_no_html_characters(value: str) -> None:
    assert not set("<>&\"'`") & set(plain_title(value))


@pytest.mark.parametrize("path", ["../x.md", "/etc/x.md", "a/../../x.md", "a/./b.md", "", "a//b.md"])
def test_unsafe_page_paths_are_refused(path: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        safe_parts(path)
    with pytest.raises(ValueError):
        write_file(tmp_path / "docs", path, "x")
    assert list(tmp_path.iterdir()) == []


@given(st.lists(TEXT, min_size=1, max_size=6, unique=True))
def test_graph_svg_is_well_formed_whatever_the_labels(labels: list[str]) -> None:
    nodes = [graph_svg.Node(f"n{i}", label, "step", f"kb/{i}.html?a=1&b=<{label}>", label) for i, label in enumerate(labels)]
    edges = [(f"n{i}", f"n{i + 1}") for i in range(len(labels) - 1)]
    svg = ET.fromstring(graph_svg.render(nodes, edges, labels[0]))
    namespace = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in svg.iter(f"{namespace}text") if t.get("class") != "wave-label"]
    assert sorted(texts) == sorted(labels)
    assert len([p for p in svg.iter(f"{namespace}path") if p.get("class") == "edge"]) == len(edges)


@given(st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(st.just(n), st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))))
def test_graph_waves_put_every_dependency_left_of_what_needs_it(graph: tuple[int, set[tuple[int, int]]]) -> None:
    count, pairs = graph
    edges = sorted({(f"n{min(a, b)}", f"n{max(a, b)}") for a, b in pairs if a != b})  # acyclic: low -> high
    nodes = [graph_svg.Node(f"n{i}", f"n{i}") for i in range(count)]
    columns = graph_svg.waves(nodes, edges)
    column_of = {node: index for index, column in enumerate(columns) for node in column}
    assert sorted(column_of) == sorted(node.id for node in nodes) and sum(map(len, columns)) == count
    assert all(column_of[a] < column_of[b] for a, b in edges)
