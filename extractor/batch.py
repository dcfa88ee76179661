"""Batch extraction: many inputs in, one folder of checkable results out.

    run_batch(paths, outdir, options) -> exit code (0 all ok, 1 any failed, 130 interrupted)

OUTDIR gets, for every input that could be read, ``<stem>.json`` (the contract document with
evidence and checks) and ``sources/<stem>.txt`` (the text the evidence offsets point into),
and for the whole run ``run.json`` (the manifest, rewritten after every document so it is
valid even after Ctrl-C), ``errors.log`` (full tracebacks of internal errors, never shown
on stderr), ``results.xlsx`` and ``review.html``.  Every file is written atomically.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as _dt
import hashlib
import json
import os
import re
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pydantic_core

from . import __version__
from .models import Document, document_json, load_document
from .source import LoadError

LOCAL_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".xlsx", ".xlsm")
# Found in folders too, so they are listed as failed with the loader's "save as .docx/.xlsx" hint
# instead of being skipped without a word.
LEGACY_SUFFIXES = (".doc", ".wps", ".xls", ".et")
LLM_STAT_KEYS = ("llm_calls", "cache_hits", "prompt_tokens", "completion_tokens", "llm_seconds",
                 "retries", "ungrounded_dropped", "failed_segments", "reasks", "invalid_rows", "truncated",
                 "continuations", "shifted_rows")
RUN_FILE = "run.json"
TRACEBACK_CHARS = 2000
SOURCES_DIR = "sources"


@dataclass
class BatchOptions:
    backend: str = "auto"
    jobs: int = 1
    concurrency: int = 1
    base_url: str | None = None
    model: str | None = None
    use_cache: bool = True
    resume: bool = False
    max_mb: float = 50.0
    progress: bool = True


@dataclass
class Task:
    path: str
    stem: str
    explicit: bool = False
    outdir: str = ""  # the worker writes <stem>.json and sources/<stem>.txt here itself


@dataclass
class Outcome:
    """What one worker returns: everything picklable, no Document objects (a worker's
    `document` is always None; in-process runs keep it so the summaries need not re-read it)."""

    path: str
    stem: str
    sha256: str | None = None
    status: str = "failed"
    error: str | None = None
    traceback: str | None = None
    reports: int = 0
    indicators: int = 0
    seconds: float = 0.0
    backend: str | None = None
    llm: dict = field(default_factory=dict)
    fatal: bool = False  # the model cannot be used at all: every other input would fail the same way
    document: Any = None


# Errors that are the setup's, not the document's: the batch stops with one line and exit code 2.
FATAL_ERRORS = ("LLMUnavailable", "ServerError")


class FatalError(Exception):
    """Raised in the parent when a worker reports a setup error (no model, server won't start)."""


# ---------------------------------------------------------------- small utilities


def supported_suffixes() -> tuple[str, ...]:
    try:
        from . import loaders

        suffixes = getattr(loaders, "SUPPORTED_SUFFIXES", None)
        if suffixes:
            return tuple(s.lower() for s in suffixes) + LEGACY_SUFFIXES
    except Exception:  # noqa: BLE001 - a broken loaders package must not break path expansion
        pass
    return LOCAL_SUFFIXES + LEGACY_SUFFIXES


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temp file in the same folder, fsync, then os.replace: never a half-written file.

    durable=False skips the fsync (a few ms per file, most of a rules batch's write time) for
    outputs the manifest can re-check: after a power cut such a file may be empty, and
    --resume re-reads it instead of trusting run.json (see _resumable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), durable)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def one_line(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- inputs


def expand_paths(paths: Iterable[Path], outdir: Path | None = None) -> list[tuple[Path, bool]]:
    """Files as given (any suffix: they fail with their reason) and folders recursively
    (supported suffixes only; hidden files, Office lock files ``~$x`` and OUTDIR skipped).
    Returns (path, explicitly named) in a stable order, each file once."""
    suffixes = supported_suffixes()
    out_resolved = Path(outdir).resolve() if outdir else None
    seen: set[Path] = set()
    found: list[tuple[Path, bool]] = []

    def add(p: Path, explicit: bool) -> None:
        r = p.resolve()
        if r in seen:
            return
        seen.add(r)
        found.append((p, explicit))

    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = []
            for root, dirs, names in os.walk(p):
                root_p = Path(root)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and not (out_resolved and (root_p / d).resolve() == out_resolved))
                for name in sorted(names):
                    if name.startswith((".", "~$")):
                        continue
                    if Path(name).suffix.lower() in suffixes:
                        files.append(root_p / name)
            for f in files:
                add(f, False)
        else:
            add(p, True)
    return found


def assign_stems(inputs: list[Path]) -> list[str]:
    """Output stems: the file stem; when inputs share a stem, ``<stem>__<parent folder>``
    (or ``<stem>__<suffix>`` for report.pdf beside report.docx), and a short hash of the path
    if even that collides.  Case-insensitive, so outputs also stay apart on case-insensitive
    file systems; a stem that would overwrite run.json/results/review/errors gets a hash too."""
    base = [p.stem or p.name for p in inputs]
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(base):
        groups.setdefault(s.lower(), []).append(i)
    stems = list(base)
    for members in groups.values():
        if len(members) < 2:
            continue
        parents = [inputs[i].resolve().parent.name or "root" for i in members]
        suffixes = [inputs[i].suffix.lstrip(".").lower() or "none" for i in members]
        if len({x.lower() for x in parents}) == len(members):
            tags = parents
        elif len(set(suffixes)) == len(members):
            tags = suffixes
        else:
            tags = parents
        for i, tag in zip(members, tags):
            stems[i] = f"{base[i]}__{tag}"
    counts: dict[str, int] = {}
    for s in stems:
        counts[s.lower()] = counts.get(s.lower(), 0) + 1
    final = []
    for p, s in zip(inputs, stems):
        if counts[s.lower()] > 1 or s.lower() in (RUN_FILE.lower()[:-5], "results", "review", "errors"):
            s = f"{s}_{hashlib.sha1(str(p.resolve()).encode('utf-8')).hexdigest()[:8]}"
        final.append(s)
    return final


# ---------------------------------------------------------------- one document (runs in a worker)


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group: the parent decides, workers keep quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's "stop like Ctrl-C" handler is not for workers


def process_one(task: Task, extract_options: Any, keep_document: bool = False) -> Outcome:
    """Extract one input; never raises (except KeyboardInterrupt in-process).
    keep_document: return the Document too (in-process only; never through a pool's pipe)."""
    from .pipeline import extract_document

    outcome = Outcome(path=task.path, stem=task.stem)
    started = time.perf_counter()
    try:
        path = Path(task.path)
        if not path.is_file():
            raise LoadError(f"{path.name}: not a regular file")
        size_mb = path.stat().st_size / (1 << 20)
        limit = getattr(extract_options, "max_mb", None)
        if limit is not None and size_mb > limit:
            raise LoadError(f"{path.name}: file is {size_mb:.1f} MB, over the {limit:g} MB limit (raise --max-mb to read it)")
        outcome.sha256 = sha256_file(path)
        extraction = extract_document(path, extract_options, stem=task.stem)
        doc = extraction.document
        outcome.backend = extraction.backend
        outcome.reports = len(doc.reports)
        outcome.indicators = sum(len(r.indicators) for r in doc.reports)
        stats = dict(extraction.stats or {})
        outcome.llm = {k: stats.get(k, 0) for k in LLM_STAT_KEYS}
        # Written here, not sent back: results stay small, so stopping a worker can never cut
        # a result in half inside the pool's pipe (which would hang the parent for ever).
        outdir = Path(task.outdir)
        atomic_write_text(outdir / f"{task.stem}.json", document_json(doc), durable=False)
        source_text = _source_text(extraction, path, extract_options)
        if source_text is not None:
            atomic_write_text(outdir / SOURCES_DIR / f"{task.stem}.txt", source_text, durable=False)
        outcome.status = "ok"
        if keep_document:
            outcome.document = doc
    except LoadError as err:
        outcome.status, outcome.reports, outcome.indicators = "failed", 0, 0
        outcome.error = one_line(str(err) or type(err).__name__)
    except MemoryError as err:
        outcome.status = "failed"
        outcome.error = one_line(f"internal error: MemoryError: {err}")
        outcome.traceback = traceback.format_exc()
    except Exception as err:  # noqa: BLE001 - one bad document must not stop the batch
        outcome.status, outcome.reports, outcome.indicators = "failed", 0, 0
        if type(err).__name__ in FATAL_ERRORS:
            outcome.fatal = True
            outcome.error = one_line(str(err) or type(err).__name__)
        else:
            outcome.error = one_line(f"internal error: {type(err).__name__}: {err}")
        outcome.traceback = traceback.format_exc()
    outcome.seconds = round(time.perf_counter() - started, 3)
    if outcome.traceback and len(outcome.traceback) > TRACEBACK_CHARS:
        outcome.traceback = "…\n" + outcome.traceback[-TRACEBACK_CHARS:]  # the innermost frames
    return outcome


def _source_text(extraction: Any, path: Path, extract_options: Any) -> str | None:
    """The SourceDoc text evidence spans point into (for review.html); best effort."""
    for attr in ("source_text", "source"):
        value = getattr(extraction, attr, None)
        if isinstance(value, str):
            return value
        if value is not None and isinstance(getattr(value, "text", None), str):
            return value.text
    try:
        from .loaders import load

        return load(path, max_mb=extract_options.max_mb).text
    except Exception:  # noqa: BLE001 - the review page falls back to "no source"
        return None


# ---------------------------------------------------------------- the manifest


class Manifest:
    """run.json: one entry per input, totals, version, timestamps; saved atomically."""

    def __init__(self, outdir: Path, options: BatchOptions, backend_requested: str):
        self.path = outdir / RUN_FILE
        self.started = _now()
        self.options = options
        self.backend_requested = backend_requested
        self.entries: dict[str, dict] = {}  # by input path (as given)
        self.order: list[str] = []
        self.status = "running"
        self.finished: str | None = None
        self.saved_at = 0.0  # monotonic time of the last save

    @staticmethod
    def read_previous(outdir: Path) -> list[dict]:
        try:
            data = json.loads((outdir / RUN_FILE).read_text(encoding="utf-8"))
            entries = data.get("inputs", [])
            return [e for e in entries if isinstance(e, dict)]
        except (OSError, ValueError, AttributeError):
            return []

    def set(self, entry: dict) -> None:
        if entry["path"] not in self.entries:
            self.order.append(entry["path"])
        self.entries[entry["path"]] = entry

    def totals(self) -> dict:
        entries = [self.entries[p] for p in self.order]
        done = [e for e in entries if e["status"] in ("ok", "failed")]
        llm = {k: 0 for k in LLM_STAT_KEYS}
        for e in done:
            for k in LLM_STAT_KEYS:
                v = (e.get("llm") or {}).get(k) or 0
                llm[k] = round(llm[k] + v, 3) if isinstance(v, float) else llm[k] + v
        return {
            "inputs": len(entries),
            "ok": sum(e["status"] == "ok" for e in entries),
            "failed": sum(e["status"] == "failed" for e in entries),
            "pending": sum(e["status"] == "pending" for e in entries),
            "resumed": sum(bool(e.get("resumed")) for e in entries),
            "processed": sum(e["status"] in ("ok", "failed") and not e.get("resumed") for e in entries),
            "reports": sum(e.get("reports") or 0 for e in done),
            "indicators": sum(e.get("indicators") or 0 for e in done),
            "seconds": round(sum(e.get("seconds") or 0 for e in done), 3),
            **llm,
        }

    def data(self) -> dict:
        o = self.options
        return {
            "extractor_version": __version__,
            "status": self.status,
            "started": self.started,
            "finished": self.finished,
            "options": {"backend": self.backend_requested, "jobs": o.jobs, "concurrency": o.concurrency,
                        "model": o.model, "base_url": o.base_url, "use_cache": o.use_cache,
                        "resume": o.resume, "max_mb": o.max_mb},
            "totals": self.totals(),
            "inputs": [self.entries[p] for p in self.order],
        }

    def save(self) -> None:
        # = json.dumps(data, ensure_ascii=False, indent=2), without json's pure-Python indented encoder
        atomic_write_text(self.path, pydantic_core.to_json(self.data(), indent=2).decode("utf-8") + "\n")
        self.saved_at = time.monotonic()

    def save_soon(self, every: float = 1.0) -> None:
        """Save unless saved within `every` seconds: rewriting the whole manifest after each of
        hundreds of small documents was quadratic; every stop path calls save() at the end."""
        if time.monotonic() - self.saved_at >= every:
            self.save()


def _entry(task: Task, outcome: Outcome | None = None, backend_requested: str = "") -> dict:
    e = {
        "path": task.path, "stem": task.stem, "output": None, "sha256": None, "status": "pending",
        "error": None, "reports": 0, "indicators": 0, "seconds": 0.0,
        "backend_requested": backend_requested, "backend": None,
        "llm": {k: 0 for k in LLM_STAT_KEYS}, "extractor_version": __version__, "resumed": False,
    }
    if outcome is not None:
        e.update(sha256=outcome.sha256, status=outcome.status, error=outcome.error, reports=outcome.reports,
                 indicators=outcome.indicators, seconds=outcome.seconds, backend=outcome.backend,
                 llm={k: outcome.llm.get(k, 0) for k in LLM_STAT_KEYS})
        if outcome.status == "ok":
            e["output"] = f"{task.stem}.json"
    return e


def _resumable(prev: dict, task: Task, outdir: Path, backend_requested: str, effective: str | None) -> bool:
    if prev.get("status") != "ok" or prev.get("stem") != task.stem:
        return False
    if prev.get("extractor_version") != __version__:
        return False
    if backend_requested == "auto":
        if effective is None or prev.get("backend") != effective:
            return False
    elif prev.get("backend") != backend_requested:
        return False
    try:
        if prev.get("sha256") != sha256_file(Path(task.path)):
            return False
        # Per-document outputs are written without fsync: after a crash or power cut the file
        # run.json vouches for may be missing or empty, so it must still read as a contract.
        load_document(outdir / f"{task.stem}.json")
        return True
    except Exception:  # noqa: BLE001 - missing, truncated or not the contract: extract again
        return False


# ---------------------------------------------------------------- the run


class _Progress:
    """A rich progress bar on stderr, or nothing (not a TTY, --quiet, a single file)."""

    def __init__(self, enabled: bool, total: int):
        self.bar = None
        self.console = None
        if enabled and total > 1 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.console = Console(stderr=True)
            self.bar = Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TextColumn("{task.description}"),
                                console=self.console, transient=True)
            self.task = self.bar.add_task("", total=total)

    def __enter__(self):
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()

    def advance(self, name: str) -> None:
        if self.bar:
            self.bar.update(self.task, advance=1, description=name[-40:])

    def say(self, line: str) -> None:
        if self.console:
            self.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)


