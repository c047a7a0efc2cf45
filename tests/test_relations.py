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
    # a demonstrative title refers back to the person named with it; 敦促 X 与 Y: X is the party
    ("俄罗斯总统普京周一表示。特朗普未能敦促這位俄羅斯領導人與澤連斯基进行直接对话。",
     {("affiliated-with", "Vladimir Putin", "Russia", "occurred"),
      ("meets", "Vladimir Putin", "Volodymyr Zelensky", "negated")}),
    # a country's business people are not the country
    ("普京会见了俄罗斯商界代表。", set()),
    # parties fused into a noun before a meeting word
    ("泽连斯基呼吁尽快举行俄乌直接谈判。", {("meets", "Russia", "Ukraine", "requested")}),
    # fused countries + 元首: their leaders as named in the article
    ("美国总统拜登与俄罗斯总统普京举行会谈。美俄元首通话持续一小时。",
     {("affiliated-with", "Joe Biden", "United States", "occurred"),
      ("affiliated-with", "Vladimir Putin", "Russia", "occurred"),
      ("meets", "Joe Biden", "Vladimir Putin", "occurred"),
      ("calls", "Joe Biden", "Vladimir Putin", "occurred")}),
    # 我 = the speaker, 总统先生 = the other president of the article
    ("习近平同美国总统拜登通电话。习近平指出，我和总统先生在旧金山会晤。",
     {("affiliated-with", "Joe Biden", "United States", "occurred"),
      ("calls", "Xi Jinping", "Joe Biden", "occurred"),
      ("meets", "Xi Jinping", "Joe Biden", "occurred")}),
    # a bank's head (行长) named after the bank is the party, not the bank
    ("普京会见世界银行行长史密斯。",
     {("meets", "Vladimir Putin", "史密斯", "occurred"), ("affiliated-with", "史密斯", "World Bank", "occurred")}),
    # institutions, intentions and look-alike words are no meetings
    ("中俄总理定期会晤机制运转良好。", set()),
    ("双方同意加强战略沟通。", set()),
    # an intention verb earlier in the clause governs the noun phrase ending in the trigger
    ("双方要推动和加强中俄各领域对话合作。", set()),
    ("法德两国同意保持各层级对话沟通。", set()),
    ("德国要加强同法国在能源领域的对话。", set()),
    # …only a dialogue-like trigger across a modifier: talks being advanced are under way
    ("法国正在推进与德国的谈判。", {("meets", "France", "Germany", "occurred")}),
    # …but a new predicate (举行) makes it an event
    ("法国同意加强合作并与德国举行对话。", {("meets", "France", "Germany", "planned")}),
    ("这一想法并没有预见到美国的反应。", set()),
    # a title without a holder known to the article names nobody
    ("美国特使会见普京。", set()),
    # the object after a relative clause (…的)
    ("美国国会众议长麦卡锡执意会见“过境”窜美的台湾地区领导人蔡英文。",
     {("meets", "Kevin McCarthy", "Tsai Ing-wen", "occurred"),
      ("affiliated-with", "Kevin McCarthy", "US Congress", "occurred"),
      ("affiliated-with", "Tsai Ing-wen", "Taiwan", "occurred")}),
    # a giver without a receiver: the article's receiver
    ("美国向乌克兰提供坦克。英国和挪威还将联合提供5亿美元的军事援助。",
     {("provides-military-aid-to", "United States", "Ukraine", "occurred"),
      ("provides-military-aid-to", "United Kingdom", "Ukraine", "planned"),
      ("provides-military-aid-to", "Norway", "Ukraine", "planned")}),
    # the one who says or does not reveal is not the giver
    ("俄称西方向乌提供武器将被视为直接卷入冲突。", set()),
    ("白宫没有透露暂停向乌克兰交付的武器种类。", set()),
    # the subject of the clause before; a leader's 我们 is his country
    ("美国将获得乌克兰的稀土，作为继续向基辅提供援助的回报。",
     {("provides-military-aid-to", "United States", "Ukraine", "occurred")}),
    ("特朗普说，这种武器很难获得，我们自己也需要，还要向以色列供应这些武器。",
     {("provides-military-aid-to", "United States", "Israel", "occurred")}),
    ("克里姆林宫说，关键条件是美国及盟友完全停止对乌克兰的军事援助。",
     {("provides-military-aid-to", "United States", "Ukraine", "suspended")}),
    # status from after the trigger; a buyer's wish requests the sale
    ("泽连斯基认为，这将迫使普京对待特朗普关于俄乌直接谈判以结束战争的呼吁。",
     {("meets", "Russia", "Ukraine", "requested")}),
    ("泽连斯基表示，他有意斥资150亿美元购买10套“爱国者”反导系统。",
     {("sells-weapons-to", "United States", "Volodymyr Zelensky", "requested")}),
    ("特朗普说：“我没有承诺访问乌克兰，但会考虑。”", {("meets", "Donald Trump", "Ukraine", "considered")}),
    # "his envoy": the person named before
    ("普京转向他的发言人佩斯科夫说道。", {("affiliated-with", "Dmitry Peskov", "Vladimir Putin", "occurred")}),
    # a refusal of a request stays refused
    ("巴西总统卢拉拒绝了德国向巴西提出的提供“豹”式坦克炮弹的请求。",
     {("provides-military-aid-to", "Germany", "Brazil", "refused"),
      ("affiliated-with", "Luiz Inácio Lula da Silva", "Brazil", "occurred")}),
    # a state visit described in a relative clause: the visitor came to the host named before
    # the visit word (来华), and the country in the visitor's title is his own, not the host
    ("习近平会见来华进行国事访问的巴西总统卢拉。",
     {("meets", "Xi Jinping", "Luiz Inácio Lula da Silva", "occurred"),
      ("meets", "Luiz Inácio Lula da Silva", "China", "occurred"),
      ("affiliated-with", "Luiz Inácio Lula da Silva", "Brazil", "occurred")}),
    ("卢拉同来华出席论坛并进行国事访问的南非总统拉马福萨举行会谈。",
     {("meets", "Luiz Inácio Lula da Silva", "Cyril Ramaphosa", "occurred"),
      ("meets", "Cyril Ramaphosa", "China", "occurred"),
      ("affiliated-with", "Cyril Ramaphosa", "South Africa", "occurred")}),
    ("埃尔多安表示，很高兴来华进行国事访问。", {("meets", "Recep Tayyip Erdoğan", "China", "occurred")}),
    ("李强将访问俄罗斯、白俄罗斯。",
     {("meets", "Li Qiang", "Russia", "planned"), ("meets", "Li Qiang", "Belarus", "planned")}),
    # coordinated names each with their own country's title
    ("赵乐际在北京分别会见法国总统马克龙、德国总理默茨。",
     {("meets", "Zhao Leji", "Emmanuel Macron", "occurred"), ("meets", "Zhao Leji", "Friedrich Merz", "occurred"),
      ("affiliated-with", "Emmanuel Macron", "France", "occurred"),
      ("affiliated-with", "Friedrich Merz", "Germany", "occurred")}),
    ("马克龙与德国总理默茨和英国首相斯塔默举行会谈。",
     {("meets", "Emmanuel Macron", "Friedrich Merz", "occurred"),
      ("meets", "Emmanuel Macron", "Keir Starmer", "occurred"),
      ("affiliated-with", "Friedrich Merz", "Germany", "occurred"),
      ("affiliated-with", "Keir Starmer", "United Kingdom", "occurred")}),
    # the object after a chain of titles that hold no entity
    ("王毅会见越共中央政治局委员、越南总理范明政。",
     {("meets", "Wang Yi", "Pham Minh Chinh", "occurred"),
      ("affiliated-with", "Pham Minh Chinh", "Vietnam", "occurred")}),
    # those who lead the talks are not the talks' parties
    ("特朗普要求万斯和卢比奥领导谈判。", set()),
    # those present at the story's meeting meet its guest
    ("习近平在北京会见越南总理范明政。蔡奇、王毅参加会见。",
     {("meets", "Xi Jinping", "Pham Minh Chinh", "occurred"), ("meets", "Cai Qi", "Pham Minh Chinh", "occurred"),
      ("meets", "Wang Yi", "Pham Minh Chinh", "occurred"),
      ("affiliated-with", "Pham Minh Chinh", "Vietnam", "occurred")}),
    # 未经 (without) is no negation
    ("美国未经国会批准就向以色列出售武器。", {("sells-weapons-to", "United States", "Israel", "occurred")}),
    # a title inside a longer title is not its holder (美国总统 in 美国总统国家安全事务助理)
    ("美国总统拜登发表讲话。习近平会见美国总统国家安全事务助理。",
     {("affiliated-with", "Joe Biden", "United States", "occurred")}),
    # 国王陛下 / 总统殿下 address the other holder of the title
    ("李强会见巴林国王哈马德。李强表示，习近平主席同国王陛下举行会晤。",
     {("meets", "Li Qiang", "哈马德", "occurred"), ("meets", "Xi Jinping", "哈马德", "occurred"),
      ("affiliated-with", "Xi Jinping", "China", "occurred"), ("affiliated-with", "哈马德", "Bahrain", "occurred")}),
    # a country before a title with no name in it is no party (第一副总理 of an unrecognised name)
    ("李强会见马来西亚第一副总理。", set()),
    # an unnamed giver (西方) is not replaced by an actor named elsewhere in the sentence
    ("俄方要求安理会就西方向乌克兰提供武器问题召开会议。", set()),
    ("美国及盟友向乌克兰提供武器。", {("provides-military-aid-to", "United States", "Ukraine", "occurred")}),
    # what an approved sale is for (用于向B提供…) is sold, not given
    ("德国政府批准一笔军售，用于向波兰提供防空导弹。", {("sells-weapons-to", "Germany", "Poland", "occurred")}),
    # a delegation led by X: X is the party
    ("王毅会见由越南外长裴青山率领的代表团。",
     {("meets", "Wang Yi", "裴青山", "occurred"),
      ("affiliated-with", "裴青山", "Vietnam", "occurred")}),
    # 还 continues the subject, not its partner
    ("特朗普与普京通电话，还计划周五与泽连斯基通话。",
     {("calls", "Donald Trump", "Vladimir Putin", "occurred"),
      ("calls", "Donald Trump", "Volodymyr Zelensky", "planned")}),
    # a subjectless time clause (在会见X时) shares the subject of the clause after it
    ("在会见莫迪时，埃尔多安表示，两国是好伙伴。", {("meets", "Recep Tayyip Erdoğan", "Narendra Modi", "occurred")}),
    ("在与莫迪通电话后，埃尔多安表示满意。", {("calls", "Recep Tayyip Erdoğan", "Narendra Modi", "occurred")}),
    # a long descriptive title owned by a person (X的…特使 Y): Y is X's, and X is no party
    ("普京的国际经济和投资合作特使德米特里耶夫与马克龙会面。",
     {("affiliated-with", "Kirill Dmitriev", "Vladimir Putin", "occurred"),
      ("meets", "Kirill Dmitriev", "Emmanuel Macron", "occurred")}),
    ("特朗普的乌克兰问题特使凯洛格与泽连斯基会面。",
     {("affiliated-with", "Keith Kellogg", "Donald Trump", "occurred"),
      ("meets", "Keith Kellogg", "Volodymyr Zelensky", "occurred")}),
    # a list of parties (A、B、C和D…谈判): every pair meets, each pair once
    ("卡塔尔、土耳其、法国和埃及四方代表在开罗举行谈判。",
     {("meets", a, b, "occurred") for a, b in [("Qatar", "Türkiye"), ("Qatar", "France"), ("Qatar", "Egypt"),
                                                ("Türkiye", "France"), ("Türkiye", "Egypt"), ("France", "Egypt")]}),
    # countries fused into the event's name are no further party
    ("莫迪同阿尔巴尼斯举行印澳总理年度会晤。", {("meets", "Narendra Modi", "Anthony Albanese", "occurred")}),
    ("习近平同莫迪举行中印领导人非正式会晤。", {("meets", "Xi Jinping", "Narendra Modi", "occurred")}),
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
    relations, _ = extract("李强同拉克森举行会谈。会谈前，两国总理举行了小范围会谈。", detail=True)
    assert len([r for r in relations if r.type == "meets"]) == 2


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


