"""Is a model available?  Fast: looks at configuration and files only, never starts a server."""

from __future__ import annotations

import importlib.util
import os


def model_available(base_url: str | None = None) -> tuple[bool, str]:
    """(ok, why): an endpoint configured -> True; else the local model file + llama_cpp -> True."""
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if base_url:
        return True, f"endpoint {base_url}"
    from .modelstore import model_path

    small = os.environ.get("EXTRACTOR_SMALL_MODEL", "") not in ("", "0")
    path = model_path(small)
    if not path.exists():
        return False, f"no model installed: run `extractor model install{' --small' if small else ''}`"
    if importlib.util.find_spec("llama_cpp") is None:
        return False, "llama-cpp-python is not installed: pip install 'llama-cpp-python[server]'"
    return True, f"local model {path.name}"
