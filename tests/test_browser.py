"""The explorer in headless Debian Chromium, offline: every non-file request is aborted.

Needs ``apt-get install chromium fonts-noto-cjk`` and the playwright package (never
``playwright install``). Screenshots for humans go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphkit.render import write_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} missing (apt-get install chromium fonts-noto-cjk)"),
]
sync_api = pytest.importorskip("playwright.sync_api")

from test_render import XSS, fixture_graph, random_graph  # noqa: E402  (tests/ is on sys.path)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def fixture_file(tmp_path_factory):
    return write_html(fixture_graph(), tmp_path_factory.mktemp("html") / "fixture.html", title="测试图")


class Page:
    """A page on a file, with what it logged, the dialogs it opened and the requests it tried."""

    def __init__(self, browser, path: Path):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 850})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        started = time.perf_counter()
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.graphkit && graphkit.ready", timeout=20_000)
        self.ready_s = time.perf_counter() - started

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def visible_edges(self) -> list[str]:
        return sorted(self.js("edges.get({filter: (e) => !e.hidden}).map((e) => e.id)"))

    def results(self) -> list[str]:
        return self.js("[...document.querySelectorAll('#gk-results button')].map((b) => b.dataset.id)")

    def panel_text(self) -> str:
        return self.js("document.getElementById('gk-panel').textContent")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def page(browser, fixture_file):
    p = Page(browser, fixture_file)
    yield p
    p.page.close()


def test_loads_offline_with_every_item_and_no_error(page):
    assert page.errors == [] and page.blocked == []
    assert page.js("[nodes.length, edges.length]") == [9, 12]
    assert page.js("network.body.data.nodes.length") == 9
    assert page.page.inner_text("#gk-title") == "测试图"
    assert page.page.inner_text("#gk-count") == "9 of 9 actors · 12 of 12 relations shown"
    page.screenshot("explorer_fixture.png")


def test_legend_lists_every_type_present(page):
    def rows(box):
        return page.js(f"[...document.querySelectorAll('#{box} label')].map((l) => l.dataset.value)")

    assert rows("gk-ntype") == ["PERSON", "GPE", "ORG", "LOC", "WEAPON"]
    assert rows("gk-rel") == ["meets", "calls", "sells-weapons-to", "provides-military-aid-to",
                              "affiliated-with"]
    assert rows("gk-status") == ["occurred", "planned", "considered", "requested", "refused",
                                 "suspended", "negated"]
    assert "会晤 meets" in page.page.inner_text("#gk-rel")


def test_search_finds_trump_in_either_script(page):
    for query in ["川普", "特朗普", "donald trump", "Donald  TRUMP", "唐納·川普"]:
        page.page.fill("#gk-search", query)
        assert page.results() == ["trump"], query
    page.page.press("#gk-search", "Enter")
    assert page.js("network.getSelectedNodes()") == ["trump"]
    assert page.page.inner_text("#gk-panel h3") == "特朗普"
    assert "Donald Trump" in page.panel_text() and "川普" in page.panel_text()


def test_search_with_traditional_query_folds_to_simplified(page):
    assert page.js("graphkit.search('澤連斯基')") == ["zelensky"]  # alias is 澤倫斯基, label 泽连斯基
    assert page.js("graphkit.search('no such actor')") == []


def uncheck_all_but(page, box: str, keep: str):
    for value in page.js(f"[...document.querySelectorAll('#{box} input')].map((i) => i.value)"):
        if value != keep:
            page.page.uncheck(f"#{box} input[value='{value}']")


def test_filtering_to_calls_leaves_only_calls(page):
    uncheck_all_but(page, "gk-rel", "calls")
    assert page.visible_edges() == ["r04", "r10"]
    page.page.uncheck("#gk-status input[value='negated']")  # filters combine
    assert page.visible_edges() == ["r04"]
    page.page.check("#gk-isolated")
    assert page.js("nodes.get({filter: (n) => !n.hidden}).map((n) => n.id)") == ["trump", "zelensky"]
    page.screenshot("explorer_filtered_calls.png")
    page.page.click("#gk-reset")
    assert len(page.visible_edges()) == 12


def test_actor_type_filter_hides_nodes_and_their_relations(page):
    page.page.uncheck("#gk-ntype input[value='GPE']")
    assert page.js("nodes.get({filter: (n) => n.hidden}).map((n) => n.id).sort()") == ["ukraine", "us"]
    assert page.visible_edges() == ["r01", "r02", "r03", "r04", "r10", "r11"]


def test_date_range_hides_relations_outside_it(page):
    page.page.fill("#gk-from", "2025-03-01")
    page.page.fill("#gk-to", "2025-03-31")
    # March days, the month "2025-03", and undated relations stay
    assert page.visible_edges() == ["r01", "r03", "r04", "r06", "r07", "r09", "r12"]
    page.page.check("#gk-undated")
    assert page.visible_edges() == ["r01", "r03", "r04", "r12"]


def test_clicking_an_edge_shows_its_evidence(page):
    point = page.js("""() => {
        const p = network.getPositions(["trump", "zelensky"]);
        const mid = network.canvasToDOM({x: (p.trump.x + p.zelensky.x) / 2,
                                         y: (p.trump.y + p.zelensky.y) / 2});
        const box = document.querySelector("#mynetwork canvas").getBoundingClientRect();
        return [box.left + mid.x, box.top + mid.y];
    }""")
    page.page.mouse.click(*point)
    assert page.js("network.getSelectedEdges()") == ["r04"]
    text = page.panel_text()
    assert "特朗普 ↔ 泽连斯基" in text and "特朗普与泽连斯基通电话。" in text
    assert "article a1 · 2025-03-20" in text and "通话 calls" in text


def test_edge_panel_lists_details_and_supporting_evidence(page):
    page.js("network.selectEdges(['r05']); graphkit.showEdge('r05')")
    text = page.panel_text()
    for expected in ("美国 → 乌克兰", "军售 sells weapons to", "considered", "2025-04-02", "战斧导弹",
                     "20枚", "路透社", "美国考虑向乌克兰出售战斧导弹。", "Supporting evidence (1)",
                     "美国拒绝向乌克兰出售战斧。", "article a3"):
        assert expected in text
    page.js("graphkit.showEdge('r01')")  # meets is symmetric: r03 (putin → trump) supports it too
    text = page.panel_text()
    assert "Supporting evidence (2)" in text and "普京与特朗普会面。" in text
    assert "特朗普计划五月再次会见普京。" in text
    page.screenshot("explorer_edge_panel.png")


def test_english_labels_fall_back_to_chinese(page):
    page.page.check("#gk-english")
    assert page.js("[nodes.get('trump').label, nodes.get('nato').label]") == ["Donald Trump", "北约"]
    page.page.uncheck("#gk-english")
    assert page.js("nodes.get('trump').label") == "特朗普"


def test_hostile_article_text_stays_inert(page):
    scripts_before = page.js("document.scripts.length")
    page.js("graphkit.showNode('xss')")
    assert page.js("document.querySelector('#gk-panel h3').textContent") == XSS
    page.js("graphkit.showEdge('r11')")
    page.page.fill("#gk-search", "<img")
    page.page.check("#gk-english")
    page.page.hover("#mynetwork")
    page.page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []
    assert page.js("document.querySelectorAll('img, iframe, a').length") == 0
    assert page.js("document.scripts.length") == scripts_before
    assert XSS in page.js("document.getElementById('gk-panel').textContent")
    assert page.results() == ["xss"]


def test_big_graph_is_still_within_five_seconds(browser, tmp_path):
    started = time.perf_counter()
    path = write_html(random_graph(1000, 3000, seed=1), tmp_path / "big.html")
    generate_s = time.perf_counter() - started
    page = Page(browser, path)
    still_ms = page.js("""async () => {
        const snap = () => JSON.stringify(network.getPositions());
        for (;;) {
            const before = snap();
            await new Promise((r) => setTimeout(r, 500));
            if (snap() === before) return performance.now();
        }
    }""")
    print(f"\n1,000 nodes / 3,000 edges: generate_html {generate_s:.2f} s, page ready "
          f"{page.ready_s:.2f} s, still (no motion for 500 ms) {still_ms / 1000:.2f} s after navigation")
    assert page.errors == [] and page.blocked == []
    assert page.js("[nodes.length, edges.length]") == [1000, 3000]
    assert still_ms < 5000
    page.screenshot("explorer_1000_nodes.png")
    page.page.close()


def test_positions_are_identical_between_loads(browser, fixture_file):
    first, second = (Page(browser, fixture_file) for _ in range(2))
    assert first.js("network.getPositions()") == second.js("network.getPositions()")
    for p in (first, second):
        p.page.close()



def test_seeds_graph_in_the_browser(browser, tmp_path):
    """The real seeds build: no console error, every node and edge drawn, Trump findable by all
    his names; the screenshot is kept for humans (tests/artifacts/seeds_graph.png)."""
    import json

    from click.testing import CliRunner

    from graphkit.cli import cli

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(seeds), "--out", str(out)]).exit_code == 0
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    page = Page(browser, out / "graph.html")
    assert page.errors == [] and page.blocked == []
    assert page.js("network.body.data.nodes.length") == len(data["nodes"])
    assert page.js("network.body.data.edges.length") == len(data["edges"])
    found = set()
    for query in ("川普", "特朗普", "Donald Trump"):
        page.page.fill("#gk-search", query)
        found.add(tuple(page.results()[:1]))
    assert found == {("person:donald-trump",)}
    page.screenshot("seeds_graph.png")
