"""Writers for the graph: every file is generated in memory, then written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from graphkit.errors import ExportError

__all__ = ["atomic_write"]


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to a temp file beside ``path``, fsync, then rename over it.

    A reader never sees a half-written file; on any error the temp file is removed and
    ``ExportError`` names the path (disk full, unwritable folder).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write here: {exc.strerror}", path=str(path),
                          hint="choose a writable --out folder") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise ExportError(f"write failed: {exc.strerror}", path=str(path),
                          hint="free disk space or choose another --out folder") from exc
    return path
