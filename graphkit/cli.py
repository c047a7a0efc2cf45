"""``graphkit``: a thin command line over the library. Exit codes: 0 ok, 1 some inputs
skipped, 2 usage error, 3 a graphkit error (message says what to do)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from graphkit import __version__
from graphkit.errors import GraphkitError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkit")
def cli() -> None:
    """Build typed actor/relation graphs from Chinese-language news, offline."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Folder for graph.json, graph.graphml, graph.html and the other outputs.")
@click.option("--config", type=click.Path(path_type=Path), default=None,
              help="A spaCy pipeline config (default: the packaged pipelines/zh_lac.cfg).")
@click.option("--pkuseg-model", type=click.Path(path_type=Path), default=None,
              help="A pkuseg model folder, for --config pipelines/zh_pkuseg.cfg.")
@click.option("--max-bytes", default=50_000_000, show_default=True, help="Skip input files larger than this.")
@click.option("--no-cache", is_flag=True, help="Extract every article again; ignore and do not write the cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
              help="Where per-article results are cached (default: OUT/.graphkit-cache).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run extraction in this process or on a Dask cluster.")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786); "
              "without it --engine dask starts a local cluster of 2 worker processes.")
def build(inputs, out_dir, config, pkuseg_model, max_bytes, no_cache, cache_dir, engine, scheduler) -> None:
    """Read articles (.txt/.html files, folders, .jsonl corpora) and write the graph to --out."""
    from graphkit.build import run_build

    summary = run_build(inputs, out_dir, config=config, max_bytes=max_bytes, use_cache=not no_cache,
                        cache_dir=cache_dir, engine=engine, scheduler=scheduler,
                        pkuseg_model=pkuseg_model)
    click.echo(summary.render())
    sys.exit(summary.exit_code)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="List every missed and extra entity and relation.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Also write the scores as JSON.")
def eval_(gold, graph, verbose, json_out) -> None:
    """Score GRAPH (graph.json) against a GOLD annotation file (JSONL, see the annotation guide)."""
    from graphkit.evaluate import evaluate, format_report
    from graphkit.export import atomic_write

    try:
        gold_docs = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
        data = json.loads(graph.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{gold} or {graph} is not valid JSON/JSONL: {exc}") from exc
    res = evaluate(gold_docs, data)
    click.echo(format_report(res, verbose=verbose))
    if json_out:
        atomic_write(json_out, json.dumps(res, ensure_ascii=False, indent=1) + "\n")


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "-o", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path))
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["json", "graphml", "collapsed", "gexf", "csv", "html", "all"]),
              default=("all",), show_default=True, help="Repeat for several formats.")
def export(graph, out_dir, formats) -> None:
    """Convert an existing graph.json or GraphML into other formats."""
    from graphkit import export as ex
    from graphkit.render import write_html

    G = ex.read_graph(graph)
    wanted = set(formats)
    every = "all" in wanted
    writers = {
        "json": lambda: [ex.write_json(G, out_dir / "graph.json")],
        "graphml": lambda: [ex.write_graphml(G, out_dir / "graph.graphml")],
        "collapsed": lambda: [ex.write_collapsed_graphml(G, out_dir / "graph.collapsed.graphml")],
        "gexf": lambda: [ex.write_gexf(G, out_dir / "graph.gexf")],
        "csv": lambda: list(ex.write_csv(G, out_dir)),
        "html": lambda: [write_html(G, out_dir / "graph.html")],
    }
    for name, write in writers.items():
        if every or name in wanted:
            for path in write():
                click.echo(str(path))


@cli.group()
def cache() -> None:
    """Manage the per-article extraction cache."""


@cache.command("clear")
@click.option("--out", "-o", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="The build folder whose cache to clear.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None, help="A cache folder given to build.")
def cache_clear(out_dir, cache_dir) -> None:
    """Delete every cached extraction result."""
    from graphkit.cache import CACHE_DIRNAME, ResultCache

    removed = ResultCache(cache_dir or out_dir / CACHE_DIRNAME, "").clear()
    click.echo(f"removed {removed} cached results")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except GraphkitError as exc:
        click.echo(f"graphkit: {exc}", err=True)
        sys.exit(3)
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit as exc:  # build ends so: its outputs are committed, its children reaped
        if isinstance(exc.code, int):
            _exit_now(exc.code)
        raise


def _exit_now(code: int) -> None:
    """End the process without tearing it down: freeing a large build's graph, records and
    modules one object at a time takes longer than a re-build's writing (0.2 s of 3)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
