"""The per-article map outside the caller's process: a forked child streams results back."""

from __future__ import annotations

import os
import signal

import pytest

from graphkit import engines
from graphkit.engines import extract_forked, extract_local
from graphkit.errors import ConfigError, ExtractionError
from graphkit.schema import Article

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

ARTICLES = [Article(id="a.txt", text="美国总统特朗普与俄罗斯总统普京通电话。"),
            Article(id="b.txt", text="法国总统马克龙在巴黎会见德国总理默茨。")]


def test_forked_results_equal_in_process_results():
    assert list(extract_forked(ARTICLES)) == list(extract_local(ARTICLES))


def test_an_extractor_forked_before_the_articles_are_known_extracts_them_or_ends():
    extractor = engines.ForkedExtractor()  # importing spaCy now, while we decide
    assert list(extractor.extract(ARTICLES)) == list(extract_local(ARTICLES))
    with pytest.raises(RuntimeError, match="sent to this extractor already"):
        extractor.extract(ARTICLES)
    idle = engines.ForkedExtractor()
    idle.close()  # nothing to extract: the child ends, and is waited for
    with pytest.raises(ProcessLookupError):
        os.kill(idle._pid, 0)
    idle.close()  # twice is harmless


def test_a_config_error_in_the_child_keeps_its_kind_path_and_hint(tmp_path):
    missing = tmp_path / "nope.cfg"
    with pytest.raises(ConfigError, match="pipeline config not found") as caught:
        list(extract_forked(ARTICLES, missing))
    assert caught.value.path == str(missing) and caught.value.hint


def test_any_other_failure_arrives_as_an_extraction_error(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("model file truncated")
        yield

    monkeypatch.setattr(engines, "extract_local", broken)  # the fork inherits the patch
    with pytest.raises(ExtractionError, match="RuntimeError: model file truncated"):
        list(extract_forked(ARTICLES))


def test_a_child_killed_mid_way_is_reported_with_what_it_finished(monkeypatch):
    def killed_after_one(articles, config=None, **kwargs):
        yield from extract_local(articles[:1], config)
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would

    monkeypatch.setattr(engines, "extract_local", killed_after_one)
    results = extract_forked(ARTICLES)
    assert next(results).article == "a.txt"
    with pytest.raises(ExtractionError, match="stopped after 1 of 2 articles"):
        next(results)


def test_a_reader_that_stops_early_leaves_no_child_behind(monkeypatch):
    children = []
    real_fork = os.fork

    def recording_fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    results = extract_forked(ARTICLES)
    next(results)
    results.close()
    with pytest.raises(ChildProcessError):  # killed and reaped: nothing left to wait for
        os.waitpid(children[0], os.WNOHANG)


def test_error_payloads_round_trip_across_processes():
    from graphkit.errors import ExportError, InputError, error_from_payload, error_payload

    again = error_from_payload(error_payload(InputError("not UTF-8", path="a.txt", hint="save as UTF-8")),
                               ExportError)
    assert type(again) is InputError and (again.message, again.path, again.hint) == (
        "not UTF-8", "a.txt", "save as UTF-8")
    other = error_from_payload(error_payload(MemoryError("out of memory")), ExportError)
    assert type(other) is ExportError and other.message == "MemoryError: out of memory"



def test_a_pipeline_loaded_with_its_first_pool_started_gives_the_same_results(monkeypatch):
    from graphkit.nlp import pools

    expected = list(extract_local(ARTICLES))  # the pipeline was loaded already: nothing started
    engines.release_pipelines()
    real, calls = pools.start_first_pool, []

    def recording(texts, **settings):
        calls.append(settings)
        real(texts, **settings)

    monkeypatch.setattr(pools, "start_first_pool", recording)
    assert list(extract_local(ARTICLES)) == expected
    assert calls == [{"batch_size": 64, "max_sentence_len": 300}]
    from graphkit.pipeline import article_texts

    first_pool = next(pools.sentence_pools(article_texts(ARTICLES), 300))[1]
    assert pools.take_started(64, first_pool) is None  # the tokenizer took it
