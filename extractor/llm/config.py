"""LLMConfig: everything the model side needs, from ExtractOptions, the environment, or code."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def default_cache_dir() -> Path:
    override = os.environ.get("EXTRACTOR_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("extractor")) / "llm-cache"


@dataclass
class LLMConfig:
    # endpoint: None = the embedded local model (llama.cpp server started on first call)
    base_url: str | None = field(default_factory=lambda: os.environ.get("OPENAI_BASE_URL") or None)
    api_key: str | None = field(default_factory=lambda: os.environ.get("OPENAI_API_KEY") or None)
    model: str | None = field(default_factory=lambda: os.environ.get("EXTRACTOR_MODEL") or None)
    mode: str = field(default_factory=lambda: os.environ.get("EXTRACTOR_MODE", "auto"))  # auto|json|tools|md_json
    small: bool = field(default_factory=lambda: os.environ.get("EXTRACTOR_SMALL_MODEL", "") not in ("", "0"))
    # cache
    use_cache: bool = True
    cache_dir: Path = field(default_factory=default_cache_dir)
    cache_size_mb: int = field(default_factory=lambda: _env_int("EXTRACTOR_CACHE_MB", 512))
    # calls
    concurrency: int = 1
    max_tokens: int = field(default_factory=lambda: _env_int("EXTRACTOR_MAX_TOKENS", 1536))
    temperature: float = 0.0
    reasks: int = 1  # validation re-asks per call (0 or 1)
    reask_temperature: float = 0.2
    max_attempts: int = field(default_factory=lambda: _env_int("EXTRACTOR_MAX_ATTEMPTS", 4))  # transport tries
    wait_initial: float = field(default_factory=lambda: _env_float("EXTRACTOR_RETRY_WAIT", 1.0))
    wait_max: float = 30.0
    retry_after_cap: float = 60.0
    timeout: float = field(default_factory=lambda: _env_float("EXTRACTOR_LLM_TIMEOUT", 900.0))
    # input cutting (characters of doc.text per call)
    max_chunk_chars: int = field(default_factory=lambda: _env_int("EXTRACTOR_CHUNK_CHARS", 2400))
    overlap_chars: int = 300
    # local server
    n_ctx: int = 8192
    n_threads: int = field(default_factory=lambda: _env_int("EXTRACTOR_THREADS", 2))
    startup_timeout: float = 300.0

    @classmethod
    def from_options(cls, options) -> "LLMConfig":
        """From pipeline.ExtractOptions (flags win over the environment)."""
        config = cls()
        if getattr(options, "base_url", None):
            config.base_url = options.base_url
        if getattr(options, "model", None):
            config.model = options.model
        config.use_cache = bool(getattr(options, "use_cache", True))
        config.concurrency = max(1, int(getattr(options, "concurrency", 1) or 1))
        return config

    def __post_init__(self) -> None:
        self.cache_dir = Path(self.cache_dir).expanduser()

    def with_(self, **changes) -> "LLMConfig":
        return replace(self, **changes)
