"""spaCy components: LAC entities, the gazetteer ruler, weapon patterns, relation extraction."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from spacy.attrs import IDX, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graphkit.nlp.gazetteer import GazetteerIndex, as_entries, shared_index, short_form_ok
from graphkit.nlp.lexicon import Lexicon, compile_words, first_suffix
from graphkit.nlp.rules import Ent, extract_relations
from graphkit.nlp.tokenizer import NOISE_KEY, doc_text
from graphkit.normalise import within_any

__all__ = ["LacEntityRecognizer", "ActorRuler", "WeaponRecognizer", "RelationExtractor",
           "split_tokens_at", "words_of", "lac_words_of", "LAC_WORDS"]

# doc._.graphkit_lac_words: (start, end, LAC tag) of the words the default tokenizer would have made,
# left by graphkit_lac_entities on docs from another tokenizer; the rulers decide on these words
LAC_WORDS = "graphkit_lac_words"

def _capital_sense(text: str, start: int, end: int, places: tuple[str, ...],
                   parties: tuple[str, ...], government_after: re.Pattern) -> str | None:
    """"government" where a capital names its government as a party (向基辅出售, 与华盛顿) or
    acts (莫斯科拒绝); "place" after a place preposition (在莫斯科会见); else None (unclear)."""
    before = text[max(0, start - 2):start]
    if before.endswith(places):
        return "place"
    if before.endswith(parties) or government_after.match(text, end):
        return "government"
    return None


def _government_capitals(senses: list[tuple[str, str | None]]) -> set[str]:
    """One sense per article: capitals used only as their government wherever the sense is clear
    (莫斯科拒绝 … 对莫斯科实施制裁 … 莫斯科战争机器) stand for it in the unclear places too."""
    clear: dict[str, set[str]] = {}
    for entry_id, sense in senses:
        if sense is not None:
            clear.setdefault(entry_id, set()).add(sense)
    return {entry_id for entry_id, found in clear.items() if found == {"government"}}

_DOTS = {"·", "‧", "・", "•", ".", "．", "･"}

# directions before a continent make a region (东亚, 北非, 西欧), not a pair of countries
_DIRECTIONS, _CONTINENTS = set("东西南北"), set("亚欧非美")


def is_country_abbreviation_word(name: str, abbreviations: frozenset[str],
                                 tails: tuple[str, ...], person: bool = False) -> bool:
    """A LAC name word that is a pair of country abbreviations (中阿, 泰中, 中巴政府, 新时代中塞;
    坦赞 unless tagged a person), an abbreviation with 方 (斯方, 马方珍视 cut as 马方珍) or with a
    common noun (柬国会, 伊核)."""
    if len(name) < 2 or name[0] not in abbreviations and "中" not in name and "华" not in name:
        return False
    if name[0] in abbreviations and (name[1] == "方" or name[1:].startswith(tails)):
        return True
    if len(name) == 2 and not person and set(name) <= abbreviations and not set(name) <= _CONTINENTS \
            and not (name[0] in _DIRECTIONS and name[1] in _CONTINENTS):
        return True
    for a, b in zip(name, name[1:]):
        if a in _DIRECTIONS and b in _CONTINENTS:
            continue
        if a in abbreviations and b in abbreviations and ({a, b} & {"中", "华"}) and {a, b} != {"中", "华"}:
            return True
    return False


def _noise(doc: Doc) -> list[tuple[int, int]]:
    return [(sp.start_char, sp.end_char) for sp in doc.spans.get(NOISE_KEY, [])]


def split_tokens_at(doc: Doc, cuts: Iterable[int]) -> Doc:
    """Make every offset in ``cuts`` a token boundary by splitting the tokens it falls inside
    (普京通 → 普京|通; never by widening a span, which would give 普京通). Entities, span groups,
    sentence starts and tags are kept by their character offsets; a split token's pieces all get
    its tag, and only the first can start a sentence."""
    text = doc_text(doc)
    starts = doc.to_array(IDX).tolist()
    pieces: dict[int, list[int]] = {}
    for c in sorted(set(cuts)):
        i = bisect_right(starts, c) - 1
        if i >= 0 and starts[i] < c < starts[i] + len(doc[i].text):
            pieces.setdefault(i, []).append(c)
    if not pieces:
        return doc
    # retokenize().split leaves stale values (tags, entity types, sentence starts, span groups'
    # token indices) in the new tokens: keep them by offsets and put them back afterwards
    had_ents = doc.has_annotation("ENT_IOB")
    ents = [(e.start_char, e.end_char, e.label, e.kb_id) for e in doc.ents]
    groups = {name: [(sp.start_char, sp.end_char, sp.label, sp.kb_id) for sp in group]
              for name, group in doc.spans.items()}
    has_sents = doc.has_annotation("SENT_START")
    token_attrs = [(t.tag, t.pos) for t in doc]
    with doc.retokenize() as retokenizer:
        for i, cs in pieces.items():
            tok = doc[i]
            bounds = [tok.idx, *cs, tok.idx + len(tok.text)]
            retokenizer.split(tok, [text[a:b] for a, b in zip(bounds, bounds[1:])],
                              heads=[(tok, k) for k in range(len(bounds) - 1)])
    for tok in doc:  # the first piece is the old token; the others hold stale copies
        i = bisect_right(starts, tok.idx) - 1
        if starts[i] != tok.idx:
            tok.tag, tok.pos = token_attrs[i]
            tok.is_sent_start = False if has_sents else None
    if had_ents:
        doc.ents = [doc.char_span(s, e, label=label, kb_id=kb) for s, e, label, kb in ents]
    else:
        doc.set_ents([], default="missing")
    for name, spans in groups.items():
        doc.spans[name] = [doc.char_span(s, e, label=label, kb_id=kb) for s, e, label, kb in spans]
    return doc


def lac_words_of(doc: Doc) -> list[tuple[int, int, str]] | None:
    """(start, end, LAC tag) of the words that graphkit_lac_entities left on the doc, if any."""
    return doc._.get(LAC_WORDS) if Doc.has_extension(LAC_WORDS) else None


def token_table(doc: Doc, text: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, tag) of every token, read in one array pass (iterating Token objects costs
    far more on long documents)."""
    if len(doc) == 0:
        return []
    arr = doc.to_array([IDX, TAG])
    starts = arr[:, 0].tolist()
    ends = starts[1:] + [len(text if text is not None else doc_text(doc))]
    strings = doc.vocab.strings
    return [(a, b, strings[t]) for a, b, t in zip(starts, ends, arr[:, 1].tolist())]