def test_undated_mention_takes_the_date_of_the_same_event(extract):
    relations, _ = extract("特朗普会见普京。特朗普周四在白宫会见了普京。", date="2025-03-14", detail=True)
    assert [r.date for r in relations if r.type == "meets"] == ["2025-03-13", "2025-03-13"]


def test_two_dates_for_one_pair_are_not_guessed(extract):
    relations, _ = extract("特朗普周一会见普京。特朗普周四又会见普京。特朗普会见普京。",
                           date="2025-03-14", detail=True)
    assert sorted(str(r.date) for r in relations if r.type == "meets") == ["2025-03-10", "2025-03-13", "None"]


def test_visit_date_after_the_visitor(extract):
    relations, _ = extract("普京与到访的金正恩今天（9月13日）在阿穆尔州会面。", date="2023-09-14", detail=True)
    assert {r.date for r in relations if r.type == "meets"} == {"2023-09-13"}


def test_the_country_sending_an_embassy_is_not_the_party(extract):
    got = extract("乌克兰外交部召见美国驻乌克兰大使馆的外交官。")
    assert not any({"United States", "Ukraine"} & {src, tgt} for _, src, tgt, _ in got)


def test_today_in_a_quotation_is_the_day_the_speaker_said_it(extract):
    text = "莫迪周四表示，他将访问法国。\n莫迪在与马克龙通话后写道：“今天的通话富有成果。”"
    relations, _ = extract(text, date="2025-03-14", detail=True)
    assert [r.date for r in relations if r.type == "calls"] == ["2025-03-13"]
    relations, _ = extract(text.split("\n")[1], date="2025-03-14", detail=True)
    assert [r.date for r in relations if r.type == "calls"] == [None]  # not the publication day


