"""graphkit's LAC tokenizer: docs, their cached text, and the model working one pool ahead."""

from __future__ import annotations

import pytest

from graphkit.nlp.components import split_tokens_at
from graphkit.nlp.tokenizer import doc_text

TEXTS = [
    "特朗普与普京通电话。美国总统表示满意。",
    "央视网消息（新闻联播）：8月31日上午，习近平会见来宾。\n\n责任编辑：张三",
    "  川普(Donald Trump)週四與澤倫斯基會面 ，  雙方討論了停火。",
    "",
    "。",
]


def _tokens(doc):
    return [(t.idx, t.text, t.tag_, t.is_sent_start) for t in doc]


def test_tags_and_sentence_starts_of_a_golden_doc(nlp):
    doc = nlp.tokenizer("特朗普与普京通电话。美国总统表示满意。")
    assert [(t.text, t.tag_, t.is_sent_start) for t in doc] == [
        ("特朗普", "PER", True), ("与", "p", False), ("普京", "PER", False), ("通", "v", False),
        ("电话", "n", False), ("。", "w", False), ("美国", "LOC", True), ("总统", "n", False),
        ("表示", "v", False), ("满意", "v", False), ("。", "w", False)]


@pytest.mark.parametrize("text", TEXTS)
def test_cached_doc_text_is_the_doc_text_also_after_splitting(nlp, text):
    doc = nlp.tokenizer(text)
    assert doc_text(doc) == doc.text == text
    split = split_tokens_at(doc, range(len(text)))  # every character its own token
    assert doc_text(split) == split.text == text
    assert len(split) == len(text)


def test_pools_of_any_size_give_the_same_docs(nlp):
    texts = TEXTS * 5
    one_pool = [_tokens(d) for d in nlp.tokenizer.pipe(texts, batch_size=10_000)]
    # two sentences a pool: many pools, each analysed while the one before is turned into docs
    many_pools = [_tokens(d) for d in nlp.tokenizer.pipe(texts, batch_size=2)]
    assert many_pools == one_pool
    assert [doc_text(d) for d in nlp.tokenizer.pipe(texts, batch_size=2)] == texts


def test_a_model_error_reaches_the_caller(nlp, monkeypatch):
    def broken(sentences):
        raise RuntimeError("encoder failed")

    monkeypatch.setattr(nlp.tokenizer.analyzer, "analyse_offsets", broken)
    with pytest.raises(RuntimeError, match="encoder failed"):
        list(nlp.tokenizer.pipe(TEXTS, batch_size=2))
