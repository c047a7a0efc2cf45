"""graphkit.query: names in any script, filtered paths, dates, notebook display."""

from __future__ import annotations

import html
import inspect
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

from graphkit import export, query
from graphkit.errors import GraphkitError
from graphkit.graph import build_graph
from graphkit.query import QueryError, Step
from graphkit.schema import Actor, Relation

XSS = '</script><script>alert("x")</script>'


def make_graph() -> nx.MultiDiGraph:
    actors = [
        Actor(id="person:donald-trump", label="特朗普", type="PERSON", name_en="Donald Trump",
              aliases=("川普", "特朗普", "唐纳德·特朗普"), mentions=9),
        Actor(id="person:ivanka-trump", label="伊万卡·特朗普", type="PERSON",
              name_en="Ivanka Trump", aliases=("伊万卡",), mentions=1),
        Actor(id="gpe:usa", label="美国", type="GPE", name_en="United States",
              aliases=("美国", "美方"), mentions=8),
        Actor(id="gpe:ukraine", label="乌克兰", type="GPE", name_en="Ukraine",
              aliases=("烏克蘭",), mentions=6),
        Actor(id="gpe:russia", label="俄罗斯", type="GPE", name_en="Russia", mentions=4),
        Actor(id="person:volodymyr-zelensky", label="泽连斯基", type="PERSON",
              name_en="Volodymyr Zelensky", aliases=("澤倫斯基", "泽伦斯基"), mentions=5),
        Actor(id="person:zh-1a2b3c4d5e", label=XSS, type="PERSON", mentions=1),
    ]
    base = dict(article="a1", start=0, end=5)
    relations = [
        Relation(id="r01", source="person:donald-trump", target="gpe:usa", type="affiliated-with",
                 status="occurred", date="2025-01-20", sentence="美国总统特朗普", **base),
        Relation(id="r02", source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="occurred", date="2024-03", sentence="美国向乌克兰出售导弹", **base),
        Relation(id="r03", source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="planned", date="2024-03-10", sentence="美国计划出售", **base),
        Relation(id="r04", source="gpe:usa", target="gpe:ukraine", type="provides-military-aid-to",
                 status="suspended", date=None, sentence="美国暂停军援", **base),
        Relation(id="r05", source="person:volodymyr-zelensky", target="gpe:ukraine",
                 type="affiliated-with", status="occurred", date=None, sentence="乌克兰总统泽连斯基",
                 **base),
        Relation(id="r06", source="person:donald-trump", target="person:volodymyr-zelensky",
                 type="meets", status="occurred", date="2025-02-28", sentence="特朗普会晤泽连斯基",
                 **base),
        Relation(id="r07", source="person:donald-trump", target="person:volodymyr-zelensky",
                 type="calls", status="occurred", date="2025-02", sentence="特朗普与泽连斯基通话",
                 **base),
        Relation(id="r08", source="gpe:russia", target="gpe:ukraine", type="meets",
                 status="negated", date="2024", sentence="俄罗斯没有会晤乌克兰", **base),
        Relation(id="r09", source="person:zh-1a2b3c4d5e", target="gpe:russia", type="calls",
                 status="occurred", date="2024-12-31", sentence=XSS, **base),
    ]
    return build_graph(actors, relations)


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return make_graph()


def keys(graph: nx.MultiDiGraph) -> list[str]:
    return sorted(k for *_, k in graph.edges(keys=True))


# --------------------------------------------------------------------------- find_actor


@pytest.mark.parametrize(
    "name",
    ["川普", "特朗普", "Donald Trump", "donald trump", " DONALD  TRUMP ", "唐纳德·特朗普",
     "唐納德‧特朗普", "唐纳德 特朗普", "person:donald-trump", "ＤＯＮＡＬＤ　ＴＲＵＭＰ"],
)
def test_find_actor_any_name_same_id(G, name):
    assert query.find_actor(G, name) == "person:donald-trump"


