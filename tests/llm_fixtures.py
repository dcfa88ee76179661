"""Fixtures for the LLM tests: a scripted fake OpenAI-compatible server (faults only) and the
REAL llama.cpp server with the 0.5B model (session scope)."""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def completion(content: str, *, finish: str = "stop", prompt_tokens: int = 11, completion_tokens: int = 7) -> dict:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": "fake-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


class FakeLLM:
    """Answers /v1/chat/completions from a script of behaviours (then `default`), records requests.

    Behaviours: ("ok", content) | ("length", content) | ("status", code, headers) |
    ("sleep", seconds, content) | ("cut_body",) | ("garbage_body",) | ("tool", name, arguments)
    """

    def __init__(self) -> None:
        self.script: list[tuple] = []
        self.default: tuple = ("status", 500, {})
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _send(self, code: int, body: bytes, headers: dict | None = None, length: int | None = None):
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body) if length is None else length))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, json.dumps({"object": "list", "data": [
                        {"id": "fake-model", "object": "model", "owned_by": "me"}]}).encode())
                else:
                    self._send(404, b"{}")

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with fake.lock:
                    fake.requests.append({"time": time.monotonic(), "body": body})
                    action = fake.script.pop(0) if fake.script else fake.default
                kind = action[0]
                if kind == "ok":
                    self._send(200, json.dumps(completion(action[1])).encode())
                elif kind == "tool":
                    body = completion(None)
                    body["choices"][0]["message"]["tool_calls"] = [{
                        "id": "call_1", "type": "function",
                        "function": {"name": action[1], "arguments": action[2]}}]
                    body["choices"][0]["finish_reason"] = "tool_calls"
                    self._send(200, json.dumps(body).encode())
                elif kind == "length":
                    self._send(200, json.dumps(completion(action[1], finish="length")).encode())
                elif kind == "status":
                    self._send(action[1], json.dumps({"error": {"message": f"fake {action[1]}"}}).encode(), action[2])
                elif kind == "sleep":
                    time.sleep(action[1])
                    try:
                        self._send(200, json.dumps(completion(action[2])).encode())
                    except OSError:
                        pass
                elif kind == "cut_body":
                    full = json.dumps(completion('{"rows": []}')).encode()
                    self._send(200, full[: len(full) // 2], length=len(full))
                    self.close_connection = True
                elif kind == "garbage_body":
                    self._send(200, b"<html>proxy error</html>")
                else:  # pragma: no cover
                    raise AssertionError(kind)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_llm():
    server = FakeLLM()
    yield server
    server.close()


@pytest.fixture(scope="session")
def llama_small():
    """The real llama.cpp server with the 0.5B model (the process's shared server)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (make local-small)")
    from extractor.llm.modelstore import SMALL, install_model
    from extractor.llm.server import shared_server, stop_shared

    path = install_model(small=True)
    server = shared_server(path, alias=SMALL.served_name, n_ctx=4096, n_threads=2)
    yield server
    stop_shared()
