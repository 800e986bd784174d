"""Bad input to ``gluesim docs``: one exact error line, exit 2, nothing half-written, nothing else removed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gluesim.cli.app import main
from gluesim.simulator.library import library_dir

ONE_SCENARIO = str(library_dir() / "batch-delete-jobs.yaml")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["docs", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def leftovers(folder: Path) -> list[str]:
    """Temporary build folders left beside the output."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_folder_gluesim_did_not_build_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], force: list[str]
) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, stdout, err = run(["build", "--out", str(out), "--scenarios", ONE_SCENARIO, *force], capsys)
    assert (code, stdout) == (2, "")
    assert err == (
        f"Error: --out {str(out)!r}: folder is not empty and gluesim did not build it (no .gluesim-site file); "
        "choose an empty or new folder: --force replaces only a folder gluesim built\n"
    )
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert leftovers(tmp_path) == []


def test_a_site_gluesim_built_is_replaced_only_with_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    (tmp_path / "beside.txt").write_text("keep me")
    assert run(["build", "--out", str(out), "--scenarios", ONE_SCENARIO, "--markdown-only"], capsys)[0] == 0
    assert (out / ".gluesim-site").is_file()
    (out / "old.md").write_text("old")
    code, _, err = run(["build", "--out", str(out), "--scenarios", ONE_SCENARIO, "--markdown-only"], capsys)
    assert (code, err) == (2, f"Error: --out {str(out)!r}: holds a site gluesim built; pass --force to replace it, "
                              "or choose an empty or new folder\n")
    code, _, err = run(["build", "--out", str(out), "--scenarios", ONE_SCENARIO, "--markdown-only", "--force"], capsys)
    assert (code, err) == (0, "")
    assert not (out / "old.md").exists() and (out / "mkdocs.yml").is_file() and (out / ".gluesim-site").is_file()
    assert (tmp_path / "beside.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beside.txt", "site"]


def test_force_never_replaces_a_built_folder_holding_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert run(["build", "--out", str(out), "--scenarios", ONE_SCENARIO, "--markdown-only"], capsys)[0] == 0
    mine = out / "mine.yaml"
    mine.write_text(Path(ONE_SCENARIO).read_text())
    code, _, err = run(["build", "--out", str(out), "--scenarios", str(mine), "--markdown-only", "--force"], capsys)
    assert (code, err) == (2, f"Error: --out {str(out)!r}: holds the input {str(mine)!r}; "
                              "choose an --out that holds no input\n")
    assert mine.is_file()


def test_partial_folders_of_interrupted_builds_are_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = tmp_path / ".site.gluesim-99999999-abc123.partial"  # no process has that id (above pid_max)
    (dead / "result").mkdir(parents=True)
    running = tmp_path / f".site.gluesim-{os.getpid()}-abc123.partial"
    running.mkdir()
    code, _, _ = run(["build", "--out", str(tmp_path / "site"), "--scenarios", ONE_SCENARIO, "--markdown-only"], capsys)
    assert code == 0
    assert leftovers(tmp_path) == [running.name]


def test_missing_parent_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nope" / "site"
    code, _, err = run(["build", "--out", str(out)], capsys)
    assert code == 2
    assert err == (
        f"Error: --out {str(out)!r}: folder {str(tmp_path / 'nope')!r} does not exist; "
        "create it first or choose another --out\n"
    )
    assert not (tmp_path / "nope").exists()


def test_output_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    out.write_text("a file")
    code, _, err = run(["build", "--out", str(out), "--force"], capsys)
    assert code == 2
    assert err == f"Error: --out {str(out)!r}: is a file, not a folder; choose a folder for the site\n"
    assert out.read_text() == "a file"


def test_unwritable_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    # /sys refuses new entries even to root, so this holds in containers that run as root.
    out = Path("/sys/gluesim-site")
    code, _, err = run(["build", "--out", str(out), "--scenarios", ONE_SCENARIO], capsys)
    assert code == 2
    assert err.startswith(f"Error: --out {str(out)!r}: cannot write into '/sys' (")
    assert err.endswith("); choose a writable folder\n") and err.count("\n") == 1


def test_invalid_scenario_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('account:\n  id: "111122223333"\n  region: us-east-1\nusers:\n  - name: ana\n    consle_access: true\n')
    out = tmp_path / "site"
    code, stdout, err = run(["build", "--out", str(out), "--scenarios", str(bad)], capsys)
    assert (code, stdout) == (2, "")
    assert err.startswith(f"Error: {bad}:6: ") and "'consle_access'" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_missing_scenario_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    code, _, err = run(["build", "--out", str(tmp_path / "site"), "--scenarios", str(missing)], capsys)
    assert code == 2
    assert err == (
        f"Error: --scenarios {str(missing)!r}: no such file or folder; expected a scenario file or a folder of them\n"
    )


