"""A whole build, inputs to output folder: the function behind ``graphkit build``."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from graphkit.export import atomic_write, write_all
from graphkit.ingest import read_articles
from graphkit.pipeline import assemble, extract_articles
from graphkit.render import write_html
from graphkit.schema import InputProblem

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
            f"{sum(p.severity == 'duplicate' for p in self.problems)} duplicates",
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
              max_bytes: int = 50_000_000) -> BuildSummary:
    from graphkit.nlp import build_nlp

    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    out = Path(out_dir)
    articles, problems = read_articles(inputs, max_bytes=max_bytes)
    timings["ingest"] = time.perf_counter() - t0
    nlp = build_nlp(config)
    timings["load"] = time.perf_counter() - t0 - timings["ingest"]
    t1 = time.perf_counter()
    results = list(extract_articles(articles, nlp))
    timings["extract"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    actors, relations, G = assemble(results)
    outputs = write_all(G, out)
    outputs.append(write_html(G, out / "graph.html"))
    report = {
        "articles": [a.id for a in articles],
        "problems": [p.model_dump(mode="json") for p in problems],
    }
    outputs.append(atomic_write(out / "report.json",
                                json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n"))
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
    )
