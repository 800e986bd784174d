"""``gluesim docs build`` on the shipped KB and scenarios: complete, strict, linked, offline, plain mkdocs."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from gluesim.cli.app import main
from gluesim.cli.docsite.kb_pages import entry_path, policy_path
from gluesim.kb import loader
from gluesim.kb.policies import policy_names
from gluesim.simulator.library import library_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full site, built in strict mode (any mkdocs warning, e.g. a broken link, fails it)."""
    out = tmp_path_factory.mktemp("build") / "site"
    assert main(["docs", "build", "--out", str(out), "--strict"]) == 0
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated mkdocs project (``--markdown-only``)."""
    out = tmp_path_factory.mktemp("project") / "src"
    assert main(["docs", "build", "--out", str(out), "--markdown-only"]) == 0
    return out


def html_of(site: Path, markdown_path: str) -> Path:
    return site / (markdown_path[: -len(".md")] + ".html")


def test_every_kb_entry_has_a_page(site: Path) -> None:
    kb = loader.load()
    for entry in kb:
        page = html_of(site, entry_path(entry.id)).read_text(encoding="utf-8")
        assert entry.id in page
        assert entry.source.url in page  # the source link


def test_every_managed_policy_has_a_page(site: Path) -> None:
    for name in policy_names():
        assert name in html_of(site, policy_path(name)).read_text(encoding="utf-8")


def test_every_shipped_scenario_is_an_exercise_page(site: Path) -> None:
    from gluesim.simulator import library

    files = sorted(p for p in library_dir().iterdir() if p.suffix in (".yaml", ".yml"))
    pages = sorted((site / "scenarios").glob("*.html"))
    assert len(files) == len(pages) > 0
    for path in files:
        text = (site / "scenarios" / f"{path.stem}.html").read_text(encoding="utf-8")
        text = text[text.index("<h1"):]  # the page itself, not the navigation or the table of contents
        entry = library.get(path.stem)
        story, answer = text.index("Your task"), text.index("The answer")
        assert text.index(f"gluesim-level-{entry.training.difficulty.value}") < story < answer
        assert text.count('<details class="hint">') == len(entry.training.hints)
        assert '<details class="failure">' in text and "The fix plan" in text and "What gluesim prints" in text
        assert f'href="files/{path.stem}.yaml"' in text
        download = site / "scenarios" / "files" / f"{path.stem}.yaml"
        assert download.read_text(encoding="utf-8") == entry.starting()


def test_exercises_come_easiest_first(project: Path) -> None:
    from gluesim.simulator import library

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    section = next(item["Scenarios"] for item in config["nav"] if "Scenarios" in item)
    assert [list(page.values())[0] for page in section] == [f"scenarios/{e.name}.md" for e in library.ordered()]


def test_plans_are_built_for_their_kind_of_job(site: Path) -> None:
    plain = (site / "plans" / "s3-to-s3.html").read_text(encoding="utf-8")
    kms = (site / "plans" / "s3-with-kms.html").read_text(encoding="utf-8")
    steps = lambda text: set(re.findall(r'<li>\s*<p><a href="../kb/([^"]+)\.html"', text))  # noqa: E731
    assert steps(kms) - steps(plain) == {"job-role.kms-key-access"}
    assert not {"job-role.kinesis-target-write", "job-role.kms-key-access"} & steps(plain)
    assert "gluesim-dependency-graph" in plain and plain.count('class="node ') == len(steps(plain))


def test_dead_weight_is_gone(site: Path) -> None:
    assert not list(site.rglob("*.map"))
    assert not (site / "assets" / "javascripts" / "lunr").exists()
    for asset in [*site.rglob("*.js"), *site.rglob("*.css")]:
        assert "sourceMappingURL" not in asset.read_text(encoding="utf-8"), asset


def test_policy_pages_link_to_aws_and_say_why_glue_studio_needs_them(site: Path) -> None:
    text = (site / "policies" / "amazonec2containerregistryreadonly.html").read_text(encoding="utf-8")
    assert 'href="https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2ContainerRegistryReadOnly.html"' in text
    assert "Jobs using AWS Marketplace connectors have AmazonEC2ContainerRegistryReadOnly on the job role" in text
    assert '<span class="nt">&quot;Version&quot;</span>' in text or '<span class="nt">"Version"</span>' in text  # Pygments


def test_the_delete_jobs_scenario_page_shows_the_failure_and_its_fix(site: Path) -> None:
    text = (site / "scenarios" / "batch-delete-jobs.html").read_text(encoding="utf-8")
    assert 'class="gluesim-verdict-fail"' in text
    assert 'href="../kb/user.batch-delete-jobs.html"' in text
    assert "glue:BatchDeleteJob" in text


def test_scenario_pages_embed_the_simulate_markdown_with_kb_links(site: Path) -> None:
    # The page shows what `gluesim simulate --format markdown` prints (the request and decision
    # of each IAM failure), with the KB ids linked and the verdicts styled.
    text = (site / "scenarios" / "batch-delete-jobs.html").read_text(encoding="utf-8")
    assert "Scenario batch-delete-jobs (account 111122223333): 0 pass, 1 fail, 0 unknown" in text
    assert "request: arn:aws:iam::111122223333:user/omar -&gt; glue:BatchDeleteJob" in text
    assert "decision: implicitDeny; deciding: no statement allows it" in text
    assert 'href="../kb/action.delete-jobs.html"' in text


def test_every_iam_action_is_in_the_glossary(site: Path) -> None:
    text = (site / "glossary.html").read_text(encoding="utf-8")
    for action in loader.load().iam_actions():
        assert f"<code>{action}</code>" in text


class _Links(HTMLParser):
    """Every href/src in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def test_every_internal_link_resolves_inside_the_site(site: Path) -> None:
    # mkdocs checks markdown links; this also covers raw HTML such as the graph's SVG links.
    broken = []
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "data:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_relative_to(site.resolve()) or not target.exists():
                broken.append(f"{page.relative_to(site)}: {url}")
    assert broken == []


