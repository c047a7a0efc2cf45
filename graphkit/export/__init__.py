"""Writers for the graph: every file is streamed to a temp file, then renamed into place.

One ``iter_*`` function per format yields the text in chunks, so no output is ever held whole
in memory; ``generate_*`` joins them (tests call those) and ``write_*`` streams them through
:func:`atomic_write_chunks`. Same graph in, same bytes out: nodes are sorted by id, edges by
relation id, and nothing time-dependent is written.

Formats and the readers they are shaped for:

- ``graph.json``: networkx node-link (``edges`` key), the lossless contract; read back with
  :func:`read_graph` / :func:`graph_from_node_link`.
- ``graph.graphml``: Gephi, yEd, igraph, networkx. Scalars only (lists as JSON text), key ids
  named after the attribute (never ``d3``/``d7``, which Gephi <= 0.9.2 reads as labels), unique
  edge ids, edge ``label`` = relation type (Gephi's edge type), ``weight``, ``r/g/b``/``color``
  and node ``size``. Offsets are ``sentence_start``/``sentence_end`` because Gephi maps
  ``start``/``end`` to time intervals; the relation type is ``relation`` (Gephi's edge table
  already has a ``Type`` column for direction).
- ``graph.collapsed.graphml``: one edge per (source, relation type, target), weight = count.
- ``graph.gexf``: dynamic GEXF 1.2 for Gephi's timeline (spells from relation dates).
- ``nodes.csv``/``edges.csv``: neo4j-admin import headers, UTF-8 with BOM (Excel opens it).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from graphkit.export.common import (
    ACTOR_TYPE_COLORS, check_node_ids, date_span, flat_attrs, safe_xml_id, sorted_edges,
    sorted_nodes,
)
from graphkit.export.files import StagedFiles, atomic_write, atomic_write_chunks
from graphkit.export.gexf import gexf_pieces, iter_gexf
from graphkit.export.graphml import graphml_pieces, iter_graphml
from graphkit.export.neo4j import (
    edges_csv_pieces, edges_csv_text, generate_csv_texts, nodes_csv_pieces, nodes_csv_text, write_csv,
)
from graphkit.export.node_link import (
    generate_json_text, graph_from_node_link, iter_json, json_pieces, read_graph, to_node_link, write_json,
)
from graphkit.export.reuse import Context, Items, Piece, plain
from graphkit.schema import STATUSES

__all__ = [
    "atomic_write",
    "atomic_write_chunks",
    "ACTOR_TYPE_COLORS",
    "to_node_link",
    "iter_json",
    "generate_json_text",
    "write_json",
    "graph_from_node_link",
    "read_graph",
    "flatten_attrs",
    "generate_graphml_text",
    "write_graphml",
    "collapse",
    "generate_collapsed_graphml_text",
    "write_collapsed_graphml",
    "generate_gexf_text",
    "write_gexf",
    "generate_csv_texts",
    "write_csv",
    "write_all",
    "stage_exports",
    "export_pieces",
    "check_node_ids",
    "StagedFiles",
    "EXPORT_FILES",
    "safe_xml_id",
    "date_span",
]


def flatten_attrs(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A sorted copy with GraphML-safe values: lists → JSON text, None → ``""``; attributes in
    name order, so a graph read back from graph.json writes the same bytes as the original.

    ``bool``, ``int``, ``float`` and ``str`` stay as they are; dicts become JSON objects.

    >>> H = nx.MultiDiGraph()
    >>> H.add_node("a", name_en=None, mentions=2, aliases=["甲", "A"])
    >>> flatten_attrs(H).nodes["a"]
    {'aliases': '["甲", "A"]', 'mentions': 2, 'name_en': ''}
    """
    H = nx.MultiDiGraph()
    H.graph.update(flat_attrs(G.graph))
    for node, attrs in sorted_nodes(G):
        H.add_node(node, **flat_attrs(attrs))
    for u, v, key, attrs in sorted_edges(G):
        H.add_edge(u, v, key=key, **flat_attrs(attrs))
    return H


