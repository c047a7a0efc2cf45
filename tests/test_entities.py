"""Entity golden cases: what the nlp pipeline marks as an actor, and as which type."""

from __future__ import annotations

import pytest

from graphkit.normalise import to_simplified


@pytest.fixture(scope="session")
def ents(nlp):
    """text -> list of (entity text, label, gazetteer id) in order."""
    def run(text: str):
        doc = nlp(to_simplified(text))
        return [(e.text, e.label_, e.kb_id_) for e in doc.ents]
    return run


@pytest.fixture(scope="session")
def actors(nlp):
    """text -> set of (label, type) of the actors of a one-article graph."""
    from graphkit.pipeline import assemble, extract_articles
    from graphkit.schema import Article

    def run(text: str):
        found, _relations, _graph = assemble(list(extract_articles([Article(id="t.txt", text=text)], nlp)))
        return {(a.label, a.type) for a in found}
    return run


def texts(found):
    return [t for t, _label, _id in found]


@pytest.mark.parametrize("text, country_char", [
    ("俄方愿意以人道主义考虑为指导。", "以"),    # 愿意|以: no pair 意以
    ("乌克兰同意美国提出的停火方案。", "意"),
    ("中国正在以中国式现代化全面推进强国建设。", "以"),  # 以|中国: 中 opens a longer word
    ("并提前对7月4日美国独立日表示祝贺。", "日"),  # 4日|美国
    ("中国在国际事务中日益发挥着重要作用。", "日"),  # 中|日益
    ("他们想让导弹朝那个方向飞吗?", "朝"),  # 朝 is "towards"
])
def test_one_character_forms_inside_words_are_not_countries(ents, text, country_char):
    assert country_char not in texts(ents(text))


@pytest.mark.parametrize("text, expected", [
    # a short form that is also an everyday character names its country when it opens a title
    ("英首相与马克龙会晤。", ["英"]),
    ("法总统与王毅会晤。", ["法"]),
    ("印总理抵达。", ["印"]),
    ("日首相石破茂表示。", ["日"]),
    ("双方会谈前 英首相表示。", ["英"]),  # LAC glued the space to 英
    # not as a preposition, a direction, "new", or a day
    ("以外长身份出席会议。", []),
    ("在会谈中外长表示。", []),
    ("新总统将于下周就职。", []),
    ("13日首相斯塔默表示。", []),
    ("十三日首相斯塔默表示。", []),
    ("次日首相斯塔默表示。", []),
])
def test_a_short_form_opening_a_title_is_its_country(ents, text, expected):
    assert [t for t, label, _ in ents(text) if len(t) == 1 and label == "GPE"] == expected


@pytest.mark.parametrize("text, expected", [
    ("普京与特朗普讨论了俄乌冲突和美俄双边关系。", ["俄", "乌", "美", "俄"]),
    ("中朝友谊源远流长。", ["中", "朝"]),
])
def test_pairs_of_country_forms_are_countries(ents, text, expected):
    assert [t for t in texts(ents(text)) if len(t) == 1] == expected


@pytest.mark.parametrize("text, expected", [
    ("美国国防部长赫格塞斯12日表示。", [("美国", "GPE", "united-states")]),
    ("乌克兰国防部长周五在布鲁塞尔表示。", [("乌克兰", "GPE", "ukraine")]),
])
def test_a_ministry_inside_a_minister_title_is_not_the_ministry(ents, text, expected):
    assert [e for e in ents(text) if e[1] != "PERSON" and e[0] != "布鲁塞尔"] == expected


@pytest.mark.parametrize("text, name", [
    ("据俄罗斯自然资源部称，截至2023年。", "俄罗斯自然资源部"),
    ("联合国乌克兰人权监察团表示，平民伤亡人数增加。", "联合国乌克兰人权监察团"),
    ("全国人大外事委员会就此发表声明。", "全国人大外事委员会"),
])
def test_a_name_word_ending_in_an_organisation_word_is_one_organisation(ents, text, name):
    assert (name, "ORG", "") in ents(text)


@pytest.mark.parametrize("text, rest", [
    ("在乌克兰西部的控制区交战。", "西部"),
    ("川普希望说服普京签署协议。", "希望"),
    ("执意会见台湾地区领导人。", "地区"),
    ("这些谈判将在中东地区立即展开。", "地区"),
])
def test_rests_of_name_words_cut_at_known_names_are_not_names(ents, text, rest):
    assert rest not in texts(ents(text))


def test_a_place_rest_beside_a_known_name_stays_a_place(ents):
    found = ents("当天晚些时候,特朗普在美国安德鲁斯空军基地接受了媒体采访。")
    assert ("安德鲁斯空军基地", "LOC", "") in found and ("美国", "GPE", "united-states") in found


def test_pentagon_and_the_defense_department_are_two_actors(ents):
    found = ents("美国国防部和五角大楼都没有透露。")
    assert [e[2] for e in found] == ["us-defense-department", "pentagon"]


@pytest.mark.parametrize("text, place", [
    ("白宫副幕僚长于美东时间周二上午发帖。", "美东"),
    ("会议在莫斯科时间下午1点开始。", "莫斯科"),
])
def test_a_place_before_a_time_word_is_a_time_zone(ents, text, place):
    assert place not in texts(ents(text))


