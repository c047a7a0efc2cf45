"""graphkit.export: every format read back by an independent reader, bytes stable."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest

from graphkit import export
from graphkit.errors import ExportError
from graphkit.graph import build_graph
from graphkit.schema import Actor, Relation

HERE = Path(__file__).resolve().parent
XSS = '</script><script>alert("x")</script> & <b>'
UNSAFE_ID = "gpe:usa<sells-weapons-to:a3:0>gpe:ukraine"  # STYLE.md's relation id shape


def make_graph() -> nx.MultiDiGraph:
    actors = [
        Actor(id="person:donald-trump", label="特朗普", type="PERSON", name_en="Donald Trump",
              aliases=("川普", "特朗普", "唐纳德·特朗普"), articles=("a1", "a2"), mentions=12),
        Actor(id="gpe:ukraine", label="乌克兰", type="GPE", name_en="Ukraine",
              aliases=("乌克兰", "烏克蘭"), articles=("a1",), mentions=5),
        Actor(id="gpe:usa", label="美国", type="GPE", name_en="United States",
              aliases=("美国", "美方"), articles=("a1", "a2", "a3"), mentions=7),
        Actor(id="person:zh-1a2b3c4d5e", label=XSS, type="PERSON", articles=("a2",), mentions=1),
        Actor(id="weapon:patriot", label="爱国者导弹", type="WEAPON", name_en="Patriot",
              aliases=("爱国者",), mentions=0),
    ]
    relations = [
        # parallel: same pair, same type, three relations (one with an unsafe id)
        Relation(id="r1", source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="occurred", date="2024-02", article="a1",
                 sentence="美国向乌克兰出售爱国者导弹。", start=0, end=14,
                 weapons=("weapon:patriot",), quantity="3套"),
        Relation(id="r2", source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="planned", date="2024-05-02", article="a2",
                 sentence="美国计划向乌克兰出售更多导弹，“尽快”交付。", start=3, end=24),
        Relation(id=UNSAFE_ID, source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="considered", date="2023", article="a3", sentence="美方考虑军售", start=0,
                 end=6, source_attribution="路透社"),
        # undated, with the XSS-ish sentence
        Relation(id="r3", source="person:donald-trump", target="person:zh-1a2b3c4d5e",
                 type="meets", status="occurred", date=None, article="a2", sentence=XSS,
                 start=5, end=40, role="总统"),
        Relation(id="r4", source="person:donald-trump", target="gpe:usa", type="affiliated-with",
                 status="occurred", date="2024-01-20", article="a1", sentence="美国总统特朗普",
                 start=0, end=7, article_date="2024-01-21"),
    ]
    return build_graph(actors, relations)


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return make_graph()


@pytest.fixture(scope="module")
def schema():
    etree = pytest.importorskip("lxml.etree")
    return etree.XMLSchema(etree.parse(str(HERE / "graphml.xsd")))


def _edges(G):
    return sorted(G.edges(keys=True, data=True), key=lambda e: e[2])


def _nodes(G):
    return sorted(G.nodes(data=True))


# --------------------------------------------------------------------------- JSON


def test_node_link_round_trip(G):
    H = export.graph_from_node_link(export.to_node_link(G))
    assert _nodes(H) == _nodes(G)
    assert _edges(H) == _edges(G)


def test_node_link_contract(G):
    data = export.to_node_link(G)
    assert (data["directed"], data["multigraph"]) == (True, True)
    assert [n["id"] for n in data["nodes"]] == sorted(G.nodes)
    assert [e["key"] for e in data["edges"]] == sorted(k for *_, k in G.edges(keys=True))
    assert set(data["nodes"][0]) == {"id", "label", "type", "name_en", "aliases", "articles",
                                     "mentions"}
    assert set(data["edges"][0]) == {
        "source", "target", "key", "type", "status", "date", "article", "sentence", "start",
        "end", "weapons", "role", "quantity", "source_attribution", "article_date"}
    nx_graph = nx.node_link_graph(data, edges="edges")  # networkx reads our contract
    assert nx_graph.number_of_edges() == 5 and nx_graph.is_multigraph()


def test_json_text_is_readable_utf8(G, tmp_path):
    text = export.generate_json_text(G)
    assert "特朗普" in text and "\\u" not in text
    assert text.endswith("}\n") and text.startswith('{\n "directed": true')
    path = export.write_json(G, tmp_path / "graph.json")
    assert path.read_text(encoding="utf-8") == text
    H = export.read_graph(path)
    assert _nodes(H) == _nodes(G) and _edges(H) == _edges(G)


def test_read_graph_errors_name_the_file(tmp_path):
    bad = tmp_path / "graph.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ExportError, match=re.escape(str(bad))):
        export.read_graph(bad)
    wrong = tmp_path / "graph.json"
    wrong.write_text('{"nodes": []}', encoding="utf-8")
    with pytest.raises(ExportError, match="not a graphkit node-link graph"):
        export.read_graph(wrong)
    with pytest.raises(ExportError, match="unknown graph format"):
        export.read_graph(tmp_path / "graph.txt")
    with pytest.raises(ExportError, match="cannot read graph"):
        export.read_graph(tmp_path / "missing.json")


# --------------------------------------------------------------------------- flatten


def test_flatten_attrs_is_graphml_safe_copy(G):
    H = export.flatten_attrs(G)
    assert H is not G and G.nodes["gpe:usa"]["aliases"] == ["美国", "美方"]  # input untouched
    assert H.nodes["gpe:usa"]["aliases"] == '["美国", "美方"]'
    assert H.nodes["person:zh-1a2b3c4d5e"]["name_en"] == ""
    assert H.nodes["gpe:usa"]["mentions"] == 7
    assert H.edges["person:donald-trump", "person:zh-1a2b3c4d5e", "r3"]["date"] == ""
    for *_, data in list(H.nodes(data=True)) + list(H.edges(data=True)):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    nx.generate_graphml(H)  # networkx no longer refuses it


# --------------------------------------------------------------------------- GraphML


def test_graphml_validates_against_schema(G, schema):
    from lxml import etree

    for text in (export.generate_graphml_text(G), export.generate_collapsed_graphml_text(G)):
        doc = etree.fromstring(text.encode("utf-8"))
        assert schema.validate(doc), schema.error_log


def _networkx_graphml(edges=(("a", "b", "e1"), ("b", "a", "e2"))):
    G = nx.MultiDiGraph()
    G.add_edges_from(edges)
    return "\n".join(nx.generate_graphml(G))


def test_schema_accepts_plain_networkx_graphml(schema):
    from lxml import etree

    assert schema.validate(etree.fromstring(_networkx_graphml().encode())), schema.error_log


@pytest.mark.parametrize(
    "text, error",
    [
        (_networkx_graphml([("a b", "c", "e1")]), "NMTOKEN"),
        # what plain nx.write_graphml does with parallel keys 0, 1, 0 (STACK.md)
        (_networkx_graphml([("a", "b", 0), ("b", "a", 0)]), "edge_id_unique"),
        (_networkx_graphml().replace('target="a"', 'target="zz"', 1), "edge_target_ref"),
        (_networkx_graphml().replace(' edgedefault="directed"', "", 1), "edgedefault"),
        (_networkx_graphml().replace("</graph>", '<data key="undeclared">x</data></graph>'),
         "data_key_ref"),
    ],
)
def test_schema_rejects_broken_graphml(schema, text, error):
    """The hand-written schema has teeth: each broken document fails for its own reason."""
    from lxml import etree

    assert schema.validate(etree.fromstring(text.encode("utf-8"))) is False
    assert error in str(schema.error_log)


def test_graphml_key_ids_are_named_never_d3_or_d7(G):
    from lxml import etree

    for text in (export.generate_graphml_text(G), export.generate_collapsed_graphml_text(G)):
        keys = etree.fromstring(text.encode()).findall("{http://graphml.graphdrawing.org/xmlns}key")
        assert keys
        for key in keys:
            assert key.get("id") == f"{key.get('for')}_{key.get('attr.name')}"
            assert not re.fullmatch(r"d\d+", key.get("id"))
            # types Gephi knows; an unknown one drops the whole column
            assert key.get("attr.type") in {"string", "long", "int", "double", "float", "boolean"}


def test_graphml_follows_gephi_conventions(G):
    from lxml import etree

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = etree.fromstring(export.generate_graphml_text(G).encode())
    key_types = {(k.get("for"), k.get("attr.name")): k.get("attr.type")
                 for k in root.findall("g:key", ns)}
    assert key_types[("node", "r")] in {"int", "long"}
    assert key_types[("node", "size")] == "double"
    assert key_types[("node", "color")] == "string"
    assert key_types[("edge", "weight")] == "double"
    # offsets renamed: Gephi reads start/end as time intervals
    assert ("edge", "start") not in key_types and ("edge", "sentence_start") in key_types
    assert ("edge", "type") not in key_types and ("edge", "relation") in key_types

    def data(element):
        return {d.get("key"): d.text or "" for d in element.findall("g:data", ns)}

    edges = root.findall(".//g:edge", ns)
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == 5
    assert ids == sorted(ids)
    unsafe = next(e for e in edges if data(e)["edge_relation_id"] == UNSAFE_ID)
    assert unsafe.get("id") == export.safe_xml_id(UNSAFE_ID) != UNSAFE_ID
    r1 = data(next(e for e in edges if e.get("id") == "r1"))
    assert r1["edge_label"] == "sells-weapons-to" == r1["edge_relation"]
    assert (r1["edge_weight"], r1["edge_color"], r1["edge_r"]) == ("1.0", "#d62728", "214")
    usa = data(root.find(".//g:node[@id='gpe:usa']", ns))
    assert usa["node_label"] == "美国"
    assert (usa["node_r"], usa["node_g"], usa["node_b"], usa["node_color"]) == (
        "242", "142", "43", export.ACTOR_TYPE_COLORS["GPE"])
    patriot = data(root.find(".//g:node[@id='weapon:patriot']", ns))
    assert float(usa["node_size"]) > float(patriot["node_size"])  # 7 mentions vs none


def test_graphml_read_by_igraph(G, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = export.write_graphml(G, tmp_path / "graph.graphml")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount(), g.is_directed()) == (5, 5, True)
    index = {name: i for i, name in enumerate(g.vs["id"])}
    assert g.vs[index["person:donald-trump"]]["label"] == "特朗普"
    assert g.vs[index["person:zh-1a2b3c4d5e"]]["label"] == XSS
    assert json.loads(g.vs[index["gpe:usa"]]["aliases"]) == ["美国", "美方"]
    assert g.vs[index["gpe:usa"]]["mentions"] == 7  # igraph reads long as float
    parallel = g.es.select(_source=index["gpe:usa"], _target=index["gpe:ukraine"])
    assert sorted(parallel["relation_id"]) == sorted(["r1", "r2", UNSAFE_ID])
    assert set(parallel["label"]) == {"sells-weapons-to"}
    r3 = g.es.find(relation_id="r3")
    assert (r3["sentence"], r3["date"], r3["weight"], r3["sentence_start"]) == (XSS, "", 1.0, 5)


def test_graphml_read_by_networkx_and_decoded(G, tmp_path):
    path = export.write_graphml(G, tmp_path / "graph.graphml")
    raw = nx.read_graphml(path, force_multigraph=True)
    assert (raw.number_of_nodes(), raw.number_of_edges()) == (5, 5)
    assert raw.number_of_edges("gpe:usa", "gpe:ukraine") == 3
    H = export.read_graph(path)
    assert _nodes(H) == _nodes(G)
    assert _edges(H) == _edges(G)


def test_collapse(G, tmp_path):
    C = export.collapse(G)
    assert C.number_of_nodes() == 5 and C.number_of_edges() == 3
    sells = C.edges["gpe:usa", "gpe:ukraine", "gpe:usa--sells-weapons-to--gpe:ukraine"]
    assert sells == {
        "type": "sells-weapons-to", "weight": 3, "first_date": "2023", "last_date": "2024-05-02",
        "articles": ["a1", "a2", "a3"], "statuses": ["occurred", "planned", "considered"],
        "relations": sorted(["r1", "r2", UNSAFE_ID]),
    }
    meets = C.edges["person:donald-trump", "person:zh-1a2b3c4d5e",
                    "person:donald-trump--meets--person:zh-1a2b3c4d5e"]
    assert (meets["weight"], meets["first_date"], meets["last_date"]) == (1, None, None)
    path = export.write_collapsed_graphml(G, tmp_path / "graph.collapsed.graphml")
    back = export.read_graph(path)
    assert _edges(back) == _edges(C)
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (5, 3)
    assert sorted(g.es["weight"]) == [1.0, 1.0, 3.0]


# --------------------------------------------------------------------------- GEXF


def test_gexf_dynamic_and_read_back(G, tmp_path):
    from lxml import etree

    path = export.write_gexf(G, tmp_path / "graph.gexf")
    root = etree.parse(str(path)).getroot()
    ns = {"x": "http://www.gexf.net/1.2draft"}
    graph = root.find("x:graph", ns)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    assert root.find("x:meta", ns).get("lastmodifieddate") is None  # no date of today
    titles = {a.get("title") for a in root.findall(".//x:attribute", ns)}
    assert "relation" in titles and "type" in titles  # node type stays; edge type renamed
    assert {e.get("type") for e in root.findall(".//x:edge", ns)} == {None}

    H = nx.read_gexf(path)
    assert isinstance(H, nx.MultiDiGraph)
    assert (H.number_of_nodes(), H.number_of_edges()) == (5, 5)
    r1 = H.edges["gpe:usa", "gpe:ukraine", "r1"]
    assert (r1["start"], r1["end"], r1["relation"], r1["label"]) == (
        "2024-02-01", "2024-02-29", "sells-weapons-to", "sells-weapons-to")
    unsafe = next(d for *_, d in H.edges(data=True) if d["date"] == "2023")
    assert (unsafe["start"], unsafe["end"]) == ("2023-01-01", "2023-12-31")
    r3 = H.edges["person:donald-trump", "person:zh-1a2b3c4d5e", "r3"]
    assert "start" not in r3 and "end" not in r3 and r3["sentence"] == XSS
    assert H.nodes["gpe:usa"]["start"] == "2023-01-01"  # its first relation
    assert H.nodes["person:donald-trump"]["start"] == "2024-01-20"
    assert "start" not in H.nodes["person:zh-1a2b3c4d5e"]  # only an undated relation
    assert H.nodes["gpe:usa"]["label"] == "美国"
    assert H.nodes["gpe:usa"]["viz"]["color"] == {"r": 242, "g": 142, "b": 43, "a": 1.0}


def test_date_span_bounds():
    assert export.date_span("2023-02") == ("2023-02-01", "2023-02-28")
    assert export.date_span("2024-13") is None
    assert export.date_span("2024-02-30") is None


# --------------------------------------------------------------------------- CSV


def test_csv_for_neo4j(G, tmp_path):
    nodes_path, edges_path = export.write_csv(G, tmp_path)
    assert (nodes_path.name, edges_path.name) == ("nodes.csv", "edges.csv")
    for path in (nodes_path, edges_path):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with nodes_path.open(encoding="utf-8-sig", newline="") as fh:
        nodes = list(csv.reader(fh))
    assert nodes[0] == ["id:ID", "label", "type", "name_en", "aliases:string[]",
                        "articles:string[]", "mentions:int", ":LABEL"]
    rows = {r[0]: r for r in nodes[1:]}
    assert len(rows) == 5
    assert rows["person:donald-trump"][4].split(";") == ["川普", "特朗普", "唐纳德·特朗普"]
    assert rows["person:donald-trump"][7] == "Actor;PERSON"
    assert rows["person:zh-1a2b3c4d5e"][1] == XSS and rows["person:zh-1a2b3c4d5e"][3] == ""
    with edges_path.open(encoding="utf-8-sig", newline="") as fh:
        edges = list(csv.reader(fh))
    assert edges[0][:6] == [":START_ID", ":END_ID", ":TYPE", "key", "relation", "status"]
    assert {"start:int", "end:int", "weapons:string[]"} <= set(edges[0])
    by_key = {r[3]: dict(zip(edges[0], r)) for r in edges[1:]}
    assert len(by_key) == 5
    assert by_key["r1"][":TYPE"] == "SELLS_WEAPONS_TO"
    assert by_key["r1"]["weapons:string[]"] == "weapon:patriot"
    assert by_key["r3"]["sentence"] == XSS and by_key["r3"]["date"] == ""
    assert by_key["r2"]["sentence"] == "美国计划向乌克兰出售更多导弹，“尽快”交付。"
    assert by_key[UNSAFE_ID][":START_ID"] == "gpe:usa"


# --------------------------------------------------------------------------- files


ALL_FILES = ["graph.json", "graph.graphml", "graph.collapsed.graphml", "graph.gexf",
             "nodes.csv", "edges.csv"]


@pytest.mark.parametrize("graph", ["fixture", "empty"])
def test_streamed_json_is_json_dumps_of_the_contract(G, graph):
    H = G if graph == "fixture" else nx.MultiDiGraph()
    expected = json.dumps(export.to_node_link(H), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert export.generate_json_text(H) == expected
    # streamed: one chunk per node and per edge, plus five for the frame and one to open each list
    frame = 5 + (H.number_of_nodes() > 0) + (H.number_of_edges() > 0)
    assert len(list(export.iter_json(H))) == H.number_of_nodes() + H.number_of_edges() + frame


def test_write_all_is_byte_identical_and_clean(G, tmp_path):
    first = export.write_all(G, tmp_path / "one")
    second = export.write_all(make_graph(), tmp_path / "two")
    assert [p.name for p in first] == ALL_FILES
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    again = export.write_all(G, tmp_path / "one")  # overwrite in place
    assert [p.read_bytes() for p in again] == [b.read_bytes() for b in second]
    assert sorted(os.listdir(tmp_path / "one")) == sorted(ALL_FILES)  # no temp files


def test_output_does_not_depend_on_insertion_order(G):
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(G.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert export.generate_graphml_text(shuffled) == export.generate_graphml_text(G)
    assert export.generate_gexf_text(shuffled) == export.generate_gexf_text(G)
    assert export.generate_json_text(shuffled) == export.generate_json_text(G)
    assert export.generate_csv_texts(shuffled) == export.generate_csv_texts(G)


def test_unsafe_node_id_is_refused():
    G = nx.MultiDiGraph()
    G.add_node("特朗普 (美国)", label="特朗普", type="PERSON")
    with pytest.raises(ExportError, match="node ids must be ASCII"):
        export.generate_graphml_text(G)


def test_atomic_write_unwritable_folder_names_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "out" / "graph.json"  # parent is a file: cannot be a folder
    with pytest.raises(ExportError) as info:
        export.atomic_write(target, "{}")
    assert str(target) in str(info.value) and "[GK500]" in str(info.value)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_atomic_write_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match=re.escape(str(folder / "graph.json"))):
            export.atomic_write(folder / "graph.json", "{}")
    finally:
        folder.chmod(0o700)


def test_atomic_write_failure_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    target.write_text("old", encoding="utf-8")

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", fail)
    with pytest.raises(ExportError, match="No space left"):
        export.atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["graph.json"]


def test_write_all_refuses_before_writing_anything(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("bad id", label="x", type="PERSON")
    with pytest.raises(ExportError):
        export.write_all(G, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_empty_graph_exports(tmp_path, schema):
    from lxml import etree

    G = build_graph([], [])
    paths = export.write_all(G, tmp_path)
    assert [p.name for p in paths] == ALL_FILES
    assert schema.validate(etree.parse(str(tmp_path / "graph.graphml"))), schema.error_log
    assert nx.read_gexf(tmp_path / "graph.gexf").number_of_nodes() == 0
    assert export.read_graph(tmp_path / "graph.json").number_of_nodes() == 0
    assert (tmp_path / "edges.csv").read_text(encoding="utf-8-sig").count("\n") == 1


@pytest.mark.parametrize("record", [
    {},
    {"id": "a", "n": 3, "x": -0.5, "big": 1e300, "t": True, "f": False, "none": None},
    {"s": 'quote " back \\ tab \t nl \n ctrl \x01 \u2028 美國 😀', "empty": [], "one": ["甲"]},
    {"mixed": [1, 2.5, None, True, "b"], "z": "last", "A": "upper sorts first"},
    {"nested": {"k": [1, {"deep": []}]}, "list_of_lists": [[1], []]},  # the slow path
    {"nan": float("nan"), "inf": float("-inf")},
])
@pytest.mark.parametrize("depth", [0, 2])
def test_record_json_is_the_indenting_encoders_text(record, depth):
    from graphkit.export.node_link import _nested_json

    expected = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True)
    assert _nested_json(record, depth) == expected.replace("\n", "\n" + " " * depth)


def test_an_attribute_with_two_value_types_gets_two_keys(G):
    H = G.copy()
    edges = sorted(H.edges(keys=True, data=True), key=lambda e: str(e[2]))
    edges[0][3]["confidence"] = 0.5
    edges[1][3]["confidence"] = "high"  # the same name, another type, on a later element
    edges[2][3]["confidence"] = 0.25  # a shape seen before: nothing new to declare
    text = export.generate_graphml_text(H)
    keys = [line.strip() for line in text.splitlines() if "attr.name=\"confidence\"" in line]
    assert keys == ['<key id="edge_confidence" for="edge" attr.name="confidence" attr.type="double" />',
                    '<key id="edge_confidence_string" for="edge" attr.name="confidence" attr.type="string" />']
    assert text.count('<data key="edge_confidence">') == 2
    assert text.count('<data key="edge_confidence_string">high</data>') == 1
