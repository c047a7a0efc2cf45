"""Assemble resolved actors and relations into a ``networkx.MultiDiGraph``.

Node attributes: ``label type name_en aliases articles mentions`` (lists as Python lists).
Edge attributes: ``key type status date article sentence start end weapons quantity role
source_attribution article_date``; the edge key is the relation id. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graphkit.schema import Actor, Relation

__all__ = ["build_graph", "NODE_ATTRS", "EDGE_ATTRS"]

NODE_ATTRS = ("label", "type", "name_en", "aliases", "articles", "mentions")
EDGE_ATTRS = (
    "type", "status", "date", "article", "sentence", "start", "end", "weapons", "quantity",
    "role", "source_attribution", "article_date",
)


def build_graph(actors: Iterable[Actor], relations: Iterable[Relation]) -> nx.MultiDiGraph:
    """Nodes sorted by id, edges by relation id, so equal input gives an identical graph.

    >>> from graphkit.schema import Actor
    >>> G = build_graph([Actor(id="b", label="乙", type="GPE"), Actor(id="a", label="甲", type="PERSON")], [])
    >>> list(G.nodes)
    ['a', 'b']
    """
    G = nx.MultiDiGraph()
    for actor in sorted(actors, key=lambda a: a.id):
        G.add_node(
            actor.id,
            label=actor.label,
            type=actor.type,
            name_en=actor.name_en,
            aliases=list(actor.aliases),
            articles=list(actor.articles),
            mentions=actor.mentions,
        )
    for rel in sorted(relations, key=lambda r: r.id):
        if rel.source not in G or rel.target not in G:
            raise ValueError(f"relation {rel.id} names an actor that is not in the graph")
        G.add_edge(
            rel.source,
            rel.target,
            key=rel.id,
            type=rel.type,
            status=rel.status,
            date=rel.date,
            article=rel.article,
            sentence=rel.sentence,
            start=rel.start,
            end=rel.end,
            weapons=list(rel.weapons),
            quantity=rel.quantity,
            role=rel.role,
            source_attribution=rel.source_attribution,
            article_date=rel.article_date,
        )
    return G