@pytest.mark.parametrize("name, node", [
    ("澤倫斯基", "person:volodymyr-zelensky"),  # traditional alias folds to the simplified one
    ("烏克蘭", "gpe:ukraine"),
    ("ukraine", "gpe:ukraine"),
    ("伊万卡", "person:ivanka-trump"),
    ("Ivanka", "person:ivanka-trump"),  # unique substring
    ("俄羅", "gpe:russia"),  # unique substring, traditional
])
def test_find_actor_other_actors(G, name, node):
    assert query.find_actor(G, name) == node


def test_find_actor_ambiguous_lists_candidates(G):
    with pytest.raises(QueryError) as info:
        query.find_actor(G, "trump")  # a substring of both Trumps
    message = str(info.value)
    assert message.startswith("[GK600]") and "ambiguous" in message
    assert "person:donald-trump, PERSON" in message and "person:ivanka-trump, PERSON" in message
    assert isinstance(info.value, GraphkitError)


def test_find_actor_no_match_lists_close_names(G):
    with pytest.raises(QueryError) as info:
        query.find_actor(G, "泽连斯奇")
    assert "no actor is called '泽连斯奇'" in str(info.value)
    assert "泽连斯基 (person:volodymyr-zelensky, PERSON)" in str(info.value)
    with pytest.raises(QueryError, match=r"close names: \(none\)"):
        query.find_actor(G, "马克龙")
    with pytest.raises(QueryError, match="empty name"):
        query.find_actor(G, " · ")


# --------------------------------------------------------------------------- filters


def test_filter_relations(G):
    assert keys(query.filter_relations(G, types="sells-weapons-to")) == ["r02", "r03"]
    assert keys(query.filter_relations(G, status=["planned", "suspended"])) == ["r03", "r04"]
    # month/year dates overlap the window; undated ones drop out
    assert keys(query.filter_relations(G, between=("2024-03-31", "2024-12-01"))) == ["r02", "r08"]
    assert keys(query.filter_relations(G, between=(None, "2024-02"))) == ["r08"]
    H = query.filter_relations(G, types="meets", drop_isolates=True)
    assert sorted(H) == ["gpe:russia", "gpe:ukraine", "person:donald-trump",
                         "person:volodymyr-zelensky"]
    assert query.filter_relations(G, types="meets").number_of_nodes() == G.number_of_nodes()


def test_filter_relations_copies(G):
    H = query.filter_relations(G)
    H.nodes["gpe:usa"]["aliases"].append("X")
    assert G.nodes["gpe:usa"]["aliases"] == ["美国", "美方"]


