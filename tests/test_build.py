"""End-to-end builds through the CLI: outputs, contract, determinism, cache, faults, engines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkit.cli import cli

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
OUTPUTS = ("graph.json", "graph.graphml", "graph.collapsed.graphml", "graph.gexf", "nodes.csv",
           "edges.csv", "graph.html", "report.json")
NODE_KEYS = {"id", "label", "type", "name_en", "aliases", "articles", "mentions"}
EDGE_KEYS = {"source", "target", "key", "type", "status", "date", "article", "sentence", "start", "end",
             "weapons", "role"}


def _build(args, **kw):
    return CliRunner().invoke(cli, ["build", *map(str, args)], catch_exceptions=False, **kw)


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    result = _build([SEEDS, "--out", out])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_writes_every_output_and_a_summary(seeds_build):
    out, text = seeds_build
    for name in OUTPUTS:
        assert (out / name).stat().st_size > 0, name
    assert "articles   5 read" in text and "relations" in text and "time" in text


def test_graph_json_follows_the_contract(seeds_build):
    out, _ = seeds_build
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert data["directed"] and data["multigraph"] and data["nodes"] and data["edges"]
    ids = {n["id"] for n in data["nodes"]}
    for n in data["nodes"]:
        assert NODE_KEYS <= set(n) and n["type"] in {"PERSON", "GPE", "ORG", "LOC", "WEAPON"}
        assert n["id"].isascii() and isinstance(n["aliases"], list) and n["articles"]
    seeds = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for e in data["edges"]:
        assert EDGE_KEYS <= set(e)
        assert e["source"] in ids and e["target"] in ids
        assert e["status"] in {"occurred", "planned", "considered", "requested", "refused", "suspended", "negated"}
        # evidence is verbatim from the original article, at the stated offsets
        assert seeds[e["article"]][e["start"]:e["end"]] == e["sentence"]
        assert all(w in ids for w in e["weapons"])


def test_known_actors_and_relations_of_the_seeds(seeds_build):
    out, _ = seeds_build
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    by_en = {n.get("name_en"): n for n in data["nodes"]}
    trump = by_en["Donald Trump"]
    assert {"川普", "特朗普"} <= set(trump["aliases"])  # one node across scripts and spellings
    putin = by_en["Vladimir Putin"]["id"]
    calls = {(e["source"], e["target"]) for e in data["edges"] if e["type"] == "calls"}
    assert (trump["id"], putin) in calls or (putin, trump["id"]) in calls


def test_graphml_round_trip_keeps_counts(seeds_build):
    out, _ = seeds_build
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    G = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert G.number_of_nodes() == len(data["nodes"])
    assert G.number_of_edges() == len(data["edges"])


def test_html_is_offline(seeds_build):
    out, _ = seeds_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html


def test_two_builds_are_byte_identical(seeds_build, tmp_path):
    out, _ = seeds_build
    assert _build([SEEDS, "--out", tmp_path, "--no-cache"]).exit_code == 0
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_outputs_written_in_two_processes_equal_one_process(seeds_build, tmp_path):
    from graphkit import build
    from graphkit.export import read_graph

    out, _ = seeds_build
    G = read_graph(out / "graph.json")
    report = (out / "report.json").read_text(encoding="utf-8")
    forked = build.write_outputs(G, tmp_path / "forked", report, fork=True)
    single = build.write_outputs(G, tmp_path / "single", report, fork=False)
    assert [p.name for p in forked] == [p.name for p in single] == list(OUTPUTS)
    for a, b in zip(forked, single):
        assert a.read_bytes() == b.read_bytes() == (out / a.name).read_bytes(), a.name


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_two_processes_claiming_outputs_take_each_once():
    from graphkit import build

    names = list(build._BY_COST)
    claims = build._Claims(names)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child takes what it can, slowly, and reports it
        try:
            taken = []
            for name in claims.taken():
                taken.append(name)
                time.sleep(0.05)
            os.write(write_end, "\n".join(taken).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    mine = []
    for name in claims.taken():
        mine.append(name)
        time.sleep(0.05)
    os.waitpid(pid, 0)
    with os.fdopen(read_end) as fh:
        theirs = [n for n in fh.read().split("\n") if n]
    assert sorted(mine + theirs) == sorted(names)  # every output once, by one of the two
    assert mine and theirs


def test_a_failing_page_writer_leaves_the_folder_as_it_was(seeds_build, tmp_path, monkeypatch):
    from graphkit import build, render
    from graphkit.errors import ExportError
    from graphkit.export import read_graph

    out, _ = seeds_build
    G = read_graph(out / "graph.json")
    target = tmp_path / "out"
    target.mkdir()
    (target / "graph.json").write_text("old", encoding="utf-8")

    def broken(_G, **_options):
        raise ExportError("no room for the page", path=str(target / "graph.html"), hint="free space")

    monkeypatch.setattr(render, "html_pieces", broken)  # the forked child inherits it
    for fork in (True, False):
        with pytest.raises(ExportError, match="no room for the page.*Fix: free space"):
            build.write_outputs(G, target, "{}", fork=fork)
        assert os.listdir(target) == ["graph.json"]  # no new file, no temp file
        assert (target / "graph.json").read_text(encoding="utf-8") == "old"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_failure_beside_a_finished_page_writer_removes_its_files_too(seeds_build, tmp_path,
                                                                      monkeypatch):
    from graphkit import build, export
    from graphkit.errors import ExportError
    from graphkit.export import read_graph

    G = read_graph(seeds_build[0] / "graph.json")
    real = export.export_pieces

    def failing(G, name):
        if name == "graph.json":
            raise ExportError("disk full", path="graph.json")
        return real(G, name)

    monkeypatch.setattr(export, "export_pieces", failing)
    with pytest.raises(ExportError, match="disk full"):
        build.write_outputs(G, tmp_path / "out", "{}", fork=True)
    assert os.listdir(tmp_path / "out") == []  # the child's page and GEXF went with it


def test_rebuild_uses_the_cache_and_processes_only_new_articles(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    assert "0 from cache" in _build([src, "--out", out]).output
    (src / "new.txt").write_text("美国总统特朗普与俄罗斯总统普京通电话。", encoding="utf-8")
    again = _build([src, "--out", out]).output
    assert "3 read" in again and "2 from cache" in again
    fresh = _build([src, "--out", tmp_path / "fresh", "--no-cache"])  # the new one came from a child
    for name in OUTPUTS:  # the re-build copied unchanged elements from its previous outputs
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    indexes = sorted(p.name.rsplit(".", 2)[0] for p in (out / ".graphkit-cache" / "outputs").glob("*.index"))
    assert indexes == sorted(set(OUTPUTS) - {"report.json"})
    assert not (tmp_path / "fresh" / ".graphkit-cache").exists()
    assert CliRunner().invoke(cli, ["cache", "clear", "--out", str(out)]).output.startswith("removed 3")


def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("美国总统特朗普与俄罗斯总统普京通电话。", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    result = _build([src, "--out", out])
    assert result.exit_code == 1  # some inputs skipped
    assert "empty.txt" in result.output and "image.txt" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {Path(p["path"]).name for p in report["problems"]} == {"empty.txt", "image.txt"}
    assert report["articles"] == ["good.txt"]


def test_usage_error_exits_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "graphkit", "build", "--engine", "nope", str(SEEDS)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_the_command_line_build_ends_with_its_whole_summary_and_exit_code(tmp_path):
    """The build command ends the process without tearing it down: what it printed to a
    pipe must still arrive, and a skipped input still exits 1."""
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "graphkit", "build", str(SEEDS / "000_730fa5daeb604861.txt"),
                           str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("articles   1 read, 1 skipped") and "problem    " in proc.stdout
    assert proc.stdout.splitlines()[-1].startswith(f"problem    {tmp_path / 'empty.txt'}: ")


def test_unwritable_out_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = subprocess.run([sys.executable, "-m", "graphkit", "build", str(SEEDS / "000_730fa5daeb604861.txt"),
                           "--out", str(blocker / "out")], capture_output=True, text=True)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr and str(blocker) in proc.stderr


def test_killed_build_resumes_to_the_same_outputs(tmp_path):
    corpus = SHARED / "corpus" / "xwlb_stories.jsonl"
    if not corpus.exists():
        pytest.skip("shared corpus not available")
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(True)[:120]), encoding="utf-8")
    out, ref = tmp_path / "out", tmp_path / "ref"
    cmd = [sys.executable, "-m", "graphkit", "build", str(sample)]
    proc = subprocess.Popen(cmd + ["--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = out / ".graphkit-cache"
    deadline = time.time() + 120
    while time.time() < deadline and not (cache.exists() and any(cache.rglob("*.json"))):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "graph.json").exists() or True  # a reader never sees a half-written file
    assert not list(out.glob(".*.tmp"))
    assert subprocess.run(cmd + ["--out", str(out)], capture_output=True).returncode in (0, 1)
    assert subprocess.run(cmd + ["--out", str(ref), "--no-cache"], capture_output=True).returncode in (0, 1)
    for name in ("graph.json", "graph.graphml", "graph.gexf", "graph.html"):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name


@pytest.mark.slow
def test_dask_engine_gives_identical_outputs(seeds_build, tmp_path):
    pytest.importorskip("dask.distributed")
    out, _ = seeds_build
    result = _build([SEEDS, "--out", tmp_path, "--engine", "dask", "--no-cache"])
    assert result.exit_code == 0, result.output
    for name in ("graph.json", "graph.graphml", "graph.html"):
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_export_command_converts_a_graph(seeds_build, tmp_path):
    out, _ = seeds_build
    result = CliRunner().invoke(cli, ["export", str(out / "graph.json"), "--out", str(tmp_path),
                                      "--format", "graphml", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "graph.graphml", "nodes.csv"]
    assert (tmp_path / "graph.graphml").read_bytes() == (out / "graph.graphml").read_bytes()


def test_eval_command_scores_a_build_like_the_reference_scorer(seeds_build, tmp_path):
    gold = SHARED / "gold" / "seeds.jsonl"
    if not gold.exists():
        pytest.skip("shared gold not available")
    out, _ = seeds_build
    ours = CliRunner().invoke(cli, ["eval", str(gold), str(out / "graph.json")]).output.splitlines()[-1]
    ref = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(gold), str(out / "graph.json")],
                         capture_output=True, text=True).stdout.splitlines()[-1]
    shared_fields = ("entity_f1", "relation_f1", "core_relation_f1", "status_acc", "duplicate_nodes")
    pick = lambda line: {kv.split("=")[0]: kv.split("=")[1] for kv in line.split() if kv.split("=")[0] in shared_fields}  # noqa: E731
    assert pick(ours) == pick(ref)