def _effective_backend(options: BatchOptions, extract_options: Any) -> str | None:
    """Resolve `auto` once in the parent (so workers do not each announce it)."""
    if options.backend != "auto":
        return options.backend
    try:
        from .pipeline import resolve_backend

        return resolve_backend(extract_options)
    except Exception:  # noqa: BLE001 - availability probe missing: let each document decide
        return None


def _key(path: Any) -> str:
    """An input's identity across runs: `docs/a.pdf` and `/abs/docs/a.pdf` are the same file."""
    try:
        return str(Path(str(path)).resolve())
    except (OSError, RuntimeError, ValueError):
        return str(path)


def _stop(signum, frame):
    """Ctrl-C or SIGTERM (a scheduler's stop): stop once.  Further signals are ignored while
    the batch records what is done, so a second Ctrl-C cannot break the cleanup halfway."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def run_batch(paths: list[Path], outdir: Path, options: BatchOptions) -> int:
    """Extract every input; exit code 0 all ok, 1 any failed, 2 setup error (no model),
    130 interrupted by Ctrl-C or SIGTERM (run.json stays valid)."""
    previous: dict = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, _stop)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        return _run_batch(paths, outdir, options)
    except KeyboardInterrupt:  # before the first document or while writing the summaries
        print("extractor: interrupted", file=sys.stderr, flush=True)
        return 130
    except OSError as err:  # the output folder itself: not a folder, no permission, disk full
        where = f" ({err.filename})" if getattr(err, "filename", None) else ""
        print(f"extractor: cannot write the output folder{where}: {err.strerror or err}", file=sys.stderr, flush=True)
        return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def _run_batch(paths: list[Path], outdir: Path, options: BatchOptions) -> int:
    from .pipeline import ExtractOptions

    started = time.perf_counter()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    found = expand_paths(paths, outdir)
    stems = assign_stems([p for p, _ in found])
    tasks = [Task(str(p), s, explicit, str(outdir)) for (p, explicit), s in zip(found, stems)]

    extract_options = ExtractOptions(backend=options.backend, base_url=options.base_url, model=options.model,
                                     use_cache=options.use_cache, concurrency=options.concurrency,
                                     max_mb=options.max_mb)
    effective = _effective_backend(options, extract_options)
    if effective:
        extract_options.backend = effective  # type: ignore[assignment]
    jobs = max(1, int(options.jobs or 1))
    if jobs > 1 and effective in ("llm", "hybrid") and not (options.base_url or os.environ.get("OPENAI_BASE_URL")):
        # Each worker process would start its own llama.cpp server (model loaded N times, N x threads
        # on the same cores).  One process, one server; --concurrency sets the calls in flight.
        print(f"extractor: --jobs {jobs} ignored with the embedded local model (one server per process); "
              f"documents are read one at a time, use --concurrency for parallel model calls", file=sys.stderr)
        jobs = 1

    try:
        (outdir / "errors.log").unlink()  # tracebacks belong to this run only
    except OSError:
        pass
    manifest = Manifest(outdir, options, options.backend)
    previous = {_key(e.get("path")): e for e in Manifest.read_previous(outdir)} if options.resume else {}
    todo: list[Task] = []
    for task in tasks:
        prev = previous.get(_key(task.path))
        if prev and _resumable(prev, task, outdir, options.backend, effective):
            kept = dict(prev)
            kept["resumed"] = True
            manifest.set(kept)
        else:
            manifest.set(_entry(task, backend_requested=options.backend))
            todo.append(task)
    manifest.save()

    errors: list[str] = []
    in_memory: dict[str, Document] = {}  # stem -> Document read in this process
    interrupted = False
    fatal: str | None = None
    with _Progress(options.progress, len(todo)) as progress:

        def finish(task: Task, outcome: Outcome) -> None:
            if outcome.status != "ok":
                for stale in (outdir / f"{task.stem}.json", outdir / SOURCES_DIR / f"{task.stem}.txt"):
                    try:  # an earlier run's output for this input no longer stands
                        stale.unlink()
                    except OSError:
                        pass
                reason = outcome.error or ""
                name = Path(task.path).name
                if reason.startswith(name + ": "):
                    reason = reason[len(name) + 2:]  # the path is already on the line
                progress.say(f"extractor: failed {task.path}: {reason}")
                if outcome.traceback:
                    errors.append(f"=== {_now()} {task.path}\n{outcome.traceback.rstrip()}\n")
                    atomic_write_text(outdir / "errors.log", "\n".join(errors))
            manifest.set(_entry(task, outcome, options.backend))
            manifest.save_soon()
            progress.advance(Path(task.path).name)
            if outcome.fatal:
                raise FatalError(outcome.error)

        try:
            if jobs <= 1 or len(todo) <= 1:
                for task in todo:
                    outcome = process_one(task, extract_options, keep_document=True)
                    if outcome.document is not None:
                        in_memory[task.stem] = outcome.document
                        outcome.document = None
                    finish(task, outcome)
            else:
                _run_pool(todo, extract_options, jobs, finish)
        except KeyboardInterrupt:
            interrupted = True
        except FatalError as err:
            fatal = str(err)

    if interrupted:
        _remove_temp_files(outdir)  # a worker stopped in the middle of an atomic write
    manifest.finished = _now()
    manifest.status = "interrupted" if interrupted else "stopped" if fatal else "complete"
    manifest.save()
    if fatal:
        print(f"extractor: stopped: {fatal}", file=sys.stderr, flush=True)
        return 2

    if not interrupted:
        try:
            _write_reports(outdir, manifest, progress_say=lambda s: print(s, file=sys.stderr), in_memory=in_memory)
        except KeyboardInterrupt:
            interrupted = True
    totals = manifest.totals()
    seconds = time.perf_counter() - started
    summary = (f"extractor: {totals['ok']} documents ok, {totals['failed']} failed"
               + (f" ({totals['resumed']} resumed)" if totals["resumed"] else "")
               + f"; {totals['reports']} reports, {totals['indicators']} indicators; {seconds:.1f} s -> {outdir}")
    if interrupted:
        summary += f"; interrupted, {totals['pending']} not done (run again with --resume)"
    print(summary, flush=True)
    if interrupted:
        return 130
    return 1 if totals["failed"] else 0


def _run_pool(todo: list[Task], extract_options: Any, jobs: int, finish) -> None:
    """Documents in worker processes.  If a worker dies (a reader crashed the interpreter, or
    memory ran out), the documents not finished yet are re-run one per fresh process, so the
    crash is blamed on the right file and every other document still gets read."""
    finished: set[int] = set()
    pool = cf.ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
    futures = {pool.submit(process_one, t, extract_options): i for i, t in enumerate(todo)}
    broken = False
    try:
        for fut in cf.as_completed(futures):
            i = futures[fut]
            try:
                outcome = fut.result()
            except cf.process.BrokenProcessPool:
                broken = True
                break
            except Exception as err:  # noqa: BLE001 - e.g. a result that could not be pickled
                outcome = Outcome(todo[i].path, todo[i].stem, status="failed",
                                  error=one_line(f"internal error: {type(err).__name__}: {err}"),
                                  traceback=traceback.format_exc())
            finished.add(i)
            finish(todo[i], outcome)
    except BaseException:  # Ctrl-C, or a setup error that stops the batch
        _kill(pool)
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    if broken:
        for i, task in enumerate(todo):
            if i not in finished:
                finish(task, _isolated(task, extract_options))


def _isolated(task: Task, extract_options: Any) -> Outcome:
    pool = cf.ProcessPoolExecutor(max_workers=1, initializer=_worker_init)
    try:
        return pool.submit(process_one, task, extract_options).result()
    except cf.process.BrokenProcessPool:
        return Outcome(task.path, task.stem, status="failed",
                       error="internal error: the reader crashed on this file (worker process died)")
    except KeyboardInterrupt:
        _kill(pool)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _kill(pool: cf.ProcessPoolExecutor) -> None:
    """Stop now: the pool cancels what has not started, workers are terminated and reaped."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        try:
            proc.terminate()
        except Exception:  # noqa: BLE001
            pass
    for proc in procs:
        try:
            proc.join(2)
        except Exception:  # noqa: BLE001
            pass
    if pool._processes if hasattr(pool, "_processes") else None:  # workers started meanwhile
        for proc in list(pool._processes.values()):
            try:
                proc.terminate()
            except Exception:  # noqa: BLE001
                pass


