"""Loader for plain text and Markdown (.txt, .md): decode, normalise line ends, find blocks.

Decoding: BOM first (UTF-8, UTF-16 LE/BE, UTF-32), then UTF-16 without BOM
detected from its NUL pattern, then strict UTF-8, then GB18030 (a superset of
GBK/GB2312) and Big5; among lossy candidates the one with the fewest
replacement characters and the most CJK wins.  The decoded text, with CRLF/CR
turned into LF, is `SourceDoc.text`; every offset points into it.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from ..layout import blocks_from_text
from ..source import LoadError, SourceDoc

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # tab, LF, VT, FF, CR are text


def _quality(s: str) -> tuple[int, int]:
    """(bad chars, -CJK chars): smaller is better."""
    return s.count("\ufffd") + len(_BAD_CONTROL.findall(s)), -len(_CJK.findall(s))


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without BOM: NULs concentrated on even (BE) or odd (LE) byte positions."""
    if len(data) < 4 or b"\x00" not in data:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    need = max(2, len(data) // 400)  # Chinese UTF-16 has NULs only in ASCII (newlines, digits)
    if odd > even * 4 and odd >= need:
        return "utf-16-le"
    if even > odd * 4 and even >= need:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding).  Raises LoadError."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise LoadError("empty file: no text to read")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff"), enc.replace("-sig", "-bom")
            except UnicodeDecodeError:
                break  # a lying BOM: fall through to guessing
    guess = _utf16_guess(data)
    if guess:
        try:
            text = data.decode(guess)
            if _quality(text)[0] <= len(text) // 1000:
                return text, guess
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5", "utf-8"):
        text = data.decode(enc, errors="replace")
        bad, neg_cjk = _quality(text)
        candidates.append((bad, neg_cjk, enc, text))
    # UTF-8 with a few broken bytes (a truncated character) beats mojibake: prefer it when nearly clean
    utf8 = candidates[-1]
    if utf8[0] <= max(2, len(utf8[3]) // 1000):
        return utf8[3], "utf-8 (invalid bytes replaced)"
    bad, _, enc, text = min(candidates, key=lambda c: (c[0], c[1]))
    if bad > max(4, len(text) // 50):
        raise LoadError(f"cannot decode text: not UTF-8, UTF-16 or GB18030 ({bad} undecodable characters)")
    return text, enc


def normalise_newlines(text: str) -> str:
    """CRLF / CR / form feed / vertical tab / Unicode line separators -> LF; NULs dropped."""
    return _normalise(text)[0]


def _normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and the offsets of its form feeds (page breaks of PDF dumps)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    breaks = [m.start() for m in re.finditer("\f", text)] if "\f" in text else []
    if breaks:
        # a form feed opening a line (pdftotext) becomes a space so the line stays one line
        # (a table row split by a page break must not gain a blank line); elsewhere a line break
        text = re.sub(r"(?m)^\f", " ", text)
    for ch in ("\f", "\x0b", "\x85", "\u2028", "\u2029"):  # page breaks, Word manual line breaks (same length)
        text = text.replace(ch, "\n")
    return text, breaks


def _set_pages(blocks, breaks: list[int]) -> None:
    """Page of every block and cell from the form feeds before it (page 1 before the first)."""
    for b in blocks:
        b.page = 1 + bisect.bisect_right(breaks, b.start)
        for row in b.rows:
            for c in row:
                c.page = 1 + bisect.bisect_right(breaks, c.start)


def read_decoded(path: Path) -> tuple[str, str]:
    """A text file's content and encoding; LoadError (one line, with the file name) if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(f"{path.name}: cannot read file ({e.strerror or e})") from None
    try:
        return decode_bytes(data)
    except LoadError as e:
        raise LoadError(f"{path.name}: {e}") from None


def load_text(path: Path) -> SourceDoc:
    """Read a .txt/.md file into a SourceDoc (encoding recorded in meta; pages from form feeds)."""
    path = Path(path)
    text, encoding = read_decoded(path)
    text, breaks = _normalise(text)
    if not text.strip():
        raise LoadError(f"{path.name}: empty file (no text to read)")
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    blocks = blocks_from_text(text)
    meta: dict = {"encoding": encoding}
    # page breaks count only when text follows them (a trailing form feed opens no page)
    breaks = [k for k in breaks if text[k + 1 :].strip()]
    if breaks:
        _set_pages(blocks, breaks)
        meta["pages"] = len(breaks) + 1
    return SourceDoc(stem=path.stem, text=text, blocks=blocks, path=str(path), format=fmt, meta=meta)
