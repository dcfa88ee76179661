"""`make bench`: the rules backend on the golden documents replicated to N files.

Prints docs/s and peak RSS for --jobs 1 and --jobs 2.  Each run is a fresh
`extractor extract` process into an empty output folder, so start-up and every output
(JSON, sources, run.json, results.xlsx, review.html) are included, as an auditor sees it.

Each configuration runs --repeat times (default 3): on a shared machine other work only ever
adds time, so the best run is the machine's speed and the median shows the noise.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
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


def run(inputs: Path, jobs: int, attempt: int) -> tuple[float, float, int]:
    out = inputs.parent / f"out-j{jobs}-{attempt}"
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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="extractor-bench-") as tmp:
        inputs = Path(tmp) / "inputs"
        inputs.mkdir()
        n = replicate(args.docs, inputs, args.files)
        print(f"{'jobs':>4}  {'files':>5}  {'runs':>4}  {'best s':>7}  {'best docs/s':>11}  "
              f"{'median docs/s':>13}  {'peak RSS MiB':>12}  exit")
        for jobs in (1, 2):
            results = [run(inputs, jobs, k) for k in range(max(1, args.repeat))]
            times = sorted(seconds for seconds, _, _ in results)
            peak = max(p for _, p, _ in results)
            code = max(c for _, _, c in results)
            median = statistics.median(times)
            print(f"{jobs:>4}  {n:>5}  {len(times):>4}  {times[0]:>7.2f}  {n / times[0]:>11.1f}  "
                  f"{n / median:>13.1f}  {peak:>12.0f}  {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