def test_lone_latin_words_are_not_people(ents):
    assert ents("川普在社交媒体真相社会(Truth Social)上表示") == [("川普", "PERSON", "donald-trump")]


def test_a_foreign_name_cut_in_two_by_lac_is_one_person(ents):
    found = ents("华盛顿民主防御基金会分析师马克·蒙哥马利表示，同意向乌克兰出售。")
    assert ("马克·蒙哥马利", "PERSON", "") in found and "马利" not in texts(found)


def test_a_person_after_a_title_word_stays_another_person(ents):
    found = texts(ents("习近平夫人彭丽媛和邦戈夫人西尔维娅陪同参加欢迎仪式。"))
    assert "邦戈夫人西尔维娅" not in found and "西尔维娅" in found


@pytest.mark.parametrize("text, expected", [
    ("外交部2日宣布召见美国驻乌克兰大使馆的高级外交官。", "美国驻乌克兰大使馆"),
])
def test_a_countrys_mission_abroad_is_one_organisation(ents, text, expected):
    assert (expected, "ORG", "") in ents(text)


def test_country_pairs_before_words_for_their_dealings(ents):
    assert [t for t in texts(ents("中菲友好源远流长。")) if len(t) == 1] == ["中", "菲"]
    assert "日" not in texts(ents("当地时间2月12日中午,川普与泽伦斯基进行了通话。"))


@pytest.mark.parametrize("text, word", [
    ("特朗普将注意力集中在向北约成员国施压。", "成员国"),
    ("两国都是共产党领导的社会主义国家。", "共产党"),
    ("并与国防工业公司举行会面。", "国防工业公司"),
])
def test_descriptions_are_not_organisations(ents, text, word):
    assert word not in texts(ents(text))


def test_a_capital_used_only_as_its_government_stands_for_it_everywhere(ents):
    text = "美国国会考虑对莫斯科实施更严厉的制裁。俄罗斯石油是莫斯科战争机器的引擎。"
    assert [e[2] for e in ents(text) if e[0] == "莫斯科"] == ["russia", "russia"]
    text = "普京邀请川普访问莫斯科。莫斯科战争机器仍在运转。"
    assert [e[2] for e in ents(text) if e[0] == "莫斯科"] == ["moscow", "moscow"]


def test_a_capitals_forces_are_its_country(ents):
    assert ("基辅", "GPE", "ukraine") in ents("他说，基辅的部队将在两者之间排成一排。")


def test_a_transliterated_name_with_its_english_form_is_a_person(ents):
    found = ents("白宫副幕僚长丹‧斯卡维诺(Dan Scavino)于美东时间周二上午发帖说。")
    assert ("丹·斯卡维诺", "PERSON", "") in found and ("Dan Scavino", "PERSON", "") in found


def test_an_english_full_name_in_brackets_is_one_name_of_the_known_person(ents):
    found = ents("中央情報局局長約翰・拉特克利夫(John Lee Ratcliffe)領導談判。")
    assert [(t, kb) for t, label, kb in found if label == "PERSON"] == [
        ("约翰·拉特克利夫", "john-ratcliffe"), ("John Lee Ratcliffe", "john-ratcliffe")]


def test_a_company_after_its_country_is_a_name_of_its_own(ents):
    found = ents("国家副主席韩正在北京会见美国英特尔公司首席执行官基辛格。")
    assert ("美国", "GPE", "united-states") in found and ("英特尔公司", "ORG", "") in found


def test_a_country_form_paired_with_an_unknown_one_is_no_name(ents):
    assert "中阿" not in texts(ents("全力构建面向新时代的中阿命运共同体。"))


@pytest.mark.parametrize("text, entry_id", [
    ("兼任俄罗斯主权财富基金负责人的德米特里耶夫表示。", "russian-direct-investment-fund"),
    ("川普总统在椭圆形办公室与俄罗斯总统普京进行通话。", "oval-office"),
    ("华盛顿保守派民主防御基金会分析师表示。", "foundation-for-defense-of-democracies"),
    ("乌军已撤出临近的索列达尔。", "soledar"),
    ("普京与金正恩在俄东方航天发射场会面。", "vostochny-cosmodrome"),
])
def test_well_known_actors_from_the_gazetteer(ents, text, entry_id):
    assert entry_id in [kb for _t, _label, kb in ents(text)]


def test_a_preposition_tagged_as_a_person_does_not_join_the_name(ents):
    assert ("科斯塔", "PERSON", "") in ents("年初，习近平主席同科斯塔主席通话，为深化中欧关系奠定基调。")


def test_a_name_after_a_title_inside_a_place_word_is_the_person(ents):
    found = ents("赵乐际6日上午在北京分别会见文莱苏丹哈桑纳尔。")
    assert ("哈桑纳尔", "PERSON", "") in found and "sudan" not in [kb for _t, _l, kb in found]


