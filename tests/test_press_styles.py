"""Golden cases in Taiwan and Hong Kong press style: fused summit names (川习会, 习拜视讯), local
transliterations (川普, 蒲亭, 梅尔兹, 鲁比欧), 视讯 calls, attribution and modality. Written for these
tests, not copied from any article; each asserts type, parties, status and (where given) date."""

from __future__ import annotations

import pytest

T, X, P, B, K, Z = "Donald Trump", "Xi Jinping", "Vladimir Putin", "Joe Biden", "Kim Jong Un", "Volodymyr Zelensky"
US, CN, RU = "United States", "China", "Russia"
CORE = {"meets", "calls", "sells-weapons-to", "provides-military-aid-to"}

# fmt: off
# (text, publication date, {(type, party, party, status, date)}); meets/calls are compared unordered
CASES = [
 # fused summit names
 ("白宮證實，川習會將於週四在釜山登場。", "2025-10-27", {("meets", T, X, "planned", "2025-10-30")}),
 ("拜習會本月稍早在舊金山舉行，雙方同意恢復兩軍溝通。", "2023-11-28", {("meets", B, X, "occurred", "2023-11")}),
 ("川金會上月在河內舉行，雙方不歡而散。", "2019-03-15", {("meets", T, K, "occurred", "2019-02")}),
 ("普習會預計下月在莫斯科舉行。", "2023-02-20", {("meets", P, X, "planned", "2023-03")}),
 ("外界關注的習拜會恐延後舉行。", "2022-10-10", {("meets", B, X, "suspended", None)}),
 ("川澤會當地時間28日在白宮爆發激烈口角。", "2025-03-01", {("meets", T, Z, "occurred", "2025-02-28")}),
 ("據中央社報導，美中元首會晤仍在籌備中。", "2025-09-20", {("meets", US, CN, "planned", None)}),
 ("美俄峰會宣布取消，白宮稱目前沒有計畫。", "2025-10-22", {("meets", US, RU, "suspended", None)}),
 ("拜登與習近平週三舉行視訊峰會，會談長達三個半小時。", "2021-11-17", {("calls", B, X, "occurred", "2021-11-17")}),
 ("川習通話於上週五進行，雙方談及TikTok。", "2025-09-22", {("calls", T, X, "occurred", "2025-09-19")}),
 ("習拜視訊會談將於週一晚間舉行。", "2021-11-13", {("calls", B, X, "planned", "2021-11-15")}),
 ("路透引述消息人士說，川習會可能在APEC期間舉行。", "2025-09-01", {("meets", T, X, "considered", None)}),
 ("白宮表示，不排除川普與普丁再度舉行峰會。", "2025-10-25", {("meets", T, P, "considered", None)}),
 ("「川普會」可能在布達佩斯舉行。", "2025-10-17", {("meets", T, P, "considered", None)}),
 ("川習會傳出延後，雙方仍在協調時間。", "2025-10-01", {("meets", T, X, "suspended", None)}),
 # calls
 ("川普週二與普丁通電話，長達兩個多小時。", "2025-03-20", {("calls", T, P, "occurred", "2025-03-18")}),
 ("馬克宏致電澤倫斯基，表達法國的支持。", "2025-03-05", {("calls", "Emmanuel Macron", Z, "occurred", None)}),
 ("石破茂與川普進行約25分鐘的電話會談。", "2025-02-08", {("calls", "Shigeru Ishiba", T, "occurred", None)}),
 ("高市早苗上任後首度與川普通話。", "2025-10-26", {("calls", "Sanae Takaichi", T, "occurred", None)}),
 ("施凱爾當地時間週日與澤倫斯基通電話。", "2025-08-11", {("calls", "Keir Starmer", Z, "occurred", "2025-08-10")}),
 ("據報，美中兩軍尚未恢復熱線。", "2023-06-10", set()),
 ("梅爾茲昨天與馬克宏舉行視訊會議，討論烏克蘭局勢。", "2025-06-04", {("calls", "Friedrich Merz", "Emmanuel Macron", "occurred", "2025-06-03")}),
 ("魯比歐與王毅通電話，雙方就兩國關係交換意見。", "2025-09-11", {("calls", "Marco Rubio", "Wang Yi", "occurred", None)}),
 ("蒲亭與川普有望在本週通話。", "2025-05-19", {("calls", T, P, "planned", "2025-05")}),
 ("川普表示，他將在下週與習近平通話。", "2025-09-12", {("calls", T, X, "planned", "2025-09")}),
 # meetings and visits
 ("賴清德上午在總統府接見美國聯邦參議員訪問團。", "2025-05-30", set()),
 ("副總統蕭美琴本月稍早在布魯塞爾與歐洲議會議員會面。", "2025-11-20", set()),
 ("盧比歐週四在吉隆坡與王毅會面，這是兩人首度面對面會談。", "2025-07-12", {("meets", "Marco Rubio", "Wang Yi", "occurred", "2025-07-10")}),
 ("華爾茲與澤倫斯基在吉達舉行會談。", "2025-03-12", {("meets", "Mike Waltz", Z, "occurred", None)}),
 ("馬克宏抵達北京進行國是訪問，並與習近平會談。", "2023-04-06", {("meets", "Emmanuel Macron", X, "occurred", None)}),
 ("石破茂與川普在白宮舉行首次會談。", "2025-02-08", {("meets", "Shigeru Ishiba", T, "occurred", None)}),
 ("高市早苗將在東京與川普舉行會談。", "2025-10-25", {("meets", "Sanae Takaichi", T, "planned", None)}),
 ("川普據報將與蒲亭在阿拉斯加會面。", "2025-08-09", {("meets", T, P, "planned", None)}),
 ("澤倫斯基尚未與普丁見面。", "2025-05-10", {("meets", P, Z, "negated", None)}),
 ("北約秘書長呂特與川普在海牙會晤。", "2025-06-25", {("meets", "Mark Rutte", T, "occurred", None)}),
 ("梅爾茲首度以總理身分訪問白宮，與川普會面。", "2025-06-06", {("meets", "Friedrich Merz", T, "occurred", None)}),
 ("歐盟執委會主席范德賴恩將與李強會晤。", "2025-07-20", {("meets", "Ursula von der Leyen", "Li Qiang", "planned", None)}),
 ("星島日報引述消息指，習近平有望與川普在北京會面。", "2025-11-01", {("meets", T, X, "planned", None)}),
 ("施凱爾與馬克宏週四在倫敦會晤，討論烏克蘭和平方案。", "2025-07-12", {("meets", "Emmanuel Macron", "Keir Starmer", "occurred", "2025-07-10")}),
 ("魏特科夫在莫斯科與普丁會談近五小時。", "2025-08-07", {("meets", "Steve Witkoff", P, "occurred", None)}),
 ("內坦雅胡在白宮與川普會面，討論哈瑪斯釋放人質問題。", "2025-07-08", {("meets", "Benjamin Netanyahu", T, "occurred", None)}),
 ("賴清德出訪友邦途中過境夏威夷，未與美方官員會面。", "2024-12-02", {("meets", "Lai Ching-te", US, "negated", None)}),
]
# fmt: on


