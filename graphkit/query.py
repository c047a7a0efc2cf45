"""Notebook helpers over the graph: plain functions, networkx in, networkx or records out.

Actors can be named any way a reader would: node id, Chinese label or alias in either script
(川普, 特朗普, 唐納德·川普) or English name in any case. Every example below runs as a doctest
on :func:`_example_graph`.

>>> G = _example_graph()
>>> find_actor(G, "川普") == find_actor(G, "donald trump") == "person:donald-trump"
True
>>> [(s.source, s.type, s.target) for s in paths(G, "特朗普", "乌克兰")[0]]
[('person:donald-trump', 'affiliated-with', 'gpe:usa'), ('gpe:usa', 'sells-weapons-to', 'gpe:ukraine')]
"""

from __future__ import annotations

import copy
import datetime as _dt
import difflib
import html
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.export import ACTOR_TYPE_COLORS, date_span, read_graph
from graphkit.graph import EDGE_ATTRS
from graphkit.graph import build_graph as _assemble
from graphkit.resources import load_relation_types, relation_type_names
from graphkit.schema import STATUSES, Actor, Relation

__all__ = [
    "QueryError",
    "Step",
    "load_graph",
    "build_graph",
    "find_actor",
    "paths",
    "ego",
    "relations_between",
    "timeline",
    "as_of",
    "filter_relations",
    "to_dataframe",
    "to_pyvis",
    "NotebookNetwork",
]


class QueryError(GraphkitError):
    """A query names an actor, relation type, status or date that the graph cannot answer."""

    code = "GK600"


class Step(NamedTuple):
    """One relation along a path, in the relation's own direction (which may run against
    the walk when ``directed=False``)."""

    source: str
    target: str
    type: str
    status: str
    date: str | None
    sentence: str
    article: str
    key: str


# --------------------------------------------------------------------------- loading


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """``graph.json`` or ``graph.graphml`` from an output folder → ``MultiDiGraph``."""
    return read_graph(path)


def build_graph(paths: Iterable[str | Path], **options: Any) -> nx.MultiDiGraph:
    """Run the whole pipeline over article files and return the graph (no files written)."""
    from graphkit.pipeline import build_graph_from_paths

    return build_graph_from_paths(paths, **options)


def _example_graph() -> nx.MultiDiGraph:
    """Four actors, five relations: the graph every doctest in this module uses."""
    actors = [
        Actor(id="person:donald-trump", label="特朗普", type="PERSON", name_en="Donald Trump",
              aliases=("川普", "特朗普", "唐纳德·特朗普"), articles=("a1",), mentions=3),
        Actor(id="gpe:usa", label="美国", type="GPE", name_en="United States",
              aliases=("美国", "美方"), articles=("a1", "a2"), mentions=4),
        Actor(id="gpe:ukraine", label="乌克兰", type="GPE", name_en="Ukraine", articles=("a1",),
              mentions=2),
        Actor(id="person:volodymyr-zelensky", label="泽连斯基", type="PERSON",
              name_en="Volodymyr Zelensky", aliases=("泽伦斯基", "澤倫斯基"), articles=("a2",),
              mentions=2),
    ]
    rel = dict(article="a1", start=0, end=10)
    relations = [
        Relation(id="r1", source="person:donald-trump", target="gpe:usa", type="affiliated-with",
                 status="occurred", date="2024-01-20", sentence="美国总统特朗普", **rel),
        Relation(id="r2", source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="occurred", date="2024-03", sentence="美国向乌克兰出售导弹", **rel),
        Relation(id="r3", source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="planned", date="2024-06-01", sentence="美国计划向乌克兰出售导弹", **rel),
        Relation(id="r4", source="person:volodymyr-zelensky", target="gpe:ukraine",
                 type="affiliated-with", status="occurred", date=None, sentence="乌克兰总统泽连斯基",
                 **rel),
        Relation(id="r5", source="person:donald-trump", target="person:volodymyr-zelensky",
                 type="meets", status="occurred", date="2024-02-15", sentence="特朗普会晤泽连斯基",
                 **rel),
    ]
    return _assemble(actors, relations)


# --------------------------------------------------------------------------- names


