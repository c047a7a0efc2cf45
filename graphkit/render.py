"""An interactive, offline HTML explorer for a graphkit graph: one self-contained file.

pyvis draws the network (vis-network inlined); graphkit adds a plain-JS overlay (``assets/``) for
search, combinable filters, a legend, label language and an evidence panel. Positions are computed
here with a seeded force layout and physics is off, so the page is still as soon as it is drawn and
the same graph always gives byte-identical HTML.

Article text reaches the page only as JSON (``<script type="application/json">`` for graphkit's data,
Jinja's HTML-safe ``tojson`` for pyvis's) with ``<``, ``>``, ``&`` and U+2028/9 escaped, and the
overlay builds DOM with ``textContent`` only. The file holds no ``http(s)://`` at all: pyvis's CDN
tags are removed and ``://`` inside inlined JavaScript and JSON becomes the equivalent ``:\\/\\/``.
"""

from __future__ import annotations

import html
import json
import marshal
import math
import os
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache, partial
from importlib import resources as _res
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graphkit.errors import ExportError
from graphkit.export import atomic_write_chunks
from graphkit.export.common import sorted_edges, sorted_nodes
from graphkit.export.reuse import (
    Context, Items, Piece, checked, digest, plain, write_quietly, writers_fingerprint,
)
from graphkit.resources import load_relation_types
from graphkit.schema import ACTOR_TYPES, STATUSES

__all__ = ["generate_html", "iter_html", "write_html", "NODE_STYLES", "STATUS_STYLES"]

# Actor type → (vis shape, colour, legend glyph drawn in the same shape).
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "PERSON": ("dot", "#9467bd", "●"),
    "GPE": ("diamond", "#17becf", "◆"),
    "ORG": ("square", "#bcbd22", "■"),
    "LOC": ("triangle", "#e377c2", "▲"),
    "WEAPON": ("star", "#8c564b", "★"),
}
# Status → (CSS border style for the legend, vis dashes, edge width). Solid = it happened,
# dashed = it may happen, dotted and thin = it did not / will not.
STATUS_STYLES: dict[str, tuple[str, Any, float]] = {
    "occurred": ("solid", False, 2.5),
    "planned": ("dashed", [10, 6], 2.0),
    "considered": ("dashed", [10, 6], 2.0),
    "requested": ("dashed", [10, 6], 2.0),
    "refused": ("dotted", [3, 4], 2.0),
    "suspended": ("dotted", [3, 4], 2.0),
    "negated": ("dotted", [3, 4], 2.0),
}
FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
              '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
_FALLBACK_COLOR = "#999999"
_SEARCH_STRIP = re.compile(r"[\s·•・‧.]+")  # the overlay's norm() strips the same characters
_SEP = "\n"
_EDGE_PX = 170.0  # drawn length of the median edge
_GRAVITY = 1.0  # pull to the centre; balances repulsion at a radius of about 1 (layout units)
_BLOCK = 128  # layout rows per numpy block: small enough for the CPU's cache


def generate_html(G: nx.MultiDiGraph, *, title: str = "graphkit", seed: int = 7) -> str:
    """The explorer page for ``G`` (as built by ``graph.build_graph``) as one HTML string.

    Pure and deterministic: no timestamps, sorted iteration, positions from ``seed``.
    """
    return "".join(iter_html(G, title=title, seed=seed))


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike, *, title: str = "graphkit",
               seed: int = 7) -> Path:
    """Write the explorer to ``path`` atomically; returns the path."""
    return atomic_write_chunks(path, iter_html(G, title=title, seed=seed))


# Stand-ins for the data while pyvis renders its page: the page is post-processed small, and
# the data is streamed into it record by record (a large graph's page is hundreds of MB of text).
_NODES_MARK, _EDGES_MARK, _DATA_MARK = "gk-nodes-mark", "gk-edges-mark", "gk-data-mark"


def iter_html(G: nx.MultiDiGraph, *, title: str = "graphkit", seed: int = 7) -> Iterator[str]:
    """:func:`generate_html`'s page in chunks."""
    return plain(html_pieces(G, title=title, seed=seed))


