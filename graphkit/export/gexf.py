"""Dynamic GEXF 1.2 for Gephi's timeline, written as a stream.

Edges live from their relation date (a month covers the whole month), nodes from their first
dated relation; undated elements have no spell (always shown). The relation type is the
``relation`` attribute, the exact relation id the ``networkx_key`` one (the name networkx's
reader maps back to the edge key). Nothing time-dependent is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from graphkit.export.common import (
    ACTOR_TYPE_COLORS, FALLBACK_COLOR, OFFSET_RENAMES, check_node_ids, date_span,
    edge_id_checker, edges_by_source, flat_attrs, flat_type, node_size, relation_colors, rgb, sorted_nodes,
    xml_attr, xml_type,
)
from graphkit.export.reuse import Context, Items, plain

__all__ = ["iter_gexf", "gexf_pieces"]

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gexf xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns="http://www.gexf.net/1.2draft" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
    'version="1.2">\n'
    "  <meta>\n    <creator>graphkit</creator>\n  </meta>\n"
)


def _node_starts(G: nx.MultiDiGraph) -> dict[str, str]:
    """Each node's first day in a dated relation."""
    start: dict[str, str] = {}
    for u, v, date in G.edges(data="date"):
        span = date_span(date)
        if span:
            for node in (str(u), str(v)):
                if node not in start or span[0] < start[node]:
                    start[node] = span[0]
    return start


def _node_text(ids: dict[str, tuple[str, str]], node: Any, attrs: dict[str, Any], start: str | None) -> str:
    data = flat_attrs(attrs)
    label = str(data.pop("label", node))
    r, g, b = rgb(ACTOR_TYPE_COLORS.get(str(attrs.get("type")), FALLBACK_COLOR))
    start_attr = f' start="{start}"' if start else ""
    return (f'      <node id="{xml_attr(node)}" label="{xml_attr(label)}"{start_attr}>\n'
            f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
            f'        <viz:size value="{node_size(attrs.get("mentions"))}" />\n'
            + _attvalues(ids, data, "        ") + "      </node>\n")


def _edge_text(ids: dict[str, tuple[str, str]], u: Any, v: Any, edge_id: str, key: Any,
               attrs: dict[str, Any], colors: dict[str, str]) -> str:
    data = flat_attrs(attrs)
    relation = str(data.pop("type", ""))
    for ours, theirs in OFFSET_RENAMES:
        if ours in data:
            data[theirs] = data.pop(ours)
    data.pop("label", None)
    data.pop("weight", None)
    data["relation"] = relation
    data["networkx_key"] = str(key)
    r, g, b = rgb(colors.get(relation, FALLBACK_COLOR))
    span = date_span(attrs.get("date"))
    spell = f' start="{span[0]}" end="{span[1]}"' if span else ""
    return (f'      <edge source="{xml_attr(u)}" target="{xml_attr(v)}" id="{xml_attr(edge_id)}" '
            f'label="{xml_attr(relation)}" weight="1.0"{spell}>\n'
            f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
            + _attvalues(ids, data, "        ") + "      </edge>\n")


_NOT_ATTVALUES = frozenset({"type", "label", "weight", "start", "end"})  # element attributes


def _attribute_ids(G: nx.MultiDiGraph) -> dict[str, dict[str, tuple[str, str]]]:
    """class → title → (id, type), numbered in order of first use, nodes first, typed by the
    first value (as networkx's writer does). Elements that bring no new name are skipped."""
    ids: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}

    def register(cls: str, title: str, kind: type) -> None:
        if title not in ids[cls]:
            number = str(len(ids["node"]) + len(ids["edge"]))
            ids[cls][title] = (number, xml_type(kind, f"{cls} attribute {title!r}"))

    seen: set = set()
    for _, attrs in sorted_nodes(G):
        if not seen.issuperset(attrs):
            seen.update(attrs)
            for name in sorted(attrs):
                if name != "label":
                    register("node", str(name), flat_type(attrs[name]))
    seen = set()
    for _, _, _, attrs in edges_by_source(G):
        if not seen.issuperset(attrs):
            seen.update(attrs)
            for name in sorted(attrs):
                if name not in _NOT_ATTVALUES:
                    register("edge", str(name), flat_type(attrs[name]))
            for ours, theirs in OFFSET_RENAMES:
                if ours in attrs:
                    register("edge", theirs, flat_type(attrs[ours]))
            register("edge", "relation", str)
            register("edge", "networkx_key", str)
    return ids


def _attvalues(ids: dict[str, tuple[str, str]], data: dict[str, Any], indent: str) -> str:
    if not data:
        return ""
    lines = [f"{indent}<attvalues>\n"]
    for title, value in data.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        lines.append(f'{indent}  <attvalue for="{ids[title][0]}" value="{xml_attr(text)}" />\n')
    lines.append(f"{indent}</attvalues>\n")
    return "".join(lines)


def _attribute_block(cls: str, ids: dict[str, tuple[str, str]]) -> Iterator[str]:
    if not ids:
        return
    yield f'    <attributes mode="static" class="{cls}">\n'
    for title, (attr_id, kind) in ids.items():
        yield f'      <attribute id="{attr_id}" title="{xml_attr(title)}" type="{kind}" />\n'
    yield "    </attributes>\n"


def iter_gexf(G: nx.MultiDiGraph) -> Iterator[str]:
    """The GEXF text of ``G`` in chunks."""
    return plain(gexf_pieces(G))


def gexf_pieces(G: nx.MultiDiGraph) -> Iterator[str | Items | Context]:
    """:func:`iter_gexf`'s text as glue and the lists of nodes and edges."""
    check_node_ids(G, "GEXF")
    ids = _attribute_ids(G)
    colors = relation_colors()
    starts = _node_starts(G)
    dated = bool(starts)
    timeformat = ' timeformat="date"' if dated else ""
    yield Context(repr((ids, sorted(colors.items()))))
    yield _HEADER
    yield f'  <graph defaultedgetype="directed" mode="dynamic" name=""{timeformat}>\n'
    yield from _attribute_block("edge", ids["edge"])
    yield from _attribute_block("node", ids["node"])
    yield "    <nodes>\n"
    nodes = sorted_nodes(G)
    node_starts = [starts.get(str(node)) for node, _ in nodes]
    yield Items([("n", node) for node, _ in nodes],
                lambda i: _node_text(ids["node"], *nodes[i], node_starts[i]), extras=node_starts)
    yield "    </nodes>\n    <edges>\n"
    edges = edges_by_source(G)
    edge_id = edge_id_checker()
    edge_ids = [edge_id(key) for _, _, key, _ in edges]

    def edge_text(i: int) -> str:
        u, v, key, attrs = edges[i]
        return _edge_text(ids["edge"], u, v, edge_ids[i], key, attrs, colors)

    yield Items([("e", key) for _, _, key, _ in edges], edge_text)
    yield "    </edges>\n  </graph>\n</gexf>\n"
