"""Versioned prompt templates from prompts/<id>.v<version>.md.

Each file starts with a header line ``<!-- prompt: <id>; version: <n> -->``; the rest is the
template, with ``{{name}}`` placeholders.  ``load(id)`` takes the highest version unless one is
pinned.  ``$EXTRACTOR_PROMPTS_DIR`` overrides the folder (the repository's prompts/ by default).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HEADER = re.compile(r"^<!--\s*prompt:\s*([\w-]+)\s*;\s*version:\s*(\d+)\s*-->\s*$")
_FILE = re.compile(r"^([\w-]+)\.v(\d+)\.md$")
_VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class PromptError(LookupError):
    pass


@dataclass(frozen=True)
class Prompt:
    id: str
    version: int
    template: str
    path: Path

    @property
    def ref(self) -> str:
        """`<id>@<version>` as written into evidence origins (llm:<model>:<ref>)."""
        return f"{self.id}@{self.version}"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.template.encode("utf-8")).hexdigest()[:16]

    def render(self, **values: str) -> str:
        missing = sorted(set(_VAR.findall(self.template)) - set(values))
        if missing:
            raise PromptError(f"prompt {self.ref}: no value for {', '.join(missing)}")
        return _VAR.sub(lambda m: str(values[m.group(1)]), self.template).strip()


def prompts_dir() -> Path:
    override = os.environ.get("EXTRACTOR_PROMPTS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "prompts"


def _parse(path: Path) -> Prompt:
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    m = _HEADER.match(first.strip())
    if not m:
        raise PromptError(f"{path}: first line must be '<!-- prompt: <id>; version: <n> -->'")
    fm = _FILE.match(path.name)
    if not fm or (fm.group(1), int(fm.group(2))) != (m.group(1), int(m.group(2))):
        raise PromptError(f"{path}: header says {m.group(1)} v{m.group(2)}, file name disagrees")
    return Prompt(m.group(1), int(m.group(2)), rest, path)


@lru_cache(maxsize=None)
def _load(folder: str, prompt_id: str, version: int | None) -> Prompt:
    found: dict[int, Path] = {}
    for path in Path(folder).glob(f"{prompt_id}.v*.md"):
        fm = _FILE.match(path.name)
        if fm and fm.group(1) == prompt_id:
            found[int(fm.group(2))] = path
    if not found:
        raise PromptError(f"no prompt '{prompt_id}' in {folder}")
    if version is None:
        version = max(found)
    if version not in found:
        raise PromptError(f"prompt '{prompt_id}' has no version {version} in {folder} (have {sorted(found)})")
    return _parse(found[version])


def load(prompt_id: str, version: int | None = None) -> Prompt:
    return _load(str(prompts_dir()), prompt_id, version)