def html_pieces(G: nx.MultiDiGraph, *, title: str = "graphkit", seed: int = 7,
                layout_memo: Path | None = None) -> Iterator[str | Piece | Items | Context]:
    """:func:`iter_html`'s page as glue and pieces: pyvis's page around the data, and the
    lists of node and edge records of pyvis's data and of the overlay's. ``layout_memo``: a
    folder where the layout is kept for the next page of a graph with the same structure."""
    keys = [str(k) for _, _, k in G.edges(keys=True)]
    if len(set(keys)) != len(keys):
        dup = sorted(k for k in set(keys) if keys.count(k) > 1)[0]
        raise ExportError(f"relation id {dup!r} is used by more than one edge",
                          hint="give every relation a unique id (graph.build_graph does)")
    rel_meta = _relation_meta(G)
    options = _vis_options(G)
    yield Context(repr((title, sorted(rel_meta.items()), options)))
    positions = _layout(G, seed, layout_memo)
    degree = dict(G.degree())
    pair_keys = _pair_keys(G)
    page = _PageParts(title, options)
    nodes, edges = sorted_nodes(G), sorted_edges(G)
    placed = [(*positions[node_id], degree[node_id]) for node_id, _ in nodes]  # x, y, degree

    def node_text(i: int) -> str:
        x, y, node_degree = placed[i]
        return _pyvis_node_text(*nodes[i], (x, y), node_degree)

    smooths = [_smooth(pair_keys, u, v, key) for u, v, key, _ in edges]

    def edge_text(i: int) -> str:
        u, v, key, e = edges[i]
        return _pyvis_edge_text(G, u, v, key, e, rel_meta[e.get("type")], smooths[i])

    yield Piece(("x", "page-head"), None, partial(page.part, 0))
    yield "["
    yield Items([("n", node_id) for node_id, _ in nodes], node_text, extras=placed, separator=", ")
    yield "]"
    yield Piece(("x", "page-middle"), None, partial(page.part, 1))
    yield "["
    yield Items([("e", key) for _, _, key, _ in edges], edge_text, extras=smooths, separator=", ")
    yield "]"
    yield Piece(("x", "page-before-data"), None, partial(page.part, 2))
    yield from _overlay_pieces(G, rel_meta, title)
    yield Piece(("x", "page-tail"), None, partial(page.part, 3))


class _PageParts:
    """pyvis's page around the data, in four parts (made once, on first use: a re-build
    that copies all four never imports pyvis)."""

    def __init__(self, title: str, options: dict[str, Any]) -> None:
        self.title, self.options = title, options
        self._parts: tuple[str, ...] | None = None

    def part(self, i: int) -> str:
        if self._parts is None:
            self._parts = _page_parts(self.title, self.options)
        return self._parts[i]


def _page_parts(title: str, options: dict[str, Any]) -> tuple[str, str, str, str]:
    from pyvis.network import Network  # heavy import, only needed here

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.options = options
    net.nodes, net.edges = [{"id": _NODES_MARK}], [{"id": _EDGES_MARK}]
    page = _strip_cdn(net.generate_html())
    page = page.replace("://", ":\\/\\/")  # inlined JS: same strings, no URL
    page = _inject(page, title, _DATA_MARK)
    if "://" in page or "popup.innerhtml" in page.lower():
        raise AssertionError("render: an URL or pyvis's innerHTML tooltip survived post-processing")
    head, rest = _split_once(page, _pyvis_json([{"id": _NODES_MARK}]))
    middle, rest = _split_once(rest, _pyvis_json([{"id": _EDGES_MARK}]))
    before_data, tail = _split_once(rest, _DATA_MARK)
    return head, middle, before_data, tail


def _pyvis_node_text(node_id: Any, a: dict[str, Any], position: tuple[int, int], degree: int) -> str:
    """The node record pyvis's ``Network.add_node`` makes, as its template writes it."""
    shape, color, _ = NODE_STYLES.get(a.get("type"), ("dot", _FALLBACK_COLOR, "●"))
    return _pyvis_json_item({
        "id": node_id, "label": str(a.get("label") or node_id), "shape": shape, "color": color,
        "size": _node_size(a.get("mentions") or 0, degree), "x": position[0], "y": position[1],
        "title": _plain_tooltip(_node_tooltip(a))})