def test_a_sentence_opening_with_er_ze_shares_the_time_before(extract):
    relations, name = extract("普京上周在莫斯科会见了埃尔多安。而莫迪则在新德里与马克龙举行了会谈。",
                              date="2025-03-14", detail=True)
    assert {(name[r.source], r.date) for r in relations if r.type == "meets"} == {
        ("Vladimir Putin", "2025-03"), ("Narendra Modi", "2025-03")}
    relations, name = extract("普京上周在莫斯科会见了埃尔多安。\n而莫迪则在新德里与马克龙举行了会谈。",
                              date="2025-03-14", detail=True)  # another paragraph: no shared time
    assert {(name[r.source], r.date) for r in relations if r.type == "meets"} == {
        ("Vladimir Putin", "2025-03"), ("Narendra Modi", None)}


def test_an_event_at_the_time_of_another_takes_its_date(extract):
    relations, name = extract("普京周二和埃尔多安通话之际，莫迪展开对法国的访问。", date="2025-03-14", detail=True)
    assert {(r.type, r.date) for r in relations} == {("calls", "2025-03-11"), ("meets", "2025-03-11")}
    relations, name = extract("普京和埃尔多安通话之际，莫迪展开对法国的访问。普京周二与埃尔多安通电话。",
                              date="2025-03-14", detail=True)  # the call dated in another sentence
    assert {(r.type, r.date) for r in relations} == {("calls", "2025-03-11"), ("meets", "2025-03-11")}


