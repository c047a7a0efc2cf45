"""``nodes.csv``/``edges.csv`` with neo4j-admin import headers, UTF-8 with BOM (Excel opens it)."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.export.common import sorted_edges, sorted_nodes
from graphkit.export.files import atomic_write

__all__ = ["NODE_CSV_HEADER", "EDGE_CSV_HEADER", "nodes_csv_text", "edges_csv_text",
           "generate_csv_texts", "write_csv"]

NODE_CSV_HEADER = (
    "id:ID", "label", "type", "name_en", "aliases:string[]", "articles:string[]",
    "mentions:int", ":LABEL",
)
EDGE_CSV_HEADER = (
    ":START_ID", ":END_ID", ":TYPE", "key", "relation", "status", "date", "article",
    "sentence", "start:int", "end:int", "weapons:string[]", "quantity", "role",
    "source_attribution", "article_date",
)


def _csv_array(values: Iterable[Any] | None) -> str:
    # neo4j-admin splits arrays on ";" (its default --array-delimiter); a ";" inside a
    # value would split it, so it becomes the full-width "；".
    return ";".join(str(v).replace(";", "；") for v in (values or []))


def _csv_scalar(value: Any) -> str:
    return "" if value is None else str(value)


def _neo4j_type(relation: str) -> str:
    """``sells-weapons-to`` → ``SELLS_WEAPONS_TO`` (Cypher's convention; no backticks needed)."""
    return re.sub(r"[^A-Za-z0-9]+", "_", relation).strip("_").upper() or "RELATED_TO"


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def _node_rows(G: nx.MultiDiGraph) -> Iterator[list[str]]:
    for node, a in sorted_nodes(G):
        yield [
            str(node), _csv_scalar(a.get("label")), _csv_scalar(a.get("type")),
            _csv_scalar(a.get("name_en")), _csv_array(a.get("aliases")),
            _csv_array(a.get("articles")), _csv_scalar(a.get("mentions")),
            ";".join(["Actor", str(a.get("type"))]) if a.get("type") else "Actor",
        ]


def _edge_rows(G: nx.MultiDiGraph) -> Iterator[list[str]]:
    for u, v, key, a in sorted_edges(G):
        relation = str(a.get("type") or "")
        yield [
            str(u), str(v), _neo4j_type(relation), str(key), relation,
            _csv_scalar(a.get("status")), _csv_scalar(a.get("date")),
            _csv_scalar(a.get("article")), _csv_scalar(a.get("sentence")),
            _csv_scalar(a.get("start")), _csv_scalar(a.get("end")),
            _csv_array(a.get("weapons")), _csv_scalar(a.get("quantity")),
            _csv_scalar(a.get("role")), _csv_scalar(a.get("source_attribution")),
            _csv_scalar(a.get("article_date")),
        ]


def nodes_csv_text(G: nx.MultiDiGraph) -> str:
    return _csv_text(NODE_CSV_HEADER, _node_rows(G))


def edges_csv_text(G: nx.MultiDiGraph) -> str:
    return _csv_text(EDGE_CSV_HEADER, _edge_rows(G))


def generate_csv_texts(G: nx.MultiDiGraph) -> dict[str, str]:
    """``{"nodes.csv": text, "edges.csv": text}`` with a BOM, for ``neo4j-admin database
    import full --nodes=nodes.csv --relationships=edges.csv`` (add
    ``--multiline-fields=true`` if a sentence contains a line break)."""
    return {"nodes.csv": nodes_csv_text(G), "edges.csv": edges_csv_text(G)}


def write_csv(G: nx.MultiDiGraph, folder: str | os.PathLike) -> list[Path]:
    folder = Path(folder)
    return [atomic_write(folder / name, text) for name, text in generate_csv_texts(G).items()]