def _pyvis_edge_text(G: nx.MultiDiGraph, u: Any, v: Any, key: Any, e: dict[str, Any], meta: dict[str, Any],
                     smooth: Any) -> str:
    """The edge record pyvis's ``Edge`` makes (``from``/``to`` and the options given)."""
    width, dashes = STATUS_STYLES.get(e.get("status"), ("solid", False, 2.0))[2:0:-1]
    return _pyvis_json_item({
        "from": u, "to": v, "id": key,
        "color": {"color": meta["color"], "highlight": meta["color"], "hover": meta["color"]},
        "width": width, "dashes": dashes, "smooth": smooth,
        "arrows": {"to": {"enabled": not meta["symmetric"]}},
        "title": _plain_tooltip(_edge_tooltip(G, u, v, e, meta))})


def _split_once(page: str, marker: str) -> tuple[str, str]:
    """The page before and after ``marker``, which must occur exactly once (inlined libraries
    must not contain the template's markers)."""
    count = page.count(marker)
    if count != 1:
        raise ExportError(f"pyvis's page template changed: {marker!r} occurs {count} times",
                          hint="install pyvis==0.3.2 (the pinned version)")
    before, after = page.split(marker)
    return before, after


# Jinja's ``|tojson`` (what pyvis's template applies): json.dumps with sorted keys, then
# ``< > & '`` as \u escapes. The page's markers are found with it, so a Jinja that wrote
# otherwise would stop the build rather than change the page.
_PYVIS_ENCODER = json.JSONEncoder(sort_keys=True)
_TOJSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"))


def _pyvis_json(items: list) -> str:
    return "[" + ", ".join(map(_pyvis_json_item, items)) + "]"


def _pyvis_json_item(item: Any) -> str:
    """One item as ``|tojson`` writes it, with ``://`` written ``:\\/\\/`` so the page names no URL."""
    text = _PYVIS_ENCODER.encode(item)
    for raw, escaped in _TOJSON_ESCAPES:
        if raw in text:
            text = text.replace(raw, escaped)
    return text.replace("://", ":\\/\\/") if "://" in text else text


# ---------------------------------------------------------------------------- layout and style


def _layout(G: nx.MultiDiGraph, seed: int, memo_dir: Path | None = None) -> dict[Any, tuple[int, int]]:
    """Fruchterman–Reingold on the undirected simple projection, seeded, in pixels.

    Our own dense numpy version: networkx's needs scipy above 500 nodes. A weak pull to the
    centre keeps components and isolated actors near the rest. With ``memo_dir``, positions
    are kept there under a digest of the nodes, pairs and seed: a graph whose new relations
    join actors already joined has the same layout, and a re-build need not compute it.
    """
    nodes = sorted(G.nodes)
    n = len(nodes)
    if n <= 1:
        return {v: (0, 0) for v in nodes}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v]))
                    for u, v in G.edges() if u != v})
    if memo_dir is None:
        return _positions(nodes, pairs, seed)
    memo = memo_dir / f"layout.{digest((writers_fingerprint(), nodes, pairs, seed)).hex()}"
    try:
        xy = marshal.loads(checked(memo.read_bytes()))
        if type(xy) is list and len(xy) == n:
            return dict(zip(nodes, map(tuple, xy)))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    positions = _positions(nodes, pairs, seed)
    for old in memo_dir.glob("layout.*"):  # one layout kept: the latest graph's
        old.unlink(missing_ok=True)
    write_quietly(memo, marshal.dumps([positions[v] for v in nodes]))
    return positions


