"""A whole build, inputs to output folder: the function behind ``graphkit build``."""

from __future__ import annotations

import gc
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from graphkit.cache import CACHE_DIRNAME, ResultCache, pipeline_fingerprint
from graphkit.engines import ForkedExtractor, extract_dask, extract_local, release_pipelines
from graphkit.errors import ConfigError, ExportError, error_from_payload, error_payload
from graphkit.ingest import read_articles
from graphkit.pipeline import assemble
from graphkit.schema import ArticleResult, InputProblem

__all__ = ["BuildSummary", "run_build"]


@dataclass
class BuildSummary:
    articles: int
    actors_by_type: dict[str, int]
    relations_by_type: dict[str, int]
    relations_by_status: dict[str, int]
    problems: list[InputProblem]
    outputs: list[Path]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    cached: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if any(p.severity == "skipped" for p in self.problems) else 0

    def render(self) -> str:
        def row(d):
            return ", ".join(f"{k} {v}" for k, v in sorted(d.items())) or "none"
        skipped = sum(p.severity == "skipped" for p in self.problems)
        lines = [
            f"articles   {self.articles} read, {skipped} skipped, "
            f"{sum(p.severity == 'degraded' for p in self.problems)} degraded, "
            f"{sum(p.severity == 'duplicate' for p in self.problems)} duplicates, "
            f"{self.cached} from cache",
            f"actors     {sum(self.actors_by_type.values())}: {row(self.actors_by_type)}",
            f"relations  {sum(self.relations_by_type.values())}: {row(self.relations_by_type)}",
            f"status     {row(self.relations_by_status)}",
            f"time       {self.seconds:.1f} s",
            "outputs    " + ", ".join(str(p) for p in self.outputs),
        ]
        lines += [f"problem    {p.path}: {p.reason}" + (f" ({p.fix})" if p.fix else "")
                  for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"problem    … {len(self.problems) - 20} more in report.json")
        return "\n".join(lines)


def run_build(inputs: Sequence[str | Path], out_dir: str | Path, *, config: str | Path | None = None,
              max_bytes: int = 50_000_000, use_cache: bool = True, cache_dir: str | Path | None = None,
              engine: str = "local", scheduler: str | None = None,
              pkuseg_model: str | Path | None = None) -> BuildSummary:
    """Read, extract (cached per article), assemble and write every output into ``out_dir``.
    ``pkuseg_model``: the model folder for a config with spaCy's pkuseg segmenter."""
    t0 = time.perf_counter()
    if engine not in ("local", "dask"):
        raise ConfigError(f"unknown engine {engine!r}", hint="use --engine local or --engine dask")
    # Forked first: the extractor imports spaCy while this process reads the inputs and its cache.
    extractor = ForkedExtractor(config, pkuseg_model=pkuseg_model) \
        if engine == "local" and hasattr(os, "fork") else None
    try:
        return _build(inputs, out_dir, config=config, max_bytes=max_bytes, use_cache=use_cache,
                      cache_dir=cache_dir, engine=engine, scheduler=scheduler, pkuseg_model=pkuseg_model,
                      extractor=extractor, t0=t0)
    finally:
        if extractor is not None:
            extractor.close()


