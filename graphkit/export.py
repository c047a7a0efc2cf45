"""Writers for the graph: every file is generated in memory, then written atomically.

One ``generate_*`` function per format returns the exact text (tests call those); the
``write_*`` functions only hand that text to :func:`atomic_write`. Same graph in, same bytes
out: nodes are sorted by id, edges by relation id, and nothing time-dependent is written.

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

import calendar
import csv
import hashlib
import io
import json
import math
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import tostring

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from graphkit.errors import ExportError
from graphkit.graph import EDGE_ATTRS, NODE_ATTRS
from graphkit.resources import load_relation_types
from graphkit.schema import STATUSES

__all__ = [
    "atomic_write",
    "ACTOR_TYPE_COLORS",
    "to_node_link",
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
    "safe_xml_id",
    "date_span",
]

# Actor colours (Tableau 10). Relation colours live in relations.yaml.
ACTOR_TYPE_COLORS: dict[str, str] = {
    "PERSON": "#4e79a7",
    "GPE": "#f28e2b",
    "ORG": "#59a14f",
    "LOC": "#b07aa1",
    "WEAPON": "#e15759",
}
_FALLBACK_COLOR = "#999999"

# Attributes whose value is a list in the graph (JSON text in GraphML/GEXF).
_LIST_ATTRS = frozenset({"aliases", "articles", "weapons", "statuses", "relations"})
# Optional strings: None in the graph, "" in GraphML/GEXF.
_OPTIONAL_ATTRS = frozenset(
    {"name_en", "date", "quantity", "role", "source_attribution", "article_date",
     "first_date", "last_date"}
)
# Presentation-only attributes added for Gephi; dropped again when reading back.
_NODE_VIEW_ATTRS = ("r", "g", "b", "color", "size")
_EDGE_VIEW_ATTRS = ("label", "r", "g", "b", "color")
_SAFE_ID = re.compile(r"[A-Za-z0-9._:\-]+")
_GRAPH_KIND = "graphkit_kind"  # graph-level GraphML key: "relations" or "collapsed"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to a temp file beside ``path``, fsync, then rename over it.

    A reader never sees a half-written file; on any error the temp file is removed and
    ``ExportError`` names the path (disk full, unwritable folder).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write here: {exc.strerror}", path=str(path),
                          hint="choose a writable --out folder") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared files
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise ExportError(f"write failed: {exc.strerror}", path=str(path),
                          hint="free disk space or choose another --out folder") from exc
    return path


# --------------------------------------------------------------------------- helpers


def _sorted_nodes(G: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    return sorted(G.nodes(data=True), key=lambda item: str(item[0]))


def _sorted_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    return sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[2]), str(e[0]), str(e[1])))


def _relation_colors() -> dict[str, str]:
    return {rt.name: rt.color for rt in load_relation_types()}


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _node_size(mentions: Any) -> float:
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


def _check_node_ids(G: nx.MultiDiGraph, where: str) -> None:
    bad = sorted(str(n) for n in G.nodes if not _SAFE_ID.fullmatch(str(n)))
    if bad:
        raise ExportError(
            f"node ids must be ASCII letters, digits and . _ : - for {where}; got {bad[:5]}",
            hint="keep names in the label attribute and make ids with graphkit's resolver",
        )


def _flat_value(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _parse_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    if value in (None, ""):
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


# --------------------------------------------------------------------------- JSON


def to_node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The ``graph.json`` contract: node-link data, nodes by id, edges by key.

    >>> from graphkit.graph import build_graph
    >>> from graphkit.schema import Actor
    >>> data = to_node_link(build_graph([Actor(id="gpe:a", label="甲", type="GPE")], []))
    >>> data["nodes"][0]["label"], data["edges"]
    ('甲', [])
    """
    nodes = []
    for node, attrs in _sorted_nodes(G):
        record = {"id": node}
        for name in NODE_ATTRS:
            value = attrs.get(name)
            record[name] = list(value or []) if name in _LIST_ATTRS else value
        nodes.append(record)
    edges = []
    for u, v, key, attrs in _sorted_edges(G):
        record = {"source": u, "target": v, "key": key}
        for name in EDGE_ATTRS:
            value = attrs.get(name)
            record[name] = list(value or []) if name in _LIST_ATTRS else value
        edges.append(record)
    return {
        "directed": True,
        "multigraph": True,
        "graph": dict(G.graph),
        "nodes": nodes,
        "edges": edges,
    }


