"""Score a graph against gold annotations (the format of ``../shared/gold/GUIDE.md``).

Kept in step with the reference scorer ``shared/tools/score.py``: same matching of entities by
normalised names per article, same relation triples (meets/calls unordered); adds date accuracy
on matched relations and a per-type confusion of relation types.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from graphkit.normalise import to_simplified

__all__ = ["evaluate", "format_report", "RELATION_TYPES"]

TYPES = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "GPE", "ORG": "ORG", "LOC": "LOC", "WEAPON": "WEAPON"}
ENTITY_TYPES = ["PERSON", "GPE", "ORG", "LOC", "WEAPON"]
RELATION_TYPES = ["meets", "calls", "sells-weapons-to", "provides-military-aid-to", "affiliated-with"]
SYMMETRIC = {"meets", "calls"}
CORE = ("meets", "calls", "sells-weapons-to")
NAME_KEYS = ("label", "name", "aliases", "names", "name_zh", "name_en", "label_en", "label_zh", "en", "zh")


def _norm(s: Any) -> str:
    s = to_simplified(unicodedata.normalize("NFKC", str(s)))
    return re.sub(r"[\s·‧・•．.\-－_]", "", s).lower()


def _stem(a: Any) -> str:
    return Path(str(a)).stem


def _names(d: dict) -> set[str]:
    out: set[str] = set()
    for k in NAME_KEYS:
        v = d.get(k)
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, (list, tuple)):
            out.update(x for x in v if isinstance(x, str))
    return {_norm(x) for x in out if x}


def _as_list(v: Any) -> list:
    if v is None:
        return []
    if isinstance(v, str):
        try:
            j = json.loads(v)
            return j if isinstance(j, list) else [v]
        except ValueError:
            return [x for x in re.split(r"[|;,]", v) if x]
    return list(v)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def evaluate(gold: list[dict], graph: dict) -> dict[str, Any]:
    """Scores of a node-link ``graph`` against parsed gold lines; also lists every miss."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    edges = graph.get("edges", graph.get("links", []))
    node_names = {i: _names(n) | {_norm(i)} for i, n in nodes.items()}
    node_arts = {i: {_stem(a) for a in _as_list(n.get("articles"))} for i, n in nodes.items()}
    node_type = {i: TYPES.get(str(n.get("type", "")).upper()) for i, n in nodes.items()}
    ent, rel = Counter(), Counter()
    status_ok = status_n = date_ok = date_n = 0
    confusion: Counter = Counter()
    gold_to_nodes: dict[str, set] = defaultdict(set)
    errors: list[dict] = []
    for doc in gold:
        a = _stem(doc["article"])
        gmap: dict[str, str] = {}
        for e in doc["entities"]:
            for nm in e["names"] + e.get("metonyms", []):
                gmap.setdefault(_norm(nm), e["id"])
        present = [i for i in nodes if a in node_arts[i] and node_type[i]]
        node_gold: dict[str, str] = {}
        for i in present:
            hits = Counter(gmap[x] for x in node_names[i] if x in gmap)
            if hits:
                node_gold[i] = hits.most_common(1)[0][0]
                gold_to_nodes[node_gold[i]].add(i)
            else:
                ent["fp", node_type[i]] += 1
                errors.append({"kind": "extra entity", "article": a, "name": nodes[i].get("label", i),
                               "type": node_type[i]})
        for e in doc["entities"]:
            direct = {_norm(x) for x in e["names"]}
            if all(len(x) < 2 for x in direct):
                continue
            hit = any(node_gold.get(i) == e["id"] and node_names[i] & direct for i in present)
            ent["tp" if hit else "fn", e["type"]] += 1
            if not hit:
                errors.append({"kind": "missed entity", "article": a, "name": e["id"], "type": e["type"]})
        gold_rel: dict[tuple, list[dict]] = defaultdict(list)
        for r in doc["relations"]:
            s, t = r["source"], r["target"]
            if r["type"] in SYMMETRIC:
                s, t = sorted((s, t))
            gold_rel[(r["type"], s, t)].append(r)
        sys_rel: dict[tuple, list[dict]] = defaultdict(list)
        sys_pairs: dict[tuple, set] = defaultdict(set)
        for ed in edges:
            typ = str(ed.get("type", ed.get("relation", ""))).lower().replace("_", "-")
            if typ not in RELATION_TYPES or _stem(ed.get("article", "")) != a:
                continue
            s = node_gold.get(ed["source"], "?" + str(nodes.get(ed["source"], {}).get("label", ed["source"])))
            t = node_gold.get(ed["target"], "?" + str(nodes.get(ed["target"], {}).get("label", ed["target"])))
            if typ in SYMMETRIC:
                s, t = sorted((s, t))
            if s == t:
                continue
            sys_rel[(typ, s, t)].append(ed)
            sys_pairs[tuple(sorted((s, t)))].add(typ)
        for k, golds in gold_rel.items():
            if k in sys_rel:
                rel["tp", k[0]] += 1
                status_n += 1
                gold_status = {g.get("status") for g in golds}
                sys_status = {e.get("status") for e in sys_rel[k]}
                status_ok += bool(gold_status & sys_status)
                if not gold_status & sys_status:
                    errors.append({"kind": "wrong status", "article": a, "type": k[0], "source": k[1],
                                   "target": k[2], "name": f"gold {sorted(map(str, gold_status))} "
                                   f"got {sorted(map(str, sys_status))}", "sentence": sys_rel[k][0].get("sentence", "")})
                gold_dates = {g.get("date") for g in golds if g.get("date")}
                if gold_dates:
                    date_n += 1
                    sys_dates = {e.get("date") for e in sys_rel[k]}
                    date_ok += bool(gold_dates & sys_dates)
                    if not gold_dates & sys_dates:
                        errors.append({"kind": "wrong date", "article": a, "type": k[0], "source": k[1],
                                       "target": k[2], "name": f"gold {sorted(gold_dates)} got {sorted(map(str, sys_dates))}",
                                       "sentence": sys_rel[k][0].get("sentence", "")})
            else:
                rel["fn", k[0]] += 1
                others = sys_pairs.get(tuple(sorted(k[1:])), set())
                confusion[k[0], ",".join(sorted(others)) or "(none)"] += 1
                errors.append({"kind": "missed relation", "article": a, "type": k[0], "source": k[1],
                               "target": k[2], "sentence": golds[0]["sentences"][0] if golds[0].get("sentences") else ""})
        for k, eds in sys_rel.items():
            if k not in gold_rel:
                rel["fp", k[0]] += 1
                errors.append({"kind": "extra relation", "article": a, "type": k[0], "source": k[1],
                               "target": k[2], "sentence": eds[0].get("sentence", "")})
    tot = lambda c, keys: _prf(*(sum(c[x, k] for k in keys) for x in ("tp", "fp", "fn")))  # noqa: E731
    return {
        "entities": {t: _prf(ent["tp", t], ent["fp", t], ent["fn", t]) for t in ENTITY_TYPES}
        | {"ALL": tot(ent, ENTITY_TYPES)},
        "relations": {t: _prf(rel["tp", t], rel["fp", t], rel["fn", t]) for t in RELATION_TYPES}
        | {"ALL": tot(rel, RELATION_TYPES)},
        "core_relation_f1": tot(rel, CORE)["f1"],
        "status_accuracy": status_ok / status_n if status_n else 0.0,
        "date_accuracy": date_ok / date_n if date_n else 0.0,
        "dated_matches": date_n,
        "duplicate_nodes": sum(max(0, len(v) - 1) for v in gold_to_nodes.values()),
        "missed_by_type_found_as": {f"{g} -> {s}": n for (g, s), n in sorted(confusion.items())},
        "errors": errors,
    }