def words_of(doc: Doc, text: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, tag) of the words that the rulers decide on: the LAC words that
    graphkit_lac_entities left on the doc, or else its tokens."""
    words = lac_words_of(doc)
    return words if words is not None else token_table(doc, text)


def _sentence_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, from the sentence-start flags in one array pass."""
    if len(doc) == 0:
        return []
    arr = doc.to_array([IDX, SENT_START])
    starts = [idx for idx, flag in arr.tolist() if flag == 1] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    return list(zip(starts, starts[1:] + [len(text)]))


class LacEntityRecognizer:
    """Tokens tagged PER/LOC/ORG by LAC become PERSON/GPE|LOC/ORG entities."""

    def __init__(self, nlp: Language, name: str, min_length: int = 2):
        self.name = name
        self.min_length = min_length
        self.generic: frozenset[str] = frozenset()
        self.time_zone_words: tuple[str, ...] = ()
        self.loc_suffixes: tuple[str, ...] = ()
        self.region_names: frozenset[str] = frozenset()
        self.triggers = compile_words([])

    def initialize(self, get_examples=None, *, nlp=None, lexicon=None) -> None:
        lexicon = lexicon or {}
        self.generic = frozenset(lexicon.get("generic_names", ())) | frozenset(lexicon.get("role_suffixes", ())) \
            | frozenset(lexicon.get("generic_org_words", ()))
        self.time_zone_words = tuple(lexicon.get("time_zone_words", ()))
        self.loc_suffixes = tuple(lexicon.get("loc_suffixes", ()))
        self.region_names = frozenset(lexicon.get("region_names", ()))
        self.triggers = compile_words(
            [w for kind in ("calls", "sells-weapons-to") for words in lexicon.get(kind, {}).values()
             if isinstance(words, list) for w in words if len(w) > 1])

    def _loc_type(self, name: str) -> str:
        """LOC for seas, mountains, regions and venues; GPE for the rest LAC calls a place."""
        return "LOC" if name in self.region_names or name.endswith(self.loc_suffixes) else "GPE"

    def _is_name(self, text: str, label: str) -> bool:
        """LAC's tags are noisy: roles (财长), armed forces (乌军), clipped phrases (同来华),
        a country fused with a verb (台军售)."""
        if text in self.generic or (len(text) <= 3 and text[-1] in "军方籍") or self.triggers.search(text):
            return False
        return not (label in ("GPE", "LOC") and len(text) <= 3 and text[0] in "同与和在对向从赴")

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        noise = _noise(doc)
        full_text = doc_text(doc)
        table = token_table(doc, full_text)
        skip_to = 0
        for i, (start, end_char, tag) in enumerate(table):
            if i < skip_to or tag not in ("PER", "LOC", "ORG"):
                continue
            if tag == "PER":
                # 弗拉基米尔 . 普京 split around an ASCII dot: one name
                end = i + 1
                while end + 1 < len(table) and full_text[table[end][0]:table[end][1]] in _DOTS \
                        and table[end + 1][2] == "PER":
                    end += 2
                if end > i + 1:
                    spans.append(Span(doc, i, end, label="PERSON"))
                    skip_to = end
                    continue
            if end_char - start < self.min_length:
                continue
            text = full_text[start:end_char].strip()
            if not text or within_any(noise, start, end_char):
                continue
            label = {"PER": "PERSON", "ORG": "ORG"}.get(tag) or self._loc_type(text)
            if not self._is_name(text, label):
                continue
            if label == "PERSON" and text.isascii() and " " not in text:
                continue  # a lone Latin word (Antonio, peace, Truth): English names come whole from the gazetteer
            if label in ("GPE", "LOC") and full_text.startswith(self.time_zone_words, end_char):
                continue  # 美东时间: a time zone
            spans.append(Span(doc, i, i + 1, label=label))
        doc.ents = filter_spans(list(doc.ents) + spans)
        return doc


