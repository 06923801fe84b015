"""Run every benchmark in turn, then write docs/performance.md (``make bench``).

    .venv/bin/python -m bench.run [--scale 0.05] [--skip-generate] [--quick]

Each benchmark runs as its own command (the one docs/performance.md prints beside its figures);
one that fails is reported and the others still run. ``--skip-generate`` reuses the bench
database as it is; ``--quick`` shortens the load phases (for a smoke run of the whole chain).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.common import REPO, say


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="0.05")
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    seconds = "20" if args.quick else "60"
    phase = "5" if args.quick else "15"
    steps: list[list[str]] = []
    if not args.skip_generate:
        steps.append(["bench.generate", "--scale", args.scale])
    steps += [
        ["bench.raw_pg", "--workers", "2", "4", "8", "--seconds", "10", "--pgbench"],
        ["bench.deadline_day", "--seconds", seconds, "--phase-seconds", phase],
        ["bench.year_end", "--province"],
        ["bench.pages"],
        ["bench.printing"],
        ["bench.import_bench"],
    ]
    started = time.perf_counter()
    failed = []
    for step in steps:
        say(f"\n=== {' '.join(step)}")
        begun = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", *step], cwd=REPO, check=False)
        say(f"=== {step[0]}: {time.perf_counter() - begun:.0f} s (exit {done.returncode})")
        if done.returncode != 0:
            failed.append(step[0])
    total = time.perf_counter() - started
    subprocess.run(
        [sys.executable, "-m", "bench.report", "--total-seconds", f"{total:.0f}"],
        cwd=REPO,
        check=False,
    )
    say(
        f"\nmake bench: {total / 60:.1f} min" + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