def generate_graphml_text(G: nx.MultiDiGraph) -> str:
    """GraphML for Gephi/yEd/igraph: one edge per relation, parallel edges kept.

    >>> from graphkit.graph import build_graph
    >>> from graphkit.schema import Actor
    >>> text = generate_graphml_text(build_graph([Actor(id="gpe:a", label="甲", type="GPE")], []))
    >>> '<key id="node_label" for="node" attr.name="label" attr.type="string" />' in text
    True
    """
    return "".join(iter_graphml(G, kind="relations"))


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write_chunks(path, iter_graphml(G, kind="relations"))


def collapse(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """One edge per (source, relation type, target), for readable overviews.

    Edge attributes: ``type``, ``weight`` (number of relations), ``first_date``/``last_date``
    (``None`` when none is dated), sorted distinct ``articles`` and ``statuses``, and the
    merged ``relations`` ids. The key is ``"<source>--<type>--<target>"``.
    """
    groups: dict[tuple[str, str, str], list[tuple[str, dict]]] = defaultdict(list)
    for u, v, key, attrs in sorted_edges(G):
        groups[(u, str(attrs.get("type")), v)].append((key, attrs))
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    for node, attrs in sorted_nodes(G):
        H.add_node(node, **attrs)
    status_rank = {s: i for i, s in enumerate(STATUSES)}
    for (u, relation, v), members in sorted(groups.items()):
        dates = sorted(str(a["date"]) for _, a in members if a.get("date"))
        H.add_edge(
            u, v, key=f"{u}--{relation}--{v}",
            type=relation,
            weight=len(members),
            first_date=dates[0] if dates else None,
            last_date=dates[-1] if dates else None,
            articles=sorted({str(a.get("article")) for _, a in members if a.get("article")}),
            statuses=sorted({str(a.get("status")) for _, a in members if a.get("status")},
                            key=lambda s: (status_rank.get(s, len(status_rank)), s)),
            relations=[key for key, _ in members],
        )
    return H


def generate_collapsed_graphml_text(G: nx.MultiDiGraph) -> str:
    return "".join(iter_graphml(collapse(G), kind="collapsed"))


def write_collapsed_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write_chunks(path, iter_graphml(collapse(G), kind="collapsed"))


def generate_gexf_text(G: nx.MultiDiGraph) -> str:
    return "".join(iter_gexf(G))


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write_chunks(path, iter_gexf(G))


EXPORT_FILES = ("graph.json", "graph.graphml", "graph.collapsed.graphml", "graph.gexf",
                "nodes.csv", "edges.csv")


def export_pieces(G: nx.MultiDiGraph, name: str) -> tuple[Iterable[str | Piece | Items | Context], nx.MultiDiGraph]:
    """The named export's text as pieces (:mod:`graphkit.export.reuse`), and the graph whose
    elements the pieces are (the collapsed graph for ``graph.collapsed.graphml``)."""
    if name == "graph.json":
        return json_pieces(G), G
    if name == "graph.graphml":
        return graphml_pieces(G, kind="relations"), G
    if name == "graph.collapsed.graphml":
        H = collapse(G)
        return graphml_pieces(H, kind="collapsed"), H
    if name == "graph.gexf":
        return gexf_pieces(G), G
    if name == "nodes.csv":
        return nodes_csv_pieces(G), G
    if name == "edges.csv":
        return edges_csv_pieces(G), G
    raise ValueError(f"unknown export {name!r}; known: {', '.join(EXPORT_FILES)}")


def stage_exports(G: nx.MultiDiGraph, out_dir: str | os.PathLike, files: StagedFiles,
                  names: Iterable[str] = EXPORT_FILES) -> None:
    """Write the named exports of ``G`` as staged files (renamed when ``files`` commits)."""
    for name in names:
        files.write(Path(out_dir) / name, plain(export_pieces(G, name)[0]))


def write_all(G: nx.MultiDiGraph, out_dir: str | os.PathLike) -> list[Path]:
    """graph.json, graph.graphml, graph.collapsed.graphml, graph.gexf, nodes.csv, edges.csv.

    Each file is streamed to a temp file; all are renamed into place only after the last one
    is complete, so a graph that cannot be exported leaves the folder as it was.
    """
    check_node_ids(G, "GraphML and GEXF")  # before the folder is even created
    files = StagedFiles()
    try:
        stage_exports(G, out_dir, files)
        return files.commit()
    finally:
        files.discard()
