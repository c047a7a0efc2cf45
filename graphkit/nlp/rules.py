"""Rule-based relation extraction over one article's sentences: pure functions, no spaCy.

An argument is written ``"e:<entity index>"`` or ``"g:<gazetteer id>"`` (an actor implied by the
text, such as the host of 访华 or the maker of a weapon), so records stay msgpack-plain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from graphkit.dates import find_date_expressions, sentence_date
from graphkit.nlp.lexicon import Lexicon, first_suffix
from graphkit.schema import GazetteerEntry

__all__ = ["Ent", "RawRelation", "extract_relations"]

ACTOR_TYPES = ("PERSON", "GPE", "ORG")
CLAUSE_BREAKS = "，,；;：:。！？!?"
COORD_GAP = re.compile(r"^(?:、|和|与|及|以及|同|跟|,|，)?$")
QUANTITY = r"(?P<q>(?:\d[\d,，.]*|[一二两三四五六七八九十百千万数几]+)(?:多|余)?[{units}])"


@dataclass(frozen=True, slots=True)
class Ent:
    idx: int
    start: int
    end: int
    type: str
    gaz: str  # gazetteer id, "" for a name found by NER only
    text: str


@dataclass(frozen=True, slots=True)
class RawRelation:
    type: str
    source: str
    target: str
    status: str
    date: str | None
    sent_start: int
    sent_end: int
    weapons: tuple[str, ...] = ()
    quantity: str | None = None
    role: str | None = None
    attribution: str | None = None
    apart: bool = False  # told as at a vague other time (两个多月前): no other mention dates it


@dataclass
class _Context:
    """What earlier sentences of the article tell later ones (who "两人" and "他" are)."""

    last_pair: tuple[str, str] | None = None
    last_pair_type: str | None = None  # what the last pair did (a meeting, a call)
    last_pair_date: str | None = None  # and when
    last_person: str | None = None
    speaker: str | None = None  # whose words "我" stands for (特朗普说：“我…”)
    last_receiver: str | None = None  # who the article's military aid goes to
    speaker_country: str | None = None  # and "我们", when the speaker is a country's person
    titles: dict[tuple[str, str], str] = field(default_factory=dict)  # (org key, role) -> person arg
    guests: list[str] = field(default_factory=list)  # the people met in the story's first meeting
    guests_date: str | None = None
    hosts: list[str] = field(default_factory=list)  # who met them
    keys: dict[str, str] = field(default_factory=dict)  # argument -> its actor (gazetteer id or name)
    paragraph_meeting: tuple[str, str] | None = None  # the paragraph's meeting (在会见X时，Y表示…)
    first_call: tuple[str, str] | None = None  # the story's first call between two people
    told: dict[str, str] = field(default_factory=dict)  # person key -> the day of their last dated telling


class _Sentence:
    def __init__(self, text: str, start: int, end: int, ents: list[Ent], lex: Lexicon, gaz):
        self.text, self.start, self.end, self.lex, self.gaz = text, start, end, lex, gaz
        self.ents = ents
        self.modifiers: set[int] = set()  # organisations/countries used as a title of a person
        self.places: set[int] = set()
        self.aliases: set[int] = set()  # a name in brackets after another name
        self.title_refs: dict[int, tuple[str, str]] = {}  # "美国总统" with no name: (org, role)
        self.title_ends: dict[int, int] = {}  # where such a title ends
        self.anchor: str | None = None  # the last day the article named before: what 当天/次日 mean
        self.affiliations: list[RawRelation] = []  # titles found by _mark_entities

    def local(self, pos: int) -> int:
        return pos - self.start

    def clause_start(self, pos: int) -> int:
        """Absolute offset where the clause holding absolute ``pos`` starts."""
        i = self.local(pos) - 1
        while i >= 0 and self.text[i] not in CLAUSE_BREAKS:
            i -= 1
        return self.start + i + 1

    def clause_end(self, pos: int) -> int:
        i = self.local(pos)
        while i < len(self.text) and self.text[i] not in CLAUSE_BREAKS:
            i += 1
        return self.start + i

    def span(self, a: int, b: int) -> str:
        return self.text[self.local(a):self.local(b)]

    def args_in(self, a: int, b: int) -> list[Ent]:
        return [e for e in self.ents if a <= e.start and e.end <= b and self.is_arg(e)]

    def is_arg(self, e: Ent) -> bool:
        return (e.type in ACTOR_TYPES and e.idx not in self.modifiers and e.idx not in self.places
                and e.idx not in self.aliases)


# -- entity roles inside a sentence ---------------------------------------------------------

_NOT_IN_TITLE = set("在与和同跟对向为被把将说是了着过也还又并称")


def _role_of(gap: str, lex: Lexicon) -> str | None:
    """``gap`` is a title when it ends with a role word and holds no verb, preposition or
    punctuation (董事会主席, 总统国家安全事务助理, 前国防部长)."""
    core = gap.removeprefix("的")
    if not core or len(core) > 14 or not core.endswith(lex.role_suffixes):
        return None
    if any(ch in _NOT_IN_TITLE or not ("\u4e00" <= ch <= "\u9fff") for ch in core) or \
            re.search("表示|会见|会晤|访问|指出", core):
        return None
    return core


_NOT_A_TITLE_AFTER = "团处部队会室组界"  # 代表团 is a delegation, not a 代表


def _title_at(lex: Lexicon, text: str) -> str | None:
    m = lex.roles.match(text)
    if m is None:
        return None
    nxt = text[m.end():m.end() + 1]
    # 代表团/委员会 are bodies; but 特使会见 is a title followed by its verb
    if nxt and nxt in _NOT_A_TITLE_AFTER and not (
            lex.meets_trans.match(text, m.end()) or lex.meets_sym.match(text, m.end())):
        return None
    return m.group()


def _mark_entities(s: _Sentence) -> list[RawRelation]:
    """Find titles (affiliated-with), places and bracketed aliases; return affiliations."""
    lex, out = s.lex, []
    ents = s.ents
    for i, e in enumerate(ents):
        before = s.text[max(0, s.local(e.start) - 2):s.local(e.start)]
        if i > 0 and before[-1:] in "(（" and ents[i - 1].end == e.start - 1:
            s.aliases.add(e.idx)
            continue
        if e.type not in ("GPE", "ORG", "LOC"):
            continue
        prev = ents[i - 1] if i else None
        after_place = prev is not None and prev.idx in s.places and prev.end == e.start  # 在匈牙利布达佩斯
        before3 = s.text[max(0, s.local(e.start) - 3):s.local(e.start)]
        preposition = before.endswith(lex.place_preps) and \
            not before3.endswith(lex.not_place_words)  # 关于俄乌 is no venue
        if after_place or preposition:
            # 在白宫与… / 在莫斯科会见 : a venue; but 在美国和俄罗斯之间 keeps actors
            if "之间" not in s.text[s.local(e.end):s.local(e.end) + 16]:
                s.places.add(e.idx)
        if e.type == "GPE" and (lex.non_state_groups.match(s.text, s.local(e.end))
                                or s.text.startswith("驻", s.local(e.end))):  # 美国驻乌克兰大使馆
            s.modifiers.add(e.idx)  # 俄罗斯商界代表 are people from the country, not the country
    for p in ents:
        if p.type == "PERSON" and p.idx not in s.aliases:
            out += _titles_of(s, p)
    # a title with no name after it (习近平同美国总统通电话) refers to whoever holds it
    for e in ents:
        if e.type in ("GPE", "ORG") and e.idx not in s.modifiers:
            after = s.text[s.local(e.end):s.local(e.end) + 10]
            m = _title_at(s.lex, after)
            # 美国总统国家安全事务助理 / 马来西亚第一副总理: the longest title there, entity-free
            longer = s.text[s.local(e.end):s.local(e.end) + 16]
            m = next((longer[:n] for n in range(len(longer), len(m or "") if m else 1, -1)
                      if _role_of(longer[:n], s.lex) and not any(
                          e.end <= x.start < e.end + n for x in ents)), m)
            nxt = next((x for x in ents if x.start >= e.end), None)
            # 俄罗斯领导人普京 names its holder; 俄罗斯领导人与泽连斯基 does not
            names_holder = m is not None and nxt is not None and nxt.type == "PERSON" and nxt.start - e.end <= len(m) + 1 \
                and not any(c in _TITLE_STOPS for c in s.span(e.end + len(m), nxt.start))
            if m and not names_holder:
                s.title_refs[e.idx] = (e.gaz or e.text, m)
                s.title_ends[e.idx] = e.end + len(m)
            elif e.type == "ORG" and after.startswith("长") and not (nxt and nxt.start - e.end <= 2):
                s.title_refs[e.idx] = (e.gaz or e.text, "长")  # 乌克兰国防部长 with no name
    return out


def _ent_ending_at(s: _Sentence, pos: int) -> Ent | None:
    # a title word tagged as a place (台湾地区领导人) is part of the title, not its holder
    return next((e for e in s.ents if e.end == pos and e.idx not in s.aliases
                 and e.text not in s.lex.role_modifiers), None)


_TITLE_STOPS = CLAUSE_BREAKS + "、及和与同跟对向在为以由被将把(（)）“”「」"


def _title_start(s: _Sentence, pos: int) -> int:
    """Where a title ending at ``pos`` may start: at most 14 characters back, not across a stop
    (、和与在…) or the end of another entity (its holder)."""
    g = pos
    while g > s.start and pos - g < 14 and s.text[s.local(g) - 1] not in _TITLE_STOPS \
            and _ent_ending_at(s, g) is None:
        g -= 1
    return g


def _titles_of(s: _Sentence, p: Ent) -> list[RawRelation]:
    """Titles before a name, read right to left: 中共中央总书记、国家主席习近平 gives two.

    Each segment is [holder…][role]; a segment without a holder falls back to the person's
    country from the gazetteer (国务卿鲁比奥). A role after the name (耶伦财长) does the same.
    """
    owned = _possessed_title(s, p)
    if owned:
        return [owned]
    lex, out = s.lex, []
    entry = s.gaz.get(p.gaz) if p.gaz else None
    country = entry.country if entry else None
    pos, found_any = p.start, False
    while True:
        g = _title_start(s, pos)
        role = _role_of(s.span(g, pos), lex)
        # 兼任某基金负责人的X: the title before 的 is X's only after a verb of holding office
        needs_office_verb = role is None and s.span(g, pos).endswith("的") and pos == p.start
        if needs_office_verb:
            role = _role_of(s.span(g, pos - 1), lex)
            verb = lex.office_verbs.match(role or "")
            if verb:  # 担任国务卿的X: the verb is inside the span read as a title
                role, needs_office_verb = role[verb.end():] or None, False
        if role is None and not s.span(g, pos).startswith("长"):
            break
        holders: list[Ent] = []
        h = _ent_ending_at(s, g)
        h_entry = s.gaz.get(h.gaz) if h is not None and h.gaz else None
        if h is not None and h.type == "ORG" and h_entry and h_entry.country and \
                s.span(g, pos).startswith("长"):
            ministry = h.text
            for country_name in s.gaz[h_entry.country].names if h_entry.country in s.gaz else ():
                ministry = ministry.removeprefix(country_name)
            out.append(_affiliation(s, p, f"g:{h_entry.country}", ministry + s.span(g, pos)))
            s.modifiers.add(h.idx)
            found_any = True
            break
        if role is None:
            break
        if role.startswith(tuple(f"{p}的" for p in lex.pronouns)):
            # 特朗普转向他的特使维特科夫: "his" is the person named before in the sentence
            owner = [e for e in s.ents if e.type == "PERSON" and e.end <= g and e.idx not in s.aliases]
            if owner:
                out.append(_affiliation(s, p, f"e:{owner[-1].idx}", role[2:]))
            found_any = True
            break
        while h is not None and h.type in ("GPE", "ORG", "PERSON"):
            holders.append(h)
            h = _ent_ending_at(s, h.start)
            if h is not None and holders[-1].type == "PERSON":
                break
        if holders and s.span(holders[-1].start - 1, holders[-1].start) == "驻":
            # 俄驻德国大使涅恰耶夫: the holder is the country before 驻
            sender = _ent_ending_at(s, holders[-1].start - 1)
            if sender is not None:
                role = "驻" + holders[-1].text + role
                holders = [sender]
        role = role.removeprefix("的")
        title_start = holders[-1].start if holders else g
        if needs_office_verb and not lex.office_verb_before.search(s.span(max(s.start, title_start - 2), title_start)):
            break
        for h in holders:
            s.modifiers.add(h.idx)
            out.append(_affiliation(s, p, f"e:{h.idx}", role))
        if not holders and country and s.span(g - 1, g) not in ("和", "及", "与"):
            # (…经济和投资合作特使 is a longer title cut at 和: its holder is unknown)
            out.append(_affiliation(s, p, f"g:{country}", role))
        found_any = True
        pos = holders[-1].start if holders else g
        if s.text[s.local(pos) - 1:s.local(pos)] in ("、", "兼") and pos > s.start:
            pos -= 1
            continue
        break
    if not found_any and country:
        trail = s.text[s.local(p.end):s.local(p.end) + 8]
        role = next((r for r in lex.role_suffixes if trail.startswith(r)), None)
        if role:
            out.append(_affiliation(s, p, f"g:{country}", role))
    return out


def _possessed_title(s: _Sentence, p: Ent) -> RawRelation | None:
    """普京的国际经济和投资合作特使德米特里耶夫: a long descriptive title owned by a person (X的…特使)."""
    m = re.search(r"的([^，,。；;：:、“”「」()（）的]{2,18})$", s.span(max(s.start, p.start - 22), p.start))
    if m is None:
        return None
    role = first_suffix(m.group(1), tuple(sorted(s.lex.role_suffixes, key=len, reverse=True)))
    owner = _ent_ending_at(s, p.start - len(m.group()))
    inside = [e for e in s.ents if e.start >= owner.end and e.end <= p.start] if owner else []
    if role is None or owner is None or owner.type != "PERSON" or any(e.type not in ("GPE", "LOC") for e in inside):
        return None
    s.modifiers.update(e.idx for e in inside)  # 特朗普的乌克兰特使X: what the envoy deals with, no party
    s.modifiers.add(owner.idx)  # the owner is a title here, not a party (川普的特使X会见了普京)
    return _affiliation(s, p, f"e:{owner.idx}", role)


def _affiliation(s: _Sentence, person: Ent, holder: str, role: str) -> RawRelation:
    return RawRelation("affiliated-with", f"e:{person.idx}", holder, "occurred", None,
                       s.start, s.end, role=role)


# -- status, date, attribution ----------------------------------------------------------------

# a cue followed by these is another word: 将军, 未来, 未经 (without: the act went ahead), 已知
_CUE_BLOCK = {"将": "军领近", "未": "来知经", "已": "知", "曾": "经济"}


def _status(s: _Sentence, a: int, b: int) -> str:
    after = s.text[s.local(b):]
    window = s.span(a, b)
    refused = dict(s.lex.status)["refused"].search(window)
    if s.lex.status_after_requested.match(after) and not refused:
        return "requested"  # 关于俄乌直接谈判的呼吁: the talks are what is called for
    if s.lex.status_after_considered.match(after):
        return "considered"  # 没有承诺访问乌克兰，但会考虑
    if s.lex.held_up_after.match(after):
        return "suspended"  # 对台军售的海马斯延宕交运: what was sold is held up
    found: list[tuple[int, str]] = []
    for status, pattern in s.lex.status:
        for m in pattern.finditer(window):
            word = m.group()
            nxt = window[m.end():m.end() + 1]
            if word in _CUE_BLOCK and nxt and nxt in _CUE_BLOCK[word]:
                continue
            if status == "considered" and s.lex.approval_before.search(window[:m.start()]):
                continue  # 批准一项可能的对台军售: an approved (possible) sale is approved
            found.append((m.end(), status))
    if not found:
        tail = s.text[s.local(b):s.local(b) + 8]
        before = re.match(r"[^，,。；]{0,4}之?前", tail)
        return "planned" if before and not _former_title(s, s.local(b) + before.end()) else "occurred"
    strong = [f for f in found if f[1] in ("negated", "refused")]
    return max(strong or found)[1]


def _former_title(s: _Sentence, pos: int) -> bool:
    """前 opening a title (会见日本前首相, 前国防部长, 前任) means former, not "before the meeting"."""
    words = [w for w in s.lex.role_modifiers + s.lex.role_suffixes if w != "的"] + ["任"]
    return any(s.text.startswith(w, pos) for w in words)


def _date(s: _Sentence, a: int, b: int, status: str, pub_date: str | None) -> str | None:
    """A date in the clause, else one from a leading clause that is only a time (4月2日晚，…)."""
    future = status in ("planned", "considered", "requested")
    found = sentence_date(s.span(a, b), pub_date, future=future, anchor=s.anchor)
    if found is None:
        for clause in re.split(f"[{CLAUSE_BREAKS}]", s.span(s.start, a)):
            clause = re.sub(r"【[^】]*】|[(（][^()（）]*[)）]", "", clause)  # datelines, bylines
            spans = find_date_expressions(clause)
            rest = len(clause.strip()) - sum(e - b_ for b_, e, _ in spans)
            # 4月2日晚，… / 白宫1日宣布，… / 6月底…回应说，…: the time of the telling
            if spans and (rest <= 6 or s.lex.speech_tail.search(clause)):
                found = sentence_date(clause, pub_date, future=future, anchor=s.anchor)
    return found



def _attribution(s: _Sentence, before: int, used: set[str]) -> str | None:
    cues = "|".join(map(re.escape, s.lex.attribution_before))
    m = re.match(rf"(?:{cues})([^，,。]{{1,24}}?)(?:报道|报导|消息|称|披露)", s.text)
    if m:
        return m.group(1).strip()
    for e in s.ents:
        if e.start >= before or f"e:{e.idx}" in used or e.type not in ("PERSON", "ORG", "GPE"):
            continue
        after = s.text[s.local(e.end):s.local(e.end) + 12]
        if s.lex.attribution_after.match(after.lstrip("0123456789日周一二三四五六早晚上下午")):
            return e.text
    return None


# -- argument finding ---------------------------------------------------------------------

def _coordinated(s: _Sentence, left: Ent, right: Ent) -> bool:
    """万斯(JD Vance)及国务卿卢比奥 / 耶伦财长、布林肯: a coordinator, with titles and brackets."""
    gap = s.span(left.end, right.start)
    for e in sorted(s.ents, key=lambda x: -x.start):  # 奥比昂、埃及总统塞西: the next one's title holder
        if left.end <= e.start and e.end <= right.start and e.idx in s.modifiers:
            gap = gap[:e.start - left.end] + gap[e.end - left.end:]
    gap = re.sub(r"[(（][^()（）]*[)）]", "", gap)
    role = next((r for r in s.lex.role_suffixes if gap.startswith(r)), "")
    gap = gap[len(role):]
    trims = tuple(r for r in s.lex.role_suffixes + s.lex.role_modifiers if r != "的")
    for _ in range(3):
        role = first_suffix(gap, trims)
        if role is None:
            break
        gap = gap[: len(gap) - len(role)]
    return bool(COORD_GAP.match(gap))


def _first_group(s: _Sentence, a: int, b: int) -> list[Ent]:
    """The first argument between ``a`` and ``b`` (titles skipped) and those coordinated with it
    (美、德 / 英国和挪威). As a subject: Chinese puts the topic first."""
    args = s.args_in(a, b)
    if not args:
        return []
    group = [args[0]]
    for e in args[1:]:
        if _coordinated(s, group[-1], e):
            group.append(e)
        else:
            break
    return group


def _last_group(s: _Sentence, args: list[Ent]) -> list[Ent]:
    """The last of ``args`` and those coordinated with it (耶伦财长、布林肯国务卿)."""
    if not args:
        return []
    group = [args[-1]]
    for e in reversed(args[:-1]):
        if not _coordinated(s, e, group[0]):
            break
        group.insert(0, e)
    return group


def _starts_at(s: _Sentence, pos: int) -> Ent | None:
    """The argument that a phrase starting at ``pos`` names, titles included (俄罗斯总统普京)."""
    pos = _past_titles(s, pos) if not any(e.start == pos for e in s.ents) else pos
    for e in s.ents:
        if e.start == pos:
            if s.is_arg(e):
                return e
            if e.idx in s.modifiers:  # skip over the title to its person
                nxt = next((x for x in s.ents if x.start > e.start and s.is_arg(x)), None)
                if nxt and nxt.start - e.end <= 14 and not any(c in CLAUSE_BREAKS for c in s.span(e.end, nxt.start)):
                    return nxt
            if e.idx in s.title_refs:
                return e
    return None


def _past_titles(s: _Sentence, pos: int) -> int:
    """Where the name starts after titles with no entity in them (越共中央政治局委员、越南总理范明政
    -> 越南; 中央总书记苏林 -> 苏林); ``pos`` itself when the text there is not a title."""
    nxt = next((e for e in s.ents if e.start > pos), None)
    if nxt is None or nxt.start - pos > 24:
        return pos
    gap = s.span(pos, nxt.start)
    if gap and all(_role_of(part, s.lex) for part in gap.rstrip("、").split("、")):
        return nxt.start
    return pos


def _ref(s: _Sentence, e: Ent, ctx: _Context) -> str | None:
    """An entity's argument; a bare title (美国总统) is whoever holds it, or nobody; a
    collective title (德国领导人, 美方官员) stands for the country."""
    if e.idx in s.title_refs:
        key, role = s.title_refs[e.idx]
        holder = ctx.titles.get((key, role))
        if holder is None and s.lex.demonstratives.search(s.text[max(0, s.local(e.start) - 2):s.local(e.start)]):
            holder = _leader_of(ctx, key, s.lex)  # 这位俄罗斯领导人: one person, named before
        # 美国代表 / 埃及四方代表 (one of the four parties' representatives): the country
        if holder is None and re.sub("^[二三四五六七八九两多各双]方", "", role) in s.lex.collective_titles:
            return f"e:{e.idx}"
        return holder
    return f"e:{e.idx}"


def _pair_discussion(s: _Sentence, ctx: _Context, pub_date) -> list[RawRelation]:
    """X访问芬兰…两国总统将讨论…: the pair of a visit or meeting discussing is that meeting (a
    call's pair discussing is the call, already counted)."""
    m = re.match(rf"\s*(?:{s.lex.pair_refs.pattern})(?:还|也)?(?:将|将会|会)?(?:讨论|商讨|探讨|商谈)", s.text)
    if m is None or ctx.last_pair is None or ctx.last_pair_type != "meets":
        return []
    people = _pair_people(s, ctx, m.group())
    verb = s.start + m.end() - 2  # 讨论 itself is no modality cue
    status = _status(s, s.start, verb)
    date = _date(s, s.start, verb, status, pub_date) or ctx.last_pair_date  # during that visit
    return [RawRelation("meets", a, b, status, date, s.start, s.end) for a, b in _pairs(people[:1], people[1:])]


def _pair_people(s: _Sentence, ctx: _Context, window: str) -> list[str]:
    """The last pair, with a country side read as its holder of the title the reference names
    (X访问芬兰…两国总统将会谈: X and Finland's president, when the article names him)."""
    word = s.lex.pair_refs.search(window).group()
    role = first_suffix(word, s.lex.pair_titles)
    if role is None and not word.endswith(tuple(s.lex.collective_heads)):
        return list(ctx.last_pair)
    out = []
    for arg in ctx.last_pair:
        key = arg[2:] if arg.startswith("g:") else ctx.keys.get(arg, "")
        entry = s.gaz.get(key)
        holder = None
        if entry is not None and entry.type == "GPE":
            holder = ctx.titles.get((key, role)) if role else _leader_of(ctx, key, s.lex)
        out.append(holder or arg)
    return out


def _leader_of(ctx: _Context, key: str, lex: Lexicon) -> str | None:
    """The person the article titles as a leader of ``key`` (its first head-of-state title)."""
    for role in lex.head_titles:
        if (key, role) in ctx.titles:
            return ctx.titles[key, role]
    return None





def _nearest_before(s: _Sentence, a: int, b: int, ctx: _Context, reach: int = 12) -> list[str]:
    """The coordinated names ending closest before ``b`` (at most ``reach`` characters away),
    never a city: 全国人大…就美国国会众议长麦卡锡会见蔡英文 -> 麦卡锡."""
    args = [e for e in s.args_in(a, b) if not _is_city(s, e)
            and not re.match(r"[^，,。]{0,6}(?:峰会|会议|论坛|大会|会谈|会晤期间|期间)", s.text[s.local(e.end):])]
    if not args or b - args[-1].end > reach:
        return []
    return [x for x in (_ref(s, e, ctx) for e in _last_group(s, args)) if x]


def _subjects(s: _Sentence, a: int, b: int, ctx: _Context) -> list[str]:
    """Who does it: the arguments before ``b`` in the clause, else a pronoun's or the topic's referent."""
    group = [e for e in _first_group(s, a, b) if not _is_city(s, e)]
    m = re.search(r"以(.{1,30}?)为首", s.span(a, b))
    if m:
        lead = s.args_in(a + m.start(), a + m.end())
        if lead:
            return [_ref(s, lead[0], ctx)]
    if group:
        return [_ref(s, e, ctx) for e in group]
    window = s.span(a, b)
    if s.lex.pair_refs.search(window) and ctx.last_pair:
        return _pair_people(s, ctx, window)
    earlier = [e for e in s.args_in(s.start, a) if e.type == "PERSON"]
    if re.search("我(?!们)", window) and ctx.speaker:
        return [ctx.speaker]
    if re.search("[你您](?!们)", window) and ctx.speaker and _counterpart(ctx):
        return [_counterpart(ctx)]  # 习近平表示，你对中国进行国事访问: the one spoken to
    if s.lex.speaker_feelings.match(window.strip()) and ctx.speaker:
        return [ctx.speaker]  # X表示，很高兴来华进行国事访问
    if "我们" in window and ctx.speaker_country:
        return [ctx.speaker_country]  # a leader's "we" is the country he speaks for
    if any(p in window for p in s.lex.pronouns):
        people = _previous_subject(s, a, ctx, persons_only=True)
        if people:
            return people
        if earlier:
            return [_ref(s, earlier[0], ctx)]
        return [ctx.last_person] if ctx.last_person else []
    continues = window.strip().startswith(("并", "还", "也", "后", "又", "将于", "将在"))  # 抵达X，将于周三访问Y
    if continues or ((not window.strip() or len(window) <= 6)
                     and not s.lex.speech_end.search(s.span(s.start, a))):
        # 美国将获得稀土，作为继续向基辅提供援助的回报: the subject of the clause before
        found = _previous_subject(s, a, ctx, persons_only=False)
        if found:
            return found
        before = earlier if continues else s.args_in(s.start, a)
        if before:
            return [_ref(s, before[0], ctx)]
        return [ctx.last_person] if continues and ctx.last_person else []
    return []


def _previous_subject(s: _Sentence, a: int, ctx: _Context, persons_only: bool) -> list[str]:
    """The subject of the nearest earlier clause of the sentence that has one (its first
    actors, or the speaker's "我"/"我们")."""
    end = a
    while end > s.start:
        start = s.clause_start(end - 1)
        if s.text[s.local(start) - 1:s.local(start)] in "：:":
            break  # 匈牙利总理：西方… : the clause after a colon is someone's words
        group = _clause_subject(s, start, end - 1)
        head = _strip_dates(s.span(start, end))[:4]
        if persons_only:
            group = [e for e in group if e.type == "PERSON"]
        if group:
            return [x for x in (_ref(s, e, ctx) for e in group) if x]
        if not persons_only and head.startswith("我们") and ctx.speaker_country:
            return [ctx.speaker_country]
        if re.match("我(?!们)", head) and ctx.speaker:
            return [ctx.speaker]
        if s.lex.pair_refs.match(head) and ctx.last_pair and not persons_only:
            return list(ctx.last_pair)
        end = start
        if s.text[s.local(end) - 1:s.local(end)] in "。！？!?":
            break
    return []


def _strip_dates(text: str) -> str:
    for a, b, _ in sorted(find_date_expressions(text), reverse=True):
        text = text[:a] + text[b:]
    return text.strip()


def _clause_subject(s: _Sentence, start: int, end: int, cut_partners: bool = True) -> list[Ent]:
    """The actors a clause opens with (its subject), cut at a partner marker (A与B通话 -> A)."""
    group = [e for e in _first_group(s, start, end) if not _is_city(s, e)]
    if not group or len(_strip_dates(s.span(start, group[0].start))) > 3:
        return []  # 表示很珍视同习主席…: an actor inside the clause is no subject
    for i in range(1 if cut_partners else len(group), len(group)):
        if re.search("[与同跟和]", s.span(group[i - 1].end, group[i].start)):
            return group[:i]
    return group


# -- relation finders ------------------------------------------------------------------------

def _pairs(subjects: list[str], partners: list[str]) -> list[tuple[str, str]]:
    out = []
    for x in subjects:
        for y in partners:
            if x and y and x != y and (x, y) not in out:
                out.append((x, y))
    return out


_EVENT_MODIFIERS = r"(?:年度|定期|首次|第[一二三四五六七八九十\d]+次|双边|小范围|大范围|正式|非正式)*"


def _names_the_event(s: _Sentence, e: Ent, ts: int) -> bool:
    """李强同X举行中澳总理年度会晤: countries fused into the event's name, not another party."""
    end = e.end
    while nxt := next((x for x in s.ents if x.start == end and x.type == "GPE" and x.end <= ts), None):
        end = nxt.end  # 中、印 as two names: the gap after the last
    gap = s.span(end, ts)
    return e.type == "GPE" and re.fullmatch(
        rf"(?:{s.lex.roles.pattern})?{_EVENT_MODIFIERS}", gap) is not None and len(gap) <= 10


def _every_pair(parties: list[str | None]) -> list[tuple[str, str]]:
    """A meeting of several parties: one relation per pair, in the order they are named."""
    out: list[tuple[str, str]] = []
    for i, x in enumerate(parties):
        for y in parties[i + 1:]:
            if x and y and x != y and (x, y) not in out and (y, x) not in out:
                out.append((x, y))
    return out


def _noun_follows(lex: Lexicon, text: str, pos: int) -> bool:
    return any(text.startswith(w, pos) for w in lex.weak_noun_heads)


def _symmetric(s: _Sentence, kind: str, m: re.Match, ctx: _Context, pub_date):
    ts, te = s.start + m.start(), s.start + m.end()
    cs = s.clause_start(ts)
    partners: list[str] = []
    marker = None
    fused: list[Ent] = []
    partners_ents: list[Ent] = []
    for mk in re.finditer(r"[与和同跟给]" if kind == "calls" else r"[与和同跟]", s.span(cs, ts)):
        pos = cs + mk.start()
        if partners_ents and pos < partners_ents[-1].end:
            continue  # 与德国总理默茨和英国首相斯塔默: a coordinator inside the partners
        first = _starts_at(s, pos + 1)
        if first is None:  # 同来华出席活动的金正恩: a relative clause before the partner
            lead = re.match(r"[^，,；;：:、]{1,40}?的", s.span(pos + 1, ts))
            first = _starts_at(s, pos + 1 + lead.end()) if lead else None
        addressee = _addressee(s, pos + 1, ctx)
        if first is None and addressee:  # 我和总统先生: the speaker's counterpart
            marker, partners_ents, partners = pos, [], [addressee]
        if first is not None:
            marker, partners_ents = pos, _first_group(s, first.start, ts)
            if first not in partners_ents:
                partners_ents = [first] + partners_ents
            partners = [_ref(s, e, ctx) for e in partners_ents]
    out = []
    if marker is not None:
        last = max((e.end for e in partners_ents), default=marker + 1)
        # a title standing for its holder (朝鲜劳动党总书记、国务委员长) ends with its roles
        tail = _title_at(s.lex, s.text[s.local(last):])
        while tail:
            last += len(tail)
            rest = s.text[s.local(last):]
            tail = _title_at(s.lex, rest[1:]) if rest.startswith("、") else None
            if tail:
                last += 1
        between = s.span(last, ts)
        loc = re.search("[在于]", between)
        inside = [e for e in s.ents if last <= e.start and e.end <= ts and s.is_arg(e)
                  and not (loc and e.start >= last + loc.start()) and not _names_the_event(s, e, ts)]
        plain = re.sub(r"[(（][^()（）]*[)）]", "", between)
        for a, b, _ in sorted(find_date_expressions(plain), reverse=True):
            plain = plain[:a] + plain[b:]
        if inside or len(re.sub(r"[在于][^，,。；]*", "在", plain)) > 15:
            return []
        if _not_an_event(s, m, "的" in between[:-1]):
            return []
        adjacent = [e for e in s.args_in(cs, marker) if marker - s.title_ends.get(e.idx, e.end) <= 1]
        subjects = [_ref(s, adjacent[-1], ctx)] if adjacent else _subjects(s, cs, marker, ctx)
        if not subjects and not adjacent:
            subjects = _subject_after(s, cs, marker, s.clause_end(te), ctx)
        listed, listed_refs = _first_group(s, cs, marker), []
        if adjacent and len(listed) >= 2 and listed[-1] == adjacent[-1] and s.span(marker, marker + 1) in "和及" \
                and "、" in s.span(listed[0].start, marker):
            # 卡塔尔、以色列、美国和埃及举行谈判: one list of parties, every pair meets
            listed_refs = [_ref(s, e, ctx) for e in listed] + partners
            subjects, partners = listed_refs[:1], listed_refs[1:]
        pairs = _pairs(subjects, partners)
        if len(subjects) == 1 and len(partners) >= 2 and subjects[0] == (listed_refs or [None])[0]:
            pairs = _every_pair(listed_refs)
        window = s.span(cs, marker)
        if (not subjects and len(partners) >= 2 and "分别" not in s.span(cs, ts)
                and not re.search("我|他|她", window)):
            pairs = _pairs(partners[:1], partners[1:])
        a = cs
    else:
        fused = _fused_before(s, cs, ts)
        group = fused or [e for e in _first_group(s, cs, ts) if not _is_city(s, e)]
        window = s.span(cs, ts)
        if _not_an_event(s, m, bool(group) and "的" in s.span(group[-1].end, ts)):
            return []
        if len(group) >= 2 and len(s.span(group[-1].end, ts)) <= 15:
            head = s.lex.head_nouns.match(s.text, s.local(group[-1].end))
            refs = _heads(s, group, ctx, head.group()) if head else [_ref(s, e, ctx) for e in group]
            if head and not all(refs) and head.group() in s.lex.collective_heads:
                refs = [_ref(s, e, ctx) for e in group]  # 美中元首会晤 with no leader named: the countries
            # 美、俄、乌三方会谈: a meeting of several parties, one relation per pair
            pairs = _every_pair(refs) if all(refs) else []
        elif s.lex.pair_refs.search(window) and ctx.last_pair:
            people = _pair_people(s, ctx, window)
            pairs = _pairs(people[:1], people[1:])
        else:
            return []
        a = cs
    status = _status(s, a, ts)
    if marker is None and fused and status == "occurred" and len(_strip_dates(s.span(cs, fused[0].start))) <= 2:
        # 美俄峰会宣布取消 / 美中元首会晤仍在筹备中: the fused event is the subject, its fate follows
        status = _status(s, a, s.clause_end(te))
    date = _date(s, a, te, status, pub_date)
    for src, tgt in pairs:
        out.append(RawRelation(kind, src, tgt, status, date, s.start, s.end))
    if pairs:
        ctx.last_pair = pairs[-1]  # 双方 later in the same sentence means this pair
    return out


def _counterpart(ctx: _Context) -> str | None:
    """Whom the speaker says "你" to in a story of a meeting: the one person on the other side."""
    def key(arg: str) -> str:
        return ctx.keys.get(arg, arg)

    speaker = key(ctx.speaker) if ctx.speaker else None
    sides = [([ctx.paragraph_meeting[0]], [ctx.paragraph_meeting[1]])] if ctx.paragraph_meeting else []
    sides += [(ctx.hosts, ctx.guests), (ctx.guests, ctx.hosts)]
    if ctx.first_call:  # 习近平同X通电话。习近平指出，欢迎你来华访问
        sides += [([ctx.first_call[0]], [ctx.first_call[1]]), ([ctx.first_call[1]], [ctx.first_call[0]])]
    for side, other in sides:
        if speaker in map(key, side) and len({key(x) for x in other}) == 1 and key(other[0]) != speaker:
            return other[0]
    return None


def _addressee(s: _Sentence, pos: int, ctx: _Context) -> str | None:
    """总统先生 / 主席阁下 in a speaker's words: the other holder of that title in the article."""
    if ctx.speaker is not None and re.match("[你您](?!们)", s.text[s.local(pos):]):
        return _counterpart(ctx)  # 我同你会面
    m = s.lex.address_title.match(s.text, s.local(pos))
    if m is None or ctx.speaker is None:
        return None
    holders = sorted({p for (_, role), p in ctx.titles.items() if role == m.group() and p != ctx.speaker})
    return holders[0] if len(holders) == 1 else None


def _fused_before(s: _Sentence, cs: int, ts: int) -> list[Ent]:
    """Parties fused into a noun before the trigger: 俄乌直接谈判, 美中元首旧金山会晤."""
    # a place fused into the name is where it is held (二十国集团巴厘岛峰会), not a party
    args = [e for e in s.args_in(cs, ts) if not _is_city(s, e) and e.type != "LOC" and ts - e.end <= 8]
    group = _last_group(s, args)
    if len(group) < 2 or any(re.search("[^、－—-]", s.span(a.end, b.start))
                             for a, b in zip(group, group[1:])):
        return []
    gap = s.span(group[-1].end, ts)
    return [] if re.search("[的在于与和同跟]", gap) else group


def _heads(s: _Sentence, group: list[Ent], ctx: _Context, noun: str) -> list[str | None]:
    """美俄元首 / 中美领导人 / 中俄总理: the people the article names with that title."""
    if noun in s.lex.collective_heads:
        return [_leader_of(ctx, e.gaz or e.text, s.lex) for e in group]
    return [ctx.titles.get((e.gaz or e.text, noun)) for e in group]


def _intended(s: _Sentence, m: re.Match) -> bool:
    """加强对话, 推动和加强中美各领域对话, 保持各层级对话沟通: the trigger ends the object of an
    intention verb earlier in its clause, with no new predicate (举行, 并…) in between; across a
    modifier only a dialogue-like trigger (推进与莫斯科的谈判 are talks under way)."""
    before = s.text[s.local(s.clause_start(s.start + m.start())):m.start()]
    verbs = [v for v in s.lex.intentions.finditer(before) if not s.lex.intention_nouns.match(before, v.start())]
    if not verbs:
        return False
    phrase = before[verbs[-1].end():]
    if len(phrase) <= 4 - len(verbs[-1].group()):  # right before it: 加强战略沟通, 领导谈判
        return True
    return m.group() in s.lex.intention_objects and len(phrase) <= 16 \
        and not s.lex.intention_breaks.search(phrase)


def _not_an_event(s: _Sentence, m: re.Match, possessive: bool) -> bool:
    """与美国的贸易谈判 / 谈判代表 (weak words as nouns), 加强战略沟通 (an intention), 会晤机制."""
    if _intended(s, m) or s.lex.never_event_heads.match(s.text, m.end()):
        return True
    return m.group() in s.lex.weak_triggers and (possessive or _noun_follows(s.lex, s.text, m.end()))


def _first_ent_from(s: _Sentence, pos: int) -> int:
    return next((e.start for e in s.ents if e.start >= pos), s.end)


_OBJECT_GAP = re.compile(r"^(?:了|过)?(?:[^，,。；]{0,10}的)?$")  # 会见了来访的…


def _transitive(s: _Sentence, kind: str, m: re.Match, ctx: _Context, pub_date):
    ts, te = s.start + m.start(), s.start + m.end()
    cs, ce = s.clause_start(ts), s.clause_end(te)
    obj_start = te
    relative = re.match(r"(?:了|过)?[^，,。；：:]{1,14}?的", s.span(te, ce))
    if relative and not _OBJECT_GAP.match(s.span(te, _first_ent_from(s, te))):
        obj_start = te + relative.end()  # 会见“过境”窜美的台湾地区领导人蔡英文: past a relative clause
    led = re.match(r"(?:了|过)?由([^，,。；]{1,50}?)(?:率领|带领|领导)的", s.span(te, ce))
    if led:  # 会见由…阮仲义率领的代表团: the group's leader
        leaders = [e for e in s.args_in(te + led.start(1), te + led.end(1)) if e.type == "PERSON"]
        if leaders:
            subjects = _nearest_before(s, cs, ts, ctx) or _subjects(s, cs, ts, ctx)
            status = _status(s, cs, ts)
            date = _date(s, cs, te, status, pub_date)
            return [RawRelation(kind, a, b, status, date, s.start, s.end)
                    for a, b in _pairs(subjects, [_ref(s, e, ctx) for e in _last_group(s, leaders)])]
    obj_start = _past_titles(s, obj_start + len(re.match("(?:了|过)?", s.span(obj_start, ce)).group()))
    objects = _first_group(s, obj_start, ce)
    first = _first_ent_from(s, obj_start)
    if not objects or first >= s.end or not _OBJECT_GAP.match(s.span(obj_start, first)):
        return []  # 会晤以来美中关系: the verb has no object of its own
    subjects = _nearest_before(s, cs, ts, ctx) or _subjects(s, cs, ts, ctx) or _subject_after(s, cs, ts, ce, ctx)
    status = _status(s, cs, ts)
    date = _date(s, cs, te, status, pub_date)
    pairs = _pairs(subjects, [_ref(s, e, ctx) for e in objects])
    return [RawRelation(kind, a, b, status, date, s.start, s.end) for a, b in pairs]


def _subject_after(s: _Sentence, cs: int, ts: int, ce: int, ctx: _Context) -> list[str]:
    """在会见X时，Y表示… / 在同X会谈后，Y…: a subjectless time clause shares the subject of the
    clause after it."""
    if not re.fullmatch(r"\s*在\s*", s.span(cs, ts)) or not re.search(r"(?:时|之际|期间|后)$", s.span(ts, ce)):
        return []
    nxt = s.clause_end(ce + 1)
    return [x for x in (_ref(s, e, ctx) for e in _first_group(s, ce + 1, nxt)
                        if e.start - ce <= 12 and not _is_city(s, e)) if x]


def _reported(s: _Sentence, speech: re.Match | None, e: Ent) -> bool:
    """A guest after a saying verb (王沪宁表示，习近平主席和X两度会晤), or referred to from an earlier
    sentence (X表示，两国元首成功会晤): someone's words, not the story's own event."""
    return speech is not None and not (s.start <= e.start < s.end and s.local(e.start) < speech.start())


def _attendance(s: _Sentence, m: re.Match, ctx: _Context) -> list[RawRelation]:
    """蔡奇、王毅参加会见 / 出席上述活动: those present meet the guests of the story's meeting."""
    ts = s.start + m.start()
    cs = s.clause_start(ts)
    present = [e for e in _last_group(s, s.args_in(cs, ts)) if e.type == "PERSON"]
    if not present or not ctx.guests or re.search("[，,]", s.span(present[-1].end, ts)):
        return []
    pairs = _pairs([f"e:{e.idx}" for e in present], ctx.guests)
    return [RawRelation("meets", a, b, "occurred", ctx.guests_date, s.start, s.end) for a, b in pairs]


def _country_of(s: _Sentence, e: Ent) -> str | None:
    """A GPE that is a country: a capital stands for its country; other cities are places."""
    entry = s.gaz.get(e.gaz) if e.gaz else None
    if entry is None:
        return None
    if entry.capital_of:
        return entry.capital_of
    return entry.id if entry.type == "GPE" and not entry.country else None


def _is_city(s: _Sentence, e: Ent) -> bool:
    entry = s.gaz.get(e.gaz) if e.gaz else None
    return bool(entry and entry.type == "GPE" and (entry.capital_of or entry.country))


def _visit(s: _Sentence, m: re.Match, ctx: _Context, pub_date):
    ts, te = s.start + m.start(), s.start + m.end()
    cs, ce = s.clause_start(ts), s.clause_end(te)
    word = m.group()
    hosts: list[str] = []
    # 来访的…X / 进行国事访问并出席…的X: the visitor is the one the relative clause describes
    rel = re.match(r"[^，,。；]{0,40}?的", s.span(te, ce))
    visitor = _starts_at(s, te + rel.end()) if rel else None
    if len(word) == 2 and word[1] in s.lex.visit_host and word[0] == "访":
        hosts = [f"g:{s.lex.visit_host[word[1]]}"]
    else:
        # …访问的巴西副总统: the visitor's own country (his title) is no host
        own = (te + rel.end(), visitor.end) if visitor is not None else (ce, ce)
        after = [e for e in s.ents if e.type == "GPE" and te <= e.start < ce and not own[0] <= e.start < own[1]]
        came = _came_to(s, cs, ts)
        cands = [e for e in after if e.start < own[0] or not came][:1]
        pre = re.search(r"对(.{1,12}?)(?:进行|展开|开始|的)", s.span(cs, ts))
        if pre:
            cands = [e for e in s.ents if e.type == "GPE" and cs + pre.start() < e.start < ts][:1] or cands
        for e in [x for x in s.ents if x.type == "GPE" and cands and x.start > cands[-1].end]:
            if not COORD_GAP.match(s.span(cands[-1].end, e.start)):
                break
            cands.append(e)  # 访问俄罗斯、白俄罗斯: every country coordinated with the first
        hosts = [f"g:{c}" for c in (_country_of(s, e) for e in cands) if c]
        s.places.update(e.idx for e in cands)
        if not cands and came:
            hosts = [came]  # 来华进行国事访问: the host is where the visitor came
    if not hosts:
        return []
    host = hosts[0]
    near = [e for e in s.args_in(cs, ts) if _country_of(s, e) != (host or "")[2:]]
    if visitor is not None:
        near = [visitor]
    invite = re.search(r"邀请|邀", s.span(cs, ts))
    inviter = []
    if invite and near:
        after = [e for e in near if e.start >= cs + invite.end()]
        inviter = [_ref(s, e, ctx) for e in _first_group(s, cs, cs + invite.start())] or \
            _subjects(s, cs, cs + invite.start(), ctx)
        near = after
    near = _last_group(s, near)  # 耶伦财长、布林肯国务卿近期访华: every coordinated visitor
    subjects = [_ref(s, e, ctx) for e in near] if near else _subjects(s, cs, ts, ctx)
    status = _status(s, cs, ts)
    date = _date(s, cs, ce, status, pub_date)  # 与到访的金正恩今天（9月13日）会面: the whole clause
    out = [RawRelation("meets", x, h, status, date, s.start, s.end) for x, h in _pairs(subjects, hosts)]
    subjects = [x for x in subjects if x and x != host]
    out += [RawRelation("meets", a, b, "requested", date, s.start, s.end)
            for a, b in _pairs(inviter, subjects)]
    return out


def _came_to(s: _Sentence, cs: int, ts: int) -> str | None:
    """来华 / 来到中国 / 赴俄罗斯 (…进行访问) before a visit word: the country come to."""
    m = None
    for m in re.finditer("来|赴|到", s.span(cs, ts)):
        pass
    if m is None:
        return None
    pos = cs + m.end()
    short = s.span(pos, pos + 1)
    if m.group() == "来" and short in s.lex.visit_host and not s.span(pos, pos + 2).endswith("自"):
        return f"g:{s.lex.visit_host[short]}"
    e = next((x for x in s.ents if x.start == pos + (1 if short == "到" else 0) and x.type == "GPE"), None)
    country = _country_of(s, e) if e is not None else None
    if e is not None:
        s.places.add(e.idx)
    return f"g:{country}" if country else None


def _weapons(s: _Sentence, a: int, b: int) -> tuple[tuple[str, ...], str | None]:
    weapons = tuple(f"e:{e.idx}" for e in s.ents if e.type == "WEAPON" and a <= e.start < b)
    quantity = None
    first = next((e for e in s.ents if e.type == "WEAPON" and a <= e.start < b), None)
    if first is not None:
        lead = s.text[max(0, s.local(first.start) - 12):s.local(first.start)]
        q = re.search(QUANTITY.format(units=re.escape(s.lex.units)) + r"[“\"「]?(?:[^\d，,。]{0,3})?$", lead)
        if q:
            quantity = q.group("q")
    return weapons, quantity


def _with_listing(s: _Sentence, ce: int) -> int:
    """The clause end, past clauses that list what was transferred (…军售，包括刺针飞弹).
    A clause that only gives the value (总额达20亿美元) may stand between."""
    end, pos = ce, ce
    while pos < s.end:
        nxt = s.clause_end(pos + 1)
        clause = s.span(pos, nxt).lstrip("，,、；;：: ")
        if s.lex.listing_heads.match(clause):
            end = nxt
        elif not re.match(r"(?:总额|总价|总值|价值|金额)", clause):
            break
        pos = nxt
    return end


def _is_military(s: _Sentence, a: int, b: int) -> bool:
    words = s.lex.military.finditer(s.text, a - s.start, b - s.start)
    return any(not _civilian_aid(s, m) for m in words) or any(
        e.type == "WEAPON" and a <= e.start < b for e in s.ents)


def _civilian_aid(s: _Sentence, m: re.Match) -> bool:
    """援助 alone is military only unqualified: 无私援助 / 人道主义援助 are not."""
    qualifier = s.lex.civilian_aid.search(s.text, max(0, m.start() - 4), m.start())
    return m.group() == "援助" and qualifier is not None


def _transfer(s: _Sentence, kind: str, m: re.Match, ctx: _Context, pub_date, *, buying=False):
    """向/对/给 B + sell/give, 从/向 A + buy, give/sell + 给/予 B, noun forms 对B的军事援助."""
    ts, te = s.start + m.start(), s.start + m.end()
    cs, ce = s.clause_start(ts), s.clause_end(te)
    if not _is_military(s, cs, ce):
        return []
    before = s.span(cs, ts)
    other: list[str] = []
    pivot = ts
    for mk in re.finditer(r"向|对|给|从|自", before):
        first = _starts_at(s, cs + mk.end())
        if first is not None:
            other = [_ref(s, e, ctx) for e in _first_group(s, cs + mk.end(), ts)] or [_ref(s, first, ctx)]
            pivot = cs + mk.start()
    asked = _asked_to_transfer(s, cs, ts, ctx) if not (other or buying) else None
    if asked:  # 埃及请求美国出售F-15: the one asked sells, the one asking receives
        weapons, quantity = _weapons(s, cs, _with_listing(s, ce))
        date = _date(s, cs, te, "requested", pub_date)
        return [RawRelation(kind, a, b, "requested", date, s.start, s.end, weapons, quantity)
                for a, b in _pairs(*asked)]
    if not other:
        after = s.span(te, ce)
        mk = re.match(r"(?:了)?(?:.{0,20}?)(?:给|予)", after) if not buying else None
        direct = _starts_at(s, te)
        if direct is not None and (kind == "provides-military-aid-to" or m.group() in ("售予", "卖给")):
            other = [_ref(s, direct, ctx)]
        elif mk and _starts_at(s, te + mk.end()):
            other = [_ref(s, _starts_at(s, te + mk.end()), ctx)]
        else:
            # 售台 / 援乌: a short country form fused to the verb
            short = next((e for e in s.ents if e.start == te and e.type == "GPE"), None)
            if short is not None:
                other = [_ref(s, short, ctx)]
    if s.text.startswith("的", m.end()) and s.lex.speech.search(s.span(cs, pivot) + "，"):
        return []  # 白宫没有透露暂停向乌克兰交付的武器: the subject tells, the transfer is a noun
    weapons, quantity = _weapons(s, cs, _with_listing(s, ce))
    status = ""
    subjects = _nearest_before(s, cs, pivot, ctx) or _subjects(s, cs, pivot, ctx)
    if m.group() in s.lex.raw["provides-military-aid-to"]["noun"]:
        # 美国及盟友停止对乌克兰的军事援助: the nearest actors before 对, not a distant topic
        subjects = _nearest_before(s, cs, pivot, ctx)
    if _own_subject_after_saying(s, cs, pivot):
        return []  # 俄称西方向乌提供武器: the actor before 称 tells; 西方 gives
    # (美国及盟友: the named one gives with them)
    unnamed = list(s.lex.unnamed_actors.finditer(s.span(cs, pivot)))
    if unnamed and not s.args_in(cs + unnamed[-1].end(), pivot):
        return []  # 就西方向乌克兰提供武器问题: the giver is no named actor
    if not other and not buying and kind == "provides-military-aid-to" and ctx.last_receiver and \
            m.group() in s.lex.raw["provides-military-aid-to"]["give"] and not s.text.startswith("的", m.end()):
        # 英国和挪威还将提供军事援助: the article's receiver, for countries named as the subject
        explicit = [_ref(s, e, ctx) for e in _clause_subject(s, cs, pivot, cut_partners=False)
                    if e.type == "GPE"]
        if subjects and set(subjects) <= set(explicit):
            other = [ctx.last_receiver]
    if buying:
        if s.lex.buyer_wish.search(s.span(cs, ts)):
            status = "requested"  # 有意购买: the buyer asks for the sale
        buyers = subjects
        sellers = other
        if not sellers:
            makers = {s.gaz[e.gaz].country for e in s.ents if e.type == "WEAPON" and e.gaz in s.gaz
                      and cs <= e.start < ce and s.gaz[e.gaz].country}
            sellers = [f"g:{c}" for c in sorted(makers)]
        pairs = _pairs(sellers, buyers)
    else:
        pairs = _pairs(subjects, other)
    if not (buying and status == "requested"):
        status = _status(s, cs, ts)
    if _protested(s, cs, pivot, subjects if not buying else other):
        return []  # 中方坚决反对美国对台军售: a third party's protest, not the seller's refusal
    date = _date(s, cs, te, status, pub_date)
    if pairs and kind == "provides-military-aid-to" and other:
        ctx.last_receiver = pairs[-1][1]
    return [RawRelation(kind, a, b, status, date, s.start, s.end, weapons, quantity) for a, b in pairs]


def _protested(s: _Sentence, cs: int, pivot: int, sellers: list[str]) -> bool:
    """The seller named after a word of protest (反对/谴责 + A 对 B 军售): the transfer is what
    someone else objects to."""
    cue = list(s.lex.protest_words.finditer(s.span(cs, pivot)))
    if not cue or not sellers:
        return False
    after = {f"e:{e.idx}" for e in s.args_in(cs + cue[-1].end(), pivot)}
    return any(x in after for x in sellers)


def _asked_to_transfer(s: _Sentence, cs: int, ts: int, ctx: _Context) -> tuple[list, list] | None:
    """B 请求/要求 A 出售/提供 (no 向 before the verb): A, right before the verb, is asked to give
    and B, before the cue, asks. Returns (givers, receivers)."""
    before = s.span(cs, ts)
    cues = list(dict(s.lex.status)["requested"].finditer(before))
    if not cues:
        return None
    cue = cues[-1]
    givers = _first_group(s, cs + cue.end(), ts)
    if not givers or s.span(givers[-1].end, ts).strip("再也还继续尽快立即"):
        return None
    receivers = _subjects(s, cs, cs + cue.start(), ctx)
    if not receivers:
        return None
    return [_ref(s, e, ctx) for e in givers], receivers


def _own_subject_after_saying(s: _Sentence, cs: int, pivot: int) -> bool:
    """After a saying verb, words other than adverbs before the transfer are its own subject."""
    said = list(s.lex.speech_verb.finditer(s.span(cs, pivot)))
    if not said:
        return False
    tail = s.span(cs + said[-1].end(), pivot)
    for _, pattern in s.lex.status:
        tail = pattern.sub("", tail)
    tail = re.sub("再|也|还|继续|不断|正|会|要|愿意?|[，,“”\"「」 ]", "", tail)
    return len(tail) >= 2 and not s.args_in(cs + said[-1].end(), pivot)


def _to_country(arg: str, by_idx: dict[int, Ent], gaz: dict[str, GazetteerEntry]) -> str:
    """A capital used as an actor (向基辅出售) stands for its country."""
    if not arg.startswith("e:"):
        return arg
    e = by_idx[int(arg[2:])]
    entry = gaz.get(e.gaz) if e.gaz else None
    if entry is not None and entry.capital_of:
        return f"g:{entry.capital_of}"
    return arg


def _state_of_organ(arg: str, by_idx: dict[int, Ent], gaz: dict[str, GazetteerEntry], heads: tuple[str, ...],
                    before: list[Ent] = ()) -> str:
    """A government body that sells or gives (美国国务院批准对台出售…) acts for its country. Named
    bare, without its country (国务院已批准售台), it acts for the country of the actor named last
    before it in the sentence (美国国防安全合作署宣布，国务院…), the gazetteer's country only when
    there is none: a bare ministry name belongs to whichever government the story is about."""
    entry = gaz.get(_gaz_id(arg, by_idx) or "")
    if entry is None or entry.type != "ORG" or not entry.country:
        return arg
    if not (entry.names and entry.names[0].endswith(heads)):
        return arg
    mention = by_idx[int(arg[2:])].text if arg.startswith("e:") else ""
    country = gaz.get(entry.country)
    if mention and country and not any(n in mention for n in country.names):
        for e in reversed(before):
            other = gaz.get(e.gaz) if e.gaz else None
            home = e.gaz if other and other.type == "GPE" else (other.country if other else None)
            if home:
                return f"g:{home}"
    return f"g:{entry.country}"


def _ents_before(s: "_Sentence", arg: str, by_idx: dict[int, Ent]) -> list[Ent]:
    """The named actors before ``arg``'s mention in its sentence, in text order."""
    if not arg.startswith("e:"):
        return []
    at = by_idx[int(arg[2:])].start
    return sorted((e for e in by_idx.values() if s.start <= e.start and e.end <= at),
                  key=lambda e: e.start)


def _gaz_id(arg: str, by_idx: dict[int, Ent]) -> str:
    return arg[2:] if arg.startswith("g:") else by_idx[int(arg[2:])].gaz


def _home(arg: str, by_idx: dict[int, Ent], gaz: dict[str, GazetteerEntry]) -> str | None:
    """The country an argument belongs to, when the gazetteer knows it."""
    entry = gaz.get(_gaz_id(arg, by_idx))
    return entry.country if entry else None


def _fused_summits(s: _Sentence, ctx: _Context, pub_date) -> tuple[list[RawRelation], list[tuple[int, int]]]:
    """川习会将于周四登场, 习拜视讯: leaders fused by their one-character press forms before a
    summit word. The fused name is the clause's subject, so the whole clause gives its status
    and date. Returns the relations and the summit words used (local offsets)."""
    fused = s.lex.raw.get("fused_summits") or {}
    heads = sorted(((w, kind) for kind in ("calls", "meets") for w in fused.get(kind, ())),
                   key=lambda h: -len(h[0]))
    groups: list[list[Ent]] = []
    for e in s.ents:
        if e.type == "PERSON" and e.gaz and e.end - e.start == 1:
            if groups and groups[-1][-1].end == e.start:
                groups[-1].append(e)
            else:
                groups.append([e])
    out, used = [], []
    for group in (g for g in groups if len(g) >= 2):
        rest = s.text[s.local(group[-1].end):]
        head = next(((w, kind) for w, kind in heads if rest.startswith(w)), None)
        if head is None:
            continue
        te = group[-1].end + len(head[0])
        cs, ce = s.clause_start(group[0].start), s.clause_end(te)
        status = _status(s, cs, ce)
        date = _date(s, cs, ce, status, pub_date)
        refs = [_ref(s, e, ctx) for e in group]
        out += [RawRelation(head[1], a, b, status, date, s.start, s.end) for a, b in _every_pair(refs)]
        used.append((s.local(group[-1].end), s.local(te)))
    return out, used


def _sentence_relations(s: _Sentence, ctx: _Context, pub_date) -> list[RawRelation]:
    lex = s.lex
    out = list(s.affiliations)
    blocked = [(m.start(), m.end()) for m in lex.not_relation.finditer(s.text)]
    # 蔡奇、王毅参加会谈: the talks attended, not talks between those present (_attendance pairs
    # them); 美方X和俄方Y参加会晤 still pairs the two sides
    blocked += [(m.start(), m.end()) for m in lex.attendance.finditer(s.text)
                if not re.search("[和与同跟及]", s.span(s.clause_start(s.start + m.start()), s.start + m.start()))]
    # 发表《中澳总理年度会晤联合声明》: a document's name, not an event
    blocked += [(m.start(), m.end()) for m in re.finditer("《[^》]*》", s.text)]

    def free(m):
        return not any(a <= m.start() < b or a < m.end() <= b for a, b in blocked)

    fused, summit_words = _fused_summits(s, ctx, pub_date)
    out += fused
    blocked += summit_words  # 川习会谈 is the fused summit, not also talks between the two

    for m in filter(free, lex.visit.finditer(s.text)):
        out += _visit(s, m, ctx, pub_date)
    for m in filter(free, lex.calls_sym.finditer(s.text)):
        out += _symmetric(s, "calls", m, ctx, pub_date)
        blocked.append((m.start(), m.end()))  # 电话会谈 is a call, not also a meeting
    for m in lex.calls_received.finditer(s.text):  # 马克龙接到拜登(打来)的电话
        tail = re.match(r"[^，,。；]{0,20}?的(?:电话|来电)", s.text[m.end():])
        caller = _starts_at(s, s.start + m.end())
        if tail and caller is not None:
            a = s.clause_start(s.start + m.start())
            callee = _nearest_before(s, a, s.start + m.start(), ctx) or _subjects(s, a, s.start + m.start(), ctx)
            status = _status(s, a, s.start + m.start())
            date = _date(s, a, s.start + m.end(), status, pub_date)
            out += [RawRelation("calls", x, y, status, date, s.start, s.end)
                    for x, y in _pairs(callee, [_ref(s, caller, ctx)])]
    telegram = re.search("祝贺|贺电|慰问|唁电|吊唁|致贺|贺信", s.text)
    for m in filter(free, lex.calls_trans.finditer(s.text)):
        if not (telegram and m.group() == "致电"):
            out += _transitive(s, "calls", m, ctx, pub_date)
    for m in filter(free, lex.meets_sym.finditer(s.text)):
        found = _symmetric(s, "meets", m, ctx, pub_date)
        if not found and m.group() in lex.raw["meets"]["transitive"]:
            found = _transitive(s, "meets", m, ctx, pub_date)
        out += found
    for m in filter(free, lex.meets_trans.finditer(s.text)):
        if m.group() not in lex.raw["meets"]["symmetric"]:
            out += _transitive(s, "meets", m, ctx, pub_date)
    for m in lex.attendance.finditer(s.text):
        out += _attendance(s, m, ctx)
    if not any(r.type in ("meets", "calls") for r in out):
        out += _pair_discussion(s, ctx, pub_date)
    for m in lex.sell.finditer(s.text):
        out += _transfer(s, "sells-weapons-to", m, ctx, pub_date)
    for m in lex.buy.finditer(s.text):
        out += _transfer(s, "sells-weapons-to", m, ctx, pub_date, buying=True)
    for m in lex.receive.finditer(s.text):  # 泽连斯基希望获得更多“爱国者”
        if not any(r.type == "sells-weapons-to" for r in out):
            out += _transfer(s, "provides-military-aid-to", m, ctx, pub_date, buying=True)
    sold = any(r.type == "sells-weapons-to" for r in out)
    if not sold:
        for m in lex.give.finditer(s.text):
            # 批准一笔军售，用于向乌克兰提供防空系统: what the sale is for is sold
            kind = "sells-weapons-to" if lex.sell.search(s.text, 0, m.start()) and \
                re.search("用于|用来|以便?", s.text[s.clause_start(s.start + m.start()) - s.start:m.start()]) \
                else "provides-military-aid-to"
            out += _transfer(s, kind, m, ctx, pub_date)
        if not any(r.type == "provides-military-aid-to" for r in out):
            for m in lex.aid_noun.finditer(s.text):
                out += _transfer(s, "provides-military-aid-to", m, ctx, pub_date)
    return out


def extract_relations(
    text: str,
    sentences: list[tuple[int, int]],
    ents: list[Ent],
    lexicon: Lexicon,
    gazetteer: dict[str, GazetteerEntry],
    pub_date: str | None,
) -> list[RawRelation]:
    """Relations in an article. ``text`` is simplified; offsets are the article's own."""
    ctx = _Context()
    by_idx = {e.idx: e for e in ents}
    ctx.keys = {f"e:{e.idx}": e.gaz or e.text for e in ents}
    results: list[RawRelation] = []
    sentence_objs = []
    for start, end in sentences:
        sent_ents = [e for e in ents if start <= e.start and e.end <= end]
        sentence_objs.append(_Sentence(text[start:end], start, end, sent_ents, lexicon, gazetteer))
    # first pass: titles held by named people, so "美国总统" alone can be resolved anywhere
    for s in sentence_objs:
        s.affiliations = _mark_entities(s)
        for r in s.affiliations:
            holder = r.target
            key_ent = next((e for e in s.ents if f"e:{e.idx}" == holder), None)
            key = (key_ent.gaz or key_ent.text) if key_ent else holder[2:]
            ctx.titles.setdefault((key, r.role or ""), r.source)
            for suffix in lexicon.role_suffixes:
                if (r.role or "").endswith(suffix):
                    ctx.titles.setdefault((key, suffix), r.source)
    prev_end = 0
    previous: _Sentence | None = None  # the sentence before, in the same paragraph
    coinciding: dict[int, int] = {}  # index in results -> the event it coincides with (之际)
    last_day: str | None = None  # the last day named so far (X日…。当天，…)
    for s in sentence_objs:
        if "\n" in text[prev_end:s.start] and not _inside_quotation(text, s.start):
            ctx.speaker = ctx.speaker_country = None  # "我" only within the speaker's paragraph (or quotation)
            ctx.paragraph_meeting = None
            previous = None
        prev_end = s.end
        speech = s.lex.speech.search(s.text)
        if speech:  # 川普总统…对记者说：“我…”: the topic of the saying sentence speaks
            # 在会见X时，Y表示：the person in the saying verb's own clause, else the topic
            at = s.start + speech.start() + 1
            people = [e for e in s.args_in(s.clause_start(at - 1), at) if e.type == "PERSON"] or \
                [e for e in s.args_in(s.start, at) if e.type == "PERSON"]
            if people:
                ctx.speaker = f"e:{people[0].idx}"
                entry = gazetteer.get(people[0].gaz) if people[0].gaz else None
                ctx.speaker_country = f"g:{entry.country}" if entry and entry.country else None
        s.anchor = last_day
        found = _sentence_relations(s, ctx, pub_date)
        found += _titles_in_speech(s, ctx, found)
        day = sentence_date(re.sub(r"【[^】]*】", "", s.text), pub_date, anchor=last_day)
        last_day = day if day and len(day) == 10 else last_day
        speaker = _record_tellings(s, ctx, pub_date)
        found = _dates_from_neighbours(s, _told_apart(s, found, by_idx), previous, speaker, ctx, pub_date)
        previous = s
        anchors = _coinciding_anchors(s, found)
        kept: dict[int, int] = {}  # index in found -> index in results
        for i, r in enumerate(found):
            src, tgt = _to_country(r.source, by_idx, gazetteer), _to_country(r.target, by_idx, gazetteer)
            if r.type in ("sells-weapons-to", "provides-military-aid-to"):
                organs = lexicon.state_organ_heads
                src, tgt = (_state_of_organ(x, by_idx, gazetteer, organs, _ents_before(s, x, by_idx))
                            for x in (src, tgt))
            if src == tgt:
                continue
            if r.type in ("sells-weapons-to", "provides-military-aid-to") and \
                    _home(src, by_idx, gazetteer) == _gaz_id(tgt, by_idx):
                continue
            attribution = None
            if r.type != "affiliated-with":
                attribution = _attribution(s, s.end, {src, tgt})
            kept[i] = len(results)
            results.append(RawRelation(r.type, src, tgt, r.status, r.date, r.sent_start, r.sent_end,
                                       r.weapons, r.quantity, r.role, attribution, r.apart))
            if r.type in ("meets", "calls"):
                ctx.last_pair, ctx.last_pair_type, ctx.last_pair_date = (src, tgt), r.type, r.date
        coinciding.update({kept[i]: kept[j] for i, j in anchors.items() if i in kept and j in kept})
        met = [r for r in found if r.type == "meets" and r.status == "occurred"
               and r.target.startswith("e:") and by_idx[int(r.target[2:])].type == "PERSON"
               and not _reported(s, speech, by_idx[int(r.target[2:])])]
        if met:
            ctx.paragraph_meeting = (met[0].source, met[0].target)
        called = [r for r in found if r.type == "calls" and r.status == "occurred"
                  and r.target.startswith("e:") and by_idx[int(r.target[2:])].type == "PERSON"
                  and not _reported(s, speech, by_idx[int(r.target[2:])])]
        if ctx.first_call is None and called:
            ctx.first_call = (called[0].source, called[0].target)
        if not ctx.guests:  # the story's first meeting: who was met, and by whom
            ctx.guests = list(dict.fromkeys(r.target for r in met))
            ctx.hosts = list(dict.fromkeys(r.source for r in met if r.target in ctx.guests))
        if ctx.guests_date is None:  # and when (a headline has no date; the lead does)
            ctx.guests_date = next((r.date for r in met if r.date and r.target in ctx.guests), None)
        persons = [f"e:{e.idx}" for e in s.ents if e.type == "PERSON" and s.is_arg(e)]
        if persons:
            ctx.last_person = persons[0]
    results = _dates_from_other_mentions(results, by_idx)  # the 之际 event may be dated elsewhere
    return _dates_from_other_mentions(_dates_from_coinciding_events(results, coinciding), by_idx)


# -- the speaker's own words ----------------------------------------------------------------

def _inside_quotation(text: str, pos: int) -> bool:
    """A quotation opened before ``pos`` and not closed (a quote running over paragraphs, which
    may reopen at each paragraph start)."""
    head = text[:pos]
    return sum(head.count(c) for c in "“「『") > sum(head.count(c) for c in "”」』")


def _titles_in_speech(s: _Sentence, ctx: _Context, found: list[RawRelation]) -> list[RawRelation]:
    """我已要求国务卿X、国家安全顾问Y和特使Z领导谈判: in a speaker's words a title with no holder is
    the speaker's (an envoy) or the speaker's country's (any other office)."""
    first_person = re.search("我(?!们)", s.text)
    if ctx.speaker is None or first_person is None:
        return []
    titled = {r.source for r in found if r.type == "affiliated-with"}
    out = []
    for p in s.ents:
        arg = f"e:{p.idx}"
        if p.type != "PERSON" or arg in titled or s.local(p.start) < first_person.end() or \
                ctx.keys.get(arg) == ctx.keys.get(ctx.speaker):
            continue
        g = _title_start(s, p.start)
        role = _role_of(s.span(g, p.start), s.lex)
        if role is None or _ent_ending_at(s, g) is not None:
            continue
        holder = ctx.speaker if role.endswith(s.lex.envoy_titles) else ctx.speaker_country
        if holder:
            out.append(RawRelation("affiliated-with", arg, holder, "occurred", None, s.start, s.end, role=role))
    return out


# -- dates told by neighbouring text ---------------------------------------------------------

_TODAY_IN_QUOTE = re.compile(r"[“「\"][^”」\"]*(?:今天|今日)[^”」\"]*")
# a clause opening that keeps the time frame of the sentence before: 而X则… / 与此同时，…
_SAME_TIME_OPENING = re.compile(r"^\s*(?:而[^，,。]{1,30}?则|与此同时|同时[，,])")
# [event A]之际/之时/的同时，[event B]: B happened when A did
_COINCIDING = re.compile(r"之际|之时|的同时")


def _record_tellings(s: _Sentence, ctx: _Context, pub_date: str | None) -> str | None:
    """Remember the day each person said something (特朗普周四表示，…); returns the key of the
    sentence's own speaker (the first person before its saying verb), if any."""
    speaker = None
    for m in s.lex.speech.finditer(s.text):
        cs = s.clause_start(s.start + m.start())
        people = [e for e in s.args_in(cs, s.start + m.start()) if e.type == "PERSON"]
        if not people:
            continue
        key = people[0].gaz or people[0].text
        speaker = speaker or key
        day = sentence_date(s.span(cs, s.start + m.start()), pub_date)
        if day and len(day) == 10:
            ctx.told[key] = day
    return speaker


# a time before the telling that dates nothing exactly (两个多月前, 几天前, 两年前, 不久前)
_VAGUE_PAST = re.compile(r"不久前|前不久|[\d一二两三四五六七八九十几数半]+\s*多?\s*(?:天|周|星期|个多?月|年)半?多?(?:以前|之前|前)")


def _told_apart(s: _Sentence, found: list[RawRelation], by_idx: dict[int, Ent]) -> list[RawRelation]:
    """两个多月前我在成都同X会面: an undated event whose clause names a vague time before is another
    occasion than the article's dated event between the same parties."""
    out = []
    for r in found:
        ents = [e for e in (by_idx[int(a[2:])] for a in (r.source, r.target) if a.startswith("e:"))
                if s.start <= e.start < s.end]  # 我/他 may stand for someone named before
        if r.date is None and r.type != "affiliated-with" and any(
                _VAGUE_PAST.search(s.span(s.clause_start(e.start), e.start)) for e in ents):
            r = replace(r, apart=True)
        out.append(r)
    return out


def _dates_from_neighbours(s: _Sentence, found: list[RawRelation], previous: _Sentence | None,
                           speaker: str | None, ctx: _Context, pub_date: str | None) -> list[RawRelation]:
    """Undated events that the neighbouring text dates: "今天" inside a quotation is the day the
    speaker said it (X在与Y通话后写道：“今天的会谈…”, X周四表示 before); a sentence opening with
    而…则 / 与此同时 shares the time of the sentence before it in the paragraph."""
    undated = [r for r in found if r.date is None and r.type != "affiliated-with" and not r.apart]
    if not undated:
        return found
    date_of: dict[str, str | None] = {}
    if speaker in ctx.told and _TODAY_IN_QUOTE.search(s.text):
        date_of = {st: ctx.told[speaker] for st in ("occurred", "planned", "considered", "requested")}
    elif previous is not None and _SAME_TIME_OPENING.match(s.text) and not find_date_expressions(s.text):
        date_of = {st: sentence_date(previous.text, pub_date, future=st in ("planned", "considered", "requested"))
                   for st in {r.status for r in undated}}
    return [replace(r, date=date_of.get(r.status)) if r in undated and date_of.get(r.status) else r
            for r in found]


def _coinciding_anchors(s: _Sentence, found: list[RawRelation]) -> dict[int, int]:
    """[event A]之际，[event B] (川普和普京通话之际，泽连斯基展开对芬兰的访问): B happened when A did.
    Maps the index in ``found`` of each event outside the 之际 clause to that of the event in it
    (an event whose both parties are named in the clause; 临近岁末之际 names none)."""
    m = _COINCIDING.search(s.text)
    if not m:
        return {}
    cs, ce = s.clause_start(s.start + m.start()), s.start + m.start()
    inside = {f"e:{e.idx}" for e in s.ents if cs <= e.start and e.end <= ce}
    anchors = [i for i, r in enumerate(found) if r.type != "affiliated-with" and {r.source, r.target} <= inside]
    if len(anchors) != 1:
        return {}
    return {i: anchors[0] for i, r in enumerate(found)
            if i != anchors[0] and r.type != "affiliated-with" and not {r.source, r.target} <= inside}


def _dates_from_coinciding_events(relations: list[RawRelation], anchors: dict[int, int]) -> list[RawRelation]:
    return [replace(r, date=relations[anchors[i]].date) if r.date is None and i in anchors else r
            for i, r in enumerate(relations)]


def _event_key(r: RawRelation, by_idx: dict[int, Ent]) -> tuple:
    """What makes two mentions the same event: type, status and the actors (unordered if symmetric)."""
    ends = [a if a.startswith("g:") else f"g:{by_idx[int(a[2:])].gaz}" if by_idx[int(a[2:])].gaz
            else by_idx[int(a[2:])].text for a in (r.source, r.target)]
    if r.type in ("meets", "calls"):
        ends.sort()
    return (r.type, r.status, *ends)


def _dates_from_other_mentions(relations: list[RawRelation], by_idx: dict[int, Ent]) -> list[RawRelation]:
    """An undated mention takes the date of the same event dated elsewhere in the article (a
    headline, a later "此次通话"), when the article gives that event exactly one date."""
    dates: dict[tuple, set[str]] = {}
    for r in relations:
        if r.date and r.type != "affiliated-with":
            dates.setdefault(_event_key(r, by_idx), set()).add(r.date)
    out = []
    for r in relations:
        known = dates.get(_event_key(r, by_idx)) if r.date is None and r.type != "affiliated-with" \
            and not r.apart else None
        if known and len(known) == 1:
            r = replace(r, date=next(iter(known)))
        out.append(r)
    return out