def _positions(nodes: list, pairs: list[tuple[int, int]], seed: int) -> dict[Any, tuple[int, int]]:
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    rows = np.array([p[0] for p in pairs], dtype=np.intp)
    cols = np.array([p[1] for p in pairs], dtype=np.intp)
    pos = np.random.default_rng(seed).random((n, 2)) - 0.5
    k = math.sqrt(1.0 / n)
    iterations = max(10, min(50, 100_000_000 // (n * n)))  # O(n²) each: fewer when large
    temp = 0.1
    cool = temp / (iterations + 1)
    disp = np.empty_like(pos)
    for _ in range(iterations):
        _repulsion(pos, k * k, disp)
        # attraction along edges only: −(d/k)·delta on one end, +(d/k)·delta on the other
        delta = pos[rows] - pos[cols]
        pull = np.maximum(np.sqrt((delta * delta).sum(axis=1)), 0.01) / k
        for axis in (0, 1):
            w = delta[:, axis] * pull
            disp[:, axis] -= np.bincount(rows, weights=w, minlength=n)
            disp[:, axis] += np.bincount(cols, weights=w, minlength=n)
        disp -= _GRAVITY * pos
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 0.01)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    pos -= pos.mean(axis=0)
    # Pixels: the median edge (or k, without edges) becomes _EDGE_PX long, whatever the size.
    lengths = np.sqrt(((pos[rows] - pos[cols]) ** 2).sum(axis=1))
    scale = _EDGE_PX / max(float(np.median(lengths)) if len(lengths) else k, 1e-9)
    return {v: (int(round(pos[i, 0] * scale)), int(round(pos[i, 1] * scale)))
            for v, i in index.items()}


def _repulsion(pos: np.ndarray, k2: float, disp: np.ndarray) -> None:
    """``disp[i] = Σ_j k²·(p_i − p_j)/|p_i − p_j|²``, the layout's O(n²) cost. Each pair is
    computed once (the force on the other end is the same, reversed), in row blocks small
    enough to stay in cache, in float32 (half the memory traffic)."""
    n = len(pos)
    x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
    k2 = np.float32(k2)
    fx, fy = np.zeros(n, np.float32), np.zeros(n, np.float32)
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        dx = np.subtract.outer(x[lo:hi], x[lo:])  # this block against itself and all after it
        dy = np.subtract.outer(y[lo:hi], y[lo:])
        inv = dx * dx
        inv += dy * dy
        np.maximum(inv, np.float32(1e-4), out=inv)  # distance ≥ 0.01
        np.divide(k2, inv, out=inv)
        dx *= inv
        dy *= inv
        fx[lo:hi] += dx.sum(axis=1)
        fy[lo:hi] += dy.sum(axis=1)
        fx[hi:] -= dx[:, hi - lo:].sum(axis=0)
        fy[hi:] -= dy[:, hi - lo:].sum(axis=0)
    disp[:, 0] = fx
    disp[:, 1] = fy


def _node_tooltip(a: dict[str, Any]) -> str:
    name_en = f" / {a['name_en']}" if a.get("name_en") else ""
    return f"{a.get('label')}{name_en}\n{a.get('type')} · {a.get('mentions') or 0} mentions"


def _edge_tooltip(G: nx.MultiDiGraph, u: Any, v: Any, e: dict[str, Any], meta: dict) -> str:
    arrow = " ↔ " if meta["symmetric"] else " → "
    date = f" · {e['date']}" if e.get("date") else ""
    return (f"{G.nodes[u].get('label')}{arrow}{G.nodes[v].get('label')}\n"
            f"{meta['label_zh']} {meta['label_en']} · {e.get('status')}{date}")


def _plain_tooltip(text: str) -> str:
    """vis shows a string title as text (innerText), but pyvis switches every node tooltip to
    innerHTML when one contains "href"; a word joiner keeps that from happening."""
    return text.replace("href", "hre\u2060f")


def _node_size(mentions: int, degree: int) -> int:
    weight = mentions if mentions > 0 else degree
    return int(min(40, 10 + 4 * math.sqrt(weight)))


def _pair_keys(G: nx.MultiDiGraph) -> dict[tuple[str, str], list[str]]:
    """Relation ids of each unordered pair (either direction), sorted."""
    keys: dict[tuple[str, str], list[str]] = {}
    for u, v, key in G.edges(keys=True):
        pair = (str(u), str(v)) if str(u) <= str(v) else (str(v), str(u))
        keys.setdefault(pair, []).append(str(key))
    for ids in keys.values():
        ids.sort()
    return keys


def _smooth(pair_keys: dict[tuple[str, str], list[str]], u: Any, v: Any, key: Any) -> Any:
    """Fan parallel edges (either direction) so each stays visible; a lone edge is straight.

    Edges of a pair get offsets 0, +1, -1, +2, ... in key order; the sign is taken relative to the
    pair's sorted direction, so an edge and its reverse never bend onto each other.
    """
    a, b = sorted((str(u), str(v)))
    keys = pair_keys[(a, b)]
    if len(keys) == 1 or u == v:
        return False
    i = bisect_left(keys, str(key))
    offset = (i + 1) // 2 * (1 if i % 2 else -1)
    if offset == 0:
        return False
    step = min(0.2, 0.9 / ((len(keys) + 1) // 2))
    clockwise = (offset > 0) == ((str(u), str(v)) == (a, b))
    return {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": round(abs(offset) * step, 3)}


def _vis_options(G: nx.MultiDiGraph) -> dict[str, Any]:
    big = G.number_of_edges() > 1500
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big},
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "strokeWidth": 3,
                           "strokeColor": "#ffffff"}, "borderWidth": 1},
        "edges": {"smooth": False, "selectionWidth": 2, "arrows": {"to": {"scaleFactor": 0.6}}},
    }


