"""Build the results table: each backend on each labelled set, per document.

    .venv/bin/python eval/results.py --backend rules --backend hybrid --set golden --set eval/unseen

Runs `extractor extract` (so the cache and the local server behave as for a user) and
`extractor eval --json`, then prints a Markdown table of strict indicator F1, report F1,
funds accuracy, goal similarity, LLM calls, tokens and seconds per document, taken from
the eval figures and run.json.  Paste it into eval/RESULTS.md with the command.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def run_set(backend: str, gold: Path, out: Path, extra: list[str]) -> tuple[dict, dict, float]:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "extractor"), "extract", str(gold / "docs"), "-o", str(out), "--backend", backend, "--quiet", *extra],
        check=False,
    )
    seconds = time.perf_counter() - start
    figures_path = out / "figures.json"
    subprocess.run(
        [str(BIN / "extractor"), "eval", "--gold", str(gold), "--pred", str(out), "--json", str(figures_path)],
        check=True, stdout=subprocess.DEVNULL,
    )
    return json.loads(figures_path.read_text()), json.loads((out / "run.json").read_text()), seconds


def rows(backend: str, label: str, figures: dict, run: dict) -> list[str]:
    by_stem = {entry["stem"]: entry for entry in run["inputs"]}
    lines = []
    for stem, doc in sorted(figures["documents"].items()) + [("**all**", figures["overall"])]:
        entry = by_stem.get(stem)
        llm = entry["llm"] if entry else run["totals"]
        seconds = entry["seconds"] if entry else run["totals"]["seconds"]
        lines.append(
            f"| {backend} | {label} | {stem} | {fmt(doc['strict_indicator_f1'])} | {fmt(doc['report_f1'])} "
            f"| {fmt(doc['funds_accuracy'])} | {fmt(doc['goal_similarity'])} | {llm.get('llm_calls', 0)} "
            f"| {llm.get('cache_hits', 0)} | {llm.get('prompt_tokens', 0)}+{llm.get('completion_tokens', 0)} "
            f"| {seconds:.1f} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", action="append", required=True)
    parser.add_argument("--set", dest="sets", action="append", required=True, help="a folder with docs/ and labels")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "results")
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    extra = ["--no-cache"] if args.no_cache else []
    print("| backend | set | document | strict F1 | report F1 | funds | goals | calls | cache hits | tokens (prompt+completion) | seconds |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend in args.backend:
        for gold in args.sets:
            gold_path = (ROOT / gold).resolve()
            out = args.out / backend / gold_path.name
            figures, run, wall = run_set(backend, gold_path, out, extra)
            print("\n".join(rows(backend, gold_path.name, figures, run)), flush=True)
            print(f"<!-- {backend} {gold}: wall {wall:.1f} s -->", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