def _build(inputs, out_dir, *, config, max_bytes, use_cache, cache_dir, engine, scheduler, pkuseg_model,
           extractor, t0) -> BuildSummary:
    from graphkit.nlp import read_config

    timings: dict[str, float] = {}
    out = Path(out_dir)
    articles, problems = read_articles(inputs, max_bytes=max_bytes)
    timings["ingest"] = time.perf_counter() - t0
    config_text, _ = read_config(config)
    if pkuseg_model:  # results made with another model are not reused
        config_text += f"\n# pkuseg_model = {Path(pkuseg_model).resolve()}\n"
    cache = ResultCache((Path(cache_dir) if cache_dir else out / CACHE_DIRNAME) if use_cache else None,
                        pipeline_fingerprint(config_text))
    t1 = time.perf_counter()
    source_of = {a.id: a.source or a.id for a in articles}
    degraded: list[InputProblem] = []

    def noting_warnings(results):  # results stream through resolve: nothing keeps them all
        for r in results:
            degraded.extend(InputProblem(path=source_of[r.article], severity="degraded", reason=w,
                                         fix="please report this article to the graphkit developers")
                            for w in r.warnings)
            yield r

    results = extract_with_cache(articles, cache, config=config, engine=engine, scheduler=scheduler,
                                 pkuseg_model=pkuseg_model, extractor=extractor, while_waiting=_import_writers)
    # Resolving makes many small objects and keeps them all: each collection would walk them
    # (and every result parsed so far) again. It makes no reference cycles to collect.
    gc.disable()
    try:
        actors, relations, G = assemble(noting_warnings(results))
    finally:
        gc.enable()
    problems = problems + degraded
    timings["extract_and_resolve"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    report = {
        "articles": [a.id for a in articles],
        "problems": [p.model_dump(mode="json") for p in problems],
    }
    # The graph lives until the end: the collector need not walk it (and all else alive) again
    # each time the writers' short-lived objects trigger a collection.
    gc.freeze()
    try:
        outputs = write_outputs(G, out, json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                index_dir=cache.root / OUTPUT_INDEX_DIRNAME if cache.root is not None else None)
    finally:
        gc.unfreeze()
    timings["assemble_and_write"] = time.perf_counter() - t2
    return BuildSummary(
        articles=len(articles),
        actors_by_type=dict(Counter(a.type for a in actors)),
        relations_by_type=dict(Counter(r.type for r in relations)),
        relations_by_status=dict(Counter(r.status for r in relations)),
        problems=problems,
        outputs=outputs,
        seconds=time.perf_counter() - t0,
        timings=timings,
        cached=cache.hits,
    )


# The outputs, costliest first: this process and a forked child each take the next one not
# taken yet, so the two finish together whichever outputs a re-build can mostly copy. Measured
# alone (corpus, full / re-build, s): html 1.47 / 0.25, graphml 0.59 / 0.15, collapsed 0.44 /
# 0.25 (it builds its own graph), gexf 0.53 / 0.15, json 0.39 / 0.09, edges 0.15 / 0.01, nodes
# 0.06 / 0.04.
_BY_COST = ("graph.html", "graph.graphml", "graph.collapsed.graphml", "graph.gexf", "graph.json",
            "edges.csv", "nodes.csv")
OUTPUT_INDEX_DIRNAME = "outputs"  # in the cache folder: what each output's elements were


def _stage_outputs(G, out: Path, names, files, index_dir: Path | None) -> None:
    """Stage the named outputs. With ``index_dir``, unchanged elements are copied from the
    previous outputs (same bytes as writing them, see export.reuse)."""
    from graphkit.export import export_pieces
    from graphkit.export.common import shared_orders
    from graphkit.export.reuse import ReusingWriter, Signatures, index_path, plain
    from graphkit.render import html_pieces

    signatures: dict[int, Signatures] = {}
    with shared_orders(G):  # every writer lists nodes and edges in one of two orders
        for name in names:
            pieces, graph = (html_pieces(G, layout_memo=index_dir), G) if name == "graph.html" \
                else export_pieces(G, name)
            if index_dir is None:
                files.write(out / name, plain(pieces))
                continue
            sigs = signatures.setdefault(id(graph), Signatures(graph))
            writer = ReusingWriter(out / name, index_path(index_dir, out / name), sigs)
            files.write(out / name, writer.chunks(pieces))
            writer.save(files.staged[-1][0])


def write_outputs(G, out: Path, report_text: str, *, fork: bool = hasattr(os, "fork"),
                  index_dir: Path | None = None) -> list[Path]:
    """Every output file, staged and renamed together once all are complete (a failure leaves
    the folder as it was). Where the OS can fork, a child shares the work with this process;
    the bytes are the same either way. ``index_dir``: where the outputs' element indexes are
    kept, so the next build can copy what did not change."""
    from graphkit.export import EXPORT_FILES, StagedFiles, check_node_ids

    check_node_ids(G, "GraphML and GEXF")  # before the folder is even created
    files = StagedFiles()
    names = list(_BY_COST)
    claims = None
    try:
        wait_child = None
        if fork:
            claims = _Claims(names)
            wait_child = _start_child(G, out, index_dir, claims)
            names = claims.taken()
        try:
            _stage_outputs(G, out, names, files, index_dir)
            files.write(out / "report.json", (report_text,))
        except BaseException:
            if wait_child:  # its temp files are removed with ours; our error is the one to tell
                files.adopt(wait_child(quiet=True))
            raise
        if wait_child:
            files.adopt(wait_child())
        order = {name: i for i, name in enumerate([*EXPORT_FILES, "graph.html", "report.json"])}
        files.staged.sort(key=lambda pair: order.get(pair[1].name, len(order)))
        return files.commit()
    finally:
        if claims is not None:
            claims.close()
        files.discard()


class _Claims:
    """Names two processes take in turn, each name once: a pipe holds one byte per name,
    and reading one byte is atomic. Made before the fork, read by both after it."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._read, write = os.pipe()
        os.write(write, bytes(range(len(names))))
        os.close(write)

    def taken(self):
        """The next name not taken yet by either process, until none is left."""
        try:
            while self._read is not None and (byte := os.read(self._read, 1)):
                yield self.names[byte[0]]
        finally:
            self.close()

    def close(self) -> None:
        if self._read is not None:
            os.close(self._read)
            self._read = None


def _start_child(G, out: Path, index_dir: Path | None, claims: _Claims):
    """Fork a process that stages the outputs it claims; returns ``wait(quiet=False)``, which
    waits for it and returns its (temp, target) pairs, raising its error if it failed (a
    graphkit error as it was, any other as ExportError) unless ``quiet``: then it returns what
    the child left, usually nothing."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into the caller's code, whatever happens
        try:
            os.close(read_end)
            from graphkit.export import StagedFiles

            files = StagedFiles()
            try:
                _stage_outputs(G, out, claims.taken(), files, index_dir)
                files.sync()  # on disk before the parent renames them
                payload = {"staged": [(tmp, str(path)) for tmp, path in files.staged]}
            except Exception as exc:  # every failure must reach the parent
                files.discard()
                payload = {"error": error_payload(exc)}
            with os.fdopen(write_end, "w", encoding="utf-8") as fh:
                json.dump(payload, fh)
        finally:
            os._exit(0)
    os.close(write_end)

    def wait(quiet: bool = False) -> list[tuple[str, str]]:
        with os.fdopen(read_end, encoding="utf-8") as fh:
            text = fh.read()
        _, status = os.waitpid(pid, 0)
        try:
            payload = json.loads(text)
        except ValueError:  # it died before it could answer
            payload = {"error": {"kind": "ExportError", "path": None,
                                 "message": f"the process writing outputs beside this one ended with "
                                            f"status {status}", "hint": "free memory or disk space and build again"}}
        if "staged" not in payload and not quiet:
            raise error_from_payload(payload["error"], ExportError)
        return payload.get("staged", [])

    return wait


def _import_writers() -> None:
    """The graph stage's and the writers' imports (networkx, numpy): paid while a forked child
    extracts, and the output writer's child inherits them."""
    import graphkit.export  # noqa: F401
    import graphkit.graph  # noqa: F401
    import graphkit.render  # noqa: F401


def extract_with_cache(articles, cache: ResultCache, *, config=None, engine: str = "local",
                       scheduler: str | None = None, pkuseg_model=None,
                       extractor: ForkedExtractor | None = None,
                       while_waiting: Callable[[], None] | None = None) -> Iterator[ArticleResult]:
    """Results in article order: from the cache where it has them, the rest extracted by
    ``engine`` and cached as they arrive (a killed build loses at most the batch in flight).
    ``extractor``: a child forked already, sent the articles to extract (or closed: there are
    none); without one, the local engine extracts here. ``while_waiting`` is called once, when
    the first extracted result is awaited (after the last result if none is)."""
    cached = {a.id for a in articles if cache.has(a)}
    todo = [a for a in articles if a.id not in cached]
    fresh: Iterator[ArticleResult] = iter(())
    if todo and engine == "dask":
        fresh = extract_dask(todo, config, scheduler=scheduler, pkuseg_model=pkuseg_model)
    elif todo and extractor is not None:
        fresh = extractor.extract(todo)
    elif todo:
        fresh = extract_local(todo, config, pkuseg_model=pkuseg_model)
    if extractor is not None and not todo:
        extractor.close()  # nothing to extract: it ends now
    return _in_article_order(articles, cached, fresh, cache, config=config, pkuseg_model=pkuseg_model,
                             while_waiting=while_waiting)


def _in_article_order(articles, cached: set[str], fresh: Iterator[ArticleResult], cache: ResultCache, *,
                      config, pkuseg_model, while_waiting: Callable[[], None] | None) -> Iterator[ArticleResult]:
    for article in articles:
        if article.id in cached:
            result = cache.get(article)
            if result is None:  # damaged since we looked: extract this one again
                result = next(extract_local([article], config, pkuseg_model=pkuseg_model))
                cache.put(article, result)
        else:
            if while_waiting is not None:
                while_waiting()
                while_waiting = None
            result = next(fresh)
            cache.put(article, result)
        yield result
    if while_waiting is not None:
        while_waiting()
    release_pipelines()  # all extracted: the model's memory is free for assembling the graph