@pytest.mark.parametrize("kwargs, message", [
    ({"types": "sells-weapon-to"}, "did you mean 'sells-weapons-to'"),
    ({"status": "happened"}, "unknown status 'happened'"),
    ({"between": ("2024-13", None)}, "not an ISO date"),
])
def test_filter_relations_errors(G, kwargs, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        query.filter_relations(G, **kwargs)


def test_as_of_compares_months_by_month(G):
    assert keys(query.as_of(G, "2024-03-01")) == ["r02"]  # r02 is 2024-03; r03 only planned
    assert keys(query.as_of(G, "2024-02-29")) == []  # r08 is negated
    assert keys(query.as_of(G, "2025-02")) == ["r01", "r02", "r06", "r07", "r09"]
    import datetime
    assert keys(query.as_of(G, datetime.date(2025, 2, 1))) == ["r01", "r02", "r07", "r09"]


# --------------------------------------------------------------------------- paths


# fmt: off
EXPECTED_PATHS = [
    ["r01", "r02"], ["r01", "r03"], ["r01", "r04"],  # three parallel USA → Ukraine relations
    ["r06", "r05"], ["r07", "r05"],                  # meets and calls, then Zelensky's office
]
# fmt: on


def test_paths_shortest_first_with_parallel_edges(G):
    found = query.paths(G, "川普", "乌克兰")
    assert [[s.key for s in p] for p in found] == EXPECTED_PATHS
    # via Ukraine three ways, or the long way through Trump and Zelensky: shortest first
    mixed = query.paths(G, "美国", "俄罗斯")
    assert [len(p) for p in mixed] == [2, 2, 2, 4, 4]
    first = found[0]
    assert first[0] == Step("person:donald-trump", "gpe:usa", "affiliated-with", "occurred",
                            "2025-01-20", "美国总统特朗普", "a1", "r01")
    # walked against its direction, r05 keeps its own source and target
    back = next(p for p in found if [s.key for s in p] == ["r06", "r05"])
    assert (back[1].source, back[1].target) == ("person:volodymyr-zelensky", "gpe:ukraine")


def test_paths_filters(G):
    def as_keys(found):
        return [[s.key for s in p] for p in found]

    assert as_keys(query.paths(G, "川普", "乌克兰", relations=["affiliated-with", "calls"])) == [
        ["r07", "r05"]]
    assert as_keys(query.paths(G, "川普", "乌克兰", status="planned")) == []
    assert as_keys(query.paths(G, "Donald Trump", "Ukraine",
                               relations=["affiliated-with", "sells-weapons-to"],
                               status="occurred")) == [["r01", "r02"]]
    assert as_keys(query.paths(G, "川普", "乌克兰", between=("2025", "2025"))) == []
    assert as_keys(query.paths(G, "川普", "乌克兰", between=("2024", "2025"),
                               relations=["affiliated-with", "sells-weapons-to"])) == [
        ["r01", "r02"], ["r01", "r03"]]
    # directed: Ukraine reaches nobody
    assert query.paths(G, "乌克兰", "川普", directed=True) == []
    assert as_keys(query.paths(G, "川普", "乌克兰", directed=True, max_len=2))[:1] == [["r01", "r02"]]
    # the long way round: Trump – Zelensky – Ukraine – Russia – the unnamed caller
    long = query.paths(G, "川普", "person:zh-1a2b3c4d5e", max_len=4)
    assert long and all(len(p) == 4 for p in long)
    assert query.paths(G, "川普", "person:zh-1a2b3c4d5e", max_len=3) == []
    with pytest.raises(QueryError, match="max_len"):
        query.paths(G, "川普", "乌克兰", max_len=0)


def test_ego(G):
    assert sorted(query.ego(G, "泽连斯基")) == ["gpe:ukraine", "person:donald-trump",
                                             "person:volodymyr-zelensky"]
    two = query.ego(G, "泽连斯基", radius=2)
    assert {"gpe:usa", "gpe:russia"} <= set(two)
    only_meets = query.ego(G, "泽连斯基", relations="meets")
    assert sorted(only_meets) == ["person:donald-trump", "person:volodymyr-zelensky"]
    assert keys(only_meets) == ["r06"]


def test_relations_between_both_directions(G):
    records = query.relations_between(G, "乌克兰", "美国")
    assert [r["key"] for r in records] == ["r02", "r03", "r04"]  # month, day, undated
    assert records[0]["source_label"] == "美国" and records[0]["target"] == "gpe:ukraine"
    assert [r["key"] for r in query.relations_between(G, "美国", "乌克兰")] == ["r02", "r03", "r04"]
    assert query.relations_between(G, "俄罗斯", "美国") == []


def test_timeline_sorted_undated_last(G):
    events = query.timeline(G, "乌克兰")
    assert [(r["date"], r["key"]) for r in events] == [
        ("2024", "r08"), ("2024-03", "r02"), ("2024-03-10", "r03"), (None, "r04"), (None, "r05")]
    assert set(events[0]) >= {"key", "source", "source_label", "target", "target_label", "type",
                              "status", "sentence", "article"}


# --------------------------------------------------------------------------- loading


def test_load_graph_json_and_graphml(G, tmp_path):
    for name, writer in [("graph.json", export.write_json),
                         ("graph.graphml", export.write_graphml)]:
        path = writer(G, tmp_path / name)
        H = query.load_graph(path)
        assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))
        assert query.find_actor(H, "川普") == "person:donald-trump"


def test_build_graph_signature():
    params = inspect.signature(query.build_graph).parameters
    assert list(params) == ["paths", "options"]
    assert params["options"].kind is inspect.Parameter.VAR_KEYWORD


# --------------------------------------------------------------------------- notebooks


