"""Start-up time of ``gluesim explain`` and ``gluesim plan`` against ``python -c "import typer"``.

Runs each command N times as a fresh subprocess (the venv's own gluesim), reports the
median wall time of each and its ratio to the baseline. Target: explain at most 1.5x.

    .venv/bin/python bench/startup.py            # 21 runs each
    .venv/bin/python bench/startup.py --runs 51 --json
    .venv/bin/python bench/startup.py --cpu       # CPU time: steadier on a busy machine

The KB cache is warmed by one untimed run first (as on any machine after the first use).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.5
# Measure what an installed gluesim does: pip writes .pyc files at install time, so the
# children may write and use them too (PYTHONDONTWRITEBYTECODE would recompile every run).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def commands(python: Path) -> dict[str, list[str]]:
    """The measured commands; gluesim is the console script next to this interpreter."""
    gluesim = str(python.parent / "gluesim")
    return {
        "baseline: python -c 'import typer'": [str(python), "-c", "import typer"],
        "gluesim --version": [gluesim, "--version"],
        "gluesim explain glue:BatchDeleteJob": [gluesim, "explain", "glue:BatchDeleteJob"],
        "gluesim explain job-role.name-prefix": [gluesim, "explain", "job-role.name-prefix"],
        "gluesim plan": [gluesim, "plan"],
    }


def timed(argv: list[str], cpu: bool = False) -> float:
    """Seconds of one run: wall time, or user+system CPU time of the child with ``cpu``.

    CPU time is steadier than wall time on a busy machine (other processes steal wall
    time, not CPU time). A failing command stops the benchmark.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) if cpu else wall


def measure(runs: int, python: Path, cpu: bool = False) -> dict[str, float]:
    """Median seconds per command; runs are interleaved so that drift hits every command alike."""
    table = commands(python)
    for argv in table.values():
        timed(argv)  # warm-up: file cache, KB cache, .pyc files
    samples: dict[str, list[float]] = {name: [] for name in table}
    for _ in range(runs):
        for name, argv in table.items():
            samples[name].append(timed(argv, cpu))
    return {name: statistics.median(values) for name, values in samples.items()}


def report(medians: dict[str, float], unit: str) -> str:
    baseline = next(iter(medians.values()))
    lines = [f"{'command':<42} {unit:>10} {'x baseline':>11}"]
    for name, seconds in medians.items():
        lines.append(f"{name:<42} {seconds * 1000:>10.1f} {seconds / baseline:>11.2f}")
    explain = medians["gluesim explain glue:BatchDeleteJob"] / baseline
    verdict = "meets" if explain <= TARGET else "misses"
    lines.append(f"\nexplain is {explain:.2f}x the baseline: {verdict} the {TARGET}x target.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs per command (default 21)")
    parser.add_argument("--cpu", action="store_true", help="measure CPU time instead of wall time (busy machines)")
    parser.add_argument("--json", action="store_true", help="print medians (seconds) and ratios as JSON")
    args = parser.parse_args()
    medians = measure(args.runs, Path(sys.executable), args.cpu)
    if args.json:
        baseline = next(iter(medians.values()))
        print(json.dumps({n: {"median_s": s, "ratio": s / baseline} for n, s in medians.items()}, indent=2))
    else:
        print(report(medians, "cpu ms" if args.cpu else "wall ms"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