def _relation_meta(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """relations.yaml entries by name, plus a grey fallback for any type the file lacks."""
    meta = {r.name: {"name": r.name, "label_zh": r.label_zh, "label_en": r.label_en,
                     "color": r.color, "symmetric": r.symmetric} for r in load_relation_types()}
    for _, _, t in G.edges(data="type"):
        meta.setdefault(t, {"name": t, "label_zh": str(t), "label_en": str(t),
                            "color": _FALLBACK_COLOR, "symmetric": False})
    return meta


# ---------------------------------------------------------------------------- overlay data


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _t2s(text: str) -> str:
    return _converter("t2s").convert(text)


def _fold(text: str) -> str:
    """Search form: NFKC, lower case, no spaces or middle dots, simplified script."""
    return _t2s(_SEARCH_STRIP.sub("", unicodedata.normalize("NFKC", text).lower()))


def _search_text(a: dict[str, Any]) -> str:
    names = [a.get("label") or "", a.get("name_en") or "", *(a.get("aliases") or ())]
    forms = {f for name in names if (f := _fold(str(name)))}
    return _SEP.join(sorted(forms))


def _fold_map(names: list[str]) -> dict[str, str]:
    """Traditional → simplified for the characters a query needs to match this graph.

    The browser has no OpenCC, so the page carries, for each character of the names, its own
    simplified form and the traditional variants of that form.
    """
    chars = sorted(set("".join(names)) - {"\n"})
    simple = _convert_each("t2s", chars)
    variants = [_convert_each(config, simple) for config in ("s2t", "s2tw", "s2hk")]
    candidates = sorted({v for ch, *vs in zip(chars, *variants) for v in (ch, *vs) if len(v) == 1})
    return {v: s for v, s in zip(candidates, _convert_each("t2s", candidates)) if s != v}


def _fold_map_json(names: list[str]) -> str:
    return _json_for_html(_fold_map(names))


def _convert_each(config: str, texts: list[str]) -> list[str]:
    """Each text converted on its own, in one OpenCC call: phrases never span a line break."""
    return _converter(config).convert("\n".join(texts)).split("\n") if texts else []


def _group_key(u: Any, v: Any, rel_type: str, symmetric: bool) -> tuple[str, str, str]:
    a, b = (str(u), str(v))
    if symmetric and b < a:
        a, b = b, a
    return (a, rel_type, b)


def _overlay_pieces(G: nx.MultiDiGraph, rel_meta: dict[str, dict[str, Any]], title: str) -> Iterator[str | Piece | Items]:
    """The overlay's data as :func:`_json_for_html` writes it (keys sorted): its node and
    edge records as lists, the rest as pieces."""
    nodes = sorted_nodes(G)
    edges = sorted_edges(G)
    # A group (same ends and type) is named by its first relation's id, not numbered: a new or
    # removed relation then renames at most its own group, and a re-build copies the rest.
    groups: dict[tuple[str, str, str], str] = {}
    edge_groups = [groups.setdefault(_group_key(u, v, e.get("type"), rel_meta[e.get("type")]["symmetric"]), str(key))
                   for u, v, key, e in edges]
    present_nt = {a.get("type") for _, a in nodes}
    present_rt = {e.get("type") for _, _, _, e in edges}
    present_st = {e.get("status") for _, _, _, e in edges}
    dates = sorted(e.get("date") for _, _, _, e in edges if e.get("date"))
    names = [name for node_id, a in nodes for name in (str(a.get("label") or node_id), *(a.get("aliases") or ()))]
    data = {
        "dateRange": [dates[0][:10], dates[-1][:10]] if dates else None,
        "edges": Items([("e", key, "overlay") for _, _, key, _ in edges],
                       lambda i: _overlay_edge_text(*edges[i], edge_groups[i]),
                       elements=[("e", key) for _, _, key, _ in edges], extras=edge_groups, separator=","),
        "fold": Piece(("x", "fold"), "".join(sorted(set("".join(names)))), partial(_fold_map_json, names)),
        "nodeTypes": [{"name": t, "shape": s, "color": c, "glyph": g}
                      for t, (s, c, g) in NODE_STYLES.items() if t in present_nt]
        + [{"name": t, "shape": "dot", "color": _FALLBACK_COLOR, "glyph": "●"}
           for t in sorted(present_nt - set(ACTOR_TYPES), key=str)],
        "nodes": Items([("n", node_id, "overlay") for node_id, _ in nodes], lambda i: _overlay_node_text(*nodes[i]),
                       elements=[("n", node_id) for node_id, _ in nodes], separator=","),
        "relTypes": [m for name, m in rel_meta.items() if name in present_rt],
        "statuses": [{"name": s, "style": STATUS_STYLES[s][0]} for s in STATUSES if s in present_st]
        + [{"name": s, "style": "solid"} for s in sorted(present_st - set(STATUSES), key=str)],
        "title": title,
    }
    yield "{"
    for i, key in enumerate(data):  # in sorted order, as json's sort_keys writes them
        prefix = ("," if i else "") + _json_for_html(key) + ":"
        value = data[key]
        if type(value) is Items:
            yield prefix + "["
            yield value
            yield "]"
        elif type(value) is Piece:
            yield prefix
            yield value
        else:
            yield prefix + _json_for_html(value)
    yield "}"


def _overlay_node_text(node_id: Any, a: dict[str, Any]) -> str:
    return _json_for_html({
        "id": node_id, "label": str(a.get("label") or node_id), "name_en": a.get("name_en"),
        "type": a.get("type"), "aliases": list(a.get("aliases") or ()),
        "articles": list(a.get("articles") or ()), "mentions": a.get("mentions") or 0,
        "search": _search_text(a),
    })


def _overlay_edge_text(u: Any, v: Any, key: Any, e: dict[str, Any], group: str) -> str:
    return _json_for_html({
        "id": key, "source": u, "target": v, "type": e.get("type"), "status": e.get("status"),
        "date": e.get("date"), "article": e.get("article"), "article_date": e.get("article_date"),
        "sentence": e.get("sentence"), "start": e.get("start"), "end": e.get("end"),
        "weapons": list(e.get("weapons") or ()), "quantity": e.get("quantity"),
        "role": e.get("role"), "attribution": e.get("source_attribution"), "group": group,
    })


_JSON_FOR_HTML = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_HTML_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("://", ":\\/\\/"))


