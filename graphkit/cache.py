"""A per-article cache of extraction results, so re-builds only process what changed.

The key is the article's id and content hash plus a fingerprint of everything that shapes
extraction (graphkit's version, the pipeline config, the package data files). Entries are
written atomically one by one, so a build killed at any point resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from pydantic import ValidationError

from graphkit import __version__
from graphkit.resources import resources_fingerprint
from graphkit.schema import Article, ArticleResult

__all__ = ["ResultCache", "pipeline_fingerprint", "CACHE_DIRNAME"]

CACHE_DIRNAME = ".graphkit-cache"


def pipeline_fingerprint(config_text: str) -> str:
    h = hashlib.sha256()
    for part in (__version__, resources_fingerprint(), config_text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]


class ResultCache:
    """``get``/``put`` ArticleResults under ``folder/<fingerprint>/``; ``None`` folder disables it."""

    def __init__(self, folder: str | Path | None, fingerprint: str):
        self.root = Path(folder) if folder is not None else None
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0
        self._paths: dict[tuple, Path] = {}

    def _path(self, article: Article) -> Path:
        assert self.root is not None
        memo = (article.id, article.date, article.content_hash) if article.content_hash else None
        if memo in self._paths:  # has() then get(): hash each article's text once
            return self._paths[memo]
        key = hashlib.sha256(
            f"{article.id}\0{article.date}\0{article.content_hash}\0{article.text}".encode("utf-8")
        ).hexdigest()
        path = self.root / self.fingerprint / key[:2] / f"{key}.json"
        if memo is not None:
            self._paths[memo] = path
        return path

    def has(self, article: Article) -> bool:
        return self.root is not None and self._path(article).is_file()

    def get(self, article: Article) -> ArticleResult | None:
        if self.root is None:
            return None
        path = self._path(article)
        try:
            result = ArticleResult.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            self.misses += 1
            return None  # absent or damaged: extract again
        self.hits += 1
        return result

    def put(self, article: Article, result: ArticleResult) -> None:
        if self.root is not None:
            from graphkit.export.files import atomic_write  # the exports pull in networkx

            atomic_write(self._path(article), result.model_dump_json())

    def clear(self) -> int:
        """Remove every cached entry (all fingerprints); returns how many files were removed."""
        if self.root is None or not self.root.exists():
            return 0
        count = sum(1 for p in self.root.rglob("*.json"))
        shutil.rmtree(self.root)
        return count
