"""The OpenAI-compatible client (openai wrapped by instructor) with retries, re-ask, cache and counters.

- Endpoint: `config.base_url` (OPENAI_BASE_URL / --base-url) or, when absent, the embedded local
  model: server.py's shared llama.cpp server, started on the first call.
- Mode: llama.cpp servers get instructor Mode.JSON (response_format json_object; json_schema gives
  HTTP 500 there); other endpoints Mode.TOOLS; EXTRACTOR_MODE=json|tools|md_json overrides.
- Transport faults (429 honouring Retry-After, 5xx, timeouts, dropped connections, unreadable
  bodies) are retried by tenacity with exponential backoff + jitter, `max_attempts` in all.
- Answers that are not usable JSON are first repaired locally (code fences, trailing text, a bare
  list, a body cut at max_tokens: complete rows are kept); only then re-asked, at most
  `config.reasks` times, with the error in the prompt and a small temperature (a temperature-0
  re-ask returns the same answer).
- diskcache: key = endpoint + model + mode + prompt ref/digest + schema hash + text hash + params.
- Counters: llm_calls (HTTP requests sent), cache_hits, prompt_tokens, completion_tokens,
  llm_seconds, retries (transport retries + re-asks), reasks, repaired, truncated.
"""

from __future__ import annotations

import copy
import email.utils
import hashlib
import json
import re
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

try:  # openai>=3 ships on httpx2
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx
import instructor
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
import openai
from pydantic import BaseModel, ValidationError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from .config import LLMConfig

STAT_KEYS = ("llm_calls", "cache_hits", "prompt_tokens", "completion_tokens", "llm_seconds", "retries",
             "reasks", "repaired", "truncated", "continuations", "invalid_rows", "shifted_rows", "ungrounded_dropped",
             "failed_segments")


