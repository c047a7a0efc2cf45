"""``graph.json`` (networkx node-link, the lossless contract) and reading graphs back.

:func:`read_graph` takes ``graph.json`` or a graphkit GraphML file and returns the
``graph.build_graph`` shape, so every command and the notebook can start from either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.errors import ExportError
from graphkit.graph import EDGE_ATTRS, NODE_ATTRS
from graphkit.export.common import (
    LIST_ATTRS, OFFSET_RENAMES, OPTIONAL_ATTRS, parse_list, sorted_edges, sorted_nodes,
)
from graphkit.export.files import atomic_write_chunks
from graphkit.export.graphml import GRAPH_KIND
from graphkit.export.reuse import Items, plain

__all__ = ["to_node_link", "iter_json", "json_pieces", "generate_json_text", "write_json",
           "graph_from_node_link", "read_graph"]

# Presentation-only attributes added for Gephi; dropped again when reading back.
NODE_VIEW_ATTRS = ("r", "g", "b", "color", "size")
EDGE_VIEW_ATTRS = ("label", "r", "g", "b", "color")


def _node_record(node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
    record = {"id": node}
    for name in NODE_ATTRS:
        value = attrs.get(name)
        record[name] = list(value or []) if name in LIST_ATTRS else value
    return record


def _edge_record(u: Any, v: Any, key: Any, attrs: dict[str, Any]) -> dict[str, Any]:
    record = {"source": u, "target": v, "key": key}
    for name in EDGE_ATTRS:
        value = attrs.get(name)
        record[name] = list(value or []) if name in LIST_ATTRS else value
    return record


def to_node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The ``graph.json`` contract: node-link data, nodes by id, edges by key.

    >>> from graphkit.graph import build_graph
    >>> from graphkit.schema import Actor
    >>> data = to_node_link(build_graph([Actor(id="gpe:a", label="甲", type="GPE")], []))
    >>> data["nodes"][0]["label"], data["edges"]
    ('甲', [])
    """
    return {
        "directed": True,
        "multigraph": True,
        "graph": dict(G.graph),
        "nodes": [_node_record(node, attrs) for node, attrs in sorted_nodes(G)],
        "edges": [_edge_record(*edge) for edge in sorted_edges(G)],
    }


_INDENTED = json.JSONEncoder(ensure_ascii=False, indent=1, sort_keys=True)
_COMPACT = json.JSONEncoder(ensure_ascii=False)  # json's C encoder: indent=None only
_LITERALS = {None: "null", True: "true", False: "false"}


def _scalar_json(value: Any) -> str | None:
    """JSON text of a string, number, bool or None; None for anything else."""
    if isinstance(value, str):
        return _COMPACT.encode(value)
    if value is None or isinstance(value, bool):
        return _LITERALS[value]
    if isinstance(value, (int, float)):
        return _COMPACT.encode(value)
    return None


def _flat_record_json(record: dict[str, Any], depth: int) -> str | None:
    """``_INDENTED``'s text for a record of scalars and lists of scalars (every graph.json
    record), written with the C encoder: json's indenting encoder is pure Python, and was
    most of this file's cost. None when a value is nested deeper."""
    if not record:
        return "{}"
    pad = "\n" + " " * (depth + 1)
    parts = []
    for key in sorted(record):
        if not isinstance(key, str):
            return None
        value = record[key]
        if isinstance(value, list):
            items = [_scalar_json(item) for item in value]
            if None in items:
                return None
            text = ("[" + ",".join(pad + " " + item for item in items) + pad + "]") if items else "[]"
        else:
            text = _scalar_json(value)
            if text is None:
                return None
        parts.append(f"{pad}{_COMPACT.encode(key)}: {text}")
    return "{" + ",".join(parts) + "\n" + " " * depth + "}"


