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
    ("普京与特朗普讨论了俄乌冲突和美俄双边关系。", ["俄", "乌", "美", "俄"]),
    ("中朝友谊源远流长。", ["中", "朝"]),
])
def test_pairs_of_country_forms_are_countries(ents, text, expected):
    assert [t for t in texts(ents(text)) if len(t) == 1] == expected