def test_pages_load_nothing_from_the_network(site: Path) -> None:
    # The browser test proves it at run time; this names the culprit at build time.
    fetching = re.compile(r"""<(?:script|img|iframe|link)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""", re.I)
    offenders = [p.name for p in site.rglob("*.html") if fetching.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    # The theme's bundle would fetch mermaid from a CDN for any element of class "mermaid",
    # and repository statistics from api.github.com when repo_url is set.
    assert not [p.name for p in site.rglob("*.html") if 'class="mermaid' in p.read_text(encoding="utf-8")]
    assert not [p.name for p in site.rglob("*.html") if "md-source" in p.read_text(encoding="utf-8")]
    for script in (site / "assets" / "javascripts").glob("*.js"):
        assert "unpkg.com" not in script.read_text(encoding="utf-8") or script.name.startswith("bundle.")


def test_search_index_is_also_a_script_for_file_urls(site: Path) -> None:
    json_text = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8") == f"var __index = {json_text};\n"


def test_generated_project_is_plain_pinned_and_offline(project: Path) -> None:
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["font"] is False
    assert config["use_directory_urls"] is False
    assert [list(p)[0] if isinstance(p, dict) else p for p in config["plugins"]] == ["search"]
    assert ":" in config["plugins"][0]["search"]["separator"]
    assert "repo_url" not in config
    assert config["hooks"] == ["hooks/gluesim_offline.py"]
    requirements = (project / "requirements.txt").read_text(encoding="utf-8")
    assert "mkdocs==1.6.1" in requirements and re.search(r"mkdocs-material==9\.[78]\.\d+", requirements)
    assert (project / "overrides" / "assets" / "javascripts" / "gluesim-file-worker.js").is_file()
    assert (project / "docs" / "index.md").is_file()


def test_generated_project_builds_with_plain_mkdocs(project: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "search" / "search_index.js").is_file()
    assert (tmp_path / "out" / "kb" / "action.delete-jobs.html").is_file()


def test_build_reports_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["docs", "build", "--out", str(out), "--scenarios", str(library_dir() / "batch-delete-jobs.yaml")]) == 0
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(rf"Wrote the site \(\d+ pages, \d+ files, \d+\.\d MB\) to {re.escape(str(out))}; open .*index\.html", line)
    assert sorted(p.name for p in (out / "scenarios").iterdir()) == ["batch-delete-jobs.html", "files"]


def cli_command_paths() -> list[str]:
    """Every command path of the typer app, walked here independently of the docs code."""
    import typer

    from gluesim.cli.app import build_app

    def walk(command: object, path: str) -> list[str]:
        found = [path]
        if hasattr(command, "list_commands"):
            context = command.context_class(command, info_name=path)  # type: ignore[attr-defined]
            for name in command.list_commands(context):  # type: ignore[attr-defined]
                child = command.get_command(context, name)  # type: ignore[attr-defined]
                if child is not None and not child.hidden:
                    found += walk(child, f"{path} {name}")
        return found

    return walk(typer.main.get_command(build_app()), "gluesim")


def test_project_docs_build_in_strict_mode(tmp_path: Path) -> None:
    out = tmp_path / "docs-site"
    assert main(["docs", "build", "--source", str(ROOT / "docs"), "--out", str(out), "--strict"]) == 0
    headings = re.findall(r"<h2 id=[^>]*>(.*?)<a", (out / "reference" / "cli.html").read_text(encoding="utf-8"))
    assert headings == cli_command_paths()
    assert "gluesim docs build" in headings and "gluesim explain" in headings
    for page in ("reference/scenario-format.html", "reference/json-output.html", "guides/export-bundle.html"):
        assert (out / page).is_file(), page


def test_scenarios_with_the_same_file_name_get_separate_pages(tmp_path: Path) -> None:
    source = library_dir() / "batch-delete-jobs.yaml"
    for folder in ("team-a", "team-b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "account.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "site"
    args = ["docs", "build", "--out", str(out), "--markdown-only"]
    args += ["--scenarios", str(tmp_path / "team-a"), "--scenarios", str(tmp_path / "team-b" / "account.yaml")]
    args += ["--scenarios", str(tmp_path / "team-a" / "account.yaml")]  # named twice: one page
    assert main(args) == 0
    assert sorted(p.name for p in (out / "docs" / "scenarios").iterdir()) == ["account-2.md", "account.md", "files"]


def test_build_summary_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    out = tmp_path / "project"
    assert main(["docs", "build", "--out", str(out), "--markdown-only", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["out"] == str(out) and summary["markdown_only"] is True and summary["warnings"] == []
    assert summary["pages"] == len(list(out.rglob("*.md")))


def test_an_account_without_training_gets_its_plan_not_an_exercise(tmp_path: Path) -> None:
    from gluesim.simulator import library

    account = tmp_path / "our-account.yaml"
    account.write_text(library.get("default").starting(), encoding="utf-8")  # no training section
    out = tmp_path / "project"
    assert main(["docs", "build", "--out", str(out), "--markdown-only", "--scenarios", str(account)]) == 0
    page = (out / "docs" / "scenarios" / "our-account.md").read_text(encoding="utf-8")
    assert "## What to set up, in order" in page and "Hints" not in page
    assert "**Fails: flights-daily: role GlueFlightDataRole does not start with AWSGlueServiceRole**" in page
    assert not (out / "docs" / "scenarios" / "files").exists()
