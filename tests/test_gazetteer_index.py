import pytest

from graphkit.nlp.gazetteer import GazetteerIndex, fold, fold_name
from graphkit.schema import GazetteerEntry

ENTRIES = [
    GazetteerEntry(id="donald-trump", type="PERSON", en="Donald Trump", names=("特朗普", "川普", "唐纳德·特朗普")),
    GazetteerEntry(id="united-states", type="GPE", en="United States", names=("美国",), short=("美",)),
    GazetteerEntry(id="us-congress", type="ORG", en="United States Congress", names=("美国国会",)),
]


def test_fold_keeps_length_and_unifies_dots():
    text = "唐納德‧特朗普 Donald・TRUMP"
    assert len(fold(text)) == len(text)
    assert fold("唐纳德•特朗普") == fold("唐纳德·特朗普")
    assert fold_name("唐納德‧川普") == "唐纳德川普"


def test_leftmost_longest_and_offsets():
    idx = GazetteerIndex(ENTRIES)
    text = "美国国会邀请唐纳德·特朗普和美国官员"
    got = [(text[m.start:m.end], m.entry_id) for m in idx.find(text)]
    assert got == [("美国国会", "us-congress"), ("唐纳德·特朗普", "donald-trump"), ("美国", "united-states")]


def test_english_alias_needs_word_boundaries():
    idx = GazetteerIndex(ENTRIES)
    assert [m.entry_id for m in idx.find("川普(Donald Trump)说")] == ["donald-trump", "donald-trump"]
    assert idx.find("xdonald trumpy") == []


def test_short_forms_are_flagged():
    idx = GazetteerIndex(ENTRIES)
    (m,) = idx.find("对美出口")
    assert m.short and m.entry_id == "united-states"


def test_the_packaged_gazetteer_reaches_every_component_as_loaded(nlp):
    """spaCy's config resolver would hand each component plain dicts to validate again (a
    fifth of start-up): the registered gazetteer's entries arrive as the very objects loaded."""
    from graphkit.resources import load_gazetteer

    loaded = {e.id: e for e in load_gazetteer()}
    indexes = [nlp.tokenizer.gazetteer, nlp.get_pipe("actor_ruler").index]
    for index in indexes:
        assert index.entries.keys() == loaded.keys()
        assert all(index.entries[i] is e for i, e in loaded.items())
    assert all(nlp.get_pipe("relation_extractor").gazetteer[i] is e for i, e in loaded.items())


def test_a_gazetteer_written_as_dicts_is_validated():
    """A list of entries written in a config file reaches a component as plain dicts."""
    from graphkit.nlp.gazetteer import GazetteerEntries, as_entries

    entries = as_entries([{"id": "x", "type": "GPE", "en": "X", "names": ["甲国"]}])
    assert entries == [GazetteerEntry(id="x", type="GPE", en="X", names=("甲国",))]
    assert as_entries(GazetteerEntries(entries)) == entries
    with pytest.raises(ValueError):
        as_entries([{"id": "x", "type": "GPE", "en": "X", "names": []}])
