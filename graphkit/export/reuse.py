"""Re-builds copy unchanged elements' text from the previous output file instead of writing it again.

Writers yield their text as glue strings, :class:`Items` (a list of nodes, edges or rows, with a
``make`` function for each item's text) and :class:`Piece` records (one other element, such as a
part of the page around the data). :func:`plain` turns them into text. A build
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
from functools import lru_cache
from importlib import metadata
from importlib import resources as _res
from pathlib import Path
from typing import Any, NamedTuple

from graphkit import __version__

__all__ = ["Piece", "Items", "Context", "plain", "Signatures", "ReusingWriter", "index_path", "digest",
           "write_quietly", "checked", "writers_fingerprint"]

_INDEX_VERSION = 1
_FLUSH_BYTES = 1 << 20
_FIRST_ITEM = b"\0first item"  # ends the signature of a list's first item (marshal's bytes end by themselves)


class Piece:
    """One element's text. ``element`` is ``("n", node)``, ``("e", edge key)`` or ``("x", name)``;
    ``key`` is unique within a file and is the element unless one file has two texts for it;
    ``extras`` is everything besides the element's own attributes that its text depends on
    (values ``marshal`` can write)."""

    __slots__ = ("key", "extras", "make", "element")

    def __init__(self, key: tuple, extras: Any, make: Callable[[], str], element: tuple | None = None) -> None:
        self.key, self.extras, self.make = key, extras, make
        self.element = key if element is None else element

    def as_items(self) -> Items:
        make = self.make
        return Items([self.key], lambda _: make(), elements=[self.element],
                     extras=None if self.extras is None else [self.extras])


class Items:
    """A list of elements as :class:`Piece` would give them one by one: item ``i`` has the key
    ``keys[i]``, is the element ``elements[i]`` (the key where ``elements`` is None), has the
    extras ``extras[i]`` (none where ``extras`` is None), and its text is ``make(i)``, after
    ``separator`` for every item but the first (in its own text, so runs of unchanged items are
    copied in one read). One object per list, not per item: a re-build copies most items, and
    the per-item work is most of what it costs."""

    __slots__ = ("keys", "make", "elements", "extras", "separator")

    def __init__(self, keys: list[tuple], make: Callable[[int], str], *, elements: list[tuple] | None = None,
                 extras: list | None = None, separator: str = "") -> None:
        self.keys, self.make, self.separator = keys, make, separator
        self.elements = keys if elements is None else elements
        self.extras = extras

    def text(self, i: int) -> str:
        return self.separator + self.make(i) if i and self.separator else self.make(i)


class Context(NamedTuple):
    """What every element's text of one file depends on (key ids, colours): yielded first."""
    value: str


def plain(pieces: Iterable[str | Piece | Items | Context]) -> Iterator[str]:
    """The text of ``pieces``, every element made."""
    for piece in pieces:
        kind = type(piece)
        if kind is str:
            yield piece
        elif kind is Piece:
            yield piece.make()
        elif kind is Items:
            yield from map(piece.text, range(len(piece.keys)))


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

    def of_each(self, elements: list[tuple]) -> list[bytes]:
        return list(map(self.of, elements))


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


class _Output:
    """Bytes made so far and not yet handed on; ``pos`` counts all of them."""

    __slots__ = ("parts", "pos", "size")

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.pos = self.size = 0

    def add(self, data: bytes) -> None:
        self.parts.append(data)
        self.pos += len(data)
        self.size += len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


class ReusingWriter:
    """Turns one file's pieces into bytes, copying unchanged elements from the previous file,
    and records the new index (:meth:`save` once the file is written)."""

    def __init__(self, output: Path, index: Path, signatures: Signatures) -> None:
        self.output, self.index, self.signatures = Path(output), Path(index), signatures
        self.context = ""
        self.entries: dict[tuple, tuple] = {}
        self.reused = self.made = 0

    def chunks(self, pieces: Iterable[str | Piece | Items | Context]) -> Iterator[bytes]:
        previous = _Previous.open(self.output, self.index)
        try:
            yield from self._chunks(pieces, previous)
        finally:
            if previous is not None:
                os.close(previous.fd)

    def _chunks(self, pieces, previous: _Previous | None) -> Iterator[bytes]:
        old_entries = previous.entries if previous is not None else {}
        entries, signatures = self.entries, self.signatures
        out = _Output()
        # Unchanged elements stored one after another in the old file, not written yet:
        # (key, old entry, the Items it is of, its index there).
        run: list[tuple] = []
        run_end = -1  # where the run's last element ends in the old file

        def make(key: tuple, sig: bytes, items: Items, i: int) -> None:
            data = items.text(i).encode("utf-8")
            entries[key] = (sig, out.pos, out.pos + len(data))
            out.add(data)
            self.made += 1

        def flush_run() -> None:
            nonlocal run_end
            data = previous.read(run[0][1][1], run_end)
            if data is None:  # the old file came up short: make them
                for key, (sig, _, _), items, i in run:
                    make(key, sig, items, i)
            else:
                shift = out.pos - run[0][1][1]
                for key, (sig, start, end), _, _ in run:
                    entries[key] = (sig, start + shift, end + shift)
                self.reused += len(run)
                out.add(data)
            run.clear()
            run_end = -1

        for piece in pieces:
            kind = type(piece)
            if kind is Piece:  # a list of one
                piece, kind = piece.as_items(), Items
            if kind is Items:
                sigs = signatures.of_each(piece.elements)
                if piece.extras is not None:
                    sigs = [sig + _marshalled(extra) for sig, extra in zip(sigs, piece.extras)]
                if piece.separator and sigs:
                    sigs[0] += _FIRST_ITEM  # its text has no separator
                get = old_entries.get
                for i, key in enumerate(piece.keys):
                    found = get(key)
                    if found is not None and found[0] == sigs[i]:
                        if run and found[1] != run_end:
                            flush_run()
                        run.append((key, found, piece, i))
                        run_end = found[2]
                        continue
                    if run:
                        flush_run()
                    make(key, sigs[i], piece, i)
                    if out.size >= _FLUSH_BYTES:
                        yield out.take()
            elif kind is Context:
                self.context = piece.value
                if previous is not None and previous.context != piece.value:
                    old_entries = {}
            else:
                if run:
                    flush_run()
                out.add(piece.encode("utf-8"))
            if out.size >= _FLUSH_BYTES:
                yield out.take()
        if run:
            flush_run()
        if out.size:
            yield out.take()

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
