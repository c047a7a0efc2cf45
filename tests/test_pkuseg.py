"""pipelines/zh_pkuseg.cfg: spaCy's pkuseg tokens, with the default pipeline's LAC analysis laid over.

The pkuseg model is trained here, offline, on a few segmented sentences written for this test
(spacy-pkuseg's wheel ships no model and graphkit never downloads one).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

pytest.importorskip("spacy_pkuseg")

from click.testing import CliRunner  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402

from graphkit.cli import cli  # noqa: E402
from graphkit.errors import ConfigError  # noqa: E402
from graphkit.nlp import build_nlp, read_config  # noqa: E402
from graphkit.nlp.components import ActorRuler, WeaponRecognizer, split_tokens_at  # noqa: E402
from graphkit.pipeline import assemble, extract_articles  # noqa: E402
from graphkit.schema import Article, GazetteerEntry  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "pipelines" / "zh_pkuseg.cfg"

# fmt: off
SEGMENTED = [
    "美国 总统 特朗普 与 俄罗斯 总统 普京 通 电话 。",
    "乌克兰 总统 泽连斯基 会见 了 美国 国务卿 。",
    "特朗普 表示 ， 美国 将 向 乌克兰 提供 军事 援助 。",
    "普京 在 莫斯科 会见 了 中国 外交 部长 。",
    "泽连斯基 与 特朗普 在 白宫 举行 会谈 。",
    "俄罗斯 外交部 发言人 表示 ， 俄方 拒绝 谈判 。",
    "美国 国务院 批准 向 乌克兰 出售 导弹 。",
    "普京 与 泽连斯基 没有 直接 对话 。",
    "乌克兰 外交 部长 访问 北京 。",
    "特朗普 说 ， 他 将 与 普京 会面 。",
    "德国 总理 会见 乌克兰 总统 泽连斯基 。",
    "中国 国家 主席 与 法国 总统 通 电话 。",
    "俄罗斯 总统 普京 访问 中国 。",
    "美国 向 乌克兰 提供 了 新 一 批 武器 。",
    "泽连斯基 感谢 美国 的 支持 。",
    "北约 秘书长 在 布鲁塞尔 发表 讲话 。",
    "英国 首相 与 特朗普 讨论 乌克兰 局势 。",
    "普京 表示 ， 俄罗斯 愿意 停火 。",
    "美国 国防部 宣布 新 的 军事 援助 计划 。",
    "特朗普 在 社交 媒体 上 发文 。",
]

# sentences the tiny model has not seen, in both scripts, with names it may cut or glue
SAME_AS_DEFAULT = [
    "美國總統特朗普與俄羅斯總統普京通電話。",
    "乌克兰总统泽连斯基周四在基辅会见了到访的英国首相约翰逊。",
    "弗拉基米尔·普京表示，中美关系稳定，美方不应向台湾出售“爱国者”导弹。",
    "新华社北京3月14日电 德国总理朔尔茨当天与法国总统马克龙通话。\n责任编辑：王明\n",
]
# fmt: on


@pytest.fixture(scope="module")
def pkuseg_model(tmp_path_factory) -> Path:
    import spacy_pkuseg

    folder = tmp_path_factory.mktemp("pkuseg")
    train, test = folder / "train.txt", folder / "test.txt"
    train.write_text("\n".join(SEGMENTED) + "\n", encoding="utf-8")
    test.write_text("\n".join(SEGMENTED[:5]) + "\n", encoding="utf-8")
    state = random.getstate()
    random.seed(0)  # spacy_pkuseg.train shuffles with the global random
    try:
        spacy_pkuseg.train(str(train), str(test), str(folder / "model"), train_iter=5)
    finally:
        random.setstate(state)
    return folder / "model"


@pytest.fixture(scope="module")
def pk_nlp(pkuseg_model):
    return build_nlp(CONFIG, pkuseg_model=str(pkuseg_model))


def _results(nlp, text: str):
    return list(extract_articles([Article(id="t.txt", text=text, date="2025-03-14")], nlp))


def test_config_is_the_packaged_one():
    packaged = REPO / "graphkit" / "pipelines" / "zh_pkuseg.cfg"
    assert CONFIG.read_text(encoding="utf-8") == packaged.read_text(encoding="utf-8")
    assert read_config("zh_pkuseg") == (packaged.read_text(encoding="utf-8"), "zh_pkuseg.cfg")


def test_tokens_are_pkuseg_tokens(pk_nlp, pkuseg_model):
    import spacy_pkuseg

    text = "美国总统特朗普与俄罗斯总统普京通电话。"
    doc = pk_nlp(text)
    assert type(pk_nlp.tokenizer).__name__ == "ChineseTokenizer" and pk_nlp.tokenizer.segmenter == "pkuseg"
    assert doc.text == text
    cut = spacy_pkuseg.pkuseg(str(pkuseg_model)).cut(text)
    pkuseg_bounds = {sum(map(len, cut[:i])) for i in range(len(cut) + 1)}
    token_bounds = {t.idx for t in doc} | {len(text)}
    assert pkuseg_bounds <= token_bounds  # pkuseg's cuts are kept; names may add cuts
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("美国", "GPE", "united-states"), ("特朗普", "PERSON", "donald-trump"),
        ("俄罗斯", "GPE", "russia"), ("普京", "PERSON", "vladimir-putin")]
    assert [s.text for s in doc.sents] == [text]


def test_calls_and_affiliations(pk_nlp):
    text = "美國總統特朗普與俄羅斯總統普京通電話。泽连斯基周五在基辅会见了马克龙。"
    actors, relations, _ = assemble(_results(pk_nlp, text))
    name = {a.id: a.name_en or a.label for a in actors}
    assert {(r.type, name[r.source], name[r.target], r.status) for r in relations} == {
        ("calls", "Donald Trump", "Vladimir Putin", "occurred"),
        ("affiliated-with", "Donald Trump", "United States", "occurred"),
        ("affiliated-with", "Vladimir Putin", "Russia", "occurred"),
        ("meets", "Volodymyr Zelensky", "Emmanuel Macron", "occurred"),
    }
    for r in relations:  # evidence quotes the article as written (traditional script here)
        assert r.sentence == text[r.start:r.end]
    call = next(r for r in relations if r.type == "calls")
    assert (call.start, call.end, call.sentence) == (0, 19, "美國總統特朗普與俄羅斯總統普京通電話。")
    mentions = [m for res in _results(pk_nlp, text) for m in res.mentions]
    assert [(m.start, m.end, m.text) for m in mentions][:4] == [
        (0, 2, "美國"), (4, 7, "特朗普"), (8, 11, "俄羅斯"), (13, 15, "普京")]


@pytest.mark.parametrize("text", SAME_AS_DEFAULT)
def test_same_results_as_the_default_pipeline(pk_nlp, nlp, text):
    assert _results(pk_nlp, text) == _results(nlp, text)


def test_noise_spans_are_set(pk_nlp):
    text = "新华社北京3月14日电 德国总理朔尔茨当天与法国总统马克龙通话。\n责任编辑：王明\n"
    doc = pk_nlp(text)
    assert [sp.text for sp in doc.spans["noise"]] == ["新华社北京3月14日电", "责任编辑：王明"]
    assert all(e.text != "王明" for e in doc.ents)


# --- the token splitting that lets names fit tokens from another segmenter


def test_split_keeps_annotations_by_offsets():
    import spacy

    nlp = spacy.blank("zh")
    doc = Doc(nlp.vocab, words=["普京通", "电话", "。", "他说", "好"], spaces=[False] * 5,
              sent_starts=[True, False, False, True, False], tags=["PER", "v", "w", "r", "a"])
    doc.ents = [Span(doc, 0, 1, label="PERSON", kb_id="x")]
    doc.spans["noise"] = [doc[2:3]]
    split_tokens_at(doc, [2, 4, 5, 0, 9])
    assert [(t.text, t.tag_, t.is_sent_start) for t in doc] == [
        ("普京", "PER", True), ("通", "PER", False), ("电", "v", False), ("话", "v", False),
        ("。", "w", False), ("他说", "r", True), ("好", "a", False)]
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [("普京通", "PERSON", "x")]
    assert [sp.text for sp in doc.spans["noise"]] == ["。"]


# fmt: off
TINY_GAZETTEER = [
    GazetteerEntry(id="vladimir-putin", type="PERSON", en="Vladimir Putin", names=("普京",)),
    GazetteerEntry(id="china", type="GPE", en="China", names=("中国",), short=("中",)),
    GazetteerEntry(id="united-states", type="GPE", en="United States", names=("美国",), short=("美",)),
]
RULER_CASES = [
    # split: the tokens are cut to fit the name, never widened to 普京通
    (True, ["普京通", "电话"], ["普京", "通", "电话"], [("普京", "vladimir-putin")]),
    # the default pipeline's tokens already fit its names: a name inside a token is not one
    (False, ["普京通", "电话"], ["普京通", "电话"], []),
    # one-character country forms, judged on the token they sit in (as LAC words are judged)
    (True, ["中美", "关系"], ["中", "美", "关系"], [("中", "china"), ("美", "united-states")]),
    (True, ["美元", "汇率"], ["美元", "汇率"], []),
]
# fmt: on


@pytest.mark.parametrize("split,words,tokens,ents", RULER_CASES)
def test_actor_ruler_on_tokens_from_another_segmenter(split, words, tokens, ents):
    import spacy

    nlp = spacy.blank("zh")
    ruler = ActorRuler(nlp, "actor_ruler", split_tokens=split)
    ruler.initialize(gazetteer=TINY_GAZETTEER)
    doc = ruler(Doc(nlp.vocab, words=words, spaces=[False] * len(words)))
    assert [t.text for t in doc] == tokens
    assert [(e.text, e.kb_id_) for e in doc.ents] == ents


def test_weapon_ruler_splits_a_glued_designation():
    import spacy

    nlp = spacy.blank("zh")
    ruler = WeaponRecognizer(nlp, "weapon_ruler", split_tokens=True)
    ruler.initialize(lexicon={"weapon_heads": ["防空系统"]})
    doc = ruler(Doc(nlp.vocab, words=["出售S", "-400防空", "系统"], spaces=[False] * 3))
    assert [t.text for t in doc] == ["出售", "S", "-400", "防空", "系统"]
    assert [(e.text, e.label_) for e in doc.ents] == [("S-400", "WEAPON")]


# --- no model: a graphkit error naming the option and the fix, never a download


@pytest.fixture
def no_download(monkeypatch):
    import spacy_pkuseg

    def refuse(*args, **kwargs):
        raise AssertionError("spacy_pkuseg tried to download a model")

    monkeypatch.setattr(spacy_pkuseg, "download_model", refuse)


@pytest.mark.parametrize("model", [None, "mixed", "not/a/folder"])
def test_missing_model_is_a_config_error(no_download, model):
    overrides = {} if model is None else {"pkuseg_model": model}
    with pytest.raises(ConfigError) as err:
        build_nlp(CONFIG, **overrides)
    message = str(err.value)
    assert "pkuseg_model" in message and "--pkuseg-model DIR" in message and "zh_pkuseg.cfg" in message
    if model:
        assert "never downloads" in message


def test_cli_build_with_and_without_a_model(tmp_path, pkuseg_model, no_download):
    article = tmp_path / "a.txt"
    article.write_text("美国总统特朗普与俄罗斯总统普京通电话。", encoding="utf-8")
    args = ["build", str(article), "--out", str(tmp_path / "out"), "--config", str(CONFIG), "--no-cache"]
    failed = CliRunner().invoke(cli, args)
    assert isinstance(failed.exception, ConfigError) and "--pkuseg-model" in str(failed.exception)
    done = CliRunner().invoke(cli, [*args, "--pkuseg-model", str(pkuseg_model)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "calls 1" in done.output and (tmp_path / "out" / "graph.json").is_file()