_DOTS = re.compile(r"[\s·‧・•.．･\u2027\u00b7\u30fb\u2022\uff65]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _fold(name: str) -> str:
    """Simplified script, no middle dots or spaces, NFKC, case-folded.

    >>> _fold("唐納德·川普"), _fold(" Donald  TRUMP ")
    ('唐纳德川普', 'donaldtrump')
    """
    text = unicodedata.normalize("NFKC", str(name))
    return _DOTS.sub("", _t2s().convert(text)).casefold()


def _names(G: nx.MultiDiGraph, node: str) -> list[str]:
    attrs = G.nodes[node]
    names = [str(node), attrs.get("label") or "", attrs.get("name_en") or ""]
    names += [str(a) for a in attrs.get("aliases") or []]
    return [n for n in names if n]


def _describe(G: nx.MultiDiGraph, nodes: Iterable[str]) -> str:
    return ", ".join(f"{G.nodes[n].get('label') or n} ({n}, {G.nodes[n].get('type')})"
                     for n in sorted(nodes))


def find_actor(G: nx.MultiDiGraph, name: str) -> str:
    """The node id of the actor called ``name``: an exact name first, then a unique substring.

    >>> G = _example_graph()
    >>> find_actor(G, "澤倫斯基"), find_actor(G, "ZELENSKY"), find_actor(G, "gpe:usa")
    ('person:volodymyr-zelensky', 'person:volodymyr-zelensky', 'gpe:usa')
    >>> find_actor(G, "泽连斯奇")
    Traceback (most recent call last):
    ...
    graphkit.query.QueryError: [GK600] no actor is called '泽连斯奇'; close names: 泽连斯基 (person:volodymyr-zelensky, PERSON) Fix: pass a node id or a name from G.nodes(data='label')
    >>> find_actor(G, "u")  # in Donald Trump, United States, Ukraine
    Traceback (most recent call last):
    ...
    graphkit.query.QueryError: [GK600] 'u' is ambiguous: 乌克兰 (gpe:ukraine, GPE), 美国 (gpe:usa, GPE), 特朗普 (person:donald-trump, PERSON) Fix: use a longer name or one of these ids
    """
    if name in G:
        return name
    query = _fold(name)
    if not query:
        raise QueryError("an empty name matches no actor", hint="pass a node id or a name")
    index = {node: [_fold(n) for n in _names(G, node)] for node in G.nodes}
    exact = {node for node, folded in index.items() if query in folded}
    if not exact:
        exact = {node for node, folded in index.items() if any(query in f for f in folded)}
    if len(exact) == 1:
        return next(iter(exact))
    if exact:
        raise QueryError(f"{name!r} is ambiguous: {_describe(G, exact)}",
                         hint="use a longer name or one of these ids")
    by_folded: dict[str, set[str]] = defaultdict(set)
    for node, folded in index.items():
        for f in folded:
            by_folded[f].add(node)
    close = difflib.get_close_matches(query, sorted(by_folded), n=5, cutoff=0.5)
    near = {node for f in close for node in by_folded[f]}
    raise QueryError(f"no actor is called {name!r}; close names: {_describe(G, near) or '(none)'}",
                     hint="pass a node id or a name from G.nodes(data='label')")


# --------------------------------------------------------------------------- dates


def _span(value: Any, *, what: str) -> tuple[str, str]:
    if isinstance(value, (_dt.date, _dt.datetime)):
        value = value.isoformat()[:10]
    span = date_span(value)
    if span is None:
        raise QueryError(f"{what} {value!r} is not an ISO date",
                         hint="use 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (or a datetime.date)")
    return span


def _date_order(date: Any) -> tuple:
    """Sort key: dated relations by the first day they cover, then finer dates, undated last."""
    span = date_span(date)
    if span is None:
        return (1, "", "")
    return (0, span[0], span[1])


# --------------------------------------------------------------------------- filters


def _as_set(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def _check(values: set[str] | None, allowed: Iterable[str], what: str) -> None:
    allowed = tuple(allowed)
    for value in sorted(values or ()):
        if value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1)
            did = f" (did you mean {close[0]!r}?)" if close else ""
            raise QueryError(f"unknown {what} {value!r}{did}",
                             hint=f"use one of: {', '.join(allowed)}")


def _subgraph(G: nx.MultiDiGraph, keep, drop_isolates: bool) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.graph.update(copy.deepcopy(G.graph))
    H.add_nodes_from((n, copy.deepcopy(a)) for n, a in G.nodes(data=True))
    H.add_edges_from((u, v, k, copy.deepcopy(a))
                     for u, v, k, a in G.edges(keys=True, data=True) if keep(a))
    if drop_isolates:
        H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    return H


def filter_relations(
    G: nx.MultiDiGraph,
    types: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    between: tuple[Any, Any] | None = None,
    *,
    drop_isolates: bool = False,
) -> nx.MultiDiGraph:
    """A copy keeping relations of these types and statuses whose date overlaps ``between``.

    ``between=(start, end)`` takes ISO dates of any precision (``None`` for an open end); a
    month-dated relation overlaps every day of its month; undated relations are dropped when
    ``between`` is given. Nodes stay unless ``drop_isolates``.

    >>> G = _example_graph()
    >>> sorted(filter_relations(G, types="sells-weapons-to", status="occurred").edges(keys=True))
    [('gpe:usa', 'gpe:ukraine', 'r2')]
    >>> sorted(k for *_, k in filter_relations(G, between=("2024-03-31", None)).edges(keys=True))
    ['r2', 'r3']
    >>> filter_relations(G, types="meet")
    Traceback (most recent call last):
    ...
    graphkit.query.QueryError: [GK600] unknown relation type 'meet' (did you mean 'meets'?) Fix: use one of: meets, calls, sells-weapons-to, provides-military-aid-to, affiliated-with
    """
    type_set, status_set = _as_set(types), _as_set(status)
    _check(type_set, relation_type_names(), "relation type")
    _check(status_set, STATUSES, "status")
    window = None
    if between is not None:
        start, end = between
        window = (_span(start, what="start")[0] if start is not None else "0000-01-01",
                  _span(end, what="end")[1] if end is not None else "9999-12-31")

    def keep(attrs: dict) -> bool:
        if type_set is not None and attrs.get("type") not in type_set:
            return False
        if status_set is not None and attrs.get("status") not in status_set:
            return False
        if window is not None:
            span = date_span(attrs.get("date"))
            if span is None or span[0] > window[1] or span[1] < window[0]:
                return False
        return True

    return _subgraph(G, keep, drop_isolates)


def as_of(G: nx.MultiDiGraph, date: Any, *, drop_isolates: bool = False) -> nx.MultiDiGraph:
    """Relations that had happened by ``date``: status ``occurred`` and dated no later.

    Dates compare at the coarser precision: a relation dated ``2024-03`` counts as of
    ``2024-03-05``. Undated relations are left out (their time is unknown).

    >>> G = _example_graph()
    >>> sorted(k for *_, k in as_of(G, "2024-03-05").edges(keys=True))
    ['r1', 'r2', 'r5']
    >>> sorted(k for *_, k in as_of(G, "2024-02").edges(keys=True))
    ['r1', 'r5']
    """
    last_day = _span(date, what="as_of date")[1]

    def keep(attrs: dict) -> bool:
        span = date_span(attrs.get("date"))
        return attrs.get("status") == "occurred" and span is not None and span[0] <= last_day

    return _subgraph(G, keep, drop_isolates)


# --------------------------------------------------------------------------- walking


def _step(u: str, v: str, key: str, attrs: dict) -> Step:
    return Step(u, v, attrs.get("type"), attrs.get("status"), attrs.get("date"),
                attrs.get("sentence"), attrs.get("article"), key)


def paths(
    G: nx.MultiDiGraph,
    a: str,
    b: str,
    *,
    relations: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    between: tuple[Any, Any] | None = None,
    max_len: int = 4,
    directed: bool = False,
) -> list[list[Step]]:
    """Every simple path of at most ``max_len`` relations from ``a`` to ``b``, shortest first.

    Parallel relations give separate paths. With ``directed=False`` relations may be walked
    against their direction; each :class:`Step` keeps the relation's own source and target.

    >>> G = _example_graph()
    >>> [[s.key for s in p] for p in paths(G, "川普", "Ukraine")]
    [['r1', 'r2'], ['r1', 'r3'], ['r5', 'r4']]
    >>> [[s.key for s in p] for p in paths(G, "川普", "Ukraine", status="occurred")]
    [['r1', 'r2'], ['r5', 'r4']]
    >>> paths(G, "乌克兰", "川普", directed=True)
    []
    >>> paths(G, "川普", "Ukraine", max_len=1)
    []
    """
    if max_len < 1:
        raise QueryError(f"max_len must be at least 1, got {max_len}", hint="use max_len=4")
    source, target = find_actor(G, a), find_actor(G, b)
    H = filter_relations(G, types=relations, status=status, between=between)
    if source == target:
        return []
    if directed:
        walk = H
    else:
        walk = nx.MultiGraph()
        walk.add_nodes_from(H)
        walk.add_edges_from((u, v, k) for u, v, k in H.edges(keys=True))
    ends = {k: (u, v, d) for u, v, k, d in H.edges(keys=True, data=True)}
    found = []
    for edge_path in nx.all_simple_edge_paths(walk, source, target, cutoff=max_len):
        found.append([_step(*ends[k][:2], k, ends[k][2]) for _, _, k in edge_path])
    return sorted(found, key=lambda p: (len(p), [s.key for s in p]))


def ego(
    G: nx.MultiDiGraph,
    actor: str,
    radius: int = 1,
    *,
    relations: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The actor, everyone within ``radius`` relations (either direction), and the
    relations among them.

    >>> sorted(ego(_example_graph(), "泽连斯基"))
    ['gpe:ukraine', 'person:donald-trump', 'person:volodymyr-zelensky']
    """
    node = find_actor(G, actor)
    H = filter_relations(G, types=relations, status=status)
    return nx.ego_graph(H, node, radius=radius, undirected=True)


def _record(G: nx.MultiDiGraph, u: str, v: str, key: str, attrs: dict) -> dict[str, Any]:
    record = {"key": key, "source": u, "source_label": G.nodes[u].get("label"),
              "target": v, "target_label": G.nodes[v].get("label")}
    record.update({name: copy.deepcopy(attrs.get(name)) for name in EDGE_ATTRS})
    return record


def _by_date(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda r: (_date_order(r["date"]), r["key"]))


def relations_between(G: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]]:
    """Relations from ``a`` to ``b`` and from ``b`` to ``a``, by date (undated last).

    >>> records = relations_between(_example_graph(), "乌克兰", "美国")
    >>> [(r["key"], r["type"], r["status"]) for r in records]
    [('r2', 'sells-weapons-to', 'occurred'), ('r3', 'sells-weapons-to', 'planned')]
    """
    u, v = find_actor(G, a), find_actor(G, b)
    pairs = [(u, v)] if u == v else [(u, v), (v, u)]
    records = [_record(G, s, t, k, d) for s, t in pairs
               for k, d in (G.get_edge_data(s, t) or {}).items()]
    return _by_date(records)


def timeline(G: nx.MultiDiGraph, actor: str) -> list[dict[str, Any]]:
    """Every relation the actor takes part in, by date; undated ones last.

    >>> [(r["date"], r["key"]) for r in timeline(_example_graph(), "泽伦斯基")]
    [('2024-02-15', 'r5'), (None, 'r4')]
    """
    node = find_actor(G, actor)
    edges = {(u, v, k): d for u, v, k, d in G.out_edges(node, keys=True, data=True)}
    edges.update({(u, v, k): d for u, v, k, d in G.in_edges(node, keys=True, data=True)})
    return _by_date([_record(G, u, v, k, d) for (u, v, k), d in edges.items()])


# --------------------------------------------------------------------------- notebooks

DATAFRAME_COLUMNS = ("key", "source", "source_label", "target", "target_label") + EDGE_ATTRS


def to_dataframe(G: nx.MultiDiGraph):
    """One row per relation, sorted by key, with both actors' labels.

    >>> df = to_dataframe(_example_graph())
    >>> df.loc[0, ["source_label", "type", "target_label"]].tolist()
    ['特朗普', 'affiliated-with', '美国']
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(
            'to_dataframe needs pandas: pip install "graphkit[pandas]"'
        ) from None
    rows = [_record(G, u, v, k, d) for u, v, k, d in
            sorted(G.edges(keys=True, data=True), key=lambda e: str(e[2]))]
    return pd.DataFrame(rows, columns=list(DATAFRAME_COLUMNS))


_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>|"
    r"<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>",
    re.S,
)
_SOURCE_MAP = re.compile(r"//# sourceMappingURL=[^\s<]+")


def _offline_html(page: str) -> str:
    """pyvis' in-line page still links Bootstrap from a CDN (pyvis #228): drop those tags."""
    return _SOURCE_MAP.sub("", _REMOTE_TAG.sub("", page))


@lru_cache(maxsize=1)
def _pyvis_network_class():
    try:
        from pyvis.network import Network
    except ImportError:
        raise ImportError('to_pyvis needs pyvis: pip install pyvis==0.3.2') from None

    class _NotebookNetwork(Network):
        """A pyvis ``Network`` that shows itself in Jupyter, JupyterLab and VS Code.

        The page goes into an ``<iframe srcdoc>``: notebooks that strip scripts from
        HTML output still run an iframe's (pyvis #203), and nothing is written to disk.
        """

        def _repr_html_(self) -> str:
            page = _offline_html(self.generate_html(notebook=False))
            height = self.height if str(self.height).strip() else "600px"
            return (
                f'<iframe srcdoc="{html.escape(page, quote=True)}" '
                f'style="width: 100%; height: calc({height} + 30px); border: 0;" '
                'sandbox="allow-scripts"></iframe>'
            )

    return _NotebookNetwork


def __getattr__(name: str):
    # ``NotebookNetwork`` is built on first use so that importing query does not import pyvis.
    if name == "NotebookNetwork":
        return _pyvis_network_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _tooltip(*lines: Any) -> str:
    return "\n".join(str(line) for line in lines if line not in (None, ""))


def to_pyvis(
    G_sub: nx.MultiDiGraph, *, height: str = "600px", seed: int = 7, **network_kwargs: Any
):
    """A pyvis ``Network`` of the (sub)graph that displays inline when it is a cell's value.

    Node colours follow actor types, edge colours ``relations.yaml``; parallel relations
    curve apart; tooltips are plain text; the layout is seeded, so it repeats.

    >>> net = to_pyvis(ego(_example_graph(), "泽连斯基"))
    >>> len(net.nodes), len(net.edges), net._repr_html_().startswith("<iframe srcdoc=")
    (3, 2, True)
    """
    network_cls = _pyvis_network_class()
    options = {"directed": True, "cdn_resources": "in_line", "height": height}
    options.update(network_kwargs)
    net = network_cls(**options)
    relation_types = {rt.name: rt for rt in load_relation_types()}
    for node, attrs in sorted(G_sub.nodes(data=True), key=lambda item: str(item[0])):
        mentions = int(attrs.get("mentions") or 0)
        net.add_node(
            str(node),
            label=str(attrs.get("label") or node),
            title=_tooltip(attrs.get("label"), attrs.get("name_en"),
                           f"{attrs.get('type')} · {node}", f"mentions: {mentions}"),
            color=ACTOR_TYPE_COLORS.get(str(attrs.get("type")), "#999999"),
            size=round(10 + 3 * math.sqrt(mentions), 2),
        )
    parallel: dict[frozenset, int] = defaultdict(int)
    for u, v, key, attrs in sorted(G_sub.edges(keys=True, data=True), key=lambda e: str(e[2])):
        rt = relation_types.get(attrs.get("type"))
        pair = frozenset((u, v))
        index = parallel[pair]
        parallel[pair] += 1
        net.add_edge(
            str(u), str(v),
            title=_tooltip(f"{rt.label_zh if rt else ''} {attrs.get('type')}".strip(),
                           f"{attrs.get('status')} · {attrs.get('date') or '日期不详'}",
                           attrs.get("sentence"), f"— {attrs.get('article')} ({key})"),
            color=rt.color if rt else "#999999",
            dashes=attrs.get("status") != "occurred",
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.15 * index},
        )
    net.set_options(
        '{"layout": {"randomSeed": %d}, "physics": {"solver": "forceAtlas2Based", '
        '"stabilization": {"iterations": 300}}, "edges": {"arrows": {"to": {"enabled": true}}}, '
        '"interaction": {"hover": true}}' % seed
    )
    return net
