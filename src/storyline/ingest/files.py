"""Files, folders and stdin -> RawDocument (or a Problem naming what was wrong).

Supported: ``.txt``, ``.md`` (text), ``.html``/``.htm`` (HTML), ``.json`` (one
article object or a list of them) and ``.jsonl`` (one article object per
line). Article objects carry a body in ``text`` or ``html`` and optionally
``title``, ``url``, ``published``, ``source`` and ``lang``, which become hints.

Bad input never raises: a missing, empty, binary, oversized or unreadable
file, or a broken JSON line, yields a fatal ``Problem`` and the stream goes
on. Folders are walked recursively in sorted order, hidden entries skipped,
files of other types ignored; a file of another type named explicitly is a
Problem, since the user asked for it.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from ..models import Problem, RawDocument

__all__ = ["MAX_FILE_SETTING", "SUPPORTED_EXTENSIONS", "decode_bytes", "iter_raw"]

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".htm", ".html", ".json", ".jsonl", ".md", ".txt")
MAX_FILE_SETTING = "STORYLINE_MAX_FILE_MB"
HINT_FIELDS = ("title", "url", "published", "source", "lang")
STDIN_ORIGIN = "<stdin>"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Declared labels mapped to the codec browsers really use for them (WHATWG):
# pages labelled gb2312 or latin-1 routinely contain gb18030 or cp1252 bytes.
_CODEC_FOR_LABEL = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "cp950",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_SNIFF_BYTES = 4096
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_JSONL_SAMPLE = 1 << 20


def _mb(n: int) -> str:
    mb = n / 1_000_000
    # Small limits (tests, tight settings) still read as numbers, not "0.0".
    return f"{mb:.1f} MB" if mb >= 1 else f"{mb:.2g} MB"


def _too_big(size: int, limit: int, what: str = "file") -> str:
    return (
        f"{what} is {_mb(size)}, larger than the limit of {_mb(limit)} "
        f"(raise {MAX_FILE_SETTING} to accept it)"
    )


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _CODEC_FOR_LABEL.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace are rare in text and common in binaries."""
    sample = text[: _SNIFF_BYTES * 4]
    return bool(sample) and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def decode_bytes(data: bytes, *, html: bool = False) -> str | None:
    """Text from bytes of unknown encoding, or None when they are not text.

    Order: byte-order mark; for HTML a ``<meta charset>`` that actually
    decodes; strict UTF-8; then charset detection (GBK, Big5, cp1252 ...).
    NUL bytes without a UTF-16/32 BOM mean binary.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[: _SNIFF_BYTES * 4]:
        return None
    if html:
        m = _META_CHARSET.search(data[:_SNIFF_BYTES])
        codec = _codec(m.group(1).decode("ascii", "ignore")) if m else None
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common; detect instead
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            return None
        text = str(best)
    return None if _looks_binary(text) else text


def _read(path: Path, origin: str, limit: int) -> bytes | Problem:
    try:
        size = path.stat().st_size
        if size > limit:
            return Problem(origin, _too_big(size, limit))
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except PermissionError:
        return Problem(origin, "permission denied")
    except OSError as exc:
        return Problem(origin, f"cannot read: {exc.strerror or exc}")
    if len(data) > limit:
        return Problem(origin, _too_big(len(data), limit))
    return data


def _record(obj: Any, origin: str) -> RawDocument | Problem:
    """One article object from JSON -> RawDocument, body from ``text`` or else ``html``."""
    if not isinstance(obj, dict):
        return Problem(origin, f"expected a JSON object, found {type(obj).__name__}")
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        body, kind = text, "text"
    elif isinstance(html, str) and html.strip():
        body, kind = html, "html"
    elif text is None and html is None:
        return Problem(origin, "no 'text' or 'html' field")
    else:
        return Problem(origin, "'text'/'html' field is empty or not a string")
    hints = {k: _clean_str(obj[k]) for k in HINT_FIELDS if obj.get(k) not in (None, "")}
    return RawDocument(origin=origin, body=_clean_str(body), kind=kind, hints=hints)


def _clean_str(value: Any) -> Any:
    """Replace lone surrogates (JSON allows ``"\\ud83d"``; broken scrapers emit them)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _json_docs(text: str, origin: str) -> Iterator[RawDocument | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(origin, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    if isinstance(data, list):
        if not data:
            yield Problem(origin, "empty JSON list")
        for i, obj in enumerate(data):
            yield _record(obj, f"{origin}[{i}]")
    else:
        yield _record(data, origin)


def _jsonl_line(raw: bytes, origin: str, encoding: str) -> RawDocument | Problem | None:
    try:
        line = raw.decode(encoding)
    except UnicodeDecodeError:
        decoded = decode_bytes(raw)
        if decoded is None:
            return Problem(origin, "line is not text (undecodable bytes)")
        line = decoded
    line = line.strip().lstrip("\ufeff")
    if not line:
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Problem(origin, f"invalid JSON on this line (column {exc.colno}): {exc.msg}")
    return _record(obj, origin)


def _jsonl_stream(
    chunks: Iterable[bytes], readline: Any, origin: str, line_limit: int
) -> Iterator[RawDocument | Problem]:
    """JSON Lines read line by line, so a file of any size streams; each line has a size limit.

    ``chunks`` are lines already read (the sniffed head); ``readline(n)`` reads more.
    """
    sample = b"".join(chunks)
    if b"\x00" in sample[:_JSONL_SAMPLE]:
        yield Problem(origin, "binary file (contains NUL bytes), not JSON Lines")
        return
    encoding = _jsonl_encoding(sample)
    pending = [part + b"\n" for part in sample.split(b"\n")]
    pending[-1] = pending[-1][:-1]  # what followed the last newline, if anything
    if not pending[-1]:
        pending.pop()  # an empty chunk would read as end of input
    lineno = 0
    any_content = False

    def next_line() -> bytes:
        if pending:
            return pending.pop(0)
        return readline(line_limit + 1)

    while True:
        raw = next_line()
        if not raw:
            break
        lineno += 1
        where = f"{origin}:{lineno}"
        if len(raw.rstrip(b"\r\n")) > line_limit:
            size = len(raw)
            # Skip the rest of the line without holding it in memory.
            while raw and not raw.endswith(b"\n"):
                raw = readline(1 << 20)
                size += len(raw)
            yield Problem(where, _too_big(size, line_limit, "line"))
            any_content = True
            continue
        item = _jsonl_line(raw, where, encoding)
        if item is not None:
            any_content = True
            yield item
    if not any_content:
        yield Problem(origin, "empty file")


def _jsonl_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # The sample may end mid-character; only whole lines count.
    whole = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        whole.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        best = from_bytes(whole).best()
        return best.encoding if best is not None else "utf-8"


def _file_docs(path: Path, origin: str, max_bytes: int) -> Iterator[RawDocument | Problem]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        try:
            with path.open("rb") as f:
                head = f.read(_JSONL_SAMPLE)
                # Complete the last line so the sample holds whole lines only.
                if head and not head.endswith(b"\n"):
                    head += f.readline(max_bytes + 1)
                yield from _jsonl_stream([head], f.readline, origin, max_bytes)
        except PermissionError:
            yield Problem(origin, "permission denied")
        except OSError as exc:
            yield Problem(origin, f"cannot read: {exc.strerror or exc}")
        return
    data = _read(path, origin, max_bytes)
    if isinstance(data, Problem):
        yield data
        return
    yield from _bytes_docs(data, origin, suffix)


def _bytes_docs(data: bytes, origin: str, suffix: str) -> Iterator[RawDocument | Problem]:
    if not data.strip():
        yield Problem(origin, "empty file")
        return
    is_html = suffix in (".html", ".htm")
    text = decode_bytes(data, html=is_html)
    if text is None:
        yield Problem(origin, "binary file or unknown text encoding; not read")
        return
    if not text.strip():
        yield Problem(origin, "empty file")
    elif suffix == ".json":
        yield from _json_docs(text, origin)
    else:
        yield RawDocument(origin=origin, body=text, kind="html" if is_html else "text")


def _stdin_docs(stream: BinaryIO, max_bytes: int) -> Iterator[RawDocument | Problem]:
    """Sniff: a JSON object on the first non-empty line is JSON Lines; '<' is HTML; else text."""
    head: list[bytes] = []
    first = b""
    size = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            break
        head.append(line)
        size += len(line)
        if line.strip() or size > max_bytes:
            first = line.strip()
            break
    if first.startswith(b"{"):
        try:
            is_jsonl = isinstance(json.loads(first.decode("utf-8-sig")), dict)
        except (UnicodeDecodeError, json.JSONDecodeError):
            is_jsonl = False
        if is_jsonl:
            yield from _jsonl_stream(head, stream.readline, STDIN_ORIGIN, max_bytes)
            return
    data = b"".join(head) + stream.read(max(0, max_bytes + 1 - size))
    if len(data) > max_bytes:
        yield Problem(STDIN_ORIGIN, _too_big(len(data), max_bytes, "input") + " (or more)")
        return
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        try:
            json.loads(decode_bytes(data) or "")
            suffix = ".json"
        except json.JSONDecodeError:
            suffix = ".txt"
    else:
        suffix = ".html" if stripped.startswith(b"<") else ".txt"
    yield from _bytes_docs(data, STDIN_ORIGIN, suffix)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path) -> tuple[list[Path], list[Problem]]:
    """Supported files under ``root``, sorted by path components so the order is stable."""
    found: list[Path] = []
    problems: list[Problem] = []

    def on_error(exc: OSError) -> None:
        where = str(exc.filename or root)
        reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
        problems.append(Problem(where, f"cannot list folder: {reason}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        for name in filenames:
            if not _is_hidden(name) and Path(name).suffix.lower() in SUPPORTED_EXTENSIONS:
                found.append(Path(dirpath) / name)
    found.sort(key=lambda p: p.relative_to(root).parts)
    return found, problems


def iter_raw(
    paths: Sequence[str | Path],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = 20_000_000,
) -> Iterator[RawDocument | Problem]:
    """RawDocuments from files, folders and ``-`` (stdin), with a Problem for each bad input.

    ``max_bytes`` limits a whole file, or each line of a ``.jsonl`` file
    (which is streamed, so JSON Lines files of any size are read).
    """
    for given in paths:
        if isinstance(given, str) and given == "-":
            yield from _stdin_docs(stdin or sys.stdin.buffer, max_bytes)
            continue
        path = Path(given)
        origin = str(given)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:
            yield Problem(origin, f"cannot access: {exc.strerror or exc}")
            continue
        if not exists:
            yield Problem(origin, "no such file or folder")
        elif is_dir:
            files, problems = _walk(path)
            yield from problems
            for file in files:
                yield from _file_docs(file, str(file), max_bytes)
        elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            kinds = ", ".join(SUPPORTED_EXTENSIONS)
            yield Problem(origin, f"unsupported file type {path.suffix or '(none)'!r} (supported: {kinds})")
        else:
            yield from _file_docs(path, origin, max_bytes)
