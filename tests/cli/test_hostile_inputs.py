"""Hostile or unlucky inputs to every command: exit 2 and exactly one located ``Error:`` line.

One table per kind of input. Each case builds its bad input in ``tmp_path`` (``{t}`` in the
arguments and the expected line stands for that folder) and names the start of the one
error line it expects. Cases that give a FIFO run the command in a subprocess with a
generous timeout, so a reader that blocks fails its test instead of hanging the suite;
the rest run in-process. No case relies on timing: the timeout only turns a hang into a
failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from support import run_cli

IMPORTERS = Path(__file__).resolve().parents[1] / "simulator" / "importers"
BUNDLE = IMPORTERS / "bundle"
SCENARIO = Path(__file__).resolve().parents[1] / "simulator" / "fixtures" / "typical.yaml"
HUGE = "9" * 5000
POLICY_WITH_HUGE_INT = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",\n'
    f' "Condition": {{"NumericLessThan": {{"s3:max-keys": {HUGE}}}}}}}]}}\n'
)
ALLOW_ALL = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
HANG_LIMIT = 300  # seconds; only a reader that blocks forever ever reaches it


def fifo(name: str) -> Callable[[Path], None]:
    return lambda t: os.mkfifo(t / name)


def loop(name: str) -> Callable[[Path], None]:
    return lambda t: os.symlink(name, t / name)


def device(name: str) -> Callable[[Path], None]:
    return lambda t: os.symlink("/dev/zero", t / name)


def text(name: str, content: str | bytes) -> Callable[[Path], None]:
    def make(t: Path) -> None:
        (t / name).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        (t / name).write_bytes(data)
    return make


def bundle_with(change: Callable[[Path], None]) -> Callable[[Path], None]:
    """A copy of the export-folder fixture at ``{t}/b``, then ``change`` applied to that folder."""
    def make(t: Path) -> None:
        import shutil

        shutil.copytree(BUNDLE, t / "b")
        change(t / "b")
    return make


def replaced(name: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / name).unlink()
        make(folder)
    return change


FIFO = "is a FIFO (named pipe), not a regular file; expected"
DEVICE = "is a device, not a regular file; expected"
LOOP = "is a symbolic link loop (or a chain of too many links); point it at a real file"
DIGITS = "a number with 5,000 digits; at most 4,300 digits are accepted"

# (id, make the input, argv, the start of the expected error line after "Error: ")
CASES = [
    # gluesim simulate / scenario check: the scenario file
    ("simulate-fifo", fifo("s.yaml"), ["simulate", "{t}/s.yaml"], f"{{t}}/s.yaml: {FIFO} a scenario file"),
    ("simulate-device", device("s.yaml"), ["simulate", "{t}/s.yaml"], f"{{t}}/s.yaml: {DEVICE} a scenario file"),
    ("simulate-loop", loop("s.yaml"), ["simulate", "{t}/s.yaml"], f"{{t}}/s.yaml: {LOOP}"),
    ("simulate-nul", text("s.yaml", "account:\n  id: '111122223333'\x00\n"), ["simulate", "{t}/s.yaml"],
     "{t}/s.yaml:2:21: character U+0000 is not allowed in YAML; remove it"),
    ("scenario-check-region", text("s.yaml", "account:\n  id: '111122223333'\n  region: ../../etc\n"),
     ["scenario", "check", "{t}/s.yaml"], "{t}/s.yaml:3: account.region"),
    ("scenario-policy-huge-int",
     text("s.yaml", "account:\n  id: '111122223333'\npolicies:\n  - name: p\n    document: '"
          + POLICY_WITH_HUGE_INT.replace("\n", " ") + "'\n"),
     ["scenario", "check", "{t}/s.yaml"], f"{{t}}/s.yaml:5: policy 'p' holds {DIGITS}"),
    ("scenarios-check-answer-fifo", fifo("a.yaml"), ["scenarios", "check", "role-name-prefix", "--answer", "{t}/a.yaml"],
     f"{{t}}/a.yaml: {FIFO} a scenario file"),
    # gluesim policy check / simulate: policy files and --context-entries
    ("policy-check-fifo", fifo("p.json"), ["policy", "check", "{t}/p.json"], f"{{t}}/p.json: {FIFO} a JSON policy file"),
    ("policy-check-device", device("p.json"), ["policy", "check", "{t}/p.json"], f"{{t}}/p.json: {DEVICE} a JSON policy file"),
    ("policy-check-loop", loop("p.json"), ["policy", "check", "{t}/p.json"], f"{{t}}/p.json: {LOOP}"),
    ("policy-check-huge-int", text("p.json", POLICY_WITH_HUGE_INT), ["policy", "check", "{t}/p.json"],
     f"{{t}}/p.json:2:51: {DIGITS}"),
    ("policy-simulate-fifo", fifo("p.json"),
     ["policy", "simulate", "--policy-input-list", "file://{t}/p.json", "--action-names", "s3:GetObject"],
     f"{{t}}/p.json: {FIFO} a JSON policy file"),
    ("policy-simulate-huge-int", text("p.json", POLICY_WITH_HUGE_INT),
     ["policy", "simulate", "--policy-input-list", "file://{t}/p.json", "--action-names", "s3:GetObject"],
     f"{{t}}/p.json:2:51: {DIGITS}"),
    ("context-entries-fifo", fifo("c.json"),
     ["policy", "simulate", "--policy-input-list", ALLOW_ALL,
      "--action-names", "s3:GetObject", "--context-entries", "file://{t}/c.json"],
     f"{{t}}/c.json: {FIFO} a JSON policy file"),
    ("context-entries-huge-int", text("c.json", f'[{{"ContextKeyName": "s3:max-keys", "ContextKeyValues": [{HUGE}]}}]'),
     ["policy", "simulate", "--policy-input-list", ALLOW_ALL,
      "--action-names", "s3:GetObject", "--context-entries", "file://{t}/c.json"],
     f"--context-entries[0]: {DIGITS}"),
    # gluesim import / audit: exports, templates, export folders, options
    ("import-fifo", fifo("gaad.json"), ["import", "{t}/gaad.json", "--to", "{t}/out.yaml"], f"{{t}}/gaad.json: {FIFO} an export"),
    ("import-template-fifo", fifo("stack.yaml"), ["import", "{t}/stack.yaml", "--to", "{t}/out.yaml"],
     f"{{t}}/stack.yaml: {FIFO} a CloudFormation template"),
    ("import-device", device("gaad.json"), ["import", "{t}/gaad.json", "--to", "{t}/out.yaml"], f"{{t}}/gaad.json: {DEVICE} an export"),
    ("import-loop", loop("gaad.json"), ["import", "{t}/gaad.json", "--to", "{t}/out.yaml"], f"{{t}}/gaad.json: {LOOP}"),
    ("import-huge-int", text("gaad.json", f'{{"UserDetailList": [], "Count": {HUGE}}}'),
     ["import", "{t}/gaad.json", "--to", "{t}/out.yaml"], f"{{t}}/gaad.json:1:33: {DIGITS}"),
    ("import-embedded-policy-huge-int",
     text("gaad.json", json.dumps({"UserDetailList": [{"UserName": "u", "UserId": "AIDAEXAMPLE", "Path": "/",
                                   "Arn": "arn:aws:iam::111122223333:user/u", "CreateDate": "2020-01-01T00:00:00Z",
                                   "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": POLICY_WITH_HUGE_INT}]}],
                                   "GroupDetailList": [], "RoleDetailList": [], "Policies": []})),
     ["import", "{t}/gaad.json", "--to", "{t}/out.yaml"],
     f"{{t}}/gaad.json: UserDetailList[0].UserPolicyList[0].PolicyDocument: the policy document holds {DIGITS}"),
    ("import-parameters-fifo", fifo("params.json"),
     ["import", str(IMPORTERS / "samples" / "cloudformation" / "s2s-vpn-simple_vpc.yaml"), "--parameters", "{t}/params.json",
      "--to", "{t}/out.yaml"], f"{{t}}/params.json: {FIFO} a parameter file"),
    ("import-region-option", None, ["import", str(IMPORTERS / "samples" / "authorization-details" / "awscli-docs-example.json"),
                                     "--region", "../../etc", "--to", "{t}/out.yaml"],
     "--region '../../etc': is not an AWS Region name; expected e.g. 'eu-west-1'"),
    ("bundle-region-not-utf8", bundle_with(lambda b: (b / "region.txt").write_bytes(b"\xff\xfe")),
     ["import", "{t}/b", "--to", "{t}/out.yaml"], "{t}/b/region.txt:1:1: byte 0xff is not valid UTF-8"),
    ("bundle-region-garbage", bundle_with(lambda b: (b / "region.txt").write_text("../../etc\n")),
     ["import", "{t}/b", "--to", "{t}/out.yaml"],
     "{t}/b/region.txt:1: '../../etc' is not an AWS Region name; expected e.g. 'eu-west-1'"),
    ("bundle-region-fifo", bundle_with(replaced("region.txt", fifo("region.txt"))),
     ["import", "{t}/b", "--to", "{t}/out.yaml"], f"{{t}}/b/region.txt: {FIFO} a region file"),
    ("bundle-export-fifo", bundle_with(replaced("caller.json", fifo("caller.json"))),
     ["import", "{t}/b", "--to", "{t}/out.yaml"], f"{{t}}/b/caller.json: {FIFO} an export"),
    ("bundle-export-loop", bundle_with(replaced("caller.json", loop("caller.json"))),
     ["import", "{t}/b", "--to", "{t}/out.yaml"], f"{{t}}/b/caller.json: {LOOP}"),
    ("audit-fifo", fifo("gaad.json"), ["audit", "{t}/gaad.json"], f"{{t}}/gaad.json: {FIFO} an export"),
    # gluesim kb check DIR: a folder of KB files
    ("kb-folder-fifo", fifo("topic.yaml"), ["kb", "check", "{t}"], f"{{t}}/topic.yaml: {FIFO} a knowledge-base file"),
    ("kb-folder-loop", loop("topic.yaml"), ["kb", "check", "{t}"], f"{{t}}/topic.yaml: {LOOP}"),
    # gluesim docs build: --scenarios and --source
    ("docs-scenarios-fifo", fifo("s.yaml"), ["docs", "build", "--out", "{t}/site", "--scenarios", "{t}/s.yaml"],
     f"{{t}}/s.yaml: {FIFO} a scenario file"),
    ("docs-scenarios-folder-fifo", lambda t: (t.joinpath("lib").mkdir(), os.mkfifo(t / "lib" / "s.yaml")),
     ["docs", "build", "--out", "{t}/site", "--scenarios", "{t}/lib"], f"{{t}}/lib/s.yaml: {FIFO} a scenario file"),
    ("docs-source-page-fifo", lambda t: (text("src/mkdocs.yml", "site_name: x\nnav: [index.md]\n")(t),
                                         os.mkfifo(t / "src" / "index.md")),
     ["docs", "build", "--source", "{t}/src", "--out", "{t}/site", "--markdown-only"], f"{{t}}/src/index.md: {FIFO} a page"),
    ("docs-source-page-outside", lambda t: (text("src/mkdocs.yml", "site_name: x\nnav: [index.md]\n")(t),
                                            text("secret.md", "not for the site\n")(t),
                                            os.symlink(t / "secret.md", t / "src" / "index.md")),
     ["docs", "build", "--source", "{t}/src", "--out", "{t}/site", "--markdown-only"],
     "{t}/src/index.md: is a symbolic link to a file outside the source folder; copy the file into the folder instead"),
    # command-line ids
    ("plan-goal", None, ["plan", "nosuch"], "argument GOAL: unknown knowledge-base id 'nosuch'"),
    ("plan-done", None, ["plan", "run-job", "--done", "nosuch"], "--done: unknown knowledge-base id 'nosuch'"),
    ("kb-show", None, ["kb", "show", "nosuch"], "argument ID: unknown knowledge-base id 'nosuch'"),
    ("scenarios-show", None, ["scenarios", "show", "nosuch"], "argument NAME: no scenario named 'nosuch'"),
    ("scenarios-try", None, ["scenarios", "try", "nosuch"], "argument NAME: no scenario named 'nosuch'"),
]


def _uses_fifo(make: Callable[[Path], None] | None, tmp_path: Path) -> bool:
    return any(p.is_fifo() for p in tmp_path.rglob("*") if not p.is_symlink())


def _run_in_subprocess(argv: list[str], tmp_path: Path) -> tuple[int, str]:
    env = {**os.environ, "GLUESIM_CACHE_DIR": str(tmp_path / "cache")}
    try:
        done = subprocess.run([sys.executable, "-m", "gluesim.cli", *argv], capture_output=True, text=True,
                              timeout=HANG_LIMIT, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gluesim {' '.join(argv)} blocked on a FIFO instead of refusing it")
    return done.returncode, done.stderr


@pytest.mark.parametrize(("make", "argv", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_is_one_located_error_line(
    make: Callable[[Path], None] | None, argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if make is not None:
        make(tmp_path)
    args = [a.replace("{t}", str(tmp_path)) for a in argv]
    if _uses_fifo(make, tmp_path):
        code, err = _run_in_subprocess(args, tmp_path)
    else:
        code, _, err = run_cli(capsys, *args)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("Error: " + expected.replace("{t}", str(tmp_path))), err
    assert not (tmp_path / "out.yaml").exists() and not (tmp_path / "site").exists()
