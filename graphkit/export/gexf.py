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

__all__ = ["iter_gexf"]

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


def _nodes(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, tuple[int, int, int], float, dict]]:
    for node, attrs in sorted_nodes(G):
        data = flat_attrs(attrs)
        label = str(data.pop("label", node))
        color = rgb(ACTOR_TYPE_COLORS.get(str(attrs.get("type")), FALLBACK_COLOR))
        yield str(node), label, color, node_size(attrs.get("mentions")), data


def _edges(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, str, tuple, tuple | None, dict]]:
    colors = relation_colors()
    edge_id = edge_id_checker()
    for u, v, key, attrs in edges_by_source(G):
        data = flat_attrs(attrs)
        relation = str(data.pop("type", ""))
        for ours, theirs in OFFSET_RENAMES:
            if ours in data:
                data[theirs] = data.pop(ours)
        data.pop("label", None)
        data.pop("weight", None)
        data["relation"] = relation
        data["networkx_key"] = str(key)
        color = rgb(colors.get(relation, FALLBACK_COLOR))
        yield str(u), str(v), edge_id(key), relation, color, date_span(attrs.get("date")), data


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
    check_node_ids(G, "GEXF")
    ids = _attribute_ids(G)
    starts = _node_starts(G)
    dated = bool(starts)
    timeformat = ' timeformat="date"' if dated else ""
    yield _HEADER
    yield f'  <graph defaultedgetype="directed" mode="dynamic" name=""{timeformat}>\n'
    yield from _attribute_block("edge", ids["edge"])
    yield from _attribute_block("node", ids["node"])
    yield "    <nodes>\n"
    for node, label, (r, g, b), size, data in _nodes(G):
        start = f' start="{starts[node]}"' if node in starts else ""
        yield (f'      <node id="{xml_attr(node)}" label="{xml_attr(label)}"{start}>\n'
               f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
               f'        <viz:size value="{size}" />\n'
               + _attvalues(ids["node"], data, "        ") + "      </node>\n")
    yield "    </nodes>\n    <edges>\n"
    for u, v, edge, relation, (r, g, b), span, data in _edges(G):
        spell = f' start="{span[0]}" end="{span[1]}"' if span else ""
        yield (f'      <edge source="{xml_attr(u)}" target="{xml_attr(v)}" id="{xml_attr(edge)}" '
               f'label="{xml_attr(relation)}" weight="1.0"{spell}>\n'
               f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
               + _attvalues(ids["edge"], data, "        ") + "      </edge>\n")
    yield "    </edges>\n  </graph>\n</gexf>\n"
