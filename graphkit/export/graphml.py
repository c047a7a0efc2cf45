"""GraphML for Gephi, yEd, igraph and networkx, written as a stream.

Scalars only (lists as JSON text), key ids named after the attribute (``node_label``; never
``d3``/``d7``, which Gephi <= 0.9.2 reads as labels), unique edge ids, edge ``label`` = relation
type (Gephi's edge type), ``weight``, ``r/g/b``/``color`` and node ``size``. The layout of the
text is the one networkx's writer gives, so files from older graphkit versions compare equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from graphkit.export.common import (
    ACTOR_TYPE_COLORS, FALLBACK_COLOR, OFFSET_RENAMES, TEXT_SPECIAL, check_node_ids, edge_id_checker,
    edges_by_source, flat_attrs, flat_type, node_size, relation_colors, rgb, sorted_nodes,
    xml_attr, xml_text, xml_type,
)
from graphkit.export.reuse import Context, Items, plain

__all__ = ["iter_graphml", "graphml_pieces", "GRAPH_KIND"]

GRAPH_KIND = "graphkit_kind"  # graph-level key: "relations" or "collapsed"
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _gephi_node(node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
    data = flat_attrs(attrs)
    data.setdefault("label", str(node))
    color = ACTOR_TYPE_COLORS.get(str(attrs.get("type")), FALLBACK_COLOR)
    r, g, b = rgb(color)
    data.update(r=r, g=g, b=b, color=color, size=node_size(attrs.get("mentions")))
    return data


def _gephi_edge(key: Any, attrs: dict[str, Any], colors: dict[str, str]) -> dict[str, Any]:
    data = flat_attrs(attrs)
    relation = str(data.pop("type", ""))
    color = colors.get(relation, FALLBACK_COLOR)
    r, g, b = rgb(color)
    for ours, theirs in OFFSET_RENAMES:
        if ours in data:
            data[theirs] = data.pop(ours)
    data.update(relation_id=str(key), relation=relation, label=relation,
                weight=float(data.get("weight", 1)), r=r, g=g, b=b, color=color)
    return dict(sorted(data.items()))


# What the Gephi view sets on every element, with its value type.
_NODE_VIEW_TYPES = {"r": int, "g": int, "b": int, "color": str, "size": float}
_EDGE_VIEW_TYPES = {"relation_id": str, "relation": str, "label": str, "weight": float,
                    "r": int, "g": int, "b": int, "color": str}
_RENAMED = dict(OFFSET_RENAMES)


def _element_types(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, type]]:
    """(scope, name, value type) of every attribute the writer will emit, in the order first
    met, read off the graph without building the Gephi view. Elements whose attribute names
    and value types repeat an earlier element's add nothing new and are skipped."""
    for name, value in G.graph.items():
        yield "graph", str(name), flat_type(value)
    yield "graph", GRAPH_KIND, str
    seen: set[tuple] = set()
    for _, attrs in sorted_nodes(G):
        if _seen_shape(attrs, seen):
            continue
        for name, value in attrs.items():
            if name not in _NODE_VIEW_TYPES:
                yield "node", str(name), flat_type(value)
        if "label" not in attrs:
            yield "node", "label", str
        for name, kind in _NODE_VIEW_TYPES.items():
            yield "node", name, kind
    seen.clear()
    for _, _, _, attrs in edges_by_source(G):
        if _seen_shape(attrs, seen):
            continue
        for name, value in attrs.items():
            name = _RENAMED.get(str(name), str(name))
            if name != "type" and name not in _EDGE_VIEW_TYPES:
                yield "edge", name, flat_type(value)
        for name, kind in _EDGE_VIEW_TYPES.items():
            yield "edge", name, kind


def _seen_shape(attrs: dict[str, Any], seen: set[tuple]) -> bool:
    """Whether an element with these attribute names and value types was met before (and
    remember this one): the types the writer emits depend on nothing else."""
    shape = (tuple(attrs), tuple(map(type, attrs.values())))
    if shape in seen:
        return True
    seen.add(shape)
    return False


