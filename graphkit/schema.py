"""Pydantic contracts shared by every stage. Frozen, ``extra="forbid"``.

These are the records that cross stage boundaries; inside a stage plain values are used.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ACTOR_TYPES",
    "STATUSES",
    "ActorType",
    "Status",
    "Article",
    "Mention",
    "Actor",
    "Relation",
    "RelationType",
    "GazetteerEntry",
    "InputProblem",
    "ArticleResult",
]

ActorType = Literal["PERSON", "GPE", "ORG", "LOC", "WEAPON"]
ACTOR_TYPES: tuple[str, ...] = ("PERSON", "GPE", "ORG", "LOC", "WEAPON")
Status = Literal["occurred", "planned", "considered", "requested", "refused", "suspended", "negated"]
STATUSES: tuple[str, ...] = (
    "occurred", "planned", "considered", "requested", "refused", "suspended", "negated",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(_Frozen):
    """One news article as read from disk, text untouched (offsets refer to it)."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO date from metadata, if the source had one
    url: str | None = None
    source: str | None = None  # the file it came from
    content_hash: str = ""


class Mention(_Frozen):
    """A span of an article naming an actor (before resolution: ``actor`` is the linker key)."""

    article: str
    start: int
    end: int
    text: str  # verbatim from the original text
    type: ActorType
    key: str  # gazetteer id or normalised name; resolve turns it into an actor id


class Actor(_Frozen):
    id: str
    label: str  # display name, simplified Chinese
    type: ActorType
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    mentions: int = 0


class Relation(_Frozen):
    id: str
    source: str
    target: str
    type: str
    status: Status
    date: str | None = None
    article: str
    sentence: str  # verbatim from the original text
    start: int
    end: int
    weapons: tuple[str, ...] = ()
    quantity: str | None = None
    role: str | None = None
    source_attribution: str | None = None
    article_date: str | None = None


class RelationType(_Frozen):
    name: str
    source_types: tuple[ActorType, ...]
    target_types: tuple[ActorType, ...]
    symmetric: bool
    label_zh: str
    label_en: str
    color: str


class GazetteerEntry(_Frozen):
    """An actor known in advance. ``names`` are Chinese surface forms (any script)."""

    id: str
    type: ActorType
    en: str
    names: tuple[str, ...] = Field(min_length=1)
    en_aliases: tuple[str, ...] = ()
    short: tuple[str, ...] = ()  # one-character or 方 forms (美, 美方), matched only where unambiguous
    capital_of: str | None = None  # a capital city stands for this country's government
    country: str | None = None  # the country a person/org belongs to, when fixed
    title: str | None = None  # a fixed office (e.g. 克里姆林宫 for the Russian presidency)
    # a leader's one-character press form (川 for 川普, 习 for 习近平), matched only fused with
    # another leader's before a summit word: 川习会, 普习会, 习拜视讯
    press_char: str | None = None


class InputProblem(_Frozen):
    """An input that was skipped or degraded, with the reason and the fix."""

    path: str
    severity: Literal["skipped", "degraded", "duplicate"]
    reason: str
    fix: str = ""


class ArticleResult(_Frozen):
    """What the nlp stage found in one article, before actors are resolved across articles.

    ``Mention.key`` and ``Relation.source/target/weapons`` hold linker keys: ``g:<gazetteer id>``
    or ``n:<TYPE>:<folded name>``; ``Relation.id`` is empty until ``resolve``.
    """

    article: str
    pub_date: str | None = None
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    warnings: tuple[str, ...] = ()  # what went wrong while extracting (the article is kept)