def _core(relations, name) -> set[tuple]:
    out = set()
    for r in relations:
        if r.type in CORE:
            a, b = name[r.source], name[r.target]
            if r.type in ("meets", "calls"):
                a, b = sorted((a, b))
            out.add((r.type, a, b, r.status, r.date))
    return out


@pytest.mark.parametrize("text,date,expected", CASES, ids=[c[0][:14] for c in CASES])
def test_press_style(extract, text, date, expected):
    expected = {(t, *sorted((a, b)), st, d) if t in ("meets", "calls") else (t, a, b, st, d)
                for t, a, b, st, d in expected}
    assert _core(*extract(text, date=date, detail=True)) == expected


@pytest.mark.parametrize("text,expected", [
    # the characters of 川普 followed by 会见 are Trump meeting someone, not a Trump–Putin summit
    ("川普會見澤倫斯基。", {("meets", T, Z, "occurred", None)}),
    # press forms only count fused with another leader's before a summit word
    ("習近平出席學習會。", set()),
    ("川普將在會上發言。", set()),
    # a place fused into a summit's name is where it is held
    ("二十國集團峇里島峰會取得成功。", set()),
])
def test_fused_forms_need_the_construction(extract, text, expected):
    assert _core(*extract(text, date="2025-03-01", detail=True)) == expected


def test_one_actor_per_person_across_scripts_and_transliterations(nlp):
    """The same story in mainland simplified and Taiwan traditional wording: one node per person."""
    from graphkit.pipeline import assemble, extract_articles
    from graphkit.schema import Article

    texts = ["特朗普与普京在阿拉斯加会晤，鲁比奥和威特科夫陪同。默茨、内塔尼亚胡随后与特朗普通电话。",
             "川普與蒲亭在阿拉斯加會晤，魯比歐和魏特科夫陪同。梅爾茲、內坦雅胡隨後與川普通電話。",
             "川普會後，普丁返回莫斯科。川習會將於週四舉行。"]
    articles = [Article(id=f"{i}.txt", text=t, date="2025-08-16") for i, t in enumerate(texts)]
    actors, _relations, _g = assemble(list(extract_articles(articles, nlp)))
    people = sorted(a.name_en for a in actors if a.type == "PERSON")
    assert people == sorted({T, P, X, "Marco Rubio", "Steve Witkoff", "Friedrich Merz", "Benjamin Netanyahu"})
