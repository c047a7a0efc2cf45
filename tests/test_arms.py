"""Arms transfers in Taiwan, Hong Kong and mainland wording: type, direction, status, weapons and
quantity. Sentences written for these tests (made up), not copied from any article."""

from __future__ import annotations

import pytest

S, A = "sells-weapons-to", "provides-military-aid-to"
US, TW, UA = "United States", "Taiwan", "Ukraine"
ARMS = (S, A)

# (sentence, arms relations, weapons on the relations, quantity verbatim or None)
# fmt: off
CASES = [
    # Taiwan: a government body acts for its country; the quantity as written (traditional)
    ("美國國務院批准對台出售66架F-16V戰機，總價約80億美元。", {(S, US, TW, "occurred")}, {"F-16V"}, "66架"),
    ("美國國務院已知會國會，批准對台出售400枚魚叉反艦飛彈。", {(S, US, TW, "occurred")}, {"Harpoon"}, "400枚"),
    # the transfer as a noun whose delivery is held up
    ("國防部表示，美方對台軍售的海馬斯多管火箭系統延宕交運。", {(S, US, TW, "suspended")}, {"HIMARS"}, None),
    ("台灣向美國採購的F-16V戰機首批已交機。", {(S, US, TW, "occurred")}, {"F-16V"}, None),
    ("國防部證實，台灣將向美方採購兩套NASAMS防空系統。", {(S, US, TW, "planned")}, {"NASAMS"}, "兩套"),
    # weapons listed in a following 包括 clause, past a clause giving the value
    ("美國宣布對台灣提供3億美元軍事援助，包括標槍與刺針飛彈。", {(A, US, TW, "occurred")}, {"Javelin", "Stinger"}, None),
    ("美國批准對台軍售，包括刺針飛彈250枚。", {(S, US, TW, "occurred")}, {"Stinger"}, None),
    ("美國政府宣布對台灣軍售案，總額達20億美元，包括NASAMS及雷達。", {(S, US, TW, "occurred")}, {"NASAMS"}, None),
    # a US notification's "possible sale", once approved, is approved
    ("美國國務院批准一項可能對台出售愛國者三型飛彈（PAC-3 MSE）的軍售案。", {(S, US, TW, "occurred")}, {"Patriot"}, None),
    ("美国国务院批准了一项可能向日本出售400枚战斧巡航导弹的交易。", {(S, US, "Japan", "occurred")}, {"Tomahawk"}, "400枚"),
    # a company as the seller stays the company
    ("洛克希德·馬丁公司與波蘭簽署合約，向波蘭出售32架F-35戰機。", {(S, "Lockheed Martin", "Poland", "occurred")}, {"F-35"}, "32架"),
    # a bare ministry name acts for the government the sentence named before it, else its own
    ("國防安全合作署週五宣布，國務院已批准對台出售66架F-16V戰機。", {(S, US, TW, "occurred")}, {"F-16V"}, "66架"),
    ("美國國防安全合作署宣布，國務院已批准售台兩套NASAMS防空系統。", {(S, US, TW, "occurred")}, {"NASAMS"}, "兩套"),
    ("国务院批准向巴基斯坦提供军事援助。", {(A, "China", "Pakistan", "occurred")}, set(), None),
    # arms words that are no transfer between named parties
    ("中國外交部發言人毛寧表示，中方堅決反對美國對台軍售。", set(), set(), None),
    ("美國國防部長赫格塞斯出席在阿布達比舉行的國際武器展。", set(), set(), None),
    ("立法院三讀通過國防預算，其中軍購預算達1000億元。", set(), set(), None),
    ("這起軍售案引發北京強烈不滿。", set(), set(), None),
    # Hong Kong
    ("伊朗外交部否認曾向俄羅斯輸送見證者-136無人機。", {(A, "Iran", "Russia", "negated")}, {"Shahed-136"}, None),
    ("美國、德國及英國周三宣布向烏克蘭提供主戰坦克。",
     {(A, US, UA, "occurred"), (A, "Germany", UA, "occurred"), (A, "United Kingdom", UA, "occurred")}, set(), None),
    ("英國宣布向烏克蘭提供「風暴陰影」巡航導彈。", {(A, "United Kingdom", UA, "occurred")}, {"Storm Shadow"}, None),
    ("俄羅斯已向伊朗交付首批蘇-35戰機。", {(A, "Russia", "Iran", "occurred")}, {"Su-35"}, None),
    ("美國暫停向烏克蘭運送愛國者攔截彈。", {(A, US, UA, "suspended")}, {"Patriot"}, None),
    ("韓國與波蘭簽署合約，向波蘭出售180輛K2坦克。", {(S, "South Korea", "Poland", "occurred")}, {"K2 Black Panther"}, "180輛"),
    ("波蘭與韓國簽署採購合約，購買212門K9自行火炮。", {(S, "South Korea", "Poland", "occurred")}, {"K9 Thunder"}, "212門"),
    ("印度向俄羅斯購買五套S-400防空導彈系統。", {(S, "Russia", "India", "occurred")}, {"S-400"}, "五套"),
    ("美國國務院周五批准向以色列出售價值約80億美元的軍火，包括地獄火導彈及炸彈。",
     {(S, US, "Israel", "occurred")}, {"Hellfire"}, None),
    # mainland / wire
    ("据报道，沙特正考虑从中国采购歼-35战斗机。", {(S, "China", "Saudi Arabia", "considered")}, {"J-35"}, None),
    # B 请求 A 出售/提供: the one asked gives
    ("埃及请求美国出售F-15战斗机。", {(S, US, "Egypt", "requested")}, {"F-15"}, None),
    ("乌克兰请求德国提供“金牛座”巡航导弹。", {(A, "Germany", UA, "requested")}, {"Taurus KEPD 350"}, None),
    ("美国拒绝向土耳其出售F-35战机。", {(S, US, "Türkiye", "refused")}, {"F-35"}, None),
    ("美国取消了向土耳其出售F-35的计划。", {(S, US, "Türkiye", "suspended")}, {"F-35"}, None),
    ("乌克兰从美国获得了首批M1艾布拉姆斯坦克。", {(A, US, UA, "occurred")}, {"M1 Abrams"}, None),
    ("瑞典计划向乌克兰捐赠CV90步兵战车。", {(A, "Sweden", UA, "planned")}, {"CV90"}, None),
    ("美国宣布再向乌克兰提供4套海马斯火箭炮。", {(A, US, UA, "occurred")}, {"HIMARS"}, "4套"),
    ("德国批准向沙特出口欧洲台风战斗机。", {(S, "Germany", "Saudi Arabia", "occurred")}, {"Eurofighter Typhoon"}, None),
    ("以色列与德国签署协议，向德国出售箭-3反导系统。", {(S, "Israel", "Germany", "occurred")}, {"Arrow missile defense system"}, None),
    ("法国向印度出售26架阵风战斗机。", {(S, "France", "India", "occurred")}, {"Rafale"}, "26架"),
    ("美方宣布向乌方提供“标枪”和“毒刺”导弹。", {(A, US, UA, "occurred")}, {"Javelin", "Stinger"}, None),
    ("白俄罗斯接收了俄罗斯交付的伊斯坎德尔导弹系统。", {(A, "Russia", "Belarus", "occurred")}, {"Iskander"}, None),
    ("德国、荷兰和丹麦联合向乌克兰援助一批豹1坦克。",
     {(A, "Germany", UA, "occurred"), (A, "Netherlands", UA, "occurred"), (A, "Denmark", UA, "occurred")}, {"Leopard 1"}, None),
    ("菲律宾向印度购买布拉莫斯导弹。", {(S, "India", "Philippines", "occurred")}, {"BrahMos"}, None),
]
# fmt: on


@pytest.mark.parametrize("sentence,expected,weapons,quantity", CASES)
def test_arms_transfer(extract, sentence, expected, weapons, quantity):
    relations, name = extract(sentence, detail=True)
    arms = [r for r in relations if r.type in ARMS]
    assert {(r.type, name[r.source], name[r.target], r.status) for r in arms} == expected
    assert {name[w] for r in arms for w in r.weapons} == weapons
    if quantity:
        assert quantity in {r.quantity for r in arms}