def test_scenario_folder_without_scenarios(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(["build", "--out", str(tmp_path / "site"), "--scenarios", str(empty)], capsys)
    assert code == 2
    assert err == f"Error: --scenarios {str(empty)!r}: the folder has no *.yaml scenario files; expected at least one\n"


def test_force_never_replaces_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work.txt").write_text("precious")
    (tmp_path / ".gluesim-site").write_text("a marker does not make the current folder replaceable")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["build", "--out", ".", "--force"], capsys)
    assert code == 2
    assert err == "Error: --out '.': contains the current folder; choose a folder of its own for the site\n"
    assert (tmp_path / "work.txt").read_text() == "precious"


def test_symlinked_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "site"
    os.symlink(real, link)
    code, _, err = run(["build", "--out", str(link)], capsys)
    assert code == 2
    assert err == f"Error: --out {str(link)!r}: is a symbolic link; give the real folder\n"


def test_serve_without_a_built_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["serve", "--out", str(tmp_path)], capsys)
    assert code == 2
    assert err == f"Error: --out {str(tmp_path)!r}: has no built site (index.html); run 'gluesim docs build' first\n"


def test_source_folder_without_mkdocs_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["build", "--source", str(tmp_path), "--out", str(tmp_path / "site")], capsys)
    assert code == 2
    assert err == f"Error: --source {str(tmp_path)!r}: has no mkdocs.yml; expected a docs folder like gluesim's docs/\n"


def test_source_with_a_broken_link_fails_in_strict_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "docs"
    source.mkdir()
    (source / "mkdocs.yml").write_text("site_name: t\nnav:\n  - Home: index.md\n")
    (source / "index.md").write_text("# Home\n\nSee [the missing page](missing.md).\n")
    out = tmp_path / "site"
    code, _, err = run(["build", "--source", str(source), "--out", str(out), "--strict"], capsys)
    assert code == 2
    assert err == (
        f"Error: {source / 'mkdocs.yml'}: mkdocs: Doc file 'index.md' contains a link 'missing.md', "
        "but the target is not found among documentation files; fix it or build without --strict\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_source_mkdocs_yml_with_an_unknown_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nnav: []\nplugins: [social]\n")
    code, _, err = run(["build", "--source", str(tmp_path), "--out", str(tmp_path / "site")], capsys)
    assert code == 2
    assert err == (
        f"Error: {tmp_path / 'mkdocs.yml'}:3: unknown key 'plugins'; expected one of site_name, site_description, nav\n"
    )


def fake_versions(monkeypatch: pytest.MonkeyPatch, versions: dict[str, str | None]) -> None:
    """Make importlib.metadata report other versions (None: not installed) for some packages."""
    import importlib.metadata as metadata

    real = metadata.version

    def version(name: str) -> str:
        if name not in versions:
            return real(name)
        if versions[name] is None:
            raise metadata.PackageNotFoundError(name)
        return versions[name]  # type: ignore[return-value]

    monkeypatch.setattr(metadata, "version", version)


def test_missing_mkdocs_material(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake_versions(monkeypatch, {"mkdocs-material": None})
    code, _, err = run(["build", "--out", str(tmp_path / "site"), "--scenarios", ONE_SCENARIO], capsys)
    assert code == 2
    assert err == (
        "Error: mkdocs-material is not installed; reinstall gluesim (pip install gluesim installs it) "
        "or use --markdown-only\n"
    )
    assert list(tmp_path.iterdir()) == []
    assert main(["docs", "build", "--markdown-only", "--out", str(tmp_path / "src"), "--scenarios", ONE_SCENARIO]) == 0


def test_unsupported_mkdocs_material(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake_versions(monkeypatch, {"mkdocs-material": "9.6.23"})
    code, _, err = run(["build", "--out", str(tmp_path / "site"), "--scenarios", ONE_SCENARIO], capsys)
    assert code == 2
    assert err == (
        "Error: mkdocs 1.6.1 with mkdocs-material 9.6.23 is not supported; expected mkdocs 1.6.1 and "
        "mkdocs-material >=9.7,<9.9 (reinstall gluesim to get them)\n"
    )
