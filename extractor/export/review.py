"""review.html: one self-contained page (inline CSS/JS, no network) for auditors to review a run.

Documents -> reports -> indicator tables; clicking a value shows the source passage with the
value highlighted (the evidence span, or a search for the value in the text when there is no
span); failed checks are marked; filters for failed checks and unmet targets; values can be
corrected in place and the corrected document downloaded as contract JSON (a golden label).

The documents are untrusted text: the data goes in as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&`` and U+2028/9 escaped, and the page
builds every node with ``textContent`` (never innerHTML), under a CSP that forbids the network.
"""

from __future__ import annotations

import datetime as _dt
import json
from importlib import resources
from pathlib import Path
from typing import Mapping

from .. import __version__
from ..models import Document

PLACEHOLDER = "__REVIEW_DATA__"
MAX_SOURCE_CHARS = 3_000_000  # per document; a larger text is cut (values beyond it show "not found")


def embed_json(data: object) -> str:
    """JSON that cannot end its <script> element or open a comment, whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def template() -> str:
    return resources.files("extractor.export").joinpath("review_template.html").read_text(encoding="utf-8")


def render_review(documents: list[Document], sources: Mapping[str, str | None] | None = None,
                  failures: list[dict] | None = None) -> str:
    """The page as a string.  `failures`: run.json entries of inputs that could not be read
    (listed under the documents with their one-line reason)."""
    sources = sources or {}
    payload = {
        "version": __version__,
        "generated": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "documents": [
            {"doc": doc.model_dump(mode="json"),
             "source": (sources.get(doc.document) or None) and sources[doc.document][:MAX_SOURCE_CHARS]}
            for doc in documents
        ],
        "failures": [{"path": str(e.get("path")), "error": str(e.get("error"))}
                     for e in (failures or []) if e.get("status") == "failed"],
    }
    page = template()
    head, sep, tail = page.partition(PLACEHOLDER)
    if not sep:
        raise RuntimeError("review template has no data placeholder")
    return head + embed_json(payload) + tail


def write_review(documents: list[Document], sources: Mapping[str, str | None] | None, path: Path,
                 failures: list[dict] | None = None) -> None:
    """Write review.html atomically.  `sources` maps document stem -> SourceDoc.text (or None)."""
    from ..batch import atomic_write_text

    atomic_write_text(Path(path), render_review(documents, sources, failures))
