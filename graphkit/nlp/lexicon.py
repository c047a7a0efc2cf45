"""The extraction lexicon as compiled matchers (from ``resources/lexicon.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Lexicon", "compile_words", "first_suffix"]


def compile_words(words) -> re.Pattern:
    """One alternation, longest words first, so 举行会谈 wins over 会谈."""
    words = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")


def first_suffix(text: str, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` that ``text`` ends with, or None. One ``str.endswith`` call rules
    out most texts before the words are tried one by one (these run per token and per name)."""
    if not text.endswith(words):
        return None
    return next(w for w in words if text.endswith(w))


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]
    meets_sym: re.Pattern
    meets_trans: re.Pattern
    visit: re.Pattern
    visit_host: dict[str, str]
    calls_sym: re.Pattern
    calls_trans: re.Pattern
    calls_received: re.Pattern
    not_relation: re.Pattern
    sell: re.Pattern
    buy: re.Pattern
    give: re.Pattern
    receive: re.Pattern
    aid_noun: re.Pattern
    military: re.Pattern
    civilian_aid: re.Pattern  # 人道主义/无私 ending right before a bare 援助
    units: str
    status: tuple[tuple[str, re.Pattern], ...]
    status_after_requested: re.Pattern  # after the trigger: …谈判的呼吁
    status_after_considered: re.Pattern  # …，但会考虑
    approval_before: re.Pattern  # 批准(了一项)可能…: the DSCA wording of an approved sale
    buyer_wish: re.Pattern
    roles: re.Pattern
    role_modifiers: tuple[str, ...]
    role_suffixes: tuple[str, ...]
    pair_refs: re.Pattern
    pronouns: tuple[str, ...]
    pair_titles: tuple[str, ...]  # 两国总统: the title each side's holder has
    envoy_titles: tuple[str, ...]  # 特使: held for a person (the speaker), not for a country
    office_verbs: re.Pattern  # 兼任/作为 before a title 的 X: the title is X's own
    office_verb_before: re.Pattern  # the same, ending a span
    place_preps: tuple[str, ...]
    not_place_words: tuple[str, ...]
    attribution_before: tuple[str, ...]
    attribution_after: re.Pattern
    weak_triggers: frozenset[str]
    weak_noun_heads: tuple[str, ...]
    intentions: re.Pattern
    intention_breaks: re.Pattern
    intention_nouns: re.Pattern
    intention_objects: frozenset
    collective_titles: frozenset[str]
    non_state_groups: re.Pattern
    head_titles: tuple[str, ...]  # titles of a country's leader, most usual first
    head_nouns: re.Pattern  # the same words after fused countries: 美俄元首
    collective_heads: frozenset[str]  # 元首/领导人: whichever title the leader has
    never_event_heads: re.Pattern
    demonstratives: re.Pattern  # 这位/该 before a title: one person already named
    speech_verb: re.Pattern  # a saying verb anywhere
    speech: re.Pattern  # a saying verb opening a quote or clause: 说：“ / 表示，
    speech_end: re.Pattern  # a clause that ends with a saying verb (its next clause is reported)
    speech_tail: re.Pattern  # a clause ending with a saying verb, for the date of the telling
    speaker_feelings: re.Pattern  # 很高兴/很荣幸 opening reported words: the speaker's own act
    attendance: re.Pattern  # X参加会见 / 出席上述活动: X meets the guest of the story's meeting
    held_up_after: re.Pattern  # …的海马斯延宕交运: what was transferred is held up
    listing_heads: re.Pattern  # 包括/其中 opening a clause that lists what was transferred
    unnamed_actors: re.Pattern  # 西方/一些国家: a giver that is no named actor
    protest_words: re.Pattern  # 反对/谴责: the transfer after it is someone else's
    address_title: re.Pattern  # 总统先生/陛下: a title used to address its holder
    state_organ_heads: tuple[str, ...]  # 部/国务院/署: a body acting for its country

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> "Lexicon":
        m, c = d["meets"], d["calls"]
        s, a = d["sells-weapons-to"], d["provides-military-aid-to"]
        verbs = compile_words(d["speech_verbs"]).pattern
        return cls(
            raw=d,
            held_up_after=re.compile("[^，,。；;]{0,16}的[^，,。；;]{0,16}?(?:%s)"
                                     % compile_words(d.get("status_after", {}).get("suspended", [])).pattern),
            listing_heads=re.compile(f"(?:其中)?(?:{compile_words(d.get('listing_heads', [])).pattern})"),
            unnamed_actors=re.compile(f"(?<![及和与同跟、其])(?:{compile_words(d['unnamed_actors']).pattern})"),
            protest_words=compile_words(d.get("protest_words", [])),
            address_title=re.compile(f"(?:{compile_words(d['role_suffixes']).pattern})(?=先生|阁下|女士|殿下|陛下)"),
            state_organ_heads=tuple(d.get("state_organ_heads", [])),
            meets_sym=compile_words(m["symmetric"]),
            meets_trans=compile_words(m["transitive"]),
            visit=compile_words(m["visit"]),
            visit_host=dict(m.get("visit_host_chars", {})),
            calls_sym=compile_words(c["symmetric"]),
            calls_trans=compile_words(c["transitive"]),
            calls_received=compile_words(c["received"]),
            not_relation=compile_words(m["not_relation"] + c["not_relation"]),
            sell=compile_words(s["sell"]),
            buy=compile_words(s["buy"]),
            give=compile_words(a["give"]),
            receive=compile_words(a.get("receive", [])),
            aid_noun=compile_words(a["noun"]),
            military=compile_words(d["military_nouns"]),
            civilian_aid=re.compile(f"(?:{compile_words(d.get('civilian_aid_qualifiers', [])).pattern})$"),
            units="".join(d["quantity_units"]),
            status=tuple((k, compile_words(v)) for k, v in d["status_cues"].items()),
            status_after_requested=re.compile(
                f"[^，,。；;]{{0,16}}的(?:{compile_words(d['status_after']['requested']).pattern})"),
            approval_before=re.compile(
                f"(?:{compile_words(d.get('approval_words', ['批准'])).pattern})了?(?:一项|一笔|一批)?$"),
            status_after_considered=re.compile(
                f"[^，,。；;]{{0,16}}[，,](?:但是?|不过)[^，,。；;]{{0,3}}(?:{compile_words(d['status_after']['considered']).pattern})"),
            buyer_wish=compile_words(d["sells-weapons-to"]["buyer_wish"]),
            roles=compile_words(d["role_suffixes"]),
            role_modifiers=tuple(sorted(d["role_modifiers"], key=len, reverse=True)),
            role_suffixes=tuple(sorted(d["role_suffixes"], key=len, reverse=True)),
            pair_refs=compile_words(d["pair_references"]),
            pronouns=tuple(d["pronouns"]),
            pair_titles=tuple(d.get("pair_titles", ())),
            envoy_titles=tuple(d.get("envoy_titles", ())),
            office_verbs=compile_words(d.get("office_verbs", [])),
            office_verb_before=re.compile(f"(?:{compile_words(d.get('office_verbs', [])).pattern})$"),
            place_preps=tuple(d["place_prepositions"]),
            not_place_words=tuple(d["not_place_words"]),
            attribution_before=tuple(d["attribution"]["before"]),
            attribution_after=compile_words(d["attribution"]["after"]),
            weak_triggers=frozenset(m["weak"]),
            weak_noun_heads=tuple(m["weak_noun_heads"]),
            intentions=compile_words(m["intentions"]),
            intention_breaks=compile_words(m["intention_breaks"]),
            intention_nouns=compile_words(m["intention_nouns"]),
            intention_objects=frozenset(m["intention_objects"]),
            collective_titles=frozenset(d["collective_titles"]),
            head_titles=tuple(d["head_titles"]),
            head_nouns=compile_words(d["head_titles"]),
            collective_heads=frozenset(d["collective_heads"]),
            never_event_heads=compile_words(d["meets"]["never_event_heads"]),
            non_state_groups=re.compile(
                f"(?:数|上|近|约)?[\\d一二三四五六七八九十百千万几多余]*名?(?:{compile_words(d['non_state_groups']).pattern})"),
            demonstratives=re.compile(f"(?:{compile_words(d['demonstratives']).pattern})$"),
            speech_verb=re.compile(verbs),
            speech=re.compile(f"(?:{verbs})[^，,。]{{0,3}}[:：，,「“]"),
            speech_end=re.compile(f"(?:{verbs}|告诉\\S{{0,8}})[，,：:]\\s*[“「\"]?$"),
            speech_tail=re.compile(f"(?:{verbs}|告诉[^，,]{{0,6}})$"),
            speaker_feelings=re.compile(f"(?:{compile_words(d['speaker_feelings']).pattern})"),
            attendance=re.compile(f"(?:{compile_words(m['attendance']['verbs']).pattern})(?:了)?(?:上述)?"
                                  f"(?:{compile_words(m['attendance']['events']).pattern})"),
        )
