"""The HTML explorer without a browser: offline, deterministic, escaped, complete.

``fixture_graph`` is shared with ``test_browser.py``.
"""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from graphkit.errors import ExportError
from graphkit.graph import build_graph
from graphkit.render import NODE_STYLES, STATUS_STYLES, generate_html, write_html
from graphkit.resources import load_relation_types
from graphkit.schema import Actor, Relation

XSS = ('<script>alert(1)</script><img src=x onerror=alert(1)></script>javascript:alert(1)'
       '<a href="javascript:alert(2)">x</a>&amp;\u2028')


def fixture_graph() -> nx.MultiDiGraph:
    """Every relation type, several statuses and dates, parallel edges, an XSS actor and sentence."""
    actors = [
        Actor(id="trump", label="特朗普", type="PERSON", name_en="Donald Trump",
              aliases=("特朗普", "川普", "Donald Trump", "唐納·川普"), articles=("a1", "a2"), mentions=9),
        Actor(id="putin", label="普京", type="PERSON", name_en="Vladimir Putin",
              aliases=("普京", "普丁"), articles=("a1", "a3"), mentions=6),
        Actor(id="zelensky", label="泽连斯基", type="PERSON", name_en="Volodymyr Zelensky",
              aliases=("泽连斯基", "澤倫斯基"), articles=("a2",), mentions=5),
        Actor(id="ukraine", label="乌克兰", type="GPE", name_en="Ukraine", aliases=("乌克兰", "烏克蘭"),
              articles=("a2",), mentions=4),
        Actor(id="us", label="美国", type="GPE", name_en="United States", aliases=("美国", "美國", "美方"),
              articles=("a1", "a2"), mentions=7),
        Actor(id="tomahawk", label="战斧导弹", type="WEAPON", name_en="Tomahawk", aliases=("战斧", "戰斧"),
              articles=("a2",), mentions=2),
        Actor(id="nato", label="北约", type="ORG", aliases=("北约", "北約"), articles=("a3",), mentions=1),
        Actor(id="xss", label=XSS, type="ORG", name_en="javascript:alert(1)", aliases=(XSS,),
              articles=("<img src=x onerror=alert(1)>",), mentions=1),
        Actor(id="lonely", label="孤岛", type="LOC", articles=("a3",), mentions=1),
    ]

    def rel(i, s, t, typ, status, date, art="a1", sent="特朗普与普京举行会晤。", **kw):
        return Relation(id=f"r{i:02d}", source=s, target=t, type=typ, status=status, date=date,
                        article=art, sentence=sent, start=3, end=3 + len(sent),
                        article_date="2025-03-20", **kw)

    relations = [
        rel(1, "trump", "putin", "meets", "occurred", "2025-03-14"),
        rel(2, "trump", "putin", "meets", "planned", "2025-05", art="a2", sent="特朗普计划五月再次会见普京。"),
        rel(3, "putin", "trump", "meets", "occurred", "2025-03-14", art="a3", sent="普京与特朗普会面。"),
        rel(4, "trump", "zelensky", "calls", "occurred", "2025-03-18", sent="特朗普与泽连斯基通电话。"),
        rel(5, "us", "ukraine", "sells-weapons-to", "considered", "2025-04-02", art="a2",
            sent="美国考虑向乌克兰出售战斧导弹。", weapons=("tomahawk",), quantity="20枚",
            source_attribution="路透社"),
        rel(6, "us", "ukraine", "provides-military-aid-to", "suspended", None, art="a2",
            sent="美国暂停对乌军援。"),
        rel(7, "trump", "us", "affiliated-with", "occurred", None, sent="美国总统特朗普表示。", role="总统"),
        rel(8, "us", "ukraine", "sells-weapons-to", "refused", "2024-11-01", art="a3",
            sent="美国拒绝向乌克兰出售战斧。", weapons=("tomahawk",)),
        rel(9, "zelensky", "ukraine", "affiliated-with", "occurred", None, sent="乌克兰总统泽连斯基说。",
            role="总统"),
        rel(10, "putin", "zelensky", "calls", "negated", "2025-02", art="a3", sent="普京没有与泽连斯基通话。"),
        rel(11, "xss", "nato", "meets", "requested", "2025-01-05", art="<script>alert(1)</script>",
            sent=XSS + " 详见 https://evil.example/x HTTP://EVIL.EXAMPLE"),
        rel(12, "nato", "ukraine", "provides-military-aid-to", "occurred", "2025-03", art="a3",
            sent="北约向乌克兰提供军援。"),
    ]
    return build_graph(actors, relations)


