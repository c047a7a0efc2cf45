"""Where the per-article map runs: in this process, or on a Dask cluster.

Extraction is a pure function of an article and the pipeline, so both engines give the same
``ArticleResult`` records; the reduce (``pipeline.assemble``) always runs here.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from graphkit.errors import ConfigError, ExtractionError, error_from_payload, error_payload
from graphkit.pipeline import article_texts, extract_articles
from graphkit.schema import Article, ArticleResult

__all__ = ["extract_local", "extract_forked", "ForkedExtractor", "extract_dask", "release_pipelines"]

_WORKER_NLP: dict[tuple[str, str], object] = {}


def _nlp_for(config: str | None, pkuseg_model: str | None = None, articles: Sequence[Article] = (), *,
             start_model: bool = True):
    """One pipeline per process, config and pkuseg model: loading the model is the expensive
    part. A pipeline not loaded yet starts the model on the first pool of ``articles`` first
    (unless ``start_model`` is False: the caller did)."""
    from graphkit.nlp import build_nlp

    key = (config or "", pkuseg_model or "")
    if key not in _WORKER_NLP:
        if start_model:
            _start_model(config, articles)
        overrides = {"pkuseg_model": pkuseg_model} if pkuseg_model else {}
        _WORKER_NLP[key] = build_nlp(config, **overrides)
    return _WORKER_NLP[key]


def _start_model(config: str | None, articles: Sequence[Article]) -> None:
    from graphkit.nlp import read_config
    from graphkit.nlp.pools import lac_settings, start_first_pool

    settings = lac_settings(read_config(config)[0]) if articles else None
    if settings:
        batch_size, max_sentence_len = settings
        start_first_pool(article_texts(articles), batch_size=batch_size, max_sentence_len=max_sentence_len)


def release_pipelines() -> None:
    """Drop the loaded pipelines (model, vocabulary, gazetteer automaton: a few hundred MB), so
    the memory is free for assembling and writing the graph after extraction."""
    from graphkit.nlp.pools import release_analyzers

    _WORKER_NLP.clear()
    release_analyzers()


def extract_local(articles: Sequence[Article], config: str | Path | None = None, *,
                  pkuseg_model: str | Path | None = None) -> Iterator[ArticleResult]:
    nlp = _nlp_for(str(config) if config else None, str(pkuseg_model) if pkuseg_model else None, articles)
    yield from extract_articles(articles, nlp)


_FAILED = "!"  # starts the child's last line when extraction failed (results are JSON objects)


class ForkedExtractor:
    """:func:`extract_local` in a child process forked before the articles are known: it
    imports spaCy while the caller reads its inputs and its cache, then extracts what
    :meth:`extract` sends it, streaming the results back in order (or ends: :meth:`close`).
    The caller resolves the results as they come, on its own core. Needs ``os.fork``."""

    def __init__(self, config: str | Path | None = None, *, pkuseg_model: str | Path | None = None) -> None:
        articles_read, articles_write = os.pipe()
        results_read, results_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never returns into the caller's code, whatever happens
            try:
                os.close(articles_write)
                os.close(results_read)
                _extract_in_child(articles_read, results_write, config, pkuseg_model)
            finally:
                os._exit(0)
        os.close(articles_read)
        os.close(results_write)
        self._pid, self._articles, self._results = pid, articles_write, results_read
        self._reaped = False

    def extract(self, articles: Sequence[Article]) -> Iterator[ArticleResult]:
        """Send ``articles`` (once) and stream their results."""
        articles = list(articles)
        self._send(articles)
        self._reaped = True  # the results' reader waits for the child
        return _results_from_child(self._pid, self._results, len(articles))

    def close(self) -> None:
        """Nothing (more) to send: a child still waiting for articles ends."""
        if self._articles is not None:
            self._send([])
        if not self._reaped:
            self._reaped = True
            os.close(self._results)
            os.waitpid(self._pid, 0)

    def _send(self, articles: list[Article]) -> None:
        if self._articles is None:
            raise RuntimeError("articles were sent to this extractor already")
        fd, self._articles = self._articles, None
        try:
            with os.fdopen(fd, "wb") as pipe:
                pickle.dump(articles, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:  # it died: the results' reader says so
            pass


def _extract_in_child(articles_fd: int, results_fd: int, config, pkuseg_model) -> None:
    """The child's work: a thread waits for the articles and starts the model on their first
    pool, while this thread imports spaCy and then builds the pipeline; then it runs."""
    received: dict[str, object] = {}
    arrived = threading.Event()

    def receive() -> None:
        try:
            with os.fdopen(articles_fd, "rb") as pipe:
                articles = pickle.load(pipe)
        except (EOFError, OSError, pickle.UnpicklingError):
            articles = []
        if not articles:  # nothing to extract, or the caller is gone
            os._exit(0)
        received["articles"] = articles
        arrived.set()
        try:
            _start_model(str(config) if config else None, articles)
        except Exception as exc:  # raised again below, where the caller hears of it
            received["error"] = exc

    reader = threading.Thread(target=receive, daemon=True)
    reader.start()
    import graphkit.nlp  # noqa: F401  (first: it keeps spaCy's CLI out of the import below)
    import spacy  # noqa: F401  (most of the pipeline's start-up)

    arrived.wait()
    # line-buffered: each result reaches the caller (and its cache) as soon as it is made
    with os.fdopen(results_fd, "w", encoding="utf-8", buffering=1) as out:
        try:
            try:  # the pipeline is built while the thread loads the model and starts it
                _nlp_for(str(config) if config else None, str(pkuseg_model) if pkuseg_model else None,
                         start_model=False)
            finally:
                reader.join()
            if "error" in received:
                raise received["error"]
            for result in extract_local(received["articles"], config, pkuseg_model=pkuseg_model):
                out.write(result.model_dump_json() + "\n")
        except Exception as exc:  # the caller raises it again
            out.write(_FAILED + json.dumps(error_payload(exc)) + "\n")


def extract_forked(articles: Sequence[Article], config: str | Path | None = None, *,
                   pkuseg_model: str | Path | None = None) -> Iterator[ArticleResult]:
    """:func:`extract_local` in a child process, forked now (see :class:`ForkedExtractor`)."""
    return ForkedExtractor(config, pkuseg_model=pkuseg_model).extract(articles)


def _results_from_child(pid: int, read_end: int, expected: int) -> Iterator[ArticleResult]:
    done = 0
    try:
        with os.fdopen(read_end, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith(_FAILED):
                    raise error_from_payload(json.loads(line[len(_FAILED):]), ExtractionError)
                yield ArticleResult.model_validate_json(line)
                done += 1
        if done < expected:  # it died without a word: killed, most likely for memory
            raise ExtractionError(f"the extraction process stopped after {done} of {expected} articles",
                                  hint="free memory and build again (results so far are cached)")
    finally:
        if done < expected:  # an error, or our reader stopped early: the child's work is not needed
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)


def _extract_batch(config: str | None, articles: list[dict], pkuseg_model: str | None = None) -> list[dict]:
    arts = [Article.model_validate(a) for a in articles]
    return [r.model_dump(mode="json") for r in extract_articles(arts, _nlp_for(config, pkuseg_model, arts))]


def extract_dask(articles: Sequence[Article], config: str | Path | None = None, *,
                 scheduler: str | None = None, batch_size: int = 32, n_workers: int = 2,
                 pkuseg_model: str | Path | None = None) -> Iterator[ArticleResult]:
    """Map article batches over a Dask cluster (a local one of ``n_workers`` processes when no
    scheduler address is given); results come back in input order."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("the dask engine needs dask.distributed",
                          hint='pip install "graphkit[dask]"') from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler: {exc}", path=scheduler,
                          hint="check the address (tcp://host:8786) or leave --scheduler out") from exc
    cfg = str(config) if config else None
    try:
        batches = [[a.model_dump(mode="json") for a in articles[i:i + batch_size]]
                   for i in range(0, len(articles), batch_size)]
        model = str(pkuseg_model) if pkuseg_model else None
        futures = client.map(_extract_batch, [cfg] * len(batches), batches, [model] * len(batches),
                             pure=False)
        for future in futures:  # in submission order, so output order is fixed
            for record in future.result():
                yield ArticleResult.model_validate(record)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