def _nested_json(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(..., indent=1)`` writes it ``depth`` levels deep: JSON text
    holds no raw line break (strings escape it), so indenting every line is exact."""
    if isinstance(value, dict):
        flat = _flat_record_json(value, depth)
        if flat is not None:
            return flat
    text = _INDENTED.encode(value)
    return text.replace("\n", "\n" + " " * depth) if depth else text


def _json_list(keys: list[tuple], make_record: Callable[[int], dict[str, Any]]) -> Iterator[str | Items]:
    """A top-level list of records."""
    if not keys:
        yield "[]"
        return
    yield "[\n  "
    yield Items(keys, lambda i: _nested_json(make_record(i), 2), separator=",\n  ")
    yield "\n ]"


def iter_json(G: nx.MultiDiGraph) -> Iterator[str]:
    """``graph.json`` in chunks, one per node and edge: indented by one space, keys sorted,
    UTF-8 as it is (the bytes ``json.dumps(to_node_link(G), indent=1, sort_keys=True)`` gives)."""
    return plain(json_pieces(G))


def json_pieces(G: nx.MultiDiGraph) -> Iterator[str | Items]:
    """:func:`iter_json`'s text as glue and the lists of edges and nodes."""
    edges, nodes = sorted_edges(G), sorted_nodes(G)
    yield '{\n "directed": true,\n "edges": '
    yield from _json_list([("e", key) for _, _, key, _ in edges], lambda i: _edge_record(*edges[i]))
    yield f',\n "graph": {_nested_json(dict(G.graph), 1)},\n "multigraph": true,\n "nodes": '
    yield from _json_list([("n", node) for node, _ in nodes], lambda i: _node_record(*nodes[i]))
    yield "\n}\n"


def generate_json_text(G: nx.MultiDiGraph) -> str:
    return "".join(iter_json(G))


def write_json(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write_chunks(path, iter_json(G))


def graph_from_node_link(data: dict[str, Any], *, source: str | None = None) -> nx.MultiDiGraph:
    """Inverse of :func:`to_node_link`; ``source`` names the file in errors."""
    try:
        G = nx.MultiDiGraph()
        G.graph.update(data.get("graph") or {})
        for node in sorted(data["nodes"], key=lambda n: str(n["id"])):
            attrs = {k: v for k, v in node.items() if k != "id"}
            for name in ("aliases", "articles"):
                attrs[name] = list(attrs.get(name) or [])
            G.add_node(node["id"], **attrs)
        for edge in sorted(data["edges"], key=lambda e: str(e["key"])):
            attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
            attrs["weapons"] = list(attrs.get("weapons") or [])
            for end in (edge["source"], edge["target"]):
                if end not in G:
                    raise KeyError(f"edge {edge['key']!r} names unknown node {end!r}")
            G.add_edge(edge["source"], edge["target"], key=edge["key"], **attrs)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ExportError(
            f"not a graphkit node-link graph: {exc}", path=source,
            hint="pass a graph.json written by graphkit (or its graph.graphml)",
        ) from exc
    return G


def read_graph(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read ``graph.json`` or a graphkit GraphML file back into the ``build_graph`` shape.

    GraphML values are decoded: JSON lists back to lists, ``""`` back to ``None``, Gephi's
    presentation attributes dropped, the exact relation id restored as the edge key.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            return graph_from_node_link(data, source=str(path))
        if suffix == ".graphml":
            raw = nx.read_graphml(path, edge_key_type=str, force_multigraph=True)
            return _decode_graphml(raw)
    except OSError as exc:
        raise ExportError(
            f"cannot read graph: {exc.strerror}", path=str(path),
            hint="check the path (graph.json or graph.graphml in the output folder)",
        ) from exc
    except (ValueError, nx.NetworkXError) as exc:  # JSONDecodeError, ParseError are ValueErrors
        raise ExportError(f"cannot parse graph: {exc}", path=str(path),
                          hint="regenerate it with `graphkit export`") from exc
    raise ExportError(f"unknown graph format {suffix or '(no suffix)'!r}", path=str(path),
                      hint="use a .json (node-link) or .graphml file")


def _decode_graphml(raw: nx.MultiDiGraph) -> nx.MultiDiGraph:
    collapsed = raw.graph.get(GRAPH_KIND) == "collapsed"
    G = nx.MultiDiGraph()
    G.graph.update({k: v for k, v in raw.graph.items() if k != GRAPH_KIND})
    for node, attrs in sorted(raw.nodes(data=True), key=lambda item: item[0]):
        data = {k: v for k, v in attrs.items() if k not in NODE_VIEW_ATTRS}
        G.add_node(node, **_decode_values(data))
    edges = []
    for u, v, key, attrs in raw.edges(keys=True, data=True):
        data = {k: val for k, val in attrs.items() if k not in EDGE_VIEW_ATTRS}
        key = data.pop("relation_id", key)
        if "relation" in data:
            data["type"] = data.pop("relation")
        for ours, theirs in OFFSET_RENAMES:
            if theirs in data:
                data[ours] = data.pop(theirs)
        if collapsed:
            data["weight"] = int(data.get("weight", 0))
        else:
            data.pop("weight", None)
        edges.append((u, v, key, _decode_values(data)))
    G.add_edges_from(sorted(edges, key=lambda e: e[2]))
    return G


def _decode_values(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in data.items():
        if name in LIST_ATTRS:
            value = parse_list(value)
        elif name in OPTIONAL_ATTRS and value == "":
            value = None
        out[name] = value
    return out