def test_those_present_meet_the_guest_not_each_other(extract):
    got = extract("王毅会见莫迪。\n蔡奇、丁薛祥等参加会谈。")
    assert {(src, tgt) for kind, src, tgt, _ in got if kind == "meets"} == {
        ("Wang Yi", "Narendra Modi"), ("Cai Qi", "Narendra Modi"), ("Ding Xuexiang", "Narendra Modi")}


def test_a_meeting_in_someones_words_gives_no_guests(extract):
    got = extract("王沪宁会见孟加拉国外交部长。\n王沪宁表示，习近平主席同莫迪总理举行会晤，为两国关系指明方向。\n"
                  "王东峰参加会见。")
    assert {(src, tgt) for kind, src, tgt, _ in got if kind == "meets"} == {("Xi Jinping", "Narendra Modi")}


def test_both_sides_present_at_talks_meet(extract):
    got = extract("法国外长巴罗和印度外长苏杰生参加会晤。")
    assert ("meets", "巴罗", "Subrahmanyam Jaishankar", "occurred") in got  # the other side, not each other


def test_a_documents_name_is_no_event(extract):
    relations, _ = extract("王毅同阿尔巴尼斯会谈。\n蔡奇参加会谈。\n双方发表《中澳总理年度会晤联合声明》。", detail=True)
    assert not [r for r in relations if "《" in r.sentence]


