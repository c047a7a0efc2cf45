"""Extraction never raises on arbitrary text, and evidence offsets always point into the original."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.cli import cli
from graphkit.pipeline import assemble, extract_articles
from graphkit.schema import Article

# mixes of Chinese news vocabulary, names, punctuation, quotes and arbitrary code points
PIECES = st.sampled_from([
    "特朗普", "川普", "普京", "澤倫斯基", "美国", "乌", "俄", "向", "与", "和", "通话", "会晤", "会见",
    "出售", "提供", "“战斧”导弹", "总统", "的", "将", "未能", "，", "。", "“", "”", "「", "」", "(", ")",
    "12日", "周四", "\n", " ", "·", "S-400", "3350枚", "两人", "双方", "以", "为首", "访华",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_extraction_never_raises_and_offsets_hold(nlp, text):
    article = Article(id="a.txt", text=text, date="2025-03-14")
    (result,) = extract_articles([article], nlp)
    assert not result.warnings, result.warnings
    for m in result.mentions:
        assert text[m.start:m.end] == m.text
    actors, relations, _ = assemble([result])
    for r in relations:
        assert 0 <= r.start < r.end <= len(text) and text[r.start:r.end] == r.sentence


def test_markup_in_articles_stays_inert_in_every_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    payload = ('<script>alert(1)</script>美国总统特朗普与俄罗斯总统普京通电话。'
               '<img src=x onerror=alert(2)>普京表示，</script><a href="javascript:alert(3)">x</a>。')
    (src / "xss.txt").write_text(payload, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(src), "--out", str(out)]).exit_code == 0
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "javascript:alert" not in html
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert any("<script>alert(1)</script>" in e["sentence"] for e in data["edges"])  # kept verbatim as data
