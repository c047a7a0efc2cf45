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
    # 致电祝贺 is a telegram, not a call; a reporter's call and a 见面会 are not relations
    ("普京致电祝贺特朗普胜选。", set()),
    ("记者致电白宫询问此事。", set()),
    ("金正恩出席见面会。", set()),
    # coordinated subjects; a collective title stands for its country
    ("英国、法国和德国领导人当天与泽连斯基举行会谈。",
     {("meets", "United Kingdom", "Volodymyr Zelensky", "occurred"),
      ("meets", "France", "Volodymyr Zelensky", "occurred"),
      ("meets", "Germany", "Volodymyr Zelensky", "occurred")}),
    # 以…为首: the leader acts; 以 here is not Israel
    ("以外长拉夫罗夫为首的俄罗斯代表团将与美方举行会谈。",
     {("meets", "Sergey Lavrov", "United States", "planned"),
      ("affiliated-with", "Sergey Lavrov", "Russia", "occurred")}),
    # calls in both directions of wording
    ("马克龙接到拜登的电话。", {("calls", "Emmanuel Macron", "Joe Biden", "occurred")}),
    ("拜登给马克龙打电话。", {("calls", "Joe Biden", "Emmanuel Macron", "occurred")}),
    ("埃尔多安与普京进行了视频通话。", {("calls", "Recep Tayyip Erdoğan", "Vladimir Putin", "occurred")}),
    # denial, refusal, freezing, hope
    ("伊朗否认向俄罗斯提供弹道导弹。", {("provides-military-aid-to", "Iran", "Russia", "negated")}),
    ("德国拒绝向乌克兰提供“金牛座”导弹。", {("provides-military-aid-to", "Germany", "Ukraine", "refused")}),
    ("美国冻结了对以色列的部分武器交付。", {("provides-military-aid-to", "United States", "Israel", "suspended")}),
    ("泽连斯基希望获得更多“爱国者”防空系统。",
     {("provides-military-aid-to", "United States", "Volodymyr Zelensky", "requested")}),
    ("普京否认与特朗普通过电话。", {("calls", "Vladimir Putin", "Donald Trump", "negated")}),
    # one-character country forms fused to verbs
    ("美国宣布对台军售。", {("sells-weapons-to", "United States", "Taiwan", "occurred")}),
    ("美国批准售台武器。", {("sells-weapons-to", "United States", "Taiwan", "occurred")}),
    ("美德宣布向乌提供主战坦克。",
     {("provides-military-aid-to", "United States", "Ukraine", "occurred"),
      ("provides-military-aid-to", "Germany", "Ukraine", "occurred")}),
    # a visit is a meeting with the host country
    ("内塔尼亚胡上周五访问了美国。", {("meets", "Benjamin Netanyahu", "United States", "occurred")}),
    # titles with an organisation
    ("北约秘书长吕特会见了芬兰总统斯图布。",
     {("meets", "Mark Rutte", "Alexander Stubb", "occurred"),
      ("affiliated-with", "Mark Rutte", "NATO", "occurred"),
      ("affiliated-with", "Alexander Stubb", "Finland", "occurred")}),
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


def test_attribution_and_dates(extract):
    relations, name = extract("据塔斯社报道，普京周四与莫迪通电话。", date="2025-03-14", detail=True)
    (call,) = [r for r in relations if r.type == "calls"]
    assert call.source_attribution == "塔斯社" and call.date == "2025-03-13"
    relations, _ = extract("佩斯科夫说，普京将于下周会见埃尔多安。", date="2025-03-14", detail=True)
    (meet,) = [r for r in relations if r.type == "meets"]
    assert meet.source_attribution == "佩斯科夫" and meet.status == "planned" and meet.date == "2025-03"


def test_quantities_of_weapon_systems(extract):
    relations, name = extract("俄罗斯向朝鲜提供了两套S-400防空系统。", detail=True)
    (aid,) = [r for r in relations if r.type == "provides-military-aid-to"]
    assert [name[w] for w in aid.weapons] == ["S-400"] and aid.quantity == "两套"
