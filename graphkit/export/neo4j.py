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
from graphkit.export.reuse import Items, plain

__all__ = ["NODE_CSV_HEADER", "EDGE_CSV_HEADER", "nodes_csv_text", "edges_csv_text", "nodes_csv_pieces",
           "edges_csv_pieces",
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


class _RowText:
    """One CSV row's text as ``csv.writer`` writes it (quoting, ``\\r\\n``)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def __call__(self, row: Iterable[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(row)
        return self._buffer.getvalue()


def _node_row(node: Any, a: dict[str, Any]) -> list[str]:
    return [
        str(node), _csv_scalar(a.get("label")), _csv_scalar(a.get("type")),
        _csv_scalar(a.get("name_en")), _csv_array(a.get("aliases")),
        _csv_array(a.get("articles")), _csv_scalar(a.get("mentions")),
        ";".join(["Actor", str(a.get("type"))]) if a.get("type") else "Actor",
    ]


def _edge_row(u: Any, v: Any, key: Any, a: dict[str, Any]) -> list[str]:
    relation = str(a.get("type") or "")
    return [
        str(u), str(v), _neo4j_type(relation), str(key), relation,
        _csv_scalar(a.get("status")), _csv_scalar(a.get("date")),
        _csv_scalar(a.get("article")), _csv_scalar(a.get("sentence")),
        _csv_scalar(a.get("start")), _csv_scalar(a.get("end")),
        _csv_array(a.get("weapons")), _csv_scalar(a.get("quantity")),
        _csv_scalar(a.get("role")), _csv_scalar(a.get("source_attribution")),
        _csv_scalar(a.get("article_date")),
    ]


def nodes_csv_pieces(G: nx.MultiDiGraph) -> Iterator[str | Items]:
    """nodes.csv as its BOM and header, then a row per node."""
    row_text = _RowText()
    nodes = sorted_nodes(G)
    yield "\ufeff" + row_text(NODE_CSV_HEADER)
    yield Items([("n", node) for node, _ in nodes], lambda i: row_text(_node_row(*nodes[i])))


def edges_csv_pieces(G: nx.MultiDiGraph) -> Iterator[str | Items]:
    """edges.csv as its BOM and header, then a row per relation."""
    row_text = _RowText()
    edges = sorted_edges(G)
    yield "\ufeff" + row_text(EDGE_CSV_HEADER)
    yield Items([("e", key) for _, _, key, _ in edges], lambda i: row_text(_edge_row(*edges[i])))


def nodes_csv_text(G: nx.MultiDiGraph) -> str:
    return "".join(plain(nodes_csv_pieces(G)))


def edges_csv_text(G: nx.MultiDiGraph) -> str:
    return "".join(plain(edges_csv_pieces(G)))


def generate_csv_texts(G: nx.MultiDiGraph) -> dict[str, str]:
    """``{"nodes.csv": text, "edges.csv": text}`` with a BOM, for ``neo4j-admin database
    import full --nodes=nodes.csv --relationships=edges.csv`` (add
    ``--multiline-fields=true`` if a sentence contains a line break)."""
    return {"nodes.csv": nodes_csv_text(G), "edges.csv": edges_csv_text(G)}


def write_csv(G: nx.MultiDiGraph, folder: str | os.PathLike) -> list[Path]:
    folder = Path(folder)
    return [atomic_write(folder / name, text) for name, text in generate_csv_texts(G).items()]
