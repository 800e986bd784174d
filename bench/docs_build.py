"""Benchmark ``gluesim docs build``: time and size of the full onboarding site.

Run: ``.venv/bin/python bench/docs_build.py [--runs N] [--json]``

Each run is a fresh subprocess (``python -m gluesim.cli docs build --strict``) building the
full site (shipped knowledge base, every shipped managed policy, the shipped scenario library)
into a new folder, so the time includes start-up, loading, simulating every scenario,
generating the markdown and the mkdocs-material build. One untimed warm-up run comes first.
Also measured once: the ``--markdown-only`` project. Target (issue 5): under 10 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_SECONDS = 10.0


def build_once(out: Path, *extra: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one ``gluesim docs build`` subprocess."""
    command = [sys.executable, "-m", "gluesim.cli", "docs", "build", "--out", str(out), "--strict", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def size_of(folder: Path) -> dict[str, Any]:
    """Pages, files and bytes of a built site (and of its search index)."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    index = folder / "search" / "search_index.json"
    return {
        "html_pages": sum(1 for p in files if p.suffix == ".html"),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "search_index_bytes": index.stat().st_size if index.exists() else 0,
    }


def measure(runs: int) -> dict[str, Any]:
    """Build the site ``runs`` times (after a warm-up) and the markdown project once."""
    with tempfile.TemporaryDirectory(prefix="gluesim-bench-") as folder:
        base = Path(folder)
        build_once(base / "warm-up")
        measured = [build_once(base / f"site-{n}") for n in range(runs)]
        times = [wall for wall, _ in measured]
        markdown_seconds = build_once(base / "project", "--markdown-only")[0]
        return {
            "runs": runs,
            "seconds_median": statistics.median(times),
            "seconds_min": min(times),
            "seconds_max": max(times),
            "cpu_seconds_median": statistics.median(cpu for _, cpu in measured),
            "markdown_only_seconds": markdown_seconds,
            "target_seconds": TARGET_SECONDS,
            "site": size_of(base / "site-0"),
            "project": size_of(base / "project"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    site = result["site"]
    verdict = "meets" if result["seconds_median"] < TARGET_SECONDS else "MISSES"
    print(f"full site build: median {result['seconds_median']:.2f} s (min {result['seconds_min']:.2f}, "
          f"max {result['seconds_max']:.2f}, {result['runs']} runs; CPU {result['cpu_seconds_median']:.2f} s); "
          f"{verdict} the {TARGET_SECONDS:.0f} s target")
    print(f"markdown-only project: {result['markdown_only_seconds']:.2f} s, "
          f"{result['project']['files']} files, {result['project']['bytes'] / 1e6:.2f} MB")
    print(f"site: {site['html_pages']} HTML pages, {site['files']} files, {site['bytes'] / 1e6:.1f} MB "
          f"(search index {site['search_index_bytes'] / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
