"""availability (fast, no server), prompt files, config from options, the contract-derived schema."""

from __future__ import annotations

import importlib.util
import time

import pytest

from extractor.llm import prompts
from extractor.llm.availability import model_available
from extractor.llm.config import LLMConfig
from extractor.llm.modelstore import LARGE
from extractor.llm.schema import IndicatorRow, compact_schema
from extractor.models import CONTRACT_FIELDS, Indicator
from extractor.pipeline import ExtractOptions


def test_availability_is_fast_and_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("EXTRACTOR_SMALL_MODEL", raising=False)
    monkeypatch.setenv("EXTRACTOR_MODEL_DIR", str(tmp_path))
    assert model_available("http://10.0.0.1:9/v1") == (True, "endpoint http://10.0.0.1:9/v1")
    started = time.monotonic()
    ok, why = model_available(None)
    assert (ok, why) == (False, "no model installed: run `extractor model install`")
    (tmp_path / LARGE.filename).write_bytes(b"GGUF")
    ok, why = model_available(None)
    if importlib.util.find_spec("llama_cpp") is not None:
        assert (ok, why) == (True, f"local model {LARGE.filename}")
    else:
        assert not ok and "llama-cpp-python" in why
    assert time.monotonic() - started < 1.0


def test_prompt_files_are_versioned(tmp_path, monkeypatch):
    for want in ("report", "indicators", "goals", "notes", "funds", "identity_ask", "identity_known"):
        p = prompts.load(want)
        assert p.id == want and p.version >= 1 and p.ref == f"{want}@{p.version}"
        assert p.path.name == f"{want}.v{p.version}.md"
    monkeypatch.setenv("EXTRACTOR_PROMPTS_DIR", str(tmp_path))
    (tmp_path / "x.v1.md").write_text("<!-- prompt: x; version: 1 -->\nold {{a}}\n", encoding="utf-8")
    (tmp_path / "x.v2.md").write_text("<!-- prompt: x; version: 2 -->\nnew {{a}}\n", encoding="utf-8")
    (tmp_path / "y.v1.md").write_text("<!-- prompt: z; version: 1 -->\nwrong id\n", encoding="utf-8")
    assert prompts.load("x").render(a="A") == "new A"
    assert prompts.load("x", 1).render(a="A") == "old A"
    with pytest.raises(prompts.PromptError, match="no value for a"):
        prompts.load("x").render()
    with pytest.raises(prompts.PromptError, match="disagrees"):
        prompts.load("y")
    with pytest.raises(prompts.PromptError, match="no prompt"):
        prompts.load("missing")


def test_config_from_options_and_env(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env/v1")
    monkeypatch.setenv("EXTRACTOR_MODEL", "env-model")
    monkeypatch.setenv("EXTRACTOR_MODE", "tools")
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "c"))
    config = LLMConfig.from_options(ExtractOptions(base_url="http://flag/v1", use_cache=False, concurrency=3))
    assert (config.base_url, config.model, config.mode) == ("http://flag/v1", "env-model", "tools")
    assert (config.use_cache, config.concurrency, config.cache_dir) == (False, 3, tmp_path / "c")
    assert config.temperature == 0 and 0 < config.max_tokens <= 4096 and config.reasks <= 1


def test_llm_rows_are_the_contract_fields_with_short_keys():
    assert tuple(IndicatorRow.model_fields) == CONTRACT_FIELDS[Indicator]
    for name, info in IndicatorRow.model_fields.items():
        assert info.annotation == Indicator.model_fields[name].annotation  # one definition
    assert "evidence" not in IndicatorRow.model_fields
    props = compact_schema("indicators", False)["properties"]["rows"]["items"]
    assert props["required"] == ["l3"] and set(props["properties"]) == {"l1", "l2", "l3", "tgt", "act", "w", "s", "note"}
    row = IndicatorRow.model_validate({"l3": "培训场次", "w": "10分", "tgt": 5, "note": ""})
    assert (row.name, row.weight, row.target, row.note) == ("培训场次", 10.0, "5", None)
