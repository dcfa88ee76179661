"""`make bench`: the rules backend on the golden documents replicated to N files.

Prints docs/s and peak RSS for --jobs 1 and --jobs 2.  Each run is a fresh
`extractor extract` process, so start-up is included (as an auditor sees it).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def replicate(src: Path, dest: Path, count: int) -> int:
    docs = sorted(p for p in src.iterdir() if p.suffix == ".txt")
    for i in range(count):
        doc = docs[i % len(docs)]
        shutil.copyfile(doc, dest / f"{doc.stem}__{i:04d}{doc.suffix}")
    return count


def run(inputs: Path, jobs: int) -> tuple[float, float, int]:
    out = inputs.parent / f"out-j{jobs}"
    exe = Path(sys.executable).parent / "extractor"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [str(exe), "extract", str(inputs), "-o", str(out), "--backend", "rules", "--jobs", str(jobs), "--quiet"],
        capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    # ru_maxrss of children is the largest child so far (KiB on Linux); runs go smallest-first.
    peak_mib = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    if proc.returncode != 0:
        print(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}", file=sys.stderr)
    return seconds, peak_mib, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--docs", type=Path, default=ROOT / "golden" / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="extractor-bench-") as tmp:
        inputs = Path(tmp) / "inputs"
        inputs.mkdir()
        n = replicate(args.docs, inputs, args.files)
        print(f"{'jobs':>4}  {'files':>5}  {'seconds':>8}  {'docs/s':>7}  {'peak RSS MiB':>12}  exit")
        for jobs in (1, 2):
            seconds, peak, code = run(inputs, jobs)
            print(f"{jobs:>4}  {n:>5}  {seconds:>8.2f}  {n / seconds:>7.1f}  {peak:>12.0f}  {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