def random_graph(n: int = 1000, m: int = 3000, seed: int = 1) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    types = [r.name for r in load_relation_types()]
    actors = [Actor(id=f"n{i:04d}", label=f"节点{i}", type=rng.choice(list(NODE_STYLES)),
                    name_en=f"Node {i}", aliases=(f"節點{i}",), articles=(f"a{i % 50}",),
                    mentions=rng.randint(0, 30)) for i in range(n)]
    relations = []
    for j in range(m):
        s, t = rng.sample(range(n), 2)
        date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.7 else None
        relations.append(Relation(
            id=f"r{j:05d}", source=f"n{s:04d}", target=f"n{t:04d}", type=rng.choice(types),
            status=rng.choice(list(STATUS_STYLES)), date=date, article=f"a{j % 50}",
            sentence=f"句子{j}。", start=0, end=4))
    return build_graph(actors, relations)


def overlay_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="graphkit-data">(.*?)</script>', page, re.S)
    assert m, "graphkit's JSON data island is missing"
    return json.loads(m.group(1))


def vis_dataset(page: str, name: str) -> list[dict]:
    m = re.search(rf"{name} = new vis\.DataSet\((.*?)\);\n", page)
    assert m, f"pyvis's {name} DataSet is missing"
    return json.loads(m.group(1))


def start_tags(page: str) -> list[tuple[str, dict]]:
    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    collector = Collector()
    collector.feed(page)
    return collector.tags


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return fixture_graph()


@pytest.fixture(scope="module")
def page(graph) -> str:
    return generate_html(graph, title="冲突 <b>graph</b> https://x.example")


def test_page_has_no_url_at_all(page):
    assert not re.search(r"(?i)https?://", page)
    assert "://" not in page
    assert "<link" not in page and "bootstrap" not in page.lower()


def test_inlined_javascript_strings_keep_their_meaning(page):
    # vis-network builds SVG with this namespace; ":\/\/" is the same JS string.
    assert 'createElementNS("http:\\/\\/www.w3.org/2000/svg"' in page


def test_same_graph_gives_identical_bytes(graph, page):
    again = generate_html(fixture_graph(), title="冲突 <b>graph</b> https://x.example")
    assert again == page
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(sorted(graph.nodes(data=True), reverse=True))
    shuffled.add_edges_from(sorted(graph.edges(keys=True, data=True), key=lambda e: e[2], reverse=True))
    assert generate_html(shuffled, title="冲突 <b>graph</b> https://x.example") == page


def test_seed_moves_the_layout_but_not_the_data(graph, page):
    other = generate_html(graph, title="冲突 <b>graph</b> https://x.example", seed=8)
    positions = lambda p: {n["id"]: (n["x"], n["y"]) for n in vis_dataset(p, "nodes")}  # noqa: E731
    assert positions(other) != positions(page)
    assert overlay_data(other) == overlay_data(page)


def test_article_strings_are_never_raw_html(page):
    for raw in ("<script>alert", "<img", "<a href", "<b>graph", "\u2028"):
        assert raw not in page
    # parsed as a browser would: only the page's own elements, no injected script/img/a
    tags = start_tags(page)
    assert [attrs for tag, attrs in tags if tag == "script"] == [
        {}, {}, {"type": "text/javascript"}, {"type": "application/json", "id": "graphkit-data"}, {}]
    assert not {"img", "a", "b", "iframe"} & {tag for tag, _ in tags}
    assert "popup.innerHTML" not in page  # pyvis's HTML tooltip mode stayed off
    assert "<title>冲突 &lt;b&gt;graph&lt;&#47;b&gt; https:&#47;&#47;x.example</title>" in page


def test_json_island_round_trips_the_hostile_text(page):
    data = overlay_data(page)
    edge = next(e for e in data["edges"] if e["id"] == "r11")
    assert edge["sentence"].startswith(XSS)
    assert "https://evil.example/x HTTP://EVIL.EXAMPLE" in edge["sentence"]
    assert edge["article"] == "<script>alert(1)</script>"
    node = next(n for n in data["nodes"] if n["id"] == "xss")
    assert node["label"] == XSS and node["articles"] == ["<img src=x onerror=alert(1)>"]
    island = re.search(r'id="graphkit-data">(.*?)</script>', page, re.S).group(1)
    assert not set("<>&") & set(island)


def test_embedded_counts_and_ids_equal_the_graph(graph, page):
    data = overlay_data(page)
    assert [n["id"] for n in data["nodes"]] == sorted(graph.nodes)
    assert [e["id"] for e in data["edges"]] == sorted(k for _, _, k in graph.edges(keys=True))
    assert [n["id"] for n in vis_dataset(page, "nodes")] == sorted(graph.nodes)
    assert sorted(e["id"] for e in vis_dataset(page, "edges")) == sorted(
        k for _, _, k in graph.edges(keys=True))
    assert len(data["nodes"]) == 9 and len(data["edges"]) == 12