def test_you_in_a_speakers_words_is_the_other_side_of_the_meeting(extract):
    got = extract("习近平会见莫迪。\n习近平表示，你对中国进行国事访问，体现了对两国关系的重视。")
    assert ("meets", "Narendra Modi", "China", "occurred") in got
    relations, name = extract("李强分别会见莫迪和埃尔多安。\n在会见埃尔多安时，李强表示，两国是好伙伴。习近平主席同你举行会晤，指明了方向。",
                              detail=True)
    assert {(name[r.source], name[r.target]) for r in relations if r.type == "meets" and "你" in r.sentence} == {
        ("Xi Jinping", "Recep Tayyip Erdoğan")}  # the paragraph's guest, not the story's first


def test_a_holderless_title_in_a_speakers_words_is_the_speakers(extract):
    text = ("马克龙在社交媒体上写道：「我刚刚与莫迪进行了长时间的电话交谈。\n"
            "我已要求外长让-诺埃尔·巴罗和特使勒德里安领导谈判。」")
    relations, name = extract(text, detail=True)
    got = {(name[r.source], name[r.target]) for r in relations if r.type == "affiliated-with"}
    assert ("Jean-Yves Le Drian", "Emmanuel Macron") in got  # an envoy is the speaker's, across the quote's paragraphs
    assert not any(src == "Jean-Yves Le Drian" and tgt != "Emmanuel Macron" for src, tgt in got)


def test_a_title_pair_after_a_visit_is_the_visitor_and_the_hosts_holder(extract):
    text = "法国总统马克龙表示，莫迪已抵达巴黎，将于周三对法国进行国事访问。两国总统将讨论双边合作。"
    relations, name = extract(text, date="2025-03-14", detail=True)
    got = {(r.type, name[r.source], name[r.target], r.status, r.date) for r in relations if r.type == "meets"}
    assert got == {("meets", "Narendra Modi", "France", "planned", "2025-03-19"),  # 将于: the subject before
                   ("meets", "Narendra Modi", "Emmanuel Macron", "planned", "2025-03-19")}  # during the visit
    got = extract("普京与习近平通电话。两国元首讨论了双边关系。")
    assert not any(kind == "meets" for kind, *_ in got)  # a call's pair discussing is the call