def _json_for_html(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element, start a comment or name an URL."""
    text = _JSON_FOR_HTML.encode(data)
    for raw, escaped in _HTML_ESCAPES:
        if raw in text:
            text = text.replace(raw, escaped)
    return text


# ---------------------------------------------------------------------------- page assembly


def _asset(name: str) -> str:
    return _res.files("graphkit").joinpath("assets", name).read_text(encoding="utf-8")


def _strip_cdn(page: str) -> str:
    """Remove pyvis's Bootstrap tags (CDN, pyvis #228), its empty headings and dead comment."""
    page = re.sub(r'<link\b[^>]*href="https?://[^"]*"[^>]*>', "", page)
    page = re.sub(r'<script\b[^>]*src="https?://[^"]*"[^>]*>\s*</script>', "", page)
    page = re.sub(r"<!--\s*<link.*?-->", "", page, flags=re.S)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    return page


def _inject(page: str, title: str, data_json: str) -> str:
    safe_title = html.escape(title).replace("/", "&#47;")
    head = (f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{safe_title}</title>\n<style>{_asset('explorer.css')}</style>\n")
    sidebar = _asset("explorer.html").replace("{{title}}", safe_title)
    tail = (f'<script type="application/json" id="graphkit-data">{data_json}</script>\n'
            f"<script>{_asset('explorer.js')}</script>\n")
    page = _replace_once(page, "<html>", '<!DOCTYPE html>\n<html lang="zh-CN">')
    page = _replace_once(page, "</head>", head + "</head>")
    page = _replace_once(page, "<body>", "<body>\n" + sidebar)
    return _replace_once(page, "</body>", tail + "</body>")


def _replace_once(page: str, marker: str, new: str) -> str:
    before, after = _split_once(page, marker)
    return before + new + after
