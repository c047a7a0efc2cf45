"""Sentence pools for the LAC tokenizer, and starting the model on the first pool early.

Loading the pipeline (importing spaCy, building and initialising the components) takes about a
second of one core, and the model can do nothing until the tokenizer asks for its first pool.
:func:`start_first_pool` needs neither spaCy nor the pipeline: it sends the first pool to the
model in a background thread (onnxruntime releases the GIL), so the encoder works while the
pipeline loads, and the tokenizer takes the result (:func:`take_started`) when its first pool
has exactly the same sentences. Any other first pool is analysed as usual, so the output never
depends on whether, or with which settings, a pool was started.
"""

from __future__ import annotations

import configparser
import json
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from graphkit.nlp.lac import LacAnalyzer
from graphkit.normalise import noise_spans, sentence_spans, within_any

__all__ = ["POOL_SENTENCES", "sentence_pools", "shared_analyzer", "release_analyzers",
           "lac_settings", "start_first_pool", "take_started"]

# Sentences the model gets at a time: enough to fill equal-length batches; larger pools make
# the last pool, whose components run alone, longer (4,096 built the corpus slower than 2,048).
POOL_SENTENCES = 2048
_LAC_TOKENIZER = "graphkit.LacTokenizer.v1"

_analyzers: dict[int, LacAnalyzer] = {}
_started: dict[int, tuple[list[str], Future]] = {}


def sentence_pools(texts: Iterable[str], max_sentence_len: int,
                   pool_size: int = POOL_SENTENCES) -> Iterator[tuple[list, list[str]]]:
    """(plans, sentences) of about ``pool_size`` sentences, whole texts each; a plan is (text,
    noise spans, sentence spans, index of its first sentence in the pool). Sentences wholly in
    noise are left out.

    The model works one pool ahead of the components, so the last pool's components run with
    the model idle. The texts are therefore read two pools ahead, and what is left at the end
    is cut into pools that halve in size (down to a sixteenth), keeping that last stretch short."""
    smallest = max(1, pool_size // 16)
    buffer: deque = deque()  # (text, noise, spans) read but not pooled yet
    buffered = 0
    for text in texts:
        noise = noise_spans(text)
        spans = [s for s in sentence_spans(text, max_sentence_len) if not within_any(noise, *s)]
        buffer.append((text, noise, spans))
        buffered += len(spans)
        while buffered >= 2 * pool_size:
            pool = _take(buffer, pool_size)
            buffered -= len(pool[1])
            yield pool
    while buffer:
        pool = _take(buffer, max(smallest, (buffered + 1) // 2))
        buffered -= len(pool[1])
        yield pool


def _take(buffer: deque, size: int) -> tuple[list, list[str]]:
    """Texts off the front of ``buffer`` until they hold at least ``size`` sentences."""
    plans: list = []
    sentences: list[str] = []
    while buffer and (not plans or len(sentences) < size):
        text, noise, spans = buffer.popleft()
        plans.append((text, noise, spans, len(sentences)))
        sentences.extend(text[s:e] for s, e in spans)
    return plans, sentences


def shared_analyzer(batch_size: int) -> LacAnalyzer:
    """One analyzer (ONNX session, word tables) per process and batch size."""
    if batch_size not in _analyzers:
        _analyzers[batch_size] = LacAnalyzer(batch_size=batch_size)
    return _analyzers[batch_size]


def release_analyzers() -> None:
    """Drop the analyzers and any pool started but never taken."""
    _analyzers.clear()
    _started.clear()


def lac_settings(config_text: str) -> tuple[int, int] | None:
    """(batch_size, max_sentence_len) of a config whose tokenizer is graphkit's LAC tokenizer,
    read without spaCy (thinc's config values are JSON); None for any other config."""
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str
    try:
        parser.read_string(config_text)
        section = parser["nlp.tokenizer"]
        if json.loads(section.get("@tokenizers", "null")) != _LAC_TOKENIZER:
            return None
        return int(json.loads(section.get("batch_size", "64"))), int(json.loads(section.get("max_sentence_len", "300")))
    except (configparser.Error, KeyError, ValueError, TypeError):
        return None


def start_first_pool(texts: Iterable[str], *, batch_size: int, max_sentence_len: int) -> None:
    """Send the first pool of ``texts`` (simplified, as the tokenizer gets them) to the model in
    a background thread."""
    first = next(sentence_pools(texts, max_sentence_len), None)
    if first is None or not first[1]:
        return
    analyzer = shared_analyzer(batch_size)
    runner = ThreadPoolExecutor(max_workers=1)
    _started[batch_size] = (first[1], runner.submit(analyzer.analyse_offsets, first[1]))
    runner.shutdown(wait=False)  # its one task runs on; the thread ends with it


def take_started(batch_size: int, sentences: list[str]) -> Future | None:
    """The started analysis of exactly these sentences, once; None if there is none."""
    started = _started.pop(batch_size, None)
    if started is None or started[0] != sentences:
        return None
    return started[1]
