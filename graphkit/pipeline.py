"""The whole flow for a build: ingest → normalise → nlp → resolve → graph (no file output here).

``extract_article`` is the pure per-article map; ``assemble`` is the reduce. The CLI, the cache
and the Dask engine all go through these two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.normalise import detect_publication_date, to_simplified
from graphkit.resolve import resolve
from graphkit.resources import load_gazetteer
from graphkit.schema import Actor, Article, ArticleResult, Relation

if TYPE_CHECKING:  # networkx costs 0.3 s to import: a forked extractor must not wait for it
    import networkx as nx

__all__ = ["article_texts", "extract_articles", "assemble", "build_graph_from_paths"]


def article_texts(articles: Iterable[Article]) -> Iterator[str]:
    """The texts the tokenizer gets: simplified script, same offsets as the articles."""
    return (to_simplified(a.text) for a in articles)


def extract_articles(articles: Iterable[Article], nlp, *, batch_size: int = 32) -> Iterator[ArticleResult]:
    """Run the pipeline over articles, sharing model batches between them."""
    from graphkit.nlp.convert import doc_to_result

    articles = list(articles)
    pub_dates = [detect_publication_date(a.text, a.date) for a in articles]
    texts = article_texts(articles)
    docs = nlp.tokenizer.pipe(texts) if hasattr(nlp.tokenizer, "pipe") else (nlp.make_doc(t) for t in texts)

    def with_dates():
        for doc, date in zip(docs, pub_dates):
            doc._.graphkit_pub_date = date
            yield doc

    for article, date, doc in zip(articles, pub_dates, nlp.pipe(with_dates(), batch_size=batch_size)):
        yield doc_to_result(doc, article, date)


def assemble(results: Iterable[ArticleResult]) -> tuple[list[Actor], list[Relation], nx.MultiDiGraph]:
    actors, relations = resolve(results, load_gazetteer())
    from graphkit.graph import build_graph  # networkx: a build imports it while it waits for results

    return actors, relations, build_graph(actors, relations)


def build_graph_from_paths(paths: Sequence[str | Path], *, config: str | Path | None = None) -> nx.MultiDiGraph:
    """Articles in, graph out, in one call (for notebooks). Unreadable inputs are skipped."""
    from graphkit.ingest import read_articles
    from graphkit.nlp import build_nlp

    articles, _problems = read_articles(paths)
    results = list(extract_articles(articles, build_nlp(config)))
    return assemble(results)[2]
