"""Re-builds copy unchanged elements' text from the previous output file instead of writing it again.

Writers yield their text as glue strings and :class:`Piece` records (one per node, edge or other
element, with a ``make`` function for its text). :func:`plain` turns pieces into text. A build
with a cache writes through :class:`ReusingWriter` instead: each element's signature (a digest of
its graph attributes plus the writer's extras, such as a node's position) is compared with the
one stored, with the element's byte range, in an index beside the cache; an equal one is copied
from the previous file (runs of them in one read), any other is made. The output is the same
bytes either way; only the time differs.

An index is trusted only for the file it describes: same inode, size and modification time,
same writer code and versions, same format-wide context (key ids, colours). A file edited by
hand, a damaged or missing index, or any doubt means the element is made again.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from importlib import metadata
from importlib import resources as _res
from pathlib import Path
from typing import Any, NamedTuple

from graphkit import __version__

__all__ = ["Piece", "Context", "listed", "plain", "Signatures", "ReusingWriter", "index_path", "digest",
           "write_quietly", "checked", "writers_fingerprint"]

_INDEX_VERSION = 1
_FLUSH_BYTES = 1 << 20


class Piece:
    """One element's text. ``element`` is ``("n", node)``, ``("e", edge key)`` or ``("x", name)``;
    ``key`` is unique within a file and is the element unless one file has two texts for it;
    ``extras`` is everything besides the element's own attributes that its text depends on
    (values ``marshal`` can write). A plain class: a NamedTuple's constructor costs more
    than the rest of copying an unchanged element."""

    __slots__ = ("key", "extras", "make", "element")

    def __init__(self, key: tuple, extras: Any, make: Callable[[], str], element: tuple | None = None) -> None:
        self.key, self.extras, self.make = key, extras, make
        self.element = key if element is None else element


class Context(NamedTuple):
    """What every element's text of one file depends on (key ids, colours): yielded first."""
    value: str


def listed(pieces: Iterable[Piece], separator: str) -> Iterator[Piece]:
    """``pieces`` as items of a list: each after the first starts with ``separator`` (in its
    own text, so runs of unchanged items are copied in one read). Only the first item's
    extras change (an item's text differs as the first and as any later one)."""
    for i, piece in enumerate(pieces):
        if i:
            yield Piece(piece.key, piece.extras, partial(_after, separator, piece.make), piece.element)
        else:
            yield Piece(piece.key, ("first item", piece.extras), piece.make, piece.element)


def _after(separator: str, make: Callable[[], str]) -> str:
    return separator + make()


def plain(pieces: Iterable[str | Piece | Context]) -> Iterator[str]:
    """The text of ``pieces``, every element made."""
    for piece in pieces:
        if type(piece) is str:
            yield piece
        elif type(piece) is Piece:
            yield piece.make()


class Signatures:
    """Digests of a graph's elements (attributes, and an edge's ends), made once per element
    and shared by every file written from the graph in this process."""

    def __init__(self, G) -> None:
        self._G = G
        self._edges: dict | None = None
        self._digests: dict[tuple, bytes] = {}

    def of(self, element: tuple) -> bytes:
        found = self._digests.get(element)
        if found is None:
            kind, name = element
            if kind == "n":
                content: Any = (name, tuple(self._G.nodes[name].items()))
            elif kind == "e":
                if self._edges is None:
                    self._edges = {k: (u, v, a) for u, v, k, a in self._G.edges(keys=True, data=True)}
                u, v, attrs = self._edges[name]
                content = (u, v, name, tuple(attrs.items()))
            else:
                content = name
            found = self._digests[element] = digest(content)
        return found


def digest(value: Any) -> bytes:
    """Equal for equal values of equal types (see :func:`_marshalled`)."""
    return hashlib.blake2b(_marshalled(value), digest_size=16).digest()


def _marshalled(value: Any) -> bytes:
    """``value``'s bytes: marshal tells 1 from 1.0 and True, and format 2 writes no
    back-references (which depend on reference counts), so the same value gives the same
    bytes in every process. A value marshal cannot write gets bytes nothing else has: its
    element is always made."""
    try:
        return marshal.dumps(value, 2)
    except ValueError:
        return os.urandom(16)


