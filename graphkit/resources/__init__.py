"""Package data: relation types, the actor gazetteer and the extraction lexicons.

Readers are cached and validate into ``schema`` models; a broken file raises ``ResourceError``
naming it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources as _res
from typing import Any

import yaml
from pydantic import ValidationError

from graphkit.errors import ResourceError
from graphkit.schema import GazetteerEntry, RelationType

__all__ = [
    "load_relation_types",
    "relation_type_names",
    "load_gazetteer",
    "load_lexicon",
    "resources_fingerprint",
]

_PKG = "graphkit.resources"


def _read_text(*parts: str) -> str:
    node = _res.files(_PKG).joinpath(*parts)
    try:
        return node.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"cannot read package data: {exc}", path="/".join(parts),
                            hint="reinstall graphkit (pip install --force-reinstall graphkit)") from exc


# libyaml's parser when PyYAML was built with it (the wheels are): the lexicon is start-up time
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(*parts: str) -> Any:
    try:
        return yaml.load(_read_text(*parts), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ResourceError(f"invalid YAML: {exc}", path="/".join(parts)) from exc


@lru_cache(maxsize=None)
def load_relation_types() -> tuple[RelationType, ...]:
    raw = _yaml("relations.yaml")
    try:
        return tuple(RelationType.model_validate(r) for r in raw)
    except (ValidationError, TypeError) as exc:
        raise ResourceError(f"invalid relation type: {exc}", path="relations.yaml") from exc


def relation_type_names() -> tuple[str, ...]:
    return tuple(r.name for r in load_relation_types())


def _gazetteer_files() -> list[str]:
    folder = _res.files(_PKG).joinpath("gazetteer")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".jsonl"))


@lru_cache(maxsize=None)
def load_gazetteer() -> tuple[GazetteerEntry, ...]:
    """Every gazetteer entry from ``resources/gazetteer/*.jsonl``, in file then line order."""
    entries: list[GazetteerEntry] = []
    seen: dict[str, str] = {}
    for name in _gazetteer_files():
        for lineno, line in enumerate(_read_text("gazetteer", name).splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"gazetteer/{name}:{lineno}"
            try:
                entry = GazetteerEntry.model_validate_json(line)  # bad JSON is a ValidationError too
            except ValidationError as exc:
                raise ResourceError(f"invalid gazetteer entry: {exc}", path=where) from exc
            if entry.id in seen:
                raise ResourceError(f"duplicate id {entry.id!r} (first in {seen[entry.id]})", path=where)
            seen[entry.id] = where
            entries.append(entry)
    return tuple(entries)


@lru_cache(maxsize=None)
def load_lexicon(name: str = "lexicon.yaml") -> dict[str, Any]:
    """Trigger words, modality cues, role titles and date words (``resources/lexicon.yaml``)."""
    data = _yaml(name)
    if not isinstance(data, dict):
        raise ResourceError("expected a mapping at the top level", path=name)
    return data


@lru_cache(maxsize=None)
def resources_fingerprint() -> str:
    """A hash of every data file: part of the cache key, so editing data invalidates results."""
    h = hashlib.sha256()
    for parts in [("relations.yaml",), ("lexicon.yaml",)] + [("gazetteer", n) for n in _gazetteer_files()]:
        node = _res.files(_PKG).joinpath(*parts)
        if node.is_file():
            h.update("/".join(parts).encode())
            h.update(node.read_bytes())
    return h.hexdigest()[:16]