def test_to_dataframe(G):
    pytest.importorskip("pandas")
    df = query.to_dataframe(G)
    assert list(df.columns) == [
        "key", "source", "source_label", "target", "target_label", "type", "status", "date",
        "article", "sentence", "start", "end", "weapons", "quantity", "role",
        "source_attribution", "article_date"]
    assert len(df) == 9 and df["key"].tolist() == sorted(df["key"])
    row = df.set_index("key").loc["r02"]
    assert (row["source_label"], row["target_label"], row["date"]) == ("美国", "乌克兰", "2024-03")
    assert query.to_dataframe(nx.MultiDiGraph()).empty


def test_to_dataframe_without_pandas(G, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=re.escape('pip install "graphkit[pandas]"')):
        query.to_dataframe(G)


# URLs that stay in the in-lined vis-network bundle: licence comments and the SVG namespace.
# None of them is fetched; anything else appearing here is a regression.
ALLOWED_URLS = {
    "https://visjs.github.io/vis-network/", "http://almende.com", "https://github.com/visjs",
    "http://www.apache.org/licenses/LICENSE-2.0", "http://opensource.org/licenses/MIT",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://github.com/zloirock/core-js",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported", "http://www.w3.org/2000/svg",
}


def _srcdoc(markup: str) -> str:
    match = re.fullmatch(
        r'<iframe srcdoc="([^"]*)" style="[^"]*" sandbox="allow-scripts"></iframe>', markup)
    assert match, markup[:200]
    return html.unescape(match.group(1))


def test_to_pyvis_repr_is_an_offline_iframe(G):
    pytest.importorskip("pyvis")
    net = query.to_pyvis(G)
    assert len(net.nodes) == 7 and len(net.edges) == 9  # parallel relations kept
    markup = net._repr_html_()
    assert markup.startswith("<iframe srcdoc=") and "<script" not in markup  # all escaped
    page = _srcdoc(markup)
    assert "vis.Network" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?:|url\(\s*["']?https?:""", page)
    assert "cdn." not in page and "sourceMappingURL" not in page
    assert set(re.findall(r"https?://[^\s\"'<>)\\]+", page)) <= ALLOWED_URLS
    assert XSS not in page  # data is JSON-escaped inside the page's script
    assert net._repr_html_() == query.to_pyvis(make_graph())._repr_html_()  # repeatable


def test_to_pyvis_styles_from_resources(G):
    pytest.importorskip("pyvis")
    net = query.to_pyvis(query.ego(G, "美国"), height="400px", select_menu=False)
    assert net.height == "400px"
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes["gpe:usa"]["color"] == export.ACTOR_TYPE_COLORS["GPE"]
    assert nodes["gpe:usa"]["label"] == "美国"
    sells = [e for e in net.edges if e["title"].startswith("军售")]
    assert len(sells) == 2 and {e["color"] for e in sells} == {"#d62728"}
    assert sorted(e["smooth"]["roundness"] for e in net.edges
                  if {e["from"], e["to"]} == {"gpe:usa", "gpe:ukraine"}) == [0.0, 0.15, 0.3]
    assert any(e["dashes"] for e in net.edges)  # not occurred → dashed


@pytest.mark.browser
def test_to_pyvis_draws_offline_in_chromium(G, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian chromium not installed")
    page_file = tmp_path / "notebook.html"
    page_file.write_text(f"<html><body>{query.to_pyvis(G)._repr_html_()}</body></html>",
                         encoding="utf-8")
    errors: list[str] = []
    remote: list[str] = []

    def block(route):
        url = route.request.url
        if url.startswith(("file:", "about:", "data:")):
            route.continue_()
        else:
            remote.append(url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", block)
            page.goto(page_file.as_uri())
            frame = next(f for f in page.frames if f.url == "about:srcdoc")
            frame.wait_for_selector("canvas", timeout=20_000)
            assert frame.evaluate("network.body.data.nodes.length") == 7
            assert frame.evaluate("network.body.data.edges.length") == 9
        finally:
            browser.close()
    assert errors == [] and remote == []