@pytest.mark.parametrize("text, expected", [
    ("国家副主席韩正2日在北京会见英国汇丰集团主席杜嘉祺。", [("英国", "GPE"), ("汇丰集团", "ORG")]),
    ("全国政协主席王沪宁19日在京会见美国哈佛大学教授艾利森。", [("美国", "GPE"), ("哈佛大学", "ORG")]),
])
def test_a_company_or_university_after_its_country_keeps_its_own_name(ents, text, expected):
    found = [(t, label) for t, label, _kb in ents(text)]
    assert all(e in found for e in expected)


@pytest.mark.parametrize("text, word", [
    ("今年，我们宣布中坦建立全面战略伙伴关系。", "中坦"),
    ("越中两国山水相连。", "越中"),
    ("双方共同发布《中肯政府关于深化合作的联合声明》。", "中肯政府"),
    ("肯方珍视肯中之间的传统友谊。", "肯方珍"),
    ("中国愿同智国会深化交流。", "智国会"),
    ("各方推动伊核问题政治解决。", "伊核"),
])
def test_words_of_country_abbreviations_are_no_names(ents, text, word):
    assert word not in texts(ents(text))


def test_regions_of_direction_and_continent_are_not_country_pairs():
    from graphkit.nlp.components import is_country_abbreviation_word
    abbreviations = frozenset("中美俄东西南北亚欧非")
    assert not is_country_abbreviation_word("北非", abbreviations, ())
    assert is_country_abbreviation_word("中非", abbreviations, ())


@pytest.mark.parametrize("text, name", [
    ("土库曼斯坦总统别尔德穆哈梅多夫抵京。别尔德穆哈梅多夫表示，感谢邀请。", "别尔德穆哈梅多夫"),
    ("韩国国会议长禹元植来访。在会见禹元植时，赵乐际表示欢迎。", "禹元植"),
    ("出席峰会的斯里兰卡总理阿马拉苏里亚。阿马拉苏里亚表示，愿深化合作。", "阿马拉苏里亚"),
    ("格鲁吉亚总理科巴希泽抵达上海。科巴希泽表示，格方恪守一个中国原则。", "科巴希泽"),
])
def test_a_transliterated_name_cut_differently_at_each_mention_is_one_person(ents, text, name):
    found = ents(text)
    people = [t for t, label, _kb in found if label == "PERSON"]
    assert people.count(name) == 2 and all(name == p or p not in name for p in people)
    assert not [t for t, label, _kb in found if label != "PERSON" and t in name]


def test_an_unknown_place_word_before_a_head_title_is_a_person(ents):
    assert ("瓦塔拉", "PERSON", "") in ents("中方愿同瓦塔拉总统一道努力。")
    assert ("约翰内斯堡", "PERSON", "") not in ents("他在约翰内斯堡会见约翰。")


def test_a_title_that_lac_left_on_a_name_is_not_part_of_the_person(ents):
    found = ents("主席向摩纳哥新任亲王阿尔贝托致贺电。愿同阿尔贝托亲王一道努力。")
    people = [t for t, label, _kb in found if label == "PERSON"]
    assert "阿尔贝托亲王" not in people


@pytest.mark.parametrize("text, weapon", [
    ("美方宣布向该国出售MQ-9B無人機。", "MQ-9B"),          # glued to its head noun in one word
    ("美國軍售台灣AGM-154C聯合距外武器。", "AGM-154C"),      # a designation without a head noun
    ("俄方交付Su-35給伊朗。", "Su-35"),
])
def test_military_type_designations_are_weapons(ents, text, weapon):
    assert any(label == "WEAPON" and t.startswith(weapon) for t, label, _kb in ents(text))


@pytest.mark.parametrize("text", ["疫情期间COVID-19病例增加。", "C919大型客机首飞成功。"])
def test_other_codes_are_not_weapons(ents, text):
    assert not [t for t, label, _kb in ents(text) if label == "WEAPON"]


@pytest.mark.parametrize("text, entry_id", [
    ("國軍採購紅隼反裝甲火箭與勁蜂無人機。", "kestrel"),
    ("國軍採購紅隼反裝甲火箭與勁蜂無人機。", "chien-feng"),
    ("德國交付獵豹自走防空炮。", "gepard"),
    ("伊朗向俄罗斯提供沙赫德-136无人机。", "shahed-136"),
])
def test_weapons_named_in_taiwan_and_wire_usage(ents, text, entry_id):
    assert entry_id in [kb for _t, label, kb in ents(text) if label == "WEAPON"]


@pytest.mark.parametrize("text, venue", [
    ("两国元首在钓鱼台国宾馆举行会谈。", "钓鱼台国宾馆"),
    ("代表团向人民英雄纪念碑敬献花篮。", "人民英雄纪念碑"),
])
def test_a_venue_is_a_place_not_a_political_unit(ents, text, venue):
    assert all(label == "LOC" for t, label, _kb in ents(text) if t == venue)


def test_an_organisation_named_with_two_spellings_of_its_country_is_one_actor(actors):
    found = actors("进行工作访问的寮国人民革命党中央总书记通伦。进行访问的老挝人民革命党中央总书记通伦。")
    assert len([label for label, typ in found if typ == "ORG" and label.endswith("人民革命党中央")]) == 1
