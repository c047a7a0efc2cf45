"""Read user inputs (files, folders) into ``Article`` records and ``InputProblem`` reports.

I/O only, no NLP. ``Article.text`` is the decoded text exactly as it was written (line endings,
spaces and markup-free text of HTML pages included): later stages map character offsets into it.
The only change made to decoded text is one character for one character (NUL → space,
undecodable bytes or lone surrogates → U+FFFD), so offsets stay aligned; each such change is
reported as a ``degraded`` problem.

Bad inputs never raise: they become ``InputProblem`` records that name the file and the fix.
Output is deterministic: folders are walked in sorted order, ids are derived from names.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

from graphkit.errors import InputError
from graphkit.schema import Article, InputProblem

__all__ = [
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "JSON_SUFFIXES",
    "INPUT_SUFFIXES",
    "discover",
    "read_articles",
    "iter_articles",
    "decode_bytes",
    "html_to_text",
    "html_title_and_text",
    "content_hash",
    "normalise_date",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".jsonl", ".json"})
INPUT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

DEFAULT_MAX_BYTES = 50_000_000
_MAX_LISTED_BAD_LINES = 10  # per JSONL file; the rest are summed up in one problem
_BINARY_FIX = "remove it or convert it to UTF-8 text"
_ENCODING_FIX = "convert it to UTF-8 (for example: iconv -f GB18030 -t UTF-8 FILE > FILE.utf8.txt)"
_DEGRADED_FIX = "check the text; re-save the file as clean UTF-8 if it looks wrong"

# --------------------------------------------------------------------------------------------
# Finding input files
# --------------------------------------------------------------------------------------------


class _Found(NamedTuple):
    path: Path
    rel: str | None  # path relative to the folder argument it was found in; None if named directly


def discover(paths: Sequence[str | os.PathLike]) -> tuple[list[Path], list[InputProblem]]:
    """Expand files and folders into the input files to read, in a deterministic order.

    Arguments keep their order; folders are walked recursively in sorted name order. Inside a
    folder only known suffixes are kept (``.txt .text .md .html .htm .jsonl .json``, any case);
    other files and hidden entries (``.git``, ``._x.txt``) are ignored silently. A file named
    explicitly is read whatever its suffix. A folder is a folder even when named ``x.txt``.
    Missing paths, broken links, unreadable files/folders and special files are reported.
    """
    found, problems = _discover(paths)
    return [f.path for f in found], problems


def _discover(paths: Sequence[str | os.PathLike]) -> tuple[list[_Found], list[InputProblem]]:
    found: list[_Found] = []
    problems: list[InputProblem] = []
    seen: set[str] = set()

    def add(item: _Found) -> None:
        key = os.path.abspath(item.path)  # no syscall; symlinked copies are caught by content hash
        if key not in seen:
            seen.add(key)
            found.append(item)

    for arg in paths:
        path = Path(arg)
        where = str(arg)
        try:
            _discover_one(path, where, add, problems)
        except OSError as exc:  # e.g. a path inside a folder we may not enter
            problems.append(_unreadable(path, exc.strerror or str(exc)))
    return found, problems


def _discover_one(path: Path, where: str, add: Callable[[_Found], None],
                  problems: list[InputProblem]) -> None:
    if path.is_symlink() and not path.exists():
        problems.append(_broken_link(path))
    elif not path.exists():
        problems.append(InputProblem(
            path=where, severity="skipped", reason="no such file or folder",
            fix="check the spelling of the path and the current folder"))
    elif path.is_dir():
        for item in _walk(path, problems):
            add(item)
    elif path.is_file() or stat.S_ISFIFO(path.stat().st_mode):
        # a pipe named explicitly (`<(zcat x.gz)`) is read; inside folders it is skipped
        if os.access(path, os.R_OK):
            add(_Found(path, None))
        else:
            problems.append(_unreadable(path, "permission denied"))
    else:
        problems.append(_special_file(path, path.stat().st_mode))


def _walk(root: Path, problems: list[InputProblem]) -> list[_Found]:
    """Files under ``root`` sorted by path components; symlinked folders followed once."""
    out: list[_Found] = []
    visited = {os.path.realpath(root)}
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(InputProblem(
                path=str(folder), severity="skipped",
                reason=f"cannot list folder: {exc.strerror or exc}",
                fix="give read and execute permission (chmod u+rx) or leave it out"))
            continue
        subfolders: list[tuple[Path, tuple[str, ...]]] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = folder / name
            suffix = os.path.splitext(name)[1].lower()
            try:
                if entry.is_dir():
                    real = os.path.realpath(path)
                    if real not in visited:
                        visited.add(real)
                        subfolders.append((path, rel + (name,)))
                elif entry.is_file():
                    if suffix not in INPUT_SUFFIXES:
                        continue
                    if os.access(path, os.R_OK):
                        out.append(_Found(path, "/".join(rel + (name,))))
                    else:
                        problems.append(_unreadable(path, "permission denied"))
                elif suffix in INPUT_SUFFIXES:
                    if entry.is_symlink() and not path.exists():
                        problems.append(_broken_link(path))
                    else:
                        problems.append(_special_file(path, entry.stat().st_mode))
            except OSError as exc:
                problems.append(_unreadable(path, exc.strerror or str(exc)))
        stack.extend(reversed(subfolders))
    # one order for files and folders alike, whatever the file system lists first
    return sorted(out, key=lambda f: tuple((f.rel or "").split("/")))


def _broken_link(path: Path) -> InputProblem:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return InputProblem(path=str(path), severity="skipped",
                        reason=f"broken symbolic link (points to {target!r}, which does not exist)",
                        fix="fix the link or remove it")


def _unreadable(path: Path, why: str) -> InputProblem:
    return InputProblem(path=str(path), severity="skipped", reason=f"cannot read file: {why}",
                        fix="give read permission (chmod u+r) or leave it out")


def _special_file(path: Path, mode: int) -> InputProblem:
    kind = ("named pipe (FIFO)" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
    return InputProblem(path=str(path), severity="skipped", reason=f"not a regular file ({kind})",
                        fix="name it explicitly to read it, or leave it out")


# --------------------------------------------------------------------------------------------
# Decoding bytes
# --------------------------------------------------------------------------------------------


class _Rejected(InputError):
    """An ``InputError`` that also keeps the bare reason and fix for an ``InputProblem``."""

    def __init__(self, reason: str, *, path: str, fix: str):
        super().__init__(reason, path=path, hint=fix)
        self.reason = reason
        self.fix = fix


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than \t \n \v \f \r, plus DEL: text has almost none, binary data ~11%
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r") + b"\x7f"
_BINARY_CONTROL_SHARE = 0.10
_LEGACY_CJK = ["gb18030", "big5", "big5hkscs", "utf_16", "cp950", "gbk"]
# what a Chinese news text is made of; anything else in bulk means a wrong guess
_PLAUSIBLE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u2bff\u2e80-\u9fff\ua960-\ua97f"
    "\uac00-\ud7af\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]+")
_SURROGATES = re.compile("[\ud800-\udfff]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes, path: str) -> tuple[str, str | None]:
    """Decode a file's bytes to text: ``(text, degradation note or None)``.

    Order: binary signatures are rejected; a BOM (UTF-8/16/32) decides; strict UTF-8; UTF-16
    without BOM (by its NUL pattern); an HTML ``<meta charset>``; UTF-8 with a few bad sequences
    (replaced, degraded); then charset-normalizer limited to Chinese encodings (GB18030, Big5...),
    kept only if the result is mostly CJK/ASCII. NUL characters become spaces (degraded).
    Raises ``InputError`` (binary data, unknown encoding) naming ``path`` and the fix.

    >>> decode_bytes("新闻".encode("gb18030") * 4, "a.txt")
    ('新闻新闻新闻新闻', None)
    >>> decode_bytes("消息\\x00全文".encode(), "a.txt")
    ('消息 全文', '1 NUL character(s) replaced with spaces')
    """
    text, notes = _decode(data, path)
    return text, "; ".join(reason for reason, _ in notes) or None


def _decode(data: bytes, path: str) -> tuple[str, list[tuple[str, str]]]:
    """``decode_bytes`` keeping each note's fix; raises ``_Rejected``."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _Rejected(f"binary file ({kind}) {_named(path)}", path=path, fix=_BINARY_FIX)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _finish(*_decode_or_replace(data[len(bom):], encoding, "BOM says " + encoding))
    control_share = (len(data) - len(data.translate(None, _CONTROL_BYTES))) / max(len(data), 1)
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and control_share <= _BINARY_CONTROL_SHARE:
        return _finish(text, [])
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _finish(utf16, [])
    if control_share > _BINARY_CONTROL_SHARE:
        raise _Rejected(f"binary file ({control_share:.0%} control bytes) {_named(path)}",
                        path=path, fix=_BINARY_FIX)
    if path.lower().endswith((".html", ".htm")):
        declared = _declared_html_text(data)
        if declared is not None:
            return _finish(declared, [])
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return _finish(*mostly_utf8)
    legacy = _legacy_cjk(data)
    if legacy is not None:
        return _finish(legacy, [])
    raise _Rejected(
        f"cannot tell the text encoding {_named(path)} (not UTF-8, GB18030, GBK or Big5)",
        path=path, fix=_ENCODING_FIX)


