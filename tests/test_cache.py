"""The per-article cache: keyed by content and by everything that shapes extraction."""

from __future__ import annotations

import errno
import os

import pytest

from graphkit.cache import ResultCache, pipeline_fingerprint
from graphkit.errors import ExportError
from graphkit.export import atomic_write
from graphkit.schema import Article, ArticleResult


def _article(text="美国总统特朗普与普京通电话。", id_="a.txt"):
    return Article(id=id_, text=text)


def test_fingerprint_changes_with_the_pipeline_config():
    assert pipeline_fingerprint("[nlp]\nlang = \"zh\"") != pipeline_fingerprint("[nlp]\nlang = \"xx\"")
    assert pipeline_fingerprint("same") == pipeline_fingerprint("same")


def test_fingerprint_changes_with_package_data(monkeypatch):
    from graphkit import cache, resources

    before = pipeline_fingerprint("cfg")
    monkeypatch.setattr(cache, "resources_fingerprint", lambda: resources.resources_fingerprint() + "x")
    assert pipeline_fingerprint("cfg") != before  # an edited gazetteer or lexicon invalidates


def test_round_trip_hit_and_miss(tmp_path):
    cache = ResultCache(tmp_path, "fp1")
    art = _article()
    assert cache.get(art) is None
    result = ArticleResult(article=art.id, pub_date="2025-01-01")
    cache.put(art, result)
    assert cache.get(art) == result
    assert cache.get(_article(text=art.text + "。")) is None  # other content
    assert ResultCache(tmp_path, "fp2").get(art) is None  # other pipeline
    assert (cache.hits, cache.misses) == (1, 2)


def test_damaged_entry_is_a_miss(tmp_path):
    cache = ResultCache(tmp_path, "fp")
    art = _article()
    cache.put(art, ArticleResult(article=art.id))
    next(tmp_path.rglob("*.json")).write_text("{broken", encoding="utf-8")
    assert cache.get(art) is None


def test_disabled_cache_stores_nothing(tmp_path):
    cache = ResultCache(None, "fp")
    cache.put(_article(), ArticleResult(article="a.txt"))
    assert cache.get(_article()) is None and cache.clear() == 0


def test_disk_full_leaves_nothing_behind(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    target.write_text("old", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError) as err:
        atomic_write(target, "new")
    assert str(target) in str(err.value) and "disk" in str(err.value).lower()
    assert target.read_text(encoding="utf-8") == "old"  # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]  # no temp file left
