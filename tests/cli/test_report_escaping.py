"""Hostile names in a report: Markdown shows them as text (no HTML, no markdown syntax), JUnit as XML text."""

from __future__ import annotations

import html
import xml.dom.minidom
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from gluesim.cli.app import main
from gluesim.cli.render.report import _md

FIXTURES = Path(__file__).resolve().parents[1] / "simulator" / "fixtures"
# The extensions of the docs site (cli/docsite/project.py), where rendered markdown ends up.
EXTENSIONS = ["tables", "admonition", "attr_list", "md_in_html"]

HOSTILE_USER = "<script>alert('u')</script> | `tick` ../u ü"
HOSTILE_JOB = "<img src=x onerror=alert(1)> [x](javascript:alert(2)) {: onclick=alert(3) } **b** _i_ #"
HOSTILE_ROLE = "AWSGlueServiceRole-<b>r</b>|../../etc/passwd"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the page text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def hostile_scenario(tmp_path: Path) -> Path:
    data = yaml.safe_load((FIXTURES / "passing.yaml").read_text(encoding="utf-8"))
    data["users"][0]["name"] = HOSTILE_USER
    data["roles"][0]["name"] = HOSTILE_ROLE
    job = data["jobs"][0]
    job.update(name=HOSTILE_JOB, created_by=HOSTILE_USER, role=HOSTILE_ROLE)
    data["checks"][0]["actor"] = HOSTILE_USER
    # The role cannot read the source any more, so reasons and fixes naming the role are shown.
    data["roles"][0]["inline_policies"]["Data"]["Statement"][0]["Resource"] = ["arn:aws:s3:::src"]
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def simulate(capsys: pytest.CaptureFixture[str], path: Path, fmt: str) -> str:
    code = main(["simulate", str(path), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    return out


def test_hostile_names_render_as_text_not_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = simulate(capsys, hostile_scenario(tmp_path), "markdown")
    page = parse(markdown.markdown(out, extensions=EXTENSIONS))
    assert {tag for tag, _ in page.tags} <= {"h1", "h2", "table", "thead", "tbody", "tr", "th", "td", "code", "ul",
                                             "li", "strong", "a", "p"}
    assert all(set(attrs) <= {"href", "title", "style", "align"} for _, attrs in page.tags)
    assert {attrs["href"] for tag, attrs in page.tags if tag == "a"} == {
        "https://docs.aws.amazon.com/glue/latest/ug/setting-up.html#getting-started-min-privs-data"}
    text = "".join(page.text)
    for name in (HOSTILE_USER, HOSTILE_JOB, HOSTILE_ROLE):
        assert name in text, name


def test_each_result_stays_one_table_row_of_four_cells(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = simulate(capsys, hostile_scenario(tmp_path), "markdown")
    rendered = markdown.markdown(out, extensions=EXTENSIONS)
    rows = rendered.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == out.count("\n| ") - 1  # every markdown row but the header
    assert all(row.count("<td") == 4 for row in rendered.split("<tr>")[2:])


def test_junit_keeps_hostile_names_as_xml_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = simulate(capsys, hostile_scenario(tmp_path), "junit")
    document = xml.dom.minidom.parseString(out)
    classnames = {case.getAttribute("classname") for case in document.getElementsByTagName("testcase")}
    assert classnames == {f"gluesim.{HOSTILE_USER}"}
    names = [case.getAttribute("name") for case in document.getElementsByTagName("testcase")]
    assert f"run-job [{HOSTILE_JOB}]" in names
    assert document.getElementsByTagName("script") == [] and document.getElementsByTagName("img") == []
    assert HOSTILE_ROLE in out.replace("&lt;", "<").replace("&gt;", ">")


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)


@given(TEXT)
def test_md_shows_exactly_the_characters_of_any_text(value: str) -> None:
    rendered = markdown.markdown(f"x {_md(value)}", extensions=EXTENSIONS)
    page = parse(rendered)
    assert [tag for tag, _ in page.tags] == ["p"]
    collapsed = " ".join(value.split())
    expected = " ".join("".join("\ufffd" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in collapsed).split())
    assert html.unescape("".join(page.text)).strip() == f"x {expected}".strip()


@given(TEXT)
def test_md_stays_one_table_cell(value: str) -> None:
    rendered = markdown.markdown(f"| a | b |\n|---|---|\n| {_md(value)} | z |", extensions=EXTENSIONS)
    cells = rendered.split("<tbody>")[1].count("<td")
    assert cells == 2