def _named(path: str) -> str:
    suffix = os.path.splitext(path)[1]
    return f"named {suffix}" if suffix else f"named {os.path.basename(path)!r}"


def _decode_or_replace(data: bytes, encoding: str, why: str) -> tuple[str, list[tuple[str, str]]]:
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        return text, [(f"{bad} invalid {encoding} sequence(s) replaced with U+FFFD ({why})",
                       _DEGRADED_FIX)]


def _finish(text: str, notes: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """One-for-one replacements only, so character offsets are those of the decoded text."""
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", " ")
        notes = notes + [(f"{nuls} NUL character(s) replaced with spaces", _DEGRADED_FIX)]
    return text, notes


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text holds NUL bytes (ASCII's high byte) where UTF-8, GBK and Big5 never do."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd_nuls >= even_nuls else ("utf-16-be", "utf-16-le")
    for encoding in order:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    return None


def _declared_html_text(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        declared = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # pages labelled gb2312/gbk are GB18030 in practice, big5 pages are often cp950/HKSCS
    candidates = {"gb2312": ["gb18030"], "gbk": ["gb18030"], "big5": ["big5", "cp950", "big5hkscs"]}
    for encoding in candidates.get(declared, [declared]):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _mostly_utf8(data: bytes) -> tuple[str, list[tuple[str, str]]] | None:
    """UTF-8 with a few broken sequences (a cut-off character): many good, few bad."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if bad > 0 and good_non_ascii >= 4 * bad:
        return text, [(f"{bad} invalid UTF-8 sequence(s) replaced with U+FFFD", _DEGRADED_FIX)]
    return None


def _legacy_cjk(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only here: most inputs are UTF-8

    best = from_bytes(data, cp_isolation=_LEGACY_CJK).best()
    if best is None:
        return None
    text = str(best)
    return text if _plausible(text) else None


def _plausible(text: str) -> bool:
    """At least 95% of characters are ASCII, CJK, CJK punctuation or common symbols."""
    if not text:
        return False
    return len(_PLAUSIBLE.sub("", text)) <= 0.05 * len(text)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_DROP = frozenset({
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
    "head", "svg", "iframe", "object", "button", "select", "textarea", "canvas", "dialog",
})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
})
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "em", "font", "i",
                     "kbd", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time",
                     "u", "var"})
_CLOSES_P = (_BLOCK - {"body", "html", "caption"}) | {"p"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_WIDE = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


class _Node:
    __slots__ = ("tag", "children", "hidden", "parent")

    def __init__(self, tag: str, hidden: bool = False, parent: _Node | None = None):
        self.tag = tag
        self.children: list[_Node | str] = []
        self.hidden = hidden
        self.parent = parent


class _TreeBuilder(HTMLParser):
    """A forgiving tree: implied end tags for p/li/dt/dd/tr/td, stray end tags ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        node = _Node(tag, tag in _DROP or _is_hidden(attrs), self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # </br> is a line break in every browser
            self.stack[-1].children.append(_Node("br", parent=self.stack[-1]))
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._pop_to({"p"}, stop_unless=_INLINE)
        if tag == "li":
            self._pop_to({"li"}, stop_at={"ul", "ol", "menu", "table"})
        elif tag in ("dt", "dd"):
            self._pop_to({"dt", "dd"}, stop_at={"dl", "table"})
        elif tag == "tr":
            self._pop_to({"tr"}, stop_at={"table"})
        elif tag in ("td", "th"):
            self._pop_to({"td", "th"}, stop_at={"tr", "table"})
        elif tag == "option":
            self._pop_to({"option"}, stop_at={"select"})

    def _pop_to(self, targets: set[str], stop_at: Iterable[str] = (),
                stop_unless: frozenset[str] | None = None) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in targets:
                del self.stack[i:]
                return
            if tag in stop_at or (stop_unless is not None and tag not in stop_unless):
                return


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
        if name == "style" and value and re.search(r"display\s*:\s*none", value, re.I):
            return True
    return False


def _collapse(text: str) -> str:
    """HTML white space → one space; a line break between two CJK characters → nothing."""

    def space(match: re.Match[str]) -> str:
        s, a, b = match.string, match.start(), match.end()
        if ("\n" in match.group() or "\r" in match.group()) and 0 < a and b < len(s) \
                and _WIDE.match(s[a - 1]) and _WIDE.match(s[b]):
            return ""
        return " "

    return _HTML_SPACE.sub(space, text).strip(" ")


def _render(node: _Node) -> str:
    """Visible text of ``node``: one line per block, blank lines dropped."""
    lines: list[str] = []
    buf: list[str] = []
    pre_depth = 0

    def flush() -> None:
        chunk = "".join(buf)
        buf.clear()
        parts = chunk.split("\n") if pre_depth else [_collapse(chunk)]
        lines.extend(p.strip() for p in parts if p.strip())

    stack: list[tuple[_Node | str, bool]] = [(node, False)]
    while stack:
        item, closing = stack.pop()
        if isinstance(item, str):
            buf.append(item)
            continue
        if item.hidden and item is not node:
            continue
        tag = item.tag
        if closing:
            if tag in _BLOCK or tag == "br":
                flush()
            if tag == "pre":
                pre_depth -= 1
            continue
        if tag in _BLOCK:
            flush()
        elif tag in ("td", "th"):
            buf.append(" ")
        if tag == "pre":
            pre_depth += 1
        stack.append((item, True))
        stack.extend((child, False) for child in reversed(item.children))
    flush()
    return "\n".join(lines)


def _inline_text_len(node: _Node) -> int:
    """Length of the text a block holds itself: its strings and inline children, not sub-blocks."""
    parts = [c if isinstance(c, str) else _render(c) for c in node.children
             if isinstance(c, str) or (c.tag in _INLINE and not c.hidden)]
    return len(_collapse("".join(parts))) if parts else 0


def html_title_and_text(html: str) -> tuple[str | None, str]:
    """``(title, main text)`` of an HTML page; see ``html_to_text``.

    >>> html_title_and_text("<title>T</title><nav>menu</nav><article><p>一</p><p>二</p></article>")
    ('T', '一\\n二')
    """
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    root = builder.root

    title: str | None = None
    first_h1: _Node | None = None
    articles: list[_Node] = []
    visible: list[_Node] = []  # document order
    score: dict[int, int] = {}  # id(node) → paragraph text it holds directly
    stack: list[tuple[_Node, bool]] = [(root, False)]  # (node, inside a dropped element)
    while stack:
        node, dropped = stack.pop()
        if node.tag == "title" and title is None:
            title = _collapse("".join(c for c in node.children if isinstance(c, str))) or None
        elif node.tag == "h1" and first_h1 is None:
            first_h1 = node
        dropped = dropped or node.hidden
        if not dropped:
            visible.append(node)
            if node.tag == "article":
                articles.append(node)
            if node.tag == "p" and node.parent is not None:  # a paragraph counts for its container
                score[id(node.parent)] = score.get(id(node.parent), 0) + len(_render(node))
            elif node.tag not in _INLINE:
                score[id(node)] = score.get(id(node), 0) + _inline_text_len(node)
        stack.extend((c, dropped) for c in reversed(node.children) if isinstance(c, _Node))

    if title is None and first_h1 is not None:
        title = _render(first_h1).replace("\n", " ") or None

    article_texts = [_render(a) for a in articles]
    if any(article_texts):
        return title, max(article_texts, key=len)  # max keeps the first of equals
    return title, _render(_main_container(visible, score, root))


def _main_container(visible: list[_Node], score: dict[int, int], root: _Node) -> _Node:
    """The element holding the most paragraph text (first in document order on a tie); when
    that is under half of the page's paragraph text (a story split over many blocks), its
    nearest ancestor that holds at least half."""
    total = sum(score.values())
    if not total:
        return root
    best = max(visible, key=lambda n: score.get(id(n), 0))  # max keeps the first of equals
    subtree: dict[int, int] = {}
    for node in reversed(visible):  # children before parents
        subtree[id(node)] = score.get(id(node), 0) + sum(
            subtree.get(id(c), 0) for c in node.children if isinstance(c, _Node))
    while 2 * subtree[id(best)] < total and best.parent is not None:
        best = best.parent
    return best


def html_to_text(html: str) -> str:
    """The main text of an HTML page, one paragraph a line.

    Scripts, styles, navigation, headers, footers, asides, forms and hidden elements are dropped.
    The main part is the longest ``<article>``, else the element with the most paragraph text
    (its ``<p>`` children plus its own text), widened to an ancestor when the story is spread
    over many blocks. Entities are decoded; HTML white space is collapsed
    (a source line break between two CJK characters disappears, as in Chinese typesetting).

    >>> html_to_text("<body><div><p>甲乙\\n丙</p><p>b &amp; c</p></div><footer>©</footer></body>")
    '甲乙丙\\nb & c'
    """
    return html_title_and_text(html)[1]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


def content_hash(text: str) -> str:
    """First 16 hex digits of the SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s].*)?")


def normalise_date(value: Any) -> str | None:
    """``20220930``, ``2022-09-30T08:00:00Z``, ``2022/9/30``, ``2022年9月30日`` → ``2022-09-30``.

    >>> normalise_date(20220930), normalise_date("2022-9-30 08:00"), normalise_date("soon")
    ('2022-09-30', '2022-09-30', None)
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    raw = str(value).strip()
    if re.fullmatch(r"\d{8}", raw):
        parts = raw[:4], raw[4:6], raw[6:]
    elif match := _DATE.fullmatch(raw):
        parts = match.groups()
    else:
        return None
    try:
        return _dt.date(*map(int, parts)).isoformat()
    except ValueError:
        return None


class _Seen:
    """Ids and content hashes accepted so far (across all files of one run)."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}  # id → where it was read
        self.hashes: dict[str, str] = {}  # content hash → article id

    def file_id(self, found: _Found) -> str:
        """The file name; if taken, the path inside its folder argument, then the full path."""
        name = _printable_name(found.path.name)
        if name not in self.ids:
            return name
        for candidate in (found.rel, found.path.as_posix()):
            if candidate and (candidate := _printable_name(candidate)) not in self.ids:
                return candidate
        n = 2
        while f"{candidate}#{n}" in self.ids:
            n += 1
        return f"{candidate}#{n}"


def _printable_name(name: str) -> str:
    # file names that are not UTF-8 arrive with surrogate escapes, which JSON cannot carry
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_articles(paths: Sequence[str | os.PathLike], *, max_bytes: int = DEFAULT_MAX_BYTES,
                  ) -> tuple[list[Article], list[InputProblem]]:
    """Read every article under ``paths``; problems are collected, never raised.

    >>> read_articles(["/no/such/folder"])[1][0].reason
    'no such file or folder'
    """
    articles: list[Article] = []
    problems: list[InputProblem] = []
    for item in iter_articles(paths, max_bytes=max_bytes):
        (articles if isinstance(item, Article) else problems).append(item)
    return articles, problems


def iter_articles(paths: Sequence[str | os.PathLike], *, max_bytes: int = DEFAULT_MAX_BYTES,
                  ) -> Iterator[Article | InputProblem]:
    """Stream articles and problems in input order; JSONL files are read line by line.

    Discovery problems come first. A file over ``max_bytes`` (a JSONL line, for JSONL) is skipped.
    Later duplicates are skipped: the same JSONL id, or the same text under another name.
    """
    found, problems = _discover(paths)
    yield from problems
    seen = _Seen()
    for item in found:
        suffix = item.path.suffix.lower()
        if suffix == ".jsonl":
            yield from _read_jsonl(item, seen, max_bytes)
        elif suffix == ".json":
            yield from _read_json(item, seen, max_bytes)
        else:
            yield from _read_document(item, seen, max_bytes, html=suffix in HTML_SUFFIXES)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    where = str(path)
    too_big = _Rejected(f"larger than the limit of {max_bytes:,} bytes", path=where,
                        fix="raise the limit with --max-bytes (max_bytes=...) or split the file")
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode):
                if info.st_size > max_bytes:
                    raise too_big
                data = fh.read()  # read(max_bytes + 1) would allocate max_bytes every time
            else:  # a pipe: read in chunks up to the limit
                chunks, size = [], 0
                while size <= max_bytes and (chunk := fh.read(1 << 20)):
                    chunks.append(chunk)
                    size += len(chunk)
                data = b"".join(chunks)
    except OSError as exc:
        raise _Rejected(f"cannot read file: {exc.strerror or exc}", path=where,
                        fix="give read permission (chmod u+r) or leave it out") from exc
    if len(data) > max_bytes:
        raise too_big
    return data


def _read_document(found: _Found, seen: _Seen, max_bytes: int, *, html: bool,
                   ) -> Iterator[Article | InputProblem]:
    where = str(found.path)
    try:
        data = _read_bytes(found.path, max_bytes)
        if not data:
            raise _Rejected("empty file", path=where, fix="remove it or put the article text in it")
        text, notes = _decode(data, where)
    except _Rejected as exc:
        yield InputProblem(path=where, severity="skipped", reason=exc.reason, fix=exc.fix)
        return
    title = None
    if html:
        title, text = html_title_and_text(text)
        if not text:
            yield InputProblem(path=where, severity="skipped",
                               reason="no text left after removing markup, scripts and navigation",
                               fix="check that the page holds the article (not a login page)")
            return
    if text.isspace():
        yield InputProblem(path=where, severity="skipped", reason="file holds only white space",
                           fix="remove it or put the article text in it")
        return
    digest = content_hash(text)
    if digest in seen.hashes:
        yield _duplicate_text(where, seen.hashes[digest])
        return
    article_id = seen.file_id(found)
    seen.ids[article_id] = where
    seen.hashes[digest] = article_id
    if notes:
        yield _degraded(where, notes)
    yield Article(id=article_id, text=text, title=title, source=where, content_hash=digest)


def _duplicate_text(where: str, first_id: str) -> InputProblem:
    return InputProblem(path=where, severity="duplicate",
                        reason=f"same text as article {first_id!r}, read earlier; skipped",
                        fix="remove one of the two copies")


def _degraded(where: str, notes: list[tuple[str, str]]) -> InputProblem:
    fixes = list(dict.fromkeys(fix for _, fix in notes))
    return InputProblem(path=where, severity="degraded",
                        reason="; ".join(reason for reason, _ in notes), fix="; ".join(fixes))


def _read_jsonl(found: _Found, seen: _Seen, max_bytes: int) -> Iterator[Article | InputProblem]:
    try:
        fh = open(found.path, "rb")
    except OSError as exc:
        yield _unreadable(found.path, exc.strerror or str(exc))
        return
    with fh:
        yield from _read_records(_jsonl_lines(fh, max_bytes, str(found.path)), found, seen)


class _Line(NamedTuple):
    where: str  # "file:lineno"
    text: str | None  # None when ``problem`` rejects the line
    problem: InputProblem | None = None
    notes: tuple[tuple[str, str], ...] = ()


def _jsonl_lines(fh: Any, max_bytes: int, where: str) -> Iterator[_Line]:
    """Lines as text, each bounded by ``max_bytes``; blank lines skipped."""
    lineno = 0
    while True:
        raw = fh.readline(max_bytes + 1)
        if not raw:
            return
        lineno += 1
        at = f"{where}:{lineno}"
        if lineno == 1:
            problem = _jsonl_head_problem(raw[:8], where)
            if problem is not None:
                yield _Line(where, None, problem)
                return
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield _Line(at, None, InputProblem(
                path=at, severity="skipped",
                reason=f"line longer than the limit of {max_bytes:,} bytes",
                fix="raise the limit with --max-bytes (max_bytes=...)"))
            continue
        if not raw.strip():
            continue
        raw = raw.rstrip(b"\r\n")
        try:
            yield _Line(at, raw.decode("utf-8"))
        except UnicodeDecodeError:
            # JSON is UTF-8 by definition: keep what can be read and say so
            text = raw.decode("utf-8", errors="replace")
            bad = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
            yield _Line(at, text, None, ((f"{bad} invalid UTF-8 sequence(s) replaced with U+FFFD",
                                          _DEGRADED_FIX),))


def _jsonl_head_problem(head: bytes, where: str) -> InputProblem | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return InputProblem(path=where, severity="skipped",
                                reason=f"binary file ({kind}) {_named(where)}", fix=_BINARY_FIX)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return InputProblem(path=where, severity="skipped",
                            reason="JSONL file is UTF-16, not UTF-8",
                            fix="convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)")
    return None


def _read_json(found: _Found, seen: _Seen, max_bytes: int) -> Iterator[Article | InputProblem]:
    """A ``.json`` file: an array of records, one record, or JSONL under a .json name."""
    where = str(found.path)
    try:
        data = _read_bytes(found.path, max_bytes)
        if not data.strip():
            raise _Rejected("empty file", path=where, fix="remove it or put JSON records in it")
        text, notes = _decode(data, where)
    except _Rejected as exc:
        yield InputProblem(path=where, severity="skipped", reason=exc.reason, fix=exc.fix)
        return
    if notes:
        yield _degraded(where, notes)
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        lines = (_Line(f"{where}:{n}", line, None)
                 for n, line in enumerate(text.split("\n"), 1) if line.strip())
        yield from _read_records(lines, found, seen)
        return
    items = value if isinstance(value, list) else [value]
    lines = (_Line(f"{where}[{i}]" if isinstance(value, list) else where, None, None)
             for i in range(len(items)))
    yield from _read_records(lines, found, seen, parsed=iter(items))


def _read_records(lines: Iterable[_Line], found: _Found, seen: _Seen,
                  parsed: Iterator[Any] | None = None) -> Iterator[Article | InputProblem]:
    where = str(found.path)
    bad_lines = 0
    any_line = False
    for line in lines:
        any_line = True
        if line.problem is not None:
            yield line.problem
            continue
        if parsed is not None:
            record = next(parsed)
        else:
            try:
                record = json.loads(line.text)  # type: ignore[arg-type]
            except json.JSONDecodeError as exc:
                bad_lines += 1
                if bad_lines <= _MAX_LISTED_BAD_LINES:
                    yield InputProblem(
                        path=line.where, severity="skipped",
                        reason=f"malformed JSON: {exc.msg} (column {exc.colno})",
                        fix="fix or remove the line: each line must be one JSON object")
                continue
        yield from _record_to_article(record, line.where, seen, line.notes)
    if bad_lines > _MAX_LISTED_BAD_LINES:
        unlisted = bad_lines - _MAX_LISTED_BAD_LINES
        yield InputProblem(path=where, severity="skipped",
                           reason=f"{unlisted} more malformed line(s) not listed",
                           fix="check that the file is JSONL (one JSON object per line)")
    if not any_line:
        yield InputProblem(path=where, severity="skipped", reason="empty file (no records)",
                           fix="remove it or put one JSON object per line in it")


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def _record_to_article(record: Any, where: str, seen: _Seen,
                       line_notes: Iterable[tuple[str, str]] = (),
                       ) -> Iterator[Article | InputProblem]:
    if not isinstance(record, dict):
        yield InputProblem(path=where, severity="skipped",
                           reason=f"expected a JSON object, found {_json_kind(record)}",
                           fix='write one object per line: {"id": ..., "text": ...}')
        return
    if "text" not in record:
        yield InputProblem(path=where, severity="skipped", reason="record has no 'text' field",
                           fix='add the article body as "text"')
        return
    text = record["text"]
    if not isinstance(text, str):
        yield InputProblem(path=where, severity="skipped",
                           reason=f"'text' is {_json_kind(text)}, expected a string",
                           fix='store the article body as one string in "text"')
        return
    if not text.strip():
        yield InputProblem(path=where, severity="skipped", reason="'text' is empty",
                           fix="remove the record or fill in its text")
        return
    notes = list(line_notes)
    lone = len(_SURROGATES.findall(text))
    if lone:
        text = _scrub(text)
        notes.append((f"{lone} lone surrogate escape(s) replaced with U+FFFD", _DEGRADED_FIX))
    text, notes = _finish(text, notes)

    raw_id = record.get("id")
    url = record.get("url")
    url = _scrub(url) if isinstance(url, str) and url.strip() else None
    digest = content_hash(text)
    if isinstance(raw_id, str) and raw_id.strip():
        article_id = raw_id
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        article_id = str(raw_id)
    else:
        if raw_id is not None:
            notes.append((f"'id' {raw_id!r} is not a string or integer; ignored",
                          'give each record a string "id"'))
        article_id = url or f"sha256:{digest}"
    article_id = _scrub(article_id)

    if article_id in seen.ids:
        first = seen.ids[article_id]
        yield InputProblem(path=where, severity="duplicate",
                           reason=f"duplicate id {article_id!r} (first read from {first}); skipped",
                           fix="give each record a unique id")
        return
    if digest in seen.hashes:
        yield _duplicate_text(where, seen.hashes[digest])
        return

    date = normalise_date(record.get("date"))
    if date is None and record.get("date") not in (None, ""):
        notes.append((f"date {record['date']!r} not understood; left empty",
                      "write dates as YYYY-MM-DD or YYYYMMDD"))
    title = _scrub(record["title"]) if isinstance(record.get("title"), str) else None
    seen.ids[article_id] = where
    seen.hashes[digest] = article_id
    if notes:
        yield _degraded(where, notes)
    yield Article(id=article_id, text=text, title=title, date=date, url=url, source=where,
                  content_hash=digest)


def _scrub(value: str) -> str:
    """Lone surrogates (from JSON escapes) cannot be written as UTF-8: one U+FFFD each."""
    return _SURROGATES.sub("\ufffd", value)
