"""Golden sentence → relation tables for the extraction rules, in both scripts.

The sentences are written for these tests to exercise constructions (coordination, direction,
modality, titles, metonymy), not copied from the dev set.
"""

from __future__ import annotations

import pytest

# fmt: off
GOLDEN = [
    # symmetric meeting with a partner marker; titles give affiliations
    ("美国总统特朗普与俄罗斯总统普京在日内瓦举行会谈。",
     {("meets", "Donald Trump", "Vladimir Putin", "occurred"),
      ("affiliated-with", "Donald Trump", "United States", "occurred"),
      ("affiliated-with", "Vladimir Putin", "Russia", "occurred")}),
    # traditional script, call, coordination: one call per partner
    ("川普同日與普京、澤倫斯基分別通話。",
     {("calls", "Donald Trump", "Vladimir Putin", "occurred"),
      ("calls", "Donald Trump", "Volodymyr Zelensky", "occurred")}),
    # planned
    ("泽连斯基将于下周与马克龙会晤。",
     {("meets", "Volodymyr Zelensky", "Emmanuel Macron", "planned")}),
    # negation scoped to the clause
    ("普京并未与泽连斯基会面。",
     {("meets", "Vladimir Putin", "Volodymyr Zelensky", "negated")}),
    # transitive meeting verb
    ("习近平在北京会见布林肯。",
     {("meets", "Xi Jinping", "Antony Blinken", "occurred")}),
    # sale, capital as metonym for the country, quoted weapon
    ("美国批准向基辅出售“爱国者”导弹。",
     {("sells-weapons-to", "United States", "Ukraine", "occurred")}),
    # considered sale
    ("德国正在考虑向乌克兰出售“金牛座”导弹。",
     {("sells-weapons-to", "Germany", "Ukraine", "considered")}),
    # buyer-first construction: B 从 A 购买
    ("波兰从韩国购买了180辆K2坦克。",
     {("sells-weapons-to", "South Korea", "Poland", "occurred")}),
    # aid, suspended
    ("美国已暂停向乌克兰交付“爱国者”导弹。",
     {("provides-military-aid-to", "United States", "Ukraine", "suspended")}),
    # 致电祝贺 is a telegram, not a call
    ("普京致电祝贺特朗普胜选。", set()),
]
# fmt: on


@pytest.mark.parametrize("sentence,expected", GOLDEN)
def test_golden_relations(extract, sentence, expected):
    assert extract(sentence) == expected


def test_quantity_and_weapon_kept(extract):
    relations, name = extract("波兰从韩国购买了180辆K2坦克。", detail=True)
    sale = next(r for r in relations if r.type == "sells-weapons-to")
    assert [name[w] for w in sale.weapons] == ["K2 Black Panther"]
    assert sale.quantity == "180辆"


def test_pair_reference_resolves_to_last_pair(extract):
    got = extract("特朗普与普京通电话。两人此前曾在阿拉斯加会面。")
    assert ("meets", "Donald Trump", "Vladimir Putin", "occurred") in got


def test_evidence_quotes_the_original_script(extract):
    text = "川普與普丁通話。"
    relations, _ = extract(text, detail=True)
    assert relations and all(text[r.start:r.end] == r.sentence for r in relations)
    assert relations[0].sentence == "川普與普丁通話。"
