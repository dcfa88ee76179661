"""llama.cpp's OpenAI-compatible server as a managed subprocess.

`LocalServer(model).start()` runs ``python -m llama_cpp.server --model … --host 127.0.0.1
--port <free port> --n_ctx 8192 --n_threads 2`` in its own process group, waits until
``/v1/models`` answers (or fails with the tail of its log when the process died or the wait
timed out) and is stopped by `stop()`, the context manager, or atexit — the whole process group
is killed.  The child also watches its parent and exits when the parent is gone, so a killed
extractor never leaves a server behind.  `shared_server()` gives the one server per extractor
process that every document of a batch uses.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import platformdirs


class ServerError(RuntimeError):
    """The local model server could not be started; the message carries the tail of its log."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _log_dir() -> Path:
    d = Path(platformdirs.user_cache_dir("extractor")) / "logs"
    d.mkdir(parents=True, exist_ok=True)
    return d


class LocalServer:
    def __init__(self, model: Path | str, *, alias: str | None = None, n_ctx: int = 8192, n_threads: int = 2,
                 host: str = "127.0.0.1", port: int | None = None, startup_timeout: float = 300.0,
                 extra_args: tuple[str, ...] = ()):
        self.model = Path(model)
        self.alias = alias or self.model.stem
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.host = host
        self.port = port
        self.startup_timeout = startup_timeout
        self.extra_args = tuple(extra_args)
        self.proc: subprocess.Popen | None = None
        self.log_path: Path | None = None
        self._log = None
        self.started_seconds: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "extractor.llm.server",
                "--model", str(self.model), "--model_alias", self.alias,
                "--host", self.host, "--port", str(self.port),
                "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
                "--n_threads_batch", str(self.n_threads), *self.extra_args]

    def log_tail(self, lines: int = 15) -> str:
        if not self.log_path or not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return "\n".join(text[-lines:])

    def start(self) -> "LocalServer":
        if self.running:
            return self
        if not self.model.exists():
            raise ServerError(f"model file not found: {self.model} (run `extractor model install`)")
        self.port = self.port or free_port(self.host)
        self.log_path = _log_dir() / f"llama-server-{os.getpid()}-{self.port}.log"
        self._log = open(self.log_path, "w", encoding="utf-8")
        env = dict(os.environ, EXTRACTOR_PARENT_PID=str(os.getpid()))
        # llama.cpp's OpenMP threads spin while waiting; on a shared, loaded machine that collapsed
        # generation from ~7 to 0.7 tok/s (0.5B, 2 threads, load 5 on 2 cores). Passive waiting fixes it.
        env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        started = time.monotonic()
        print(f"extractor: starting local model server ({self.model.name}) on {self.host}:{self.port}",
              file=sys.stderr, flush=True)
        self.proc = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        _live.add(self)
        deadline = started + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.stop()
                raise ServerError(f"llama.cpp server exited with code {code} during startup; log {self.log_path}:\n"
                                  f"{self.log_tail()}")
            if self._ready():
                break
            if time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"llama.cpp server did not answer /v1/models within {self.startup_timeout:.0f} s; "
                                  f"log {self.log_path}:\n{self.log_tail()}")
            time.sleep(0.3)
        self.started_seconds = time.monotonic() - started
        print(f"extractor: local model server ready in {self.started_seconds:.1f} s", file=sys.stderr, flush=True)
        return self

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as resp:
                return resp.status == 200 and "data" in json.loads(resp.read())
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if proc is not None:
            try:  # the group may hold other children even after the leader exited
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._log is not None:
            self._log.close()
            self._log = None
        _live.discard(self)

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


_live: set[LocalServer] = set()
_shared: LocalServer | None = None
_shared_lock = threading.Lock()


@atexit.register
def stop_all() -> None:
    for server in list(_live):
        server.stop()


def shared_server(model: Path | str, *, alias: str | None = None, n_ctx: int = 8192, n_threads: int = 2,
                  startup_timeout: float = 300.0) -> LocalServer:
    """The one server of this process, started on first use (restarted for another model file)."""
    global _shared
    with _shared_lock:
        if _shared is not None and (_shared.model != Path(model) or not _shared.running):
            _shared.stop()
            _shared = None
        if _shared is None:
            _shared = LocalServer(model, alias=alias, n_ctx=n_ctx, n_threads=n_threads,
                                  startup_timeout=startup_timeout).start()
        return _shared


def stop_shared() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


def _watch_parent(parent: int) -> None:  # runs in the server child
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5.0)
            os._exit(1)


if __name__ == "__main__":  # the child: watch the parent, then run llama.cpp's server
    import runpy

    parent_pid = int(os.environ.get("EXTRACTOR_PARENT_PID", os.getppid()))
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    sys.argv = ["llama_cpp.server", *sys.argv[1:]]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