class Stats:
    """Thread-safe counters (numbers only, so a batch can add them up)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._d: dict[str, float] = {k: 0 for k in STAT_KEYS}

    def add(self, key: str, n: float = 1) -> None:
        with self._lock:
            self._d[key] = self._d.get(key, 0) + n

    def as_dict(self) -> dict[str, float]:
        with self._lock:
            out = dict(self._d)
        out["llm_seconds"] = round(out["llm_seconds"], 3)
        return out


class LLMUnavailable(RuntimeError):
    """No endpoint and no usable local model."""


class CallFailed(RuntimeError):
    """A call that still failed after the transport retries and the re-ask."""


@dataclass
class Answer:
    data: dict
    truncated: bool = False  # the model hit max_tokens; `data` holds the complete rows before the cut
    cached: bool = False


@dataclass
class Endpoint:
    base_url: str
    model: str
    mode: instructor.Mode
    cache_id: str  # stable id for the cache key (a local server's port changes, its model doesn't)
    local: bool


_MODES = {"json": instructor.Mode.JSON, "tools": instructor.Mode.TOOLS, "md_json": instructor.Mode.MD_JSON}


# ----------------------------------------------------------------------------------------------
# lenient JSON
def _close_open(text: str) -> str | None:
    """Closers for the brackets open at the end of `text`; None when it ends inside a string."""
    stack: list[str] = []
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append(ch)
        elif ch in "}]":
            if not stack:
                return None
            stack.pop()
    if in_str:
        return None
    return "".join("}" if c == "{" else "]" for c in reversed(stack))


def parse_lenient(text: str | None, list_key: str | None = None) -> tuple[dict | None, str]:
    """Best-effort JSON object from a model answer: (value, how) with how in ok|repaired|truncated|''."""
    if not text:
        return None, ""
    t = text.strip()
    fence = re.match(r"^```(?:json)?\s*(.*?)\s*(?:```)?$", t, re.S)
    if fence:
        t = fence.group(1)
    how = "ok"
    try:
        value: Any = json.loads(t)
    except ValueError:
        value = None
        starts = [i for i in (t.find("{"), t.find("[")) if i >= 0]
        if starts:
            body = t[min(starts):]
            try:
                value, _ = json.JSONDecoder().raw_decode(body)
                how = "repaired"
            except ValueError:
                ends = [i for i, ch in enumerate(body) if ch in "}]"][-300:]
                for end in reversed(ends):
                    cand = body[: end + 1]
                    closers = _close_open(cand)
                    if closers is None:
                        continue
                    try:
                        value = json.loads(cand + closers)
                        how = "truncated"
                        break
                    except ValueError:
                        continue
    if isinstance(value, list) and list_key:
        value = {list_key: value}
        how = "repaired" if how == "ok" else how
    return (value, how) if isinstance(value, dict) else (None, "")


# ----------------------------------------------------------------------------------------------
# transport faults
def _root(exc: BaseException) -> BaseException:
    seen = 0
    while seen < 10 and not isinstance(exc, (openai.APIError, httpx.HTTPError)) and exc.__cause__ is not None:
        exc = exc.__cause__
        seen += 1
    return exc


def is_transient(exc: BaseException) -> bool:
    e = _root(exc)
    if isinstance(e, openai.APIStatusError):
        return e.status_code in (408, 409, 425, 429) or e.status_code >= 500
    if isinstance(e, (openai.APITimeoutError, openai.APIConnectionError, openai.APIResponseValidationError)):
        return True
    if isinstance(e, (httpx.TimeoutException, httpx.TransportError, httpx.DecodingError)):
        return True
    if isinstance(e, json.JSONDecodeError):  # an unreadable HTTP body, unless a completion was parsed
        return getattr(exc, "last_completion", None) is None
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    e = _root(exc)
    response = getattr(e, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _describe(exc: BaseException) -> str:
    e = _root(exc)
    if isinstance(e, openai.APIStatusError):
        return f"HTTP {e.status_code}"
    return f"{type(e).__name__}: {str(e)[:160]}"


def _completion_text(completion: Any) -> str | None:
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    if getattr(message, "tool_calls", None):
        try:
            return message.tool_calls[0].function.arguments
        except (AttributeError, IndexError):
            pass
    return getattr(message, "content", None)


# ----------------------------------------------------------------------------------------------
class LLMClient:
    def __init__(self, config: LLMConfig, stats: Stats | None = None):
        self.config = config
        self.stats = stats or Stats()
        self._endpoint: Endpoint | None = None
        self._identity: Endpoint | None = None  # what the cache key needs; for the local model, known unstarted
        self._client: instructor.Instructor | None = None
        self._lock = threading.Lock()
        self._cache = None
        self._truncated = threading.local()  # per call (calls run in threads)

    def view(self, stats: Stats) -> "LLMClient":
        """The same endpoint, server and cache, counting into `stats` (one document's counters)."""
        self.identity()
        self.cache()
        other = copy.copy(self)
        other.stats = stats
        return other

    # --- endpoint --------------------------------------------------------------------------
    def endpoint(self) -> Endpoint:
        with self._lock:
            if self._endpoint is None:
                self._endpoint = self._resolve()
                raw = openai.OpenAI(base_url=self._endpoint.base_url, api_key=self.config.api_key or "sk-no-key",
                                    max_retries=0, timeout=self.config.timeout)
                self._client = instructor.from_openai(raw, mode=self._endpoint.mode)
            return self._endpoint

    def identity(self) -> Endpoint:
        """Model, mode and cache id without starting the local server: a fully cached re-run
        then costs no server start and no model load (its base_url stays empty; calls use endpoint()).
        Computing it twice from two threads gives the same value, so it needs no lock."""
        if self._identity is None:
            if self.config.base_url:
                self._identity = self.endpoint()  # a remote model's name may come from the endpoint itself
            else:
                from .modelstore import spec_for

                spec = spec_for(self.config.small)
                mode = _MODES.get(self.config.mode, instructor.Mode.JSON)
                self._identity = Endpoint("", spec.served_name, mode, f"local:{spec.filename}:{spec.sha256}",
                                          local=True)
        return self._identity

    def _resolve(self) -> Endpoint:
        cfg = self.config
        if cfg.base_url:
            base = cfg.base_url.rstrip("/")
            models, owners = self._probe(base)
            model = cfg.model or (models[0] if models else "default")
            if cfg.mode in _MODES:
                mode = _MODES[cfg.mode]
            else:
                llama = bool(owners & {"me", "llamacpp", "llama.cpp"})
                mode = instructor.Mode.JSON if llama else instructor.Mode.TOOLS
            return Endpoint(base, model, mode, f"{base}|{model}", local=False)
        from .modelstore import model_path, spec_for
        from .server import shared_server

        spec = spec_for(cfg.small)
        path = model_path(cfg.small)
        if not path.exists():
            raise LLMUnavailable(f"no model installed at {path}: run `extractor model install{' --small' if cfg.small else ''}`")
        server = shared_server(path, alias=spec.served_name, n_ctx=cfg.n_ctx, n_threads=cfg.n_threads,
                               startup_timeout=cfg.startup_timeout)
        mode = _MODES.get(cfg.mode, instructor.Mode.JSON)
        return Endpoint(server.base_url, spec.served_name, mode, f"local:{spec.filename}:{spec.sha256}", local=True)

    def _probe(self, base: str) -> tuple[list[str], set[str]]:
        try:
            headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
            r = httpx.get(f"{base}/models", headers=headers, timeout=10)
            data = r.json().get("data", []) if r.status_code == 200 else []
            return [m.get("id") for m in data if m.get("id")], {str(m.get("owned_by", "")).lower() for m in data}
        except (httpx.HTTPError, ValueError, AttributeError):
            return [], set()

    # --- cache -----------------------------------------------------------------------------
    def cache(self):
        if not self.config.use_cache:
            return None
        with self._lock:
            if self._cache is None:
                import diskcache

                self.config.cache_dir.mkdir(parents=True, exist_ok=True)
                self._cache = diskcache.Cache(str(self.config.cache_dir),
                                              size_limit=int(self.config.cache_size_mb) * 2**20)
            return self._cache

    def cache_key(self, parts: dict[str, Any], max_tokens: int) -> str:
        ep = self.identity()
        cfg = self.config
        full = {"endpoint": ep.cache_id, "model": ep.model, "mode": ep.mode.value, "max_tokens": max_tokens,
                "temperature": cfg.temperature, "reask_temperature": cfg.reask_temperature, "reasks": cfg.reasks,
                **parts}
        return hashlib.sha256(json.dumps(full, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    # --- calls -----------------------------------------------------------------------------
    def complete(self, *, system: str, user: str, response_model: type[BaseModel], key_parts: dict[str, Any],
                 list_key: str | None = None, max_tokens: int | None = None) -> Answer:
        """One structured answer as a plain dict (validated row by row by the caller)."""
        max_tokens = min(max_tokens or self.config.max_tokens, self.config.max_tokens)
        cache = self.cache()
        key = self.cache_key(key_parts, max_tokens)
        if cache is not None:
            hit = cache.get(key)
            if isinstance(hit, dict) and "data" in hit:
                self.stats.add("cache_hits")
                return Answer(hit["data"], bool(hit.get("truncated")), cached=True)
        self._truncated.flag = False
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        data, error, text = self._attempt(messages, response_model, self.config.temperature, list_key, max_tokens)
        asked = 0
        while data is None and asked < self.config.reasks:
            asked += 1
            self.stats.add("reasks")
            self.stats.add("retries")
            follow = list(messages)
            if text:
                follow.append({"role": "assistant", "content": text[:1500]})
            follow.append({"role": "user", "content": f"Your answer could not be used ({error}). Answer again with "
                                                      "only one JSON object that follows the schema; keep values short."})
            data, error, text = self._attempt(follow, response_model, self.config.reask_temperature, list_key,
                                              max_tokens)
        if data is None:
            raise CallFailed(error or "no usable answer")
        answer = Answer(data, truncated=bool(self._truncated.flag))
        if cache is not None:
            cache.set(key, {"data": data, "truncated": answer.truncated})
        return answer

    def _attempt(self, messages: list[dict], response_model: type[BaseModel], temperature: float,
                 list_key: str | None, max_tokens: int) -> tuple[dict | None, str | None, str | None]:
        """(data, None, None) on success, else (None, error for the re-ask, the bad answer text)."""
        try:
            parsed, completion = self._call(messages, response_model, temperature, max_tokens)
        except IncompleteOutputException as exc:
            text = _completion_text(exc.last_completion)
            self.stats.add("truncated")
            data, _ = parse_lenient(text, list_key)
            if data is not None:
                self._truncated.flag = True
                return data, None, None
            return None, "the answer was cut off at the token limit; write fewer characters", text
        except InstructorRetryException as exc:
            if is_transient(exc) or (exc.last_completion is None
                                     and not isinstance(_root(exc), (ValidationError, json.JSONDecodeError))):
                raise CallFailed(f"{_describe(exc)} after {self.config.max_attempts} attempts") from exc
            text = _completion_text(exc.last_completion)
            data, how = parse_lenient(text, list_key)
            if data is not None:
                self.stats.add("truncated" if how == "truncated" else "repaired")
                if how == "truncated":
                    self._truncated.flag = True
                return data, None, None
            return None, f"not valid JSON for the schema: {str(_root(exc)).splitlines()[0][:200]}", text
        data = parsed.model_dump(mode="json", by_alias=True)
        data.update(parsed.model_extra or {})
        return data, None, None

    def _call(self, messages: list[dict], response_model: type[BaseModel], temperature: float, max_tokens: int):
        ep = self.endpoint()
        cfg = self.config

        backoff = wait_exponential_jitter(multiplier=cfg.wait_initial, jitter=cfg.wait_initial, max=cfg.wait_max)

        def wait(state) -> float:
            ra = retry_after_seconds(state.outcome.exception())
            if ra is not None:
                return min(ra, cfg.retry_after_cap)
            return backoff(state)

        def before_sleep(state) -> None:
            self.stats.add("retries")
            print(f"extractor: LLM call failed ({_describe(state.outcome.exception())}); retry "
                  f"{state.attempt_number}/{cfg.max_attempts - 1} in {state.next_action.sleep:.1f} s",
                  file=sys.stderr, flush=True)

        retrying = Retrying(stop=stop_after_attempt(max(1, cfg.max_attempts)), wait=wait,
                            retry=retry_if_exception(is_transient), before_sleep=before_sleep, reraise=True)
        for attempt in retrying:
            with attempt:
                started = time.monotonic()
                self.stats.add("llm_calls")
                try:
                    parsed, completion = self._client.create_with_completion(
                        model=ep.model, messages=messages, response_model=response_model, max_retries=0,
                        max_tokens=max_tokens, temperature=temperature)
                except IncompleteOutputException as exc:
                    self._usage(exc.last_completion)
                    raise
                except InstructorRetryException as exc:
                    self._usage(exc.last_completion)
                    raise
                finally:
                    self.stats.add("llm_seconds", time.monotonic() - started)
                self._usage(completion)
                return parsed, completion
        raise AssertionError("unreachable")  # pragma: no cover

    def _usage(self, completion: Any) -> None:
        usage = getattr(completion, "usage", None)
        if usage is not None:
            self.stats.add("prompt_tokens", getattr(usage, "prompt_tokens", 0) or 0)
            self.stats.add("completion_tokens", getattr(usage, "completion_tokens", 0) or 0)