def whole_person_names(text: str, lac_ents: list[tuple[int, int, str]], taken: list[tuple[int, int]],
                       titles_before: tuple[str, ...], titles_after: tuple[str, ...],
                       name_heads: tuple[str, ...], noise: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of every mention of the people a doc names, whole. LAC cuts a transliterated
    name differently at each mention (总统|别|尔德穆哈梅多夫 beside 别尔德穆哈梅多夫, 禹元|植) and
    tags it as a place or an organisation beside a title (总理阿马拉苏里亚, 瓦塔拉总统): a name of
    three or more characters that LAC tags as a person, or a place beside a person's title,
    is a person at each of its mentions, and so is a longer name word of the doc that ends with
    it (科巴希泽 beside 总理科|巴希泽) or a person name that starts with it."""
    def person_cue(s: int, e: int, label: str) -> bool:
        if label == "PERSON":
            return True
        return label in ("GPE", "LOC") and (text[:s].endswith(titles_before) or text.startswith(titles_after, e))

    def without_title(name: str, label: str) -> str:
        """纪尧姆大公 as LAC tagged it: the person is 纪尧姆."""
        title = first_suffix(name, titles) if label == "PERSON" else None
        return name[:-len(title)] if title and len(name) - len(title) >= 2 else name

    titles = tuple(sorted(set(titles_before) | set(titles_after), key=len, reverse=True))
    people = {without_title(text[s:e], label) for s, e, label in lac_ents if person_cue(s, e, label)}
    names = {without_title(text[s:e], label): label for s, e, label in lac_ents}
    whole = {n for n in people if len(n) >= 3}
    for n, label in names.items():
        if n in people or n.endswith(name_heads):
            continue
        if any(p != n and len(p) >= 2 and (n.endswith(p) or (label == "PERSON" and n.startswith(p)))
               for p in people):
            whole.add(n)
    found: list[tuple[int, int]] = []
    busy = list(taken)
    for name in sorted(whole, key=lambda n: (-len(n), n)):
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if not any(a < end and at < b for a, b in busy) and not within_any(noise, at, end):
                found.append((at, end))
                busy.append((at, end))
            at = text.find(name, end)
    return sorted(found)


class ActorRuler:
    """Gazetteer names win over statistical entities; ``kb_id_`` holds the gazetteer id.

    Which matches count is decided on words (``words_of``): the tokens, or the LAC words left on
    a doc from another tokenizer. With ``split_tokens`` the tokens are then split to fit the names;
    on a doc without LAC words a name is taken where found, and a one-character country form
    where the token it sits in allows it (as the LAC tokenizer judges it on LAC words).
    """

    def __init__(self, nlp: Language, name: str, split_tokens: bool = False):
        self.name = name
        self.split_tokens = split_tokens
        self.index = GazetteerIndex(())
        self.roles: tuple[str, ...] = ()
        self.pair_nouns: tuple[str, ...] = ()
        self.places: tuple[str, ...] = ()
        self.parties: tuple[str, ...] = ()
        self.time_zone_words: tuple[str, ...] = ()
        self.government_after = compile_words([])
        self.short_chars: frozenset[str] = frozenset()
        self.abbreviations: frozenset[str] = frozenset()
        self.abbreviation_tails: tuple[str, ...] = ()
        self.person_after: tuple[str, ...] = ()
        self.name_heads: tuple[str, ...] = ()

    def initialize(self, get_examples=None, *, nlp=None, gazetteer=None, lexicon=None) -> None:
        lexicon = lexicon or {}
        self.abbreviations = frozenset(lexicon.get("country_abbreviations", ()))
        self.person_after = tuple(lexicon.get("person_after_titles", ()))
        self.name_heads = tuple(w for key in ("place_heads", "org_heads", "company_heads")
                                for w in lexicon.get(key, ()))
        self.abbreviation_tails = tuple(lexicon.get("country_abbreviation_tails", ()))
        self.index = shared_index(gazetteer, lexicon.get("org_title_words", ()), lexicon.get("fused_summits"))
        self.roles = tuple(sorted(lexicon.get("role_suffixes", ()), key=len, reverse=True))
        self.pair_nouns = tuple(lexicon.get("country_pair_nouns", ()))
        self.places = tuple(lexicon.get("place_prepositions", ()))
        self.parties = tuple(lexicon.get("party_markers", ()))
        self.time_zone_words = tuple(lexicon.get("time_zone_words", ()))
        self.government_after = compile_words(lexicon.get("capital_government_after", ()))
        self.short_chars = self.index.short_chars

    def _names(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """(start, end, type, gazetteer id) of the names to mark, aligned with the words."""
        free = self.split_tokens and lac_words_of(doc) is None  # nothing to decide on but tokens
        text = doc_text(doc)  # read once, not per match
        words = words_of(doc, text)
        word_starts = [w[0] for w in words]
        ends = {w[1] for w in words}
        at = {w[0]: k for k, w in enumerate(words)}
        noise = _noise(doc)

        def word_at(pos: int) -> tuple[int, int]:
            return words[max(bisect_right(word_starts, pos) - 1, 0)][:2]

        names = []
        senses: list[tuple[str, str | None]] = []  # (capital's id, sense) of each capital named
        for m in self.index.find(text):
            k = at.get(m.start)
            if m.short:
                if free:
                    word = word_at(m.start)
                elif k is not None and words[k][1] == m.end:
                    word = words[k][:2]
                else:
                    continue  # the tokenizer cut out only the one-character forms naming a country
                if not short_form_ok(text, m.start, word, self.short_chars, self.roles, word_at,
                                     self.pair_nouns):
                    continue
            if m.type == "PERSON":  # 萨勒曼国王: the name is the person, the title stays text
                role = first_suffix(text[m.start:m.end], self.roles)
                if role and m.end - len(role) - m.start >= 2:
                    m = type(m)(m.start, m.end - len(role), m.entry_id, m.type, m.short)
            if m.type in ("GPE", "LOC") and text.startswith(self.time_zone_words, m.end):
                continue  # 莫斯科时间, 北京时间: a time zone
            if m.type == "GPE" and text[m.start:m.end] in self.roles and m.end in at \
                    and words[at[m.end]][2] == "PER":
                continue  # 文莱苏丹哈桑纳尔: 苏丹 before a person's name is the sultan, not Sudan
            entry_id = m.entry_id
            sense = None
            if self.index.entries[entry_id].capital_of:
                sense = _capital_sense(text, m.start, m.end, self.places, self.parties, self.government_after)
                senses.append((entry_id, sense))
            start = m.start
            if (k is None or m.end not in ends) and not free:
                # 弗拉基米尔·普京 kept whole by the tokenizer: the full name is the same person
                k = bisect_right(word_starts, m.start) - 1
                if m.type != "PERSON" or k < 0 or words[k][1] != m.end or words[k][2] != "PER":
                    continue
                start = words[k][0]
            if within_any(noise, m.start, m.end):
                continue
            if m.type == "PERSON" and k is not None and k >= 2 \
                    and text[words[k - 1][0]:words[k - 1][1]] in _DOTS and words[k - 2][2] == "PER":
                start = words[k - 2][0]
            names.append((start, m.end, m.type, entry_id, sense))
        speaking = _government_capitals(senses)
        out = []
        for start, end, typ, entry_id, sense in names:
            capital_of = self.index.entries[entry_id].capital_of
            if capital_of and (sense == "government" or (sense is None and entry_id in speaking)):
                entry_id = capital_of  # 莫斯科拒绝 / 向基辅出售: the capital speaks for its country
            out.append((start, end, typ, entry_id))
        return out

    def __call__(self, doc: Doc) -> Doc:
        names = self._names(doc)
        if self.split_tokens:
            split_tokens_at(doc, (c for s, e, _t, _id in names for c in (s, e)))
        ours = [span for s, e, typ, entry_id in names
                if (span := doc.char_span(s, e, label=typ, kb_id=entry_id)) is not None]
        taken = {i for sp in ours for i in range(sp.start, sp.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))
                and (e.kb_id_ or not is_country_abbreviation_word(
                    e.text, self.abbreviations, self.abbreviation_tails, e.label_ == "PERSON"))]
        text = doc_text(doc)
        people = whole_person_names(
            text, [(e.start_char, e.end_char, e.label_) for e in kept if not e.kb_id_],
            [(sp.start_char, sp.end_char) for sp in ours], self.roles, self.person_after,
            self.name_heads, _noise(doc))
        if people:
            ours_at = [(sp.start_char, sp.end_char, sp.label_, sp.kb_id_) for sp in ours]
            kept_at = [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in kept
                       if not any(a < e.end_char and e.start_char < b for a, b in people)]
            split_tokens_at(doc, (c for s, e in people for c in (s, e)))
            spans = [doc.char_span(s, e, label=label, kb_id=kb) for s, e, label, kb in ours_at + kept_at]
            spans += [doc.char_span(s, e, label="PERSON") for s, e in people]
            ours, kept = [sp for sp in spans if sp is not None], []
        doc.ents = sorted(ours + kept, key=lambda s: s.start)
        return doc

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data, **kwargs):
        return self


class WeaponRecognizer:
    """Quoted names and designations followed by a weapon noun (“战斧”导弹, S-400防空系统), and
    military type designations alone (AGM-154C). They get tokens of their own on every pipeline
    (MQ-9B无人机 is one LAC word), so both pipelines mark the same weapons."""

    def __init__(self, nlp: Language, name: str, split_tokens: bool = False):
        self.name = name
        self.split_tokens = split_tokens
        self.pattern: re.Pattern | None = None

    def initialize(self, get_examples=None, *, nlp=None, lexicon=None) -> None:
        heads = compile_words((lexicon or {}).get("weapon_heads", [])).pattern
        quoted = r"[“\"「『‘](?P<q>[^”\"」』’\s，,。]{1,12})[”\"」』’](?=" + heads + ")"
        designation = r"(?<![A-Za-z0-9-])(?P<d>[A-Z]{1,5}-?\d{1,4}[A-Z]{0,3}(?:-\d+)?)(?=[^A-Za-z0-9\u4e00-\u9fff]{0,2}(?:" + heads + r"))"
        prefixes = "|".join(sorted((re.escape(p) for p in (lexicon or {}).get("weapon_designation_prefixes", [])),
                                   key=len, reverse=True))
        # AGM-154C, MQ-9B, Su-35 alone: military type designations are weapons without a head noun
        alone = r"|(?<![A-Za-z0-9-])(?P<a>(?:" + prefixes + r")-\d{1,4}[A-Z]{0,3}(?:-\d+)?)(?![A-Za-z0-9])" \
            if prefixes else ""
        self.pattern = re.compile(quoted + "|" + designation + alone) if heads else None

    def __call__(self, doc: Doc) -> Doc:
        if self.pattern is None:
            return doc
        text = doc_text(doc)
        noise = _noise(doc)
        found = []
        for m in self.pattern.finditer(text):
            group = next(g for g in ("q", "d", "a") if m.groupdict().get(g))
            start, end = m.start(group), m.end(group)
            if not within_any(noise, start, end):
                found.append((start, end))
        # a designation glued to its head noun in one word (MQ-9B无人机) is cut off it, on every
        # pipeline alike
        split_tokens_at(doc, (c for s, e in found for c in (s, e)))
        spans = []
        for start, end in found:
            span = doc.char_span(start, end, label="WEAPON", alignment_mode="strict")
            if span is None:  # a designation glued to its head noun inside one LAC token
                span = doc.char_span(start, end, label="WEAPON", alignment_mode="contract")
            if span is not None and span.text == text[start:end]:
                spans.append(span)
        if spans:
            taken = {i for e in doc.ents for i in range(e.start, e.end)}
            new = [s for s in spans if not any(i in taken for i in range(s.start, s.end))]
            doc.ents = sorted(list(doc.ents) + filter_spans(new), key=lambda s: s.start)
        return doc


class RelationExtractor:
    """Writes ``doc._.graphkit_relations``: plain tuples (see ``rules.RawRelation``)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.lexicon: Lexicon | None = None
        self.gazetteer: dict = {}

    def initialize(self, get_examples=None, *, nlp=None, lexicon=None, gazetteer=None) -> None:
        self.lexicon = Lexicon.from_data(lexicon or {})
        self.gazetteer = {e.id: e for e in as_entries(gazetteer or ())}

    def __call__(self, doc: Doc) -> Doc:
        if self.lexicon is None:
            raise RuntimeError("graphkit.relation_extractor used before nlp.initialize()")
        noise = _noise(doc)
        text = doc_text(doc)
        sentences = [(a, b) for a, b in _sentence_spans(doc, text)
                     if text[a:b].strip() and not any(x <= a and b <= y for x, y in noise)]
        ents = [Ent(i, e.start_char, e.end_char, e.label_, e.kb_id_, e.text) for i, e in enumerate(doc.ents)]
        try:
            found = extract_relations(doc_text(doc), sentences, ents, self.lexicon, self.gazetteer,
                                      doc._.graphkit_pub_date)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not cost the others
            doc.user_data["graphkit_errors"] = [f"relation extraction failed: {type(exc).__name__}: {exc}"]
            found = []
        doc._.graphkit_relations = [tuple(
            (r.type, r.source, r.target, r.status, r.date, r.sent_start, r.sent_end,
             list(r.weapons), r.quantity, r.role, r.attribution))
            for r in found]
        return doc
