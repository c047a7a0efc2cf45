"""Find gazetteer names in (simplified) text with Aho-Corasick, leftmost-longest.

Matching works on a folded copy of the text of the same length: middle-dot variants become one
dot and ASCII letters are lower-cased, so offsets in the fold are offsets in the original.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterable

import ahocorasick

from graphkit.normalise import to_simplified
from graphkit.schema import GazetteerEntry

__all__ = ["GazMatch", "GazetteerEntries", "GazetteerIndex", "as_entries", "fold", "fold_name", "shared_index",
           "short_form_ok"]

# before a one-character country form, these make it a country (向乌提供, 对美出口, 驻美大使)
_SHORT_LEFT = ("向", "对", "援", "访", "赴", "驻", "从")
# one-character forms that are everyday words or prepositions: countries only in pairs (中美, 中日)
# (朝 is also "towards": 朝那个方向)
_FUNCTION_CHARS = set("以中日法意加新南北西东印巴马土埃沙英欧非亚朝伊")
# Of those, the ones that name their country when they open a title (英首相, 法总统, 印总理):
# not prepositions or directions (以外长, 中外长, 南部长), "new" (新总统), a surname
# (马总统), nor a form two countries share (巴, 伊). 日 after a number is a day (3日首相).
_TITLE_OPENERS = set("英法意加印土埃沙日")


def _in_pair(text: str, start: int, token: tuple[int, int], short_chars, word_at,
             pair_nouns=()) -> bool:
    """中美, 美俄: the form and a neighbouring one make a pair, inside one word (as LAC left it)
    or as two one-character words (as the tokenizer cut it). A pair inside a longer word opens
    it (中美关系, not 2月12日中午). A neighbour that opens or closes a
    longer word is no pair (7月4日|美国, 事务|中|日益, 愿意|以), unless what follows the pair is
    a word for the two countries' dealings (中|菲友|好: 中菲友好)."""
    ts, te = token
    for pos in (start - 1, start + 1):
        if pos < 0 or text[pos:pos + 1] not in short_chars:
            continue
        if ts <= pos < te:  # 中美关系 opens with the pair; 2月12日中午 only holds 日中
            return min(pos, start) == ts
        if word_at is None or word_at(pos) != (pos, pos + 1):
            continue
        if te - ts == 1 or (pos == start - 1 and start == ts and text.startswith(pair_nouns, start + 1)):
            return True
    return False


def short_form_ok(text: str, start: int, token: tuple[int, int], short_chars, roles=(),
                  word_at=None, pair_nouns=()) -> bool:
    """Is the one-character country form at ``start`` a country, given the LAC word
    ``token`` (start, end) it sits in? Yes when LAC made it a word of its own, when the word is
    all such forms (中美, 俄乌), a preposition with it (向乌), or it opens a title (俄总统).
    ``word_at(pos)`` gives the (start, end) of the word holding ``pos``, for pairs cut apart;
    ``pair_nouns`` (关系, 友好) after a pair make it one where LAC cut it oddly."""
    ts, te = token
    word = text[ts:te]
    if len(word) > 1 and all(ch in short_chars for ch in word):
        return True
    if _in_pair(text, start, token, short_chars, word_at, tuple(pair_nouns)):
        return True
    if text[start] in _FUNCTION_CHARS:  # 以外长 is "with the foreign minister"; 中 is "in"
        return (text[start] in _TITLE_OPENERS and start == ts and not text[start - 1:start].isnumeric()
                and (te - ts == 1 or text[ts:te] in tuple(text[start] + r for r in roles))
                and any(text.startswith(r, start + 1) for r in roles))
    if len(word) == 1:
        return True
    if len(word) == 2 and start == ts + 1 and word[0] in _SHORT_LEFT:
        return True
    return start == ts and (text.startswith(("驻", "军售", "军援", "方"), start + 1)
                            or any(text.startswith(r, start + 1) for r in roles))


