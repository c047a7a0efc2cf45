"""Atomic output files: written beside the target, fsynced, then renamed over it."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from graphkit.errors import ExportError

__all__ = ["atomic_write", "atomic_write_chunks", "StagedFiles"]

_BUFFER = 1 << 20


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _open_temp(path: Path) -> tuple[IO[bytes], str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write here: {exc.strerror}", path=str(path),
                          hint="choose a writable --out folder") from exc
    fh = os.fdopen(fd, "wb", buffering=_BUFFER)
    os.fchmod(fh.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared files
    return fh, tmp


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _write_failed(path: Path, exc: OSError) -> ExportError:
    return ExportError(f"write failed: {exc.strerror}", path=str(path),
                       hint="free disk space or choose another --out folder")


def _fill(fh: IO[bytes], chunks: Iterable[str | bytes]) -> None:
    pending: list[str] = []
    size = 0
    for chunk in chunks:  # many small chunks: join them before encoding and writing
        if isinstance(chunk, bytes):
            fh.write("".join(pending).encode("utf-8"))
            pending, size = [], 0
            fh.write(chunk)
            continue
        pending.append(chunk)
        size += len(chunk)
        if size >= _BUFFER:
            fh.write("".join(pending).encode("utf-8"))
            pending, size = [], 0
    fh.write("".join(pending).encode("utf-8"))
    fh.flush()


def atomic_write_chunks(path: str | os.PathLike, chunks: Iterable[str | bytes]) -> Path:
    """Stream ``chunks`` (text as UTF-8) to a temp file beside ``path``, fsync, rename over it.

    A reader never sees a half-written file; on any error the temp file is removed and
    ``ExportError`` names the path (disk full, unwritable folder). Nothing holds the whole text.
    """
    files = StagedFiles()
    try:
        files.write(path, chunks)
        return files.commit()[0]
    finally:
        files.discard()  # left over only after an error


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """:func:`atomic_write_chunks` for one string or bytes value."""
    return atomic_write_chunks(path, (data,))


class StagedFiles:
    """Files written to temp files beside their targets and renamed into place together.

    ``write`` streams one file; ``commit`` renames every staged file; ``discard`` removes the
    temp files. ``staged`` lists (temp, target) pairs, so another process's files can be
    ``adopt``-ed and committed with these. Each file is fsynced in a thread while the next one
    is written (fsync waits on the disk, not the CPU); ``sync`` waits for them all.
    """

    def __init__(self) -> None:
        self.staged: list[tuple[str, Path]] = []
        self._syncs: list[tuple[threading.Thread, Path, list[OSError]]] = []

    def write(self, path: str | os.PathLike, chunks: Iterable[str | bytes]) -> Path:
        path = Path(path)
        fh, tmp = _open_temp(path)
        self.staged.append((tmp, path))
        try:
            with fh:
                _fill(fh, chunks)
                fd = os.dup(fh.fileno())
        except OSError as exc:
            raise _write_failed(path, exc) from exc
        errors: list[OSError] = []
        thread = threading.Thread(target=_fsync_and_close, args=(fd, errors), daemon=True)
        thread.start()
        self._syncs.append((thread, path, errors))
        return path

    def sync(self) -> None:
        """Wait until every written file is on disk; ExportError names one that is not."""
        syncs, self._syncs = self._syncs, []
        failed = None
        for thread, path, errors in syncs:
            thread.join()
            if errors and failed is None:
                failed = (path, errors[0])
        if failed:
            raise _write_failed(*failed) from failed[1]

    def adopt(self, staged: Iterable[tuple[str, str | os.PathLike]]) -> None:
        self.staged.extend((str(tmp), Path(path)) for tmp, path in staged)

    def commit(self) -> list[Path]:
        self.sync()
        for tmp, path in self.staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _write_failed(path, exc) from exc
        return [path for _, path in self.staged]

    def discard(self) -> None:
        for thread, _, _ in self._syncs:
            thread.join()
        self._syncs = []
        for tmp, _ in self.staged:
            if os.path.exists(tmp):
                _discard(tmp)


def _fsync_and_close(fd: int, errors: list[OSError]) -> None:
    try:
        os.fsync(fd)
    except OSError as exc:
        errors.append(exc)
    finally:
        os.close(fd)