def test_the_same_day_is_the_last_day_named(extract):
    relations, _ = extract("俄罗斯国防部13日发表声明。当天，莫迪与马克龙通电话。次日，莫迪会见埃尔多安。",
                           date="2025-03-14", detail=True)
    assert {(r.type, r.date) for r in relations} == {("calls", "2025-03-13"), ("meets", "2025-03-14")}


def test_you_in_a_call_story_is_the_other_caller(extract):
    got = extract("习近平同莫迪通电话。\n习近平指出，去年8月，你对中国进行国事访问。")
    assert ("meets", "Narendra Modi", "China", "occurred") in got


@pytest.mark.parametrize("sentence,expected", [
    # a bare 援助 qualified as civilian is no military aid; unqualified or military it still is
    ("挪威向马拉维提供无私援助。", set()),
    ("芬兰向肯尼亚提供人道主义援助和粮食。", set()),
    ("挪威向马拉维提供援助。", {("provides-military-aid-to", "Norway", "Malawi", "occurred")}),
    ("芬兰向肯尼亚提供经济和军事援助。", {("provides-military-aid-to", "Finland", "Kenya", "occurred")}),
])
def test_civilian_aid_is_no_military_aid(extract, sentence, expected):
    assert extract(sentence) == expected


def test_a_taiwan_press_video_meeting_is_a_call(extract):
    # 視訊 is the Taiwan word for 视频: 視訊會晤 is a video call, not an in-person meeting
    assert extract("挪威首相與智利總統舉行視訊會晤。") == extract("挪威首相与智利总统举行视频会晤。")
    assert {r[0] for r in extract("挪威與智利舉行視訊會晤。")} == {"calls"}
    assert {r[0] for r in extract("挪威與智利舉行影片會晤。")} == {"calls"}  # s2twp's spelling


def test_a_former_title_after_the_verb_is_no_time_before(extract):
    # 前 in 会见挪威前首相 is "former"; 会晤前 is still "before the talks"
    assert extract("韩正在北京会见挪威前首相索尔贝格。") == {
        ("meets", "Han Zheng", "索尔贝格", "occurred"), ("affiliated-with", "索尔贝格", "Norway", "occurred")}
    assert ("meets", "Vladimir Putin", "Donald Trump", "planned") in extract("普京与特朗普会晤前，双方代表举行磋商。")


def test_a_vague_time_before_is_another_occasion(extract):
    relations, _ = extract("马克龙18日在巴黎同朔尔茨举行会谈。马克龙指出，两个多月前我在柏林同朔尔茨总理会面。",
                           date="2025-03-20", detail=True)
    assert sorted(str(r.date) for r in relations if r.type == "meets") == ["2025-03-18", "None"]


def test_an_exact_number_of_months_before_is_that_month(extract):
    relations, _ = extract("马克龙指出，两个月前我在柏林同朔尔茨总理会面。", date="2025-03-20", detail=True)
    assert [r.date for r in relations if r.type == "meets"] == ["2025-01"]


@pytest.mark.parametrize("sentence,expected", [
    # a verb of holding office makes "title 的 X" X's own title, with or without a holder
    ("兼任挪威中央银行行长的索尔贝格表示，银行将加息。",
     {("affiliated-with", "索尔贝格", "挪威中央银行", "occurred")}),
    ("作为世界经济论坛主席的索尔贝格会见了莫迪。",
     {("affiliated-with", "索尔贝格", "World Economic Forum", "occurred"),
      ("meets", "索尔贝格", "Narendra Modi", "occurred")}),
    ("担任国务卿的鲁比奥与拉夫罗夫通电话。",
     {("affiliated-with", "Marco Rubio", "United States", "occurred"),
      ("calls", "Marco Rubio", "Sergey Lavrov", "occurred")}),
    # without the verb, the title before 的 is someone else's: the aide is no bank governor
    ("挪威中央银行行长的助手索尔贝格表示，银行将加息。", set()),
])
def test_an_office_verb_gives_the_title_before_de_to_the_person_after(extract, sentence, expected):
    assert extract(sentence) == expected
