from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from graphkit.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    """sentence(s) -> set of (type, source English name, target English name, status)."""
    from graphkit.pipeline import assemble, extract_articles
    from graphkit.schema import Article

    def run(text: str, date: str | None = "2025-03-14", detail: bool = False):
        article = Article(id="t.txt", text=text, date=date)
        actors, relations, G = assemble(list(extract_articles([article], nlp)))
        name = {a.id: a.name_en or a.label for a in actors}
        if detail:
            return relations, name
        return {(r.type, name[r.source], name[r.target], r.status) for r in relations}

    return run