def _key_ids(G: nx.MultiDiGraph) -> dict[tuple[str, str, type], str]:
    """(scope, name, value type) → key id ``<scope>_<name>``; a name seen with two value
    types gets a second key ``<scope>_<name>_<type>``. A first pass: keys precede the graph."""
    ids: dict[tuple[str, str, type], str] = {}
    taken: set[str] = set()
    for scope, name, kind in _element_types(G):
        if (scope, name, kind) in ids:
            continue
        key_id = f"{scope}_{name}"
        if key_id in taken:
            key_id = f"{key_id}_{xml_type(kind, f'{scope} attribute {name!r}')}"
        taken.add(key_id)
        ids[(scope, name, kind)] = key_id
    return ids


class _DataLines:
    """The ``<data>`` lines of one scope's elements. Their opening and empty forms are made once
    per element shape (attribute names and value types), and the values are tested for XML's
    special characters together: most elements have none."""

    def __init__(self, scope: str, ids: dict, indent: str):
        self.scope, self.ids, self.indent = scope, ids, indent
        self._forms: dict[tuple, list[tuple[str, str]]] = {}

    def _make_forms(self, shape: tuple) -> list[tuple[str, str]]:
        names, types = shape
        forms = []
        for name, kind in zip(names, types):
            key_id = self.ids[(self.scope, name, kind)]
            forms.append((f'{self.indent}<data key="{key_id}">', f'{self.indent}<data key="{key_id}" />\n'))
        return forms

    def __call__(self, data: dict[str, Any]) -> str:
        values = data.values()
        shape = (tuple(data), tuple(map(type, values)))
        forms = self._forms.get(shape)
        if forms is None:
            forms = self._forms[shape] = self._make_forms(shape)
        texts = [str(value) for value in values]
        if TEXT_SPECIAL.search("".join(texts)):
            texts = [xml_text(text) for text in texts]
        return "".join([opening + text + "</data>\n" if text else empty
                        for (opening, empty), text in zip(forms, texts)])


def iter_graphml(G: nx.MultiDiGraph, *, kind: str) -> Iterator[str]:
    """The GraphML text of ``G`` in chunks; ``kind`` is stored as the graph's
    ``graphkit_kind`` so a reader knows a collapsed graph from the full one."""
    return plain(graphml_pieces(G, kind=kind))


def graphml_pieces(G: nx.MultiDiGraph, *, kind: str) -> Iterator[str | Items | Context]:
    """:func:`iter_graphml`'s text as glue and the lists of nodes and edges."""
    check_node_ids(G, "GraphML")
    graph_data = flat_attrs(G.graph)
    graph_data[GRAPH_KIND] = kind
    ids = _key_ids(G)
    colors = relation_colors()
    yield Context(repr((sorted(ids.items(), key=repr), sorted(colors.items()))))
    yield _HEADER
    for (scope, name, value_type), key_id in sorted(ids.items(), key=lambda item: item[1]):
        where = f"{scope} attribute {name!r}"
        yield (f'  <key id="{xml_attr(key_id)}" for="{scope}" attr.name="{xml_attr(name)}" '
               f'attr.type="{xml_type(value_type, where)}" />\n')
    yield '  <graph edgedefault="directed">\n'
    node_lines, edge_lines = _DataLines("node", ids, "      "), _DataLines("edge", ids, "      ")
    nodes = sorted_nodes(G)
    yield Items([("n", node) for node, _ in nodes], lambda i: _node_text(node_lines, *nodes[i]))
    edges = edges_by_source(G)
    edge_id = edge_id_checker()
    edge_ids = [edge_id(key) for _, _, key, _ in edges]

    def edge_text(i: int) -> str:
        u, v, key, attrs = edges[i]
        return _edge_text(edge_lines, u, v, edge_ids[i], key, attrs, colors)

    yield Items([("e", key) for _, _, key, _ in edges], edge_text)
    yield _DataLines("graph", ids, "    ")(graph_data)
    yield "  </graph>\n</graphml>\n"


def _node_text(lines: _DataLines, node: Any, attrs: dict[str, Any]) -> str:
    return f'    <node id="{xml_attr(node)}">\n' + lines(_gephi_node(node, attrs)) + "    </node>\n"


def _edge_text(lines: _DataLines, u: Any, v: Any, edge_id: str, key: Any, attrs: dict[str, Any],
               colors: dict[str, str]) -> str:
    return (f'    <edge source="{xml_attr(u)}" target="{xml_attr(v)}" id="{xml_attr(edge_id)}">\n'
            + lines(_gephi_edge(key, attrs, colors)) + "    </edge>\n")