@lru_cache(maxsize=1)
def writers_fingerprint() -> str:
    """graphkit's writer code and data, and the versions of what shapes their text."""
    h = hashlib.sha256(f"{_INDEX_VERSION}|{__version__}|{sys.version_info[:2]}".encode())
    for dist in ("pyvis", "jinja2", "opencc", "numpy"):  # the page's template, search forms, layout
        try:
            h.update(f"|{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"|{dist}=none".encode())
    root = _res.files("graphkit")
    sources = [root / "render.py", root / "graph.py", root / "resources" / "relations.yaml"]
    sources += sorted((p for p in (root / "export").iterdir() if p.name.endswith(".py")), key=str)
    sources += sorted((p for p in (root / "assets").iterdir() if p.is_file()), key=str)
    for source in sources:
        h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()[:32]


def checked(stored: bytes) -> bytes:
    """What :func:`write_quietly` wrote, if its checksum holds; ValueError if not."""
    data = stored[16:]
    if len(stored) < 16 or hashlib.blake2b(data, digest_size=16).digest() != stored[:16]:
        raise ValueError("damaged speed-up file")
    return data


def index_path(folder: Path, output: Path) -> Path:
    """Where the index of ``output`` is kept: one per output path, so folders can share a cache."""
    name = hashlib.sha256(str(output.resolve()).encode("utf-8")).hexdigest()[:16]
    return folder / f"{output.name}.{name}.index"


class _Previous:
    """The previous file, opened, and its index: key → (signature, start, end)."""

    def __init__(self, fd: int, context: str, entries: dict) -> None:
        self.fd, self.context, self.entries = fd, context, entries

    @classmethod
    def open(cls, output: Path, index: Path) -> _Previous | None:
        try:
            data = marshal.loads(checked(index.read_bytes()))
            fd = os.open(output, os.O_RDONLY)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        try:
            st = os.fstat(fd)
            if (type(data) is dict and data.get("fingerprint") == writers_fingerprint()
                    and data.get("stat") == (st.st_ino, st.st_size, st.st_mtime_ns)):
                return cls(fd, data["context"], data["entries"])
        except (OSError, KeyError):
            pass
        os.close(fd)
        return None

    def read(self, start: int, end: int) -> bytes | None:
        try:
            data = os.pread(self.fd, end - start, start)
        except OSError:
            return None
        return data if len(data) == end - start else None


class ReusingWriter:
    """Turns one file's pieces into bytes, copying unchanged elements from the previous file,
    and records the new index (:meth:`save` once the file is written)."""

    def __init__(self, output: Path, index: Path, signatures: Signatures) -> None:
        self.output, self.index, self.signatures = Path(output), Path(index), signatures
        self.context = ""
        self.entries: dict[tuple, tuple] = {}
        self.reused = self.made = 0

    def chunks(self, pieces: Iterable[str | Piece | Context]) -> Iterator[bytes]:
        previous = _Previous.open(self.output, self.index)
        try:
            yield from self._chunks(pieces, previous)
        finally:
            if previous is not None:
                os.close(previous.fd)

    def _chunks(self, pieces, previous: _Previous | None) -> Iterator[bytes]:
        old_entries = previous.entries if previous is not None else {}
        entries, signature_of = self.entries, self.signatures.of
        out: list[bytes] = []
        pos = 0  # bytes of the new file so far
        size = 0  # bytes in out
        run: list[tuple] = []  # unchanged elements stored one after another: (key, sig, make, start, end)

        def add(data: bytes) -> None:
            nonlocal pos, size
            out.append(data)
            pos += len(data)
            size += len(data)

        def flush_run() -> None:
            data = previous.read(run[0][3], run[-1][4])
            if data is None:  # the old file came up short: make them
                for key, sig, make, _, _ in run:
                    text = make().encode("utf-8")
                    entries[key] = (sig, pos, pos + len(text))
                    add(text)
                self.made += len(run)
            else:
                base = pos - run[0][3]
                for key, sig, _, start, end in run:
                    entries[key] = (sig, base + start, base + end)
                self.reused += len(run)
                add(data)
            run.clear()

        for piece in pieces:
            kind = type(piece)
            if kind is Context:
                self.context = piece.value
                if previous is not None and previous.context != piece.value:
                    old_entries = {}
                continue
            if kind is Piece:
                key = piece.key
                sig = signature_of(piece.element)
                if piece.extras is not None:
                    sig += _marshalled(piece.extras)
                found = old_entries.get(key)
                if found is not None and found[0] == sig:
                    if run and run[-1][4] != found[1]:
                        flush_run()
                    run.append((key, sig, piece.make, found[1], found[2]))
                    continue
            if run:
                flush_run()
            if kind is Piece:
                data = piece.make().encode("utf-8")
                entries[key] = (sig, pos, pos + len(data))
                self.made += 1
                add(data)
            elif kind is str:
                add(piece.encode("utf-8"))
            if size >= _FLUSH_BYTES:
                yield b"".join(out)
                out.clear()
                size = 0
        if run:
            flush_run()
        if out:
            yield b"".join(out)

    def save(self, written: Path) -> None:
        """Store the index of ``written`` (the staged file, renamed later: a rename keeps the
        inode and times, so the index matches the output once it is in place, and never a
        file that was not)."""
        st = os.stat(written)
        write_quietly(self.index, marshal.dumps({
            "fingerprint": writers_fingerprint(), "context": self.context,
            "stat": (st.st_ino, st.st_size, st.st_mtime_ns), "entries": self.entries}))


def write_quietly(path: Path, data: bytes) -> None:
    """Write a file that only ever speeds a build up: with a checksum (:func:`checked`),
    renamed into place, no fsync (a torn or damaged one fails its checksum, which costs time,
    not correctness), and no error if it cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(hashlib.blake2b(data, digest_size=16).digest() + data)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
