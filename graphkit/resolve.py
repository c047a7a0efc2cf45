"""Resolve linker keys to canonical actors across articles; give relations their final ids.

The linker is a union-find with a fixed rule for the canonical key (a gazetteer id wins, else
the longest name, then the smallest), so resolving is idempotent and order-independent.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from graphkit.normalise import to_simplified
from graphkit.resources import load_relation_types
from graphkit.schema import ACTOR_TYPES, Actor, ArticleResult, GazetteerEntry, Relation

__all__ = ["resolve", "actor_id"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _digest(text: str, n: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def actor_id(type_: str, name_en: str | None, key: str) -> str:
    """ASCII-safe and stable: ``person:donald-trump``, else ``person:zh-<hash of the name>``."""
    slug = _slug(name_en) if name_en else ""
    return f"{type_.lower()}:{slug}" if slug else f"{type_.lower()}:zh-{_digest(key)}"


class _Linker:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, drop = sorted((ra, rb), key=_rank)
            self.parent[drop] = keep


def _rank(key: str) -> tuple:
    """Canonical-key order: gazetteer keys first, then longer names, then lexicographic."""
    return (not key.startswith("g:"), -len(key), key)


def _name(key: str) -> str:
    return key.split(":", 2)[2] if key.startswith("n:") else key


def _type(key: str) -> str:
    return key.split(":", 2)[1]


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _merge_spelling_variants(linker: _Linker, keys, per_article, gaz) -> None:
    """培斯科夫 beside 佩斯科夫 in one article: a transliteration variant (one character off,
    names of four or more characters) of a person named in the same article is that person."""
    gaz_names: dict[str, list[str]] = {}  # a known person's names, converted once per build
    for ks in per_article.values():
        people = sorted(k for k in ks if k.startswith("n:PERSON:") or (
            k.startswith("g:") and k[2:] in gaz and gaz[k[2:]].type == "PERSON"))
        names = {}
        for k in people:
            if k.startswith("g:"):
                if k not in gaz_names:
                    gaz_names[k] = [to_simplified(n).replace("·", "") for n in gaz[k[2:]].names]
                names[k] = gaz_names[k]
            else:
                names[k] = [_name(k).replace("·", "")]
        for k in people:
            if not k.startswith("n:") or len(names[k][0]) < 4:
                continue
            for other in people:
                if other != k and any(_one_substitution(names[k][0], n) for n in names[other]):
                    linker.union(k, other)
                    break


def _merge_country_variants(linker: _Linker, keys, gaz) -> None:
    """寮国人民革命党中央 and 老挝人民革命党中央, 纽西兰国会 and 新西兰国会: names of the same
    organisation or place that differ only in how they write a country are one actor."""
    countries = [e for e in gaz.values() if e.type == "GPE" and not e.capital_of]
    if not countries:
        return
    from graphkit.nlp.gazetteer import GazetteerIndex  # resolve reads names as the nlp stage does

    index = GazetteerIndex([e.model_copy(update={"short": ()}) for e in countries])
    canonical: dict[tuple[str, str], str] = {}
    for k in keys:
        if not k.startswith(("n:ORG:", "n:LOC:", "n:GPE:")):
            continue
        name = to_simplified(_name(k))
        found = index.find(name)
        if not found or all(name[m.start:m.end] == to_simplified(gaz[m.entry_id].names[0]) for m in found):
            key = (_type(k), name)
        else:
            parts, last = [], 0
            for m in found:
                parts += [name[last:m.start], to_simplified(gaz[m.entry_id].names[0])]
                last = m.end
            key = (_type(k), "".join(parts) + name[last:])
        if key in canonical:
            linker.union(k, canonical[key])
        else:
            canonical[key] = k


def resolve(results: Iterable[ArticleResult], gazetteer: Iterable[GazetteerEntry]):
    """Return ``(actors, relations)``: one actor per real-world actor, relations re-keyed.

    ``results`` is consumed once, as a stream: mentions are folded into per-key tallies on the
    way, so memory grows with the number of distinct names, not with the corpus."""
    gaz = {e.id: e for e in gazetteer}
    person_last_names: dict[str, str] = {}
    for e in gaz.values():
        if e.type == "PERSON":
            for n in e.names:
                person_last_names.setdefault(to_simplified(n), e.id)
    linker = _Linker()
    # Mentions are counted as (key, text, type, its article, the result's article) first: an
    # article names most actors more than once, and counting tuples is cheaper than updating
    # each tally per mention.
    mention_counts: Counter = Counter()
    articles: dict[str, set[str]] = defaultdict(set)
    raw_relations: list[Relation] = []
    for res in results:
        here = [(m.key, m.text, m.type, m.article, res.article) for m in res.mentions]
        mention_counts.update(here)
        for key, *_ in here:
            linker.find(key)
        for r in res.relations:  # actors only implied (访华 -> China; a weapon's maker) need nodes
            for k in (r.source, r.target, *r.weapons):
                linker.find(k)
                articles[k].add(res.article)
        raw_relations.extend(res.relations)
    per_article: dict[str, set[str]] = defaultdict(set)  # mentioned keys of each article
    seen_in: dict[str, set[str]] = defaultdict(set)  # articles that mention each key
    surface: dict[str, set[str]] = defaultdict(set)  # tallies per key, summed per actor below
    counts: Counter = Counter()
    types: dict[str, Counter] = defaultdict(Counter)
    for (key, text, type_, mention_article, article), n in mention_counts.items():
        per_article[article].add(key)
        seen_in[key].add(article)
        surface[key].add(text)
        articles[key].add(mention_article)
        counts[key] += n
        types[key][type_] += n
    keys = sorted(linker.parent)
    full_names = [k for k in keys if k.startswith("n:PERSON:") and "·" in _name(k)]
    by_last: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for k in full_names:
        by_first[_name(k).split("·", 1)[0]].add(k)
        last = _name(k).rsplit("·", 1)[1]
        if len(last) >= 2:
            by_last[last].add(k)
            if last in person_last_names:  # 唐纳德·川普 -> the gazetteer's Trump
                linker.union(k, f"g:{person_last_names[last]}")
    for key in [k for k in keys if k.startswith("g:") and k[2:] in gaz and gaz[k[2:]].type == "PERSON"]:
        for n in gaz[key[2:]].names:  # 希利 alone beside 约翰·希利 in the same article
            parts = to_simplified(n).replace("‧", "·").split("·")
            if len(parts) > 1 and len(parts[-1]) >= 2:
                by_last[parts[-1]].add(key)
                by_first[parts[0]].add(key)
    for k in keys:
        if not k.startswith("n:PERSON:") or "·" in _name(k):
            continue
        cands = by_last.get(_name(k), set())
        same_article = {c for c in cands if seen_in[c] & seen_in[k]}
        pick = same_article or cands
        if not pick:  # 史蒂夫 alone beside 史蒂夫·维特科夫: only within one article
            pick = {c for c in by_first.get(_name(k), set()) if seen_in[c] & seen_in[k]}
        if len(pick) == 1:
            linker.union(k, next(iter(pick)))

    _merge_spelling_variants(linker, keys, per_article, gaz)
    _merge_country_variants(linker, keys, gaz)

    def make_actor(root: str) -> Actor:
        members = _cache[root]
        surface_forms = set().union(*(surface[k] for k in members))
        seen = set().union(*(articles[k] for k in members))
        count = sum(counts[k] for k in members)
        type_counts = sum((types[k] for k in members), Counter())
        english = sorted(n for n in surface_forms if n.isascii() and re.search("[A-Za-z]", n))
        if root.startswith("g:") and root[2:] in gaz:
            entry = gaz[root[2:]]
            return Actor(id=actor_id(entry.type, entry.id, root), label=to_simplified(entry.names[0]),
                         type=entry.type, name_en=entry.en,
                         aliases=tuple(sorted(surface_forms)), articles=tuple(sorted(seen)),
                         mentions=count)
        type_ = max(type_counts.items(), key=lambda kv: (kv[1], -ACTOR_TYPES.index(kv[0])))[0] \
            if type_counts else _type(root)
        names = sorted({_name(k) for k in members if not _name(k).isascii()}, key=lambda n: (-len(n), n))
        label = names[0] if names else _name(root)
        name_en = max(english, key=lambda n: (len(n), n)) if english else None
        return Actor(id=actor_id(type_, name_en, label), label=label, type=type_, name_en=name_en,
                     aliases=tuple(sorted(surface_forms)), articles=tuple(sorted(seen)),
                     mentions=count)

    _cache: dict[str, list[str]] = defaultdict(list)
    for k in linker.parent:
        _cache[linker.find(k)].append(k)
    roots = sorted(set(_cache))
    actors: dict[str, Actor] = {}
    id_of: dict[str, str] = {}
    for root in roots:
        if root.startswith("g:") and root[2:] not in gaz:
            continue
        actor = make_actor(root)
        if actor.id in actors:  # two NER clusters with the same English name: merge
            prev = actors[actor.id]
            actor = prev.model_copy(update={
                "aliases": tuple(sorted(set(prev.aliases) | set(actor.aliases))),
                "articles": tuple(sorted(set(prev.articles) | set(actor.articles))),
                "mentions": prev.mentions + actor.mentions})
        actors[actor.id] = actor
        id_of[root] = actor.id

    rtypes = {t.name: t for t in load_relation_types()}
    relations: dict[str, Relation] = {}
    seen_affiliations: set[tuple] = set()
    for r in raw_relations:
        src, tgt = id_of.get(linker.find(r.source)), id_of.get(linker.find(r.target))
        if src is None or tgt is None or src == tgt:
            continue
        rt = rtypes.get(r.type)
        if rt is None or actors[src].type not in rt.source_types or actors[tgt].type not in rt.target_types:
            continue
        if r.type == "affiliated-with":
            if (src, tgt, r.article) in seen_affiliations:
                continue
            seen_affiliations.add((src, tgt, r.article))
        weapons = tuple(dict.fromkeys(
            w for k in r.weapons if (w := id_of.get(linker.find(k))) and actors[w].type == "WEAPON"))
        rid = "r:" + _digest(f"{src}|{r.type}|{tgt}|{r.status}|{r.article}|{r.start}", 16)
        if rid not in relations:  # the first of equal relations is kept
            relations[rid] = r.model_copy(update={"id": rid, "source": src, "target": tgt, "weapons": weapons})
    return sorted(actors.values(), key=lambda a: a.id), sorted(relations.values(), key=lambda r: r.id)