def _fused_summit_pattern(press: dict[str, str], heads: Iterable[str]) -> "re.Pattern | None":
    heads = sorted(heads, key=len, reverse=True)
    if len(press) < 2 or not heads:
        return None
    chars = "".join(sorted(press))
    return re.compile(f"([{re.escape(chars)}]{{2,3}})({'|'.join(map(re.escape, heads))})")


_DOTS = "·‧・•．.･∙⋅"
_FOLD_TABLE = {ord(c): "·" for c in _DOTS}
_FOLD_TABLE.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


def fold(text: str) -> str:
    """Length-preserving fold of simplified text: one dot form, ASCII lower case."""
    return text.translate(_FOLD_TABLE)


def fold_name(name: str) -> str:
    """The key a name is compared by: simplified, folded, without dots, spaces or hyphens."""
    return "".join(ch for ch in fold(to_simplified(name)) if ch not in "· -_")


class GazetteerEntries:
    """Validated entries as one opaque value, as the registered gazetteer gives them: spaCy's
    config resolver turns a list of entries into plain dicts for each component that reads it
    (three, each validating them again: a fifth of the pipeline's start-up), but passes an
    object it does not know through untouched."""

    __slots__ = ("entries",)

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries = tuple(as_entries(entries))


def as_entries(items: GazetteerEntries | Iterable) -> list[GazetteerEntry]:
    """Entries from :class:`GazetteerEntries`, from entries, or from plain dicts (a list
    written in a config file reaches a component so)."""
    if isinstance(items, GazetteerEntries):
        return list(items.entries)
    return [i if isinstance(i, GazetteerEntry) else GazetteerEntry.model_validate(i) for i in items]


@dataclass(frozen=True, slots=True)
class GazMatch:
    start: int
    end: int
    entry_id: str
    type: str
    short: bool  # a one-character or 方 form: accepted only at token boundaries


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_RECENT_TEXTS = 64  # texts whose matches find() keeps (a spaCy batch is smaller)
_SHARED: dict[tuple, "GazetteerIndex"] = {}


def shared_index(entries: Iterable[GazetteerEntry] | None, title_words: Iterable[str] = (),
                 fused_summits: dict | None = None) -> "GazetteerIndex":
    """The index for ``entries``, built once per distinct list of entries: the tokenizer and
    the rulers all read the packaged gazetteer, and building its automaton is start-up time.
    ``fused_summits`` is the lexicon's section of that name (川习会: leaders' press forms)."""
    fused = fused_summits or {}
    heads = tuple(sorted({w for kind in ("meets", "calls") for w in fused.get(kind, ())}))
    key = (tuple(as_entries(entries or ())), tuple(title_words), heads, tuple(fused.get("after_name", ())))
    if key not in _SHARED:
        _SHARED.clear()  # one gazetteer at a time is the normal case: keep memory flat
        _SHARED[key] = GazetteerIndex(*key)
    return _SHARED[key]


def _simplified_all(names: list[str]) -> list[str]:
    """``to_simplified`` of every name in one OpenCC call (one per name was most of the index's
    build time); no phrase spans the line break, so each name converts as it would alone."""
    if any("\n" in n for n in names):
        return [to_simplified(n) for n in names]
    return to_simplified("\n".join(names)).split("\n")