def generate_json_text(G: nx.MultiDiGraph) -> str:
    return json.dumps(to_node_link(G), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_json(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write(path, generate_json_text(G))


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
    collapsed = raw.graph.get(_GRAPH_KIND) == "collapsed"
    G = nx.MultiDiGraph()
    G.graph.update({k: v for k, v in raw.graph.items() if k != _GRAPH_KIND})
    for node, attrs in sorted(raw.nodes(data=True), key=lambda item: item[0]):
        data = {k: v for k, v in attrs.items() if k not in _NODE_VIEW_ATTRS}
        G.add_node(node, **_decode_values(data))
    edges = []
    for u, v, key, attrs in raw.edges(keys=True, data=True):
        data = {k: val for k, val in attrs.items() if k not in _EDGE_VIEW_ATTRS}
        key = data.pop("relation_id", key)
        if "relation" in data:
            data["type"] = data.pop("relation")
        for ours, theirs in (("start", "sentence_start"), ("end", "sentence_end")):
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
        if name in _LIST_ATTRS:
            value = _parse_list(value)
        elif name in _OPTIONAL_ATTRS and value == "":
            value = None
        out[name] = value
    return out


# --------------------------------------------------------------------------- GraphML


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
    H.graph.update({k: _flat_value(v) for k, v in sorted(G.graph.items())})
    for node, attrs in _sorted_nodes(G):
        H.add_node(node, **{k: _flat_value(v) for k, v in sorted(attrs.items())})
    for u, v, key, attrs in _sorted_edges(G):
        H.add_edge(u, v, key=key, **{k: _flat_value(val) for k, val in sorted(attrs.items())})
    return H


class _NamedKeyGraphMLWriter(GraphMLWriter):
    """Key ids named ``<scope>_<attribute>`` (``node_label``, ``edge_weight``), keys sorted,
    text written as UTF-8 rather than character references."""

    def get_key(self, name, attr_type, scope, default):
        keys_key = (name, attr_type, scope)
        if keys_key not in self.keys:
            key_id = f"{scope}_{name}"
            if key_id in self.keys.values():  # same name, two value types: keep ids unique
                key_id = f"{key_id}_{attr_type}"
            self.keys[keys_key] = key_id
            element = self.myElement(
                "key", **{"id": key_id, "for": scope, "attr.name": name, "attr.type": attr_type}
            )
            if default is not None:
                default_element = self.myElement("default")
                default_element.text = str(default)
                element.append(default_element)
            self.xml.insert(0, element)
        return self.keys[keys_key]

    def __str__(self):
        keys = sorted((c for c in self.xml if c.tag == "key"), key=lambda e: e.get("id"))
        for child in keys:
            self.xml.remove(child)
        for index, child in enumerate(keys):
            self.xml.insert(index, child)
        if self.prettyprint:
            self.indent(self.xml)
        return tostring(self.xml, encoding="unicode")


def _gephi_view(G: nx.MultiDiGraph, *, kind: str) -> nx.MultiDiGraph:
    """Flattened copy shaped for Gephi (see module docstring); edge keys become safe ids."""
    _check_node_ids(G, "GraphML")
    colors = _relation_colors()
    flat = flatten_attrs(G)
    H = nx.MultiDiGraph()
    H.graph.update(flat.graph)
    H.graph[_GRAPH_KIND] = kind
    for node, attrs in flat.nodes(data=True):
        color = ACTOR_TYPE_COLORS.get(str(attrs.get("type")), _FALLBACK_COLOR)
        r, g, b = _rgb(color)
        data = dict(attrs)
        data.setdefault("label", str(node))
        data.update(r=r, g=g, b=b, color=color, size=_node_size(G.nodes[node].get("mentions")))
        H.add_node(node, **data)
    seen: dict[str, str] = {}
    for u, v, key, attrs in flat.edges(keys=True, data=True):
        edge_id = safe_xml_id(str(key))
        if edge_id in seen:
            raise ExportError(f"edge ids {seen[edge_id]!r} and {key!r} collide as {edge_id!r}",
                              hint="relation ids must be unique")
        seen[edge_id] = str(key)
        data = dict(attrs)
        relation = str(data.pop("type", ""))
        color = colors.get(relation, _FALLBACK_COLOR)
        r, g, b = _rgb(color)
        for ours, theirs in (("start", "sentence_start"), ("end", "sentence_end")):
            if ours in data:
                data[theirs] = data.pop(ours)
        data.update(
            relation_id=str(key), relation=relation, label=relation,
            weight=float(data.get("weight", 1)), r=r, g=g, b=b, color=color,
        )
        H.add_edge(u, v, key=edge_id, **dict(sorted(data.items())))
    return H


def _graphml_text(H: nx.MultiDiGraph) -> str:
    writer = _NamedKeyGraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(H)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + str(writer) + "\n"


def generate_graphml_text(G: nx.MultiDiGraph) -> str:
    """GraphML for Gephi/yEd/igraph: one edge per relation, parallel edges kept.

    >>> from graphkit.graph import build_graph
    >>> from graphkit.schema import Actor
    >>> text = generate_graphml_text(build_graph([Actor(id="gpe:a", label="甲", type="GPE")], []))
    >>> '<key id="node_label" for="node" attr.name="label" attr.type="string" />' in text
    True
    """
    return _graphml_text(_gephi_view(G, kind="relations"))


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write(path, generate_graphml_text(G))


def collapse(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """One edge per (source, relation type, target), for readable overviews.

    Edge attributes: ``type``, ``weight`` (number of relations), ``first_date``/``last_date``
    (``None`` when none is dated), sorted distinct ``articles`` and ``statuses``, and the
    merged ``relations`` ids. The key is ``"<source>--<type>--<target>"``.
    """
    groups: dict[tuple[str, str, str], list[tuple[str, dict]]] = defaultdict(list)
    for u, v, key, attrs in _sorted_edges(G):
        groups[(u, str(attrs.get("type")), v)].append((key, attrs))
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    for node, attrs in _sorted_nodes(G):
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
    return _graphml_text(_gephi_view(collapse(G), kind="collapsed"))


def write_collapsed_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write(path, generate_collapsed_graphml_text(G))


# --------------------------------------------------------------------------- GEXF


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


class _StableGEXFWriter(GEXFWriter):
    """No ``lastmodifieddate`` (today's date would change the bytes); UTF-8 text."""

    def __str__(self):
        meta = self.xml.find("meta")
        if meta is not None:
            meta.attrib.pop("lastmodifieddate", None)
        if self.prettyprint:
            self.indent(self.xml)
        return tostring(self.xml, encoding="unicode")


def generate_gexf_text(G: nx.MultiDiGraph) -> str:
    """Dynamic GEXF 1.2: edges live from their relation date (a month covers the whole
    month), nodes from their first dated relation; undated elements have no spell (always
    shown). The relation type is the ``relation`` attribute, the exact id the ``key`` one."""
    _check_node_ids(G, "GEXF")
    colors = _relation_colors()
    flat = flatten_attrs(G)
    H = nx.MultiDiGraph(mode="dynamic")
    node_start: dict[str, str] = {}
    edges = []
    for u, v, key, attrs in flat.edges(keys=True, data=True):
        data = dict(attrs)
        relation = str(data.pop("type", ""))
        for ours, theirs in (("start", "sentence_start"), ("end", "sentence_end")):
            if ours in data:
                data[theirs] = data.pop(ours)
        r, g, b = _rgb(colors.get(relation, _FALLBACK_COLOR))
        data.update(id=safe_xml_id(str(key)), relation=relation, label=relation, weight=1.0,
                    viz={"color": {"r": r, "g": g, "b": b, "a": 1.0}})
        span = date_span(G.edges[u, v, key].get("date"))
        if span:
            data["start"], data["end"] = span
            for node in (u, v):
                if node not in node_start or span[0] < node_start[node]:
                    node_start[node] = span[0]
        edges.append((u, v, key, data))
    for node, attrs in flat.nodes(data=True):
        data = dict(attrs)
        data.setdefault("label", str(node))
        r, g, b = _rgb(ACTOR_TYPE_COLORS.get(str(data.get("type")), _FALLBACK_COLOR))
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                       "size": _node_size(G.nodes[node].get("mentions"))}
        if node in node_start:
            data["start"] = node_start[node]
        H.add_node(node, **data)
    H.add_edges_from(edges)
    writer = _StableGEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(H)
    if node_start or any("start" in e[3] for e in edges):
        writer.graph_element.set("timeformat", "date")
    writer.graph_element.set("mode", "dynamic")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + str(writer) + "\n"


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    return atomic_write(path, generate_gexf_text(G))


# --------------------------------------------------------------------------- CSV (neo4j)

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


def generate_csv_texts(G: nx.MultiDiGraph) -> dict[str, str]:
    """``{"nodes.csv": text, "edges.csv": text}`` with a BOM, for ``neo4j-admin database
    import full --nodes=nodes.csv --relationships=edges.csv`` (add
    ``--multiline-fields=true`` if a sentence contains a line break)."""
    node_rows = []
    for node, a in _sorted_nodes(G):
        node_rows.append([
            str(node), _csv_scalar(a.get("label")), _csv_scalar(a.get("type")),
            _csv_scalar(a.get("name_en")), _csv_array(a.get("aliases")),
            _csv_array(a.get("articles")), _csv_scalar(a.get("mentions")),
            ";".join(["Actor", str(a.get("type"))]) if a.get("type") else "Actor",
        ])
    edge_rows = []
    for u, v, key, a in _sorted_edges(G):
        relation = str(a.get("type") or "")
        edge_rows.append([
            str(u), str(v), _neo4j_type(relation), str(key), relation,
            _csv_scalar(a.get("status")), _csv_scalar(a.get("date")),
            _csv_scalar(a.get("article")), _csv_scalar(a.get("sentence")),
            _csv_scalar(a.get("start")), _csv_scalar(a.get("end")),
            _csv_array(a.get("weapons")), _csv_scalar(a.get("quantity")),
            _csv_scalar(a.get("role")), _csv_scalar(a.get("source_attribution")),
            _csv_scalar(a.get("article_date")),
        ])
    return {
        "nodes.csv": _csv_text(NODE_CSV_HEADER, node_rows),
        "edges.csv": _csv_text(EDGE_CSV_HEADER, edge_rows),
    }


def write_csv(G: nx.MultiDiGraph, folder: str | os.PathLike) -> list[Path]:
    folder = Path(folder)
    return [atomic_write(folder / name, text) for name, text in generate_csv_texts(G).items()]


# --------------------------------------------------------------------------- everything


def write_all(G: nx.MultiDiGraph, out_dir: str | os.PathLike) -> list[Path]:
    """graph.json, graph.graphml, graph.collapsed.graphml, graph.gexf, nodes.csv, edges.csv.

    Every text is generated before the first file is written, so a graph that cannot be
    exported leaves the folder as it was.
    """
    out = Path(out_dir)
    texts = {
        "graph.json": generate_json_text(G),
        "graph.graphml": generate_graphml_text(G),
        "graph.collapsed.graphml": generate_collapsed_graphml_text(G),
        "graph.gexf": generate_gexf_text(G),
        **generate_csv_texts(G),
    }
    return [atomic_write(out / name, text) for name, text in texts.items()]
