"""Sentence pools: whole texts, halving at the end; the first pool started before the pipeline."""

from __future__ import annotations

import pytest

from graphkit.nlp import pools, read_config
from graphkit.nlp.pools import lac_settings, sentence_pools, start_first_pool, take_started
from graphkit.nlp.tokenizer import doc_text

THREE_SENTENCES = "第{}句话。第{}句话。第{}句话。"


def _texts(n: int) -> list[str]:
    return [THREE_SENTENCES.format(i, i, i) for i in range(n)]


def test_full_pools_then_halving_ones_at_the_end():
    sizes = [len(sentences) for _, sentences in sentence_pools(_texts(1000), 300, pool_size=256)]
    # 3,000 sentences: full pools while two pools' worth are read ahead, then the last 420 halved
    # (whole texts, so each pool rounds up to a multiple of three), down to 256 / 16
    assert sizes == [258] * 10 + [210, 105, 54, 27, 18, 6]


@pytest.mark.parametrize("pool_size", [1, 2, 7, 256, 10_000])
def test_every_sentence_once_in_order_and_plans_point_at_their_sentences(pool_size):
    texts = _texts(40) + ["", "没有句号", "（新闻联播）。责任编辑：张三"]
    pooled, seen_texts = [], []
    for plans, sentences in sentence_pools(texts, 300, pool_size):
        for text, _noise, spans, first in plans:
            seen_texts.append(text)
            assert sentences[first:first + len(spans)] == [text[s:e] for s, e in spans]
        pooled += sentences
    assert seen_texts == texts
    assert pooled == [s for text in texts for s in next(sentence_pools([text], 300))[1]]


def test_no_texts_no_pools():
    assert list(sentence_pools([], 300)) == []


def test_lac_settings_read_from_the_config_text():
    assert lac_settings(read_config(None)[0]) == (64, 300)
    assert lac_settings(read_config("zh_pkuseg")[0]) is None  # another tokenizer: nothing to start
    assert lac_settings("[nlp.tokenizer]\n@tokenizers = \"graphkit.LacTokenizer.v1\"\nbatch_size = 8\n") == (8, 300)
    assert lac_settings("not a config") is None
    assert lac_settings("[nlp.tokenizer]\n@tokenizers = \"graphkit.LacTokenizer.v1\"\nbatch_size = x\n") is None


def test_a_started_pool_is_taken_once_and_only_for_the_same_sentences():
    texts = _texts(3)
    start_first_pool(texts, batch_size=64, max_sentence_len=300)
    assert take_started(64, ["另一句。"]) is None  # not these sentences: dropped
    assert take_started(64, ["第0句话。"]) is None  # and gone
    start_first_pool(texts, batch_size=64, max_sentence_len=300)
    sentences = next(sentence_pools(texts, 300))[1]
    started = take_started(64, sentences)
    assert started.result() == pools.shared_analyzer(64).analyse_offsets(sentences)
    assert take_started(64, sentences) is None


def test_the_tokenizer_uses_the_started_pool_and_gives_the_same_docs(nlp, monkeypatch):
    texts = ["特朗普与普京通电话。美国总统表示满意。", "央视网消息：习近平会见来宾。", ""]
    expected = [[(t.idx, t.text, t.tag_, t.is_sent_start) for t in d] for d in nlp.tokenizer.pipe(texts)]
    start_first_pool(texts, batch_size=nlp.tokenizer.batch_size, max_sentence_len=nlp.tokenizer.max_sentence_len)

    def not_again(sentences):
        raise AssertionError("the started pool was analysed again")

    monkeypatch.setattr(nlp.tokenizer.analyzer, "analyse_offsets", not_again)
    docs = list(nlp.tokenizer.pipe(texts))
    assert [[(t.idx, t.text, t.tag_, t.is_sent_start) for t in d] for d in docs] == expected
    assert [doc_text(d) for d in docs] == texts