# ---------------------------------------------------------------- whole-run outputs


def _write_reports(outdir: Path, manifest: Manifest, progress_say,
                   in_memory: dict[str, Document] | None = None) -> None:
    """results.xlsx and review.html over every ok document of the run (resumed ones included).
    Documents read in this process come from `in_memory`; the others (workers, resumed) are
    re-read from their <stem>.json."""
    documents: list[Document] = []
    sources: dict[str, str | None] = {}
    for path in manifest.order:
        entry = manifest.entries[path]
        if entry["status"] != "ok":
            continue
        try:
            doc = (in_memory or {}).get(entry["stem"]) or load_document(outdir / f"{entry['stem']}.json")
        except Exception as err:  # noqa: BLE001 - a hand-edited or vanished file
            progress_say(f"extractor: cannot re-read {entry['stem']}.json for the workbook: {one_line(err)}")
            continue
        documents.append(doc)
        src = outdir / SOURCES_DIR / f"{entry['stem']}.txt"
        try:
            sources[doc.document] = src.read_text(encoding="utf-8")
        except OSError:
            sources[doc.document] = None
    entries = [manifest.entries[p] for p in manifest.order]
    try:
        from .export.xlsx import write_workbook

        write_workbook(documents, entries, outdir / "results.xlsx")
    except Exception as err:  # noqa: BLE001 - the JSON results stand even if a summary fails
        progress_say(f"extractor: results.xlsx not written: internal error: {type(err).__name__}: {one_line(err)}")
        _append_error(outdir, "results.xlsx", traceback.format_exc())
    try:
        from .export.review import write_review

        write_review(documents, sources, outdir / "review.html", failures=entries)
    except Exception as err:  # noqa: BLE001
        progress_say(f"extractor: review.html not written: internal error: {type(err).__name__}: {one_line(err)}")
        _append_error(outdir, "review.html", traceback.format_exc())


def _remove_temp_files(outdir: Path) -> None:
    for folder in (outdir, outdir / SOURCES_DIR):
        for tmp in folder.glob(".*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass


def _append_error(outdir: Path, what: str, tb: str) -> None:
    log = outdir / "errors.log"
    try:
        old = log.read_text(encoding="utf-8")
    except OSError:
        old = ""
    atomic_write_text(log, old + f"\n=== {_now()} {what}\n{tb.rstrip()}\n")
