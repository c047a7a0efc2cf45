"""What every writer shares: colours, sizes, safe ids, value flattening, sorted iteration."""

from __future__ import annotations

import calendar
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from typing import Any

import networkx as nx

from graphkit.errors import ExportError
from graphkit.resources import load_relation_types

# Actor colours (Tableau 10). Relation colours live in relations.yaml.
ACTOR_TYPE_COLORS: dict[str, str] = {
    "PERSON": "#4e79a7",
    "GPE": "#f28e2b",
    "ORG": "#59a14f",
    "LOC": "#b07aa1",
    "WEAPON": "#e15759",
}
FALLBACK_COLOR = "#999999"

# Attributes whose value is a list in the graph (JSON text in GraphML/GEXF).
LIST_ATTRS = frozenset({"aliases", "articles", "weapons", "statuses", "relations"})
# Optional strings: None in the graph, "" in GraphML/GEXF.
OPTIONAL_ATTRS = frozenset(
    {"name_en", "date", "quantity", "role", "source_attribution", "article_date",
     "first_date", "last_date"}
)
# Our offsets are sentence offsets; Gephi reads start/end as time intervals.
OFFSET_RENAMES = (("start", "sentence_start"), ("end", "sentence_end"))
_SAFE_ID = re.compile(r"[A-Za-z0-9._:\-]+")


def sorted_nodes(G: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    return _shared(G, "sorted_nodes", lambda: sorted(G.nodes(data=True), key=lambda item: str(item[0])))


def sorted_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    return _shared(G, "sorted_edges", lambda: sorted(
        G.edges(keys=True, data=True), key=lambda e: (str(e[2]), str(e[0]), str(e[1]))))


def edges_by_source(G: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    """The order the XML formats list edges in: by source id, then by each target's first
    relation id, then by relation id (a source's edges to one target stay together)."""
    return _shared(G, "edges_by_source", lambda: _edges_by_source(G))


def _edges_by_source(G: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    first_key: dict[tuple[str, str], int] = {}
    ordered = sorted_edges(G)
    for rank, (u, v, _, _) in enumerate(ordered):
        first_key.setdefault((u, v), rank)
    position = {u: i for i, (u, _) in enumerate(sorted_nodes(G))}
    return sorted(ordered, key=lambda e: (position[e[0]], first_key[(e[0], e[1])]))


_ORDERS: dict[int, dict[str, list]] = {}  # id(graph) → its orders, while shared_orders holds it


@contextmanager
def shared_orders(*graphs: nx.MultiDiGraph) -> Iterator[None]:
    """Within the block, each writer gets the same sorted lists of these graphs' nodes and
    edges instead of sorting them again. The graphs must not change inside the block."""
    for G in graphs:
        _ORDERS[id(G)] = {}
    try:
        yield
    finally:
        for G in graphs:
            _ORDERS.pop(id(G), None)


def _shared(G: nx.MultiDiGraph, name: str, make: Callable[[], list]) -> list:
    orders = _ORDERS.get(id(G))
    if orders is None:
        return make()
    if name not in orders:
        orders[name] = make()
    return orders[name]


@lru_cache(maxsize=1)
def relation_colors() -> dict[str, str]:
    return {rt.name: rt.color for rt in load_relation_types()}


def rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def node_size(mentions: Any) -> float:
    """Area grows with mentions, so the square root: 8 for none, 48 for 100 mentions."""
    try:
        count = max(int(mentions or 0), 0)
    except (TypeError, ValueError):
        count = 0
    return round(8.0 + 4.0 * math.sqrt(count), 3)


def safe_xml_id(value: str) -> str:
    """An XML ``NMTOKEN``-safe, unique-preserving id for GraphML/GEXF edges.

    ASCII letters, digits and ``. _ : -`` pass unchanged; anything else is replaced and a
    short hash of the original keeps distinct ids distinct.

    >>> safe_xml_id("person:a--meets--gpe:b")
    'person:a--meets--gpe:b'
    >>> safe_xml_id("person:a<meets:art1:12>gpe:b")
    'person:a_meets:art1:12_gpe:b-2e106ee7'
    """
    if _SAFE_ID.fullmatch(value):
        return value
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9._:-]+', '_', value)}-{digest}"


def edge_id_checker():
    """A function: relation id → safe XML id, refusing an id that two relations would share."""
    seen: dict[str, str] = {}

    def check(key: Any) -> str:
        edge_id = safe_xml_id(str(key))
        if edge_id in seen:
            raise ExportError(f"edge ids {seen[edge_id]!r} and {key!r} collide as {edge_id!r}",
                              hint="relation ids must be unique")
        seen[edge_id] = str(key)
        return edge_id

    return check


def check_node_ids(G: nx.MultiDiGraph, where: str) -> None:
    bad = sorted(str(n) for n in G.nodes if not _SAFE_ID.fullmatch(str(n)))
    if bad:
        raise ExportError(
            f"node ids must be ASCII letters, digits and . _ : - for {where}; got {bad[:5]}",
            hint="keep names in the label attribute and make ids with graphkit's resolver",
        )


_encode_list = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps's text, minus its overhead


def flat_value(value: Any) -> str | int | float | bool:
    """A scalar for GraphML/GEXF: None → ``""``, lists and sets → JSON text."""
    if isinstance(value, (str, int, float)):  # bool is an int
        return value
    if value is None:
        return ""
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, (list, tuple)):
        return _encode_list(list(value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def flat_type(value: Any) -> type:
    """``type(flat_value(value))`` without building the value."""
    return type(value) if isinstance(value, (str, int, float)) else str


def flat_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes in name order with :func:`flat_value` values."""
    return {str(k): v if isinstance(v, (str, int, float)) else flat_value(v)
            for k, v in sorted(attrs.items(), key=itemgetter(0))}


def parse_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    if value in (None, ""):
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def date_span(value: str | None) -> tuple[str, str] | None:
    """The first and last day an ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) covers.

    >>> date_span("2024-02")
    ('2024-02-01', '2024-02-29')
    >>> date_span("2023"), date_span("2023-05-07"), date_span(None), date_span("soon")
    (('2023-01-01', '2023-12-31'), ('2023-05-07', '2023-05-07'), None, None)
    """
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value).strip())
    if not match:
        return None
    year, month, day = match.groups()
    y = int(year)
    if month is None:
        return f"{year}-01-01", f"{year}-12-31"
    m = int(month)
    if not 1 <= m <= 12:
        return None
    last = calendar.monthrange(y, m)[1]
    if day is None:
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    if not 1 <= int(day) <= last:
        return None
    return f"{year}-{month}-{day}", f"{year}-{month}-{day}"


# XML escaping as xml.etree writes it, so the text is what any XML library reads back.
TEXT_SPECIAL = re.compile(r"[&<>]")
_ATTR_SPECIAL = re.compile(r'[&<>"\r\n\t]')
_ATTR_ONLY = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_text(value: Any) -> str:
    text = str(value)
    return _escape_text(text) if TEXT_SPECIAL.search(text) else text


def xml_attr(value: Any) -> str:
    text = str(value)
    if not _ATTR_SPECIAL.search(text):
        return text
    text = _escape_text(text)
    for raw, escaped in _ATTR_ONLY:
        text = text.replace(raw, escaped)
    return text


# Python type → XML attribute type (GraphML and GEXF use the same names).
XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def xml_type(kind: type, where: str) -> str:
    try:
        return XML_TYPES[kind]
    except KeyError:
        raise ExportError(f"{where}: values of type {kind.__name__} cannot be written",
                          hint="use strings, numbers, booleans or lists") from None