class GazetteerIndex:
    """An automaton over every name of every entry (simplified and folded)."""

    def __init__(self, entries: Iterable[GazetteerEntry], title_words: Iterable[str] = (),
                 summit_heads: Iterable[str] = (), after_name: Iterable[str] = ()):
        """``title_words`` (部长, 局长): two-character titles whose first character may end an
        organisation's name; such a match is the title, not the organisation (美国国防部长 is
        the minister: 美国 + 国防部长), and a shorter name at the same start is taken instead."""
        self.title_words = frozenset(w for w in title_words if len(w) == 2)
        self.entries: dict[str, GazetteerEntry] = {}
        self._auto = ahocorasick.Automaton()
        self._recent: OrderedDict[str, tuple[GazMatch, ...]] = OrderedDict()
        patterns: dict[str, tuple[str, str, bool]] = {}
        forms = []
        for entry in as_entries(entries):
            self.entries[entry.id] = entry
            forms += [(entry, n.strip(), False) for n in entry.names + entry.en_aliases + (entry.en,)]
            forms += [(entry, n.strip(), True) for n in entry.short]
        for (entry, _, short), simplified in zip(forms, _simplified_all([f[1] for f in forms])):
            key = fold(simplified)
            if len(key) < 1 or (len(key) < 2 and not short):
                continue
            # the first entry listing a form keeps it: files are ordered, so this is fixed
            patterns.setdefault(key, (entry.id, entry.type, short))
        # one-character short forms (中, 美, 俄): the tokenizer and the ruler judge them alike
        self.short_chars = frozenset(ch for e in self.entries.values() for ch in e.short if len(ch) == 1)
        self._press = {e.press_char: e.id for e in self.entries.values() if e.press_char}
        self._fused = _fused_summit_pattern(self._press, summit_heads)
        self._after_name = re.compile("[^\\w]|" + "|".join(map(re.escape, after_name))) if after_name else None
        for key, value in patterns.items():
            self._auto.add_word(key, (len(key),) + value)
        if patterns:
            self._auto.make_automaton()
        self._empty = not patterns

    def find(self, text: str) -> list[GazMatch]:
        """Non-overlapping matches in simplified ``text``, leftmost-longest first.

        The last few texts' matches are kept: the tokenizer and the ruler scan each doc's text."""
        if self._empty or not text:
            return []
        memo = self._recent
        if text in memo:
            return list(memo[text])
        found = self._scan(text)
        memo[text] = tuple(found)
        if len(memo) > _RECENT_TEXTS:
            memo.popitem(last=False)
        return found

    def _scan(self, text: str) -> list[GazMatch]:
        folded = fold(text)
        found = []
        for end_idx, (length, entry_id, typ, short) in self._auto.iter(folded):
            start = end_idx - length + 1
            end = end_idx + 1
            if _is_ascii_word(folded[start]) and start > 0 and _is_ascii_word(folded[start - 1]):
                continue
            if _is_ascii_word(folded[end - 1]) and end < len(folded) and _is_ascii_word(folded[end]):
                continue
            if typ == "ORG" and folded[end - 1:end + 1] in self.title_words:
                continue
            found.append((start, -length, end, entry_id, typ, short))
        found.sort()
        out: list[GazMatch] = []
        last_end = 0
        for start, _neg, end, entry_id, typ, short in found:
            if start >= last_end:
                out.append(GazMatch(start, end, entry_id, typ, short))
                last_end = end
        return self._with_fused_leaders(folded, out) if self._fused else out

    def _with_fused_leaders(self, folded: str, out: list[GazMatch]) -> list[GazMatch]:
        """川习会, 普习会, 习拜视讯: two or three leaders' one-character press forms fused before a
        summit word are those leaders. Where the characters also spell a name (川普会 is Trump and
        Putin, 川普会见 is Trump meeting someone), only a bare 会 closing the phrase counts."""
        for m in self._fused.finditer(folded):
            run = m.group(1)
            ids = [self._press[ch] for ch in run]
            if len(set(ids)) < len(ids):
                continue
            a, b = m.start(1), m.end(1)
            covering = [g for g in out if g.start < b and a < g.end]
            if any(g.start < a or g.end > b for g in covering):
                continue  # a character of a longer name (普京会见: not 普 + 京)
            if covering and not (m.group(2) == "会" and self._after_name
                                 and (m.end() == len(folded) or self._after_name.match(folded, m.end()))):
                continue
            out = [g for g in out if g not in covering]
            out += [GazMatch(a + k, a + k + 1, entry_id, "PERSON", False) for k, entry_id in enumerate(ids)]
        return sorted(out, key=lambda g: g.start)