def test_legend_lists_exactly_the_types_present(page):
    data = overlay_data(page)
    assert [t["name"] for t in data["nodeTypes"]] == ["PERSON", "GPE", "ORG", "LOC", "WEAPON"]
    assert [r["name"] for r in data["relTypes"]] == [r.name for r in load_relation_types()]
    assert [s["name"] for s in data["statuses"]] == [
        "occurred", "planned", "considered", "requested", "refused", "suspended", "negated"]
    small = build_graph([Actor(id="a", label="甲", type="PERSON"), Actor(id="b", label="乙", type="GPE")],
                        [Relation(id="r", source="a", target="b", type="calls", status="planned",
                                  article="x", sentence="甲乙通话。", start=0, end=5)])
    data = overlay_data(generate_html(small))
    assert ([t["name"] for t in data["nodeTypes"]], [r["name"] for r in data["relTypes"]],
            [s["name"] for s in data["statuses"]]) == (["PERSON", "GPE"], ["calls"], ["planned"])
    assert data["dateRange"] is None


# fmt: off
EDGE_STYLE_CASES = [
    # id,   colour of type,              dashes,  arrow
    ("r01", "meets",                     False,   False),
    ("r02", "meets",                     [10, 6], False),
    ("r05", "sells-weapons-to",          [10, 6], True),
    ("r06", "provides-military-aid-to",  [3, 4],  True),
    ("r07", "affiliated-with",           False,   True),
    ("r10", "calls",                     [3, 4],  False),
]
# fmt: on


@pytest.mark.parametrize(("edge_id", "rel_type", "dashes", "arrow"), EDGE_STYLE_CASES)
def test_edges_are_drawn_by_type_and_status(page, edge_id, rel_type, dashes, arrow):
    colors = {r.name: r.color for r in load_relation_types()}
    edge = next(e for e in vis_dataset(page, "edges") if e["id"] == edge_id)
    assert edge["color"]["color"] == colors[rel_type]
    assert edge["dashes"] == dashes
    assert edge["arrows"]["to"]["enabled"] is arrow


def test_parallel_edges_fan_out_and_lone_edges_are_straight(page):
    edges = {e["id"]: e for e in vis_dataset(page, "edges")}
    fan = [edges[i]["smooth"] for i in ("r01", "r02", "r03")]  # trump–putin, both directions
    assert fan[0] is False
    assert all(isinstance(s, dict) and s["roundness"] > 0 for s in fan[1:])
    # r02 (trump→putin) and r03 (putin→trump) bend to opposite sides: same sweep after reversal
    assert fan[1]["roundness"] == fan[2]["roundness"] and fan[1]["type"] == fan[2]["type"]
    assert edges["r04"]["smooth"] is False


def test_nodes_are_shaped_coloured_and_sized(page):
    nodes = {n["id"]: n for n in vis_dataset(page, "nodes")}
    for node_id, actor_type in [("trump", "PERSON"), ("us", "GPE"), ("nato", "ORG"),
                                ("lonely", "LOC"), ("tomahawk", "WEAPON")]:
        shape, color, _ = NODE_STYLES[actor_type]
        assert (nodes[node_id]["shape"], nodes[node_id]["color"]) == (shape, color)
    assert nodes["trump"]["size"] > nodes["nato"]["size"]
    assert len({(n["x"], n["y"]) for n in nodes.values()}) == len(nodes)  # no two on one spot


def test_search_strings_fold_script_case_and_separators(page):
    data = overlay_data(page)
    trump = next(n for n in data["nodes"] if n["id"] == "trump")["search"].split("\n")
    assert {"特朗普", "川普", "donaldtrump", "唐纳川普"} <= set(trump)
    assert data["fold"]["澤"] == "泽" and data["fold"]["納"] == "纳"


def test_tooltips_are_plain_text_even_with_href(page):
    xss = next(n for n in vis_dataset(page, "nodes") if n["id"] == "xss")
    assert "href" not in xss["title"] and "hre\u2060f" in xss["title"]


def test_empty_and_unknown_type_graphs_render():
    assert overlay_data(generate_html(nx.MultiDiGraph()))["nodes"] == []
    G = nx.MultiDiGraph()
    G.add_node("a", label="甲", type="PERSON", name_en=None, aliases=[], articles=[], mentions=0)
    G.add_edge("a", "a", key="r1", type="funds", status="occurred", date=None, article="x",
               sentence="甲。", start=0, end=2, weapons=[], quantity=None, role=None,
               source_attribution=None, article_date=None)
    data = overlay_data(generate_html(G))
    assert data["relTypes"] == [{"name": "funds", "label_zh": "funds", "label_en": "funds",
                                 "color": "#999999", "symmetric": False}]


def test_a_relation_id_used_twice_is_refused():
    G = nx.MultiDiGraph()
    for node in "ab":
        G.add_node(node, label=node, type="PERSON")
    G.add_edge("a", "b", key="r1", type="calls", status="occurred")
    G.add_edge("b", "a", key="r1", type="calls", status="occurred")
    with pytest.raises(ExportError, match="relation id 'r1' is used by more than one edge"):
        generate_html(G)


def test_write_html_writes_the_generated_page(tmp_path, graph):
    path = write_html(graph, tmp_path / "out" / "graph.html", title="t")
    assert path == tmp_path / "out" / "graph.html"
    assert path.read_text(encoding="utf-8") == generate_html(graph, title="t")