def format_report(res: dict[str, Any], *, verbose: bool = False) -> str:
    lines = []
    for title, key in (("entities", "entities"), ("relations", "relations")):
        lines.append(f"{title:28s}   P      R      F1    tp  fp  fn")
        for k, v in res[key].items():
            lines.append(f"  {k:26s} {v['p']:5.2f}  {v['r']:5.2f}  {v['f1']:5.2f}  {v['tp']:3d} {v['fp']:3d} {v['fn']:3d}")
    if res["missed_by_type_found_as"]:
        lines.append("missed relations, by what the graph has for that pair instead:")
        lines += [f"  {k}: {v}" for k, v in res["missed_by_type_found_as"].items()]
    if verbose:
        for e in res["errors"]:
            lines.append("  ".join(str(e.get(k, "")) for k in ("kind", "article", "type", "source", "target", "name", "sentence")))
    lines.append(
        f"entity_f1={res['entities']['ALL']['f1']:.2f} relation_f1={res['relations']['ALL']['f1']:.2f} "
        f"core_relation_f1={res['core_relation_f1']:.2f} status_acc={res['status_accuracy']:.2f} "
        f"date_acc={res['date_accuracy']:.2f} duplicate_nodes={res['duplicate_nodes']}")
    return "\n".join(lines)
