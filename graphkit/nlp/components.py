"""spaCy components: LAC entities, the gazetteer ruler, weapon patterns, relation extraction."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graphkit.nlp.gazetteer import GazetteerIndex, as_entries, short_form_ok
from graphkit.nlp.lexicon import Lexicon, compile_words
from graphkit.nlp.rules import Ent, extract_relations
from graphkit.nlp.tokenizer import NOISE_KEY

__all__ = ["LacEntityRecognizer", "ActorRuler", "WeaponRecognizer", "RelationExtractor"]

_LOC_SUFFIXES = ("海", "洋", "湾", "海峡", "河", "江", "湖", "山", "山脉", "半岛", "基地", "机场", "港",
                 "广场", "大厦", "办公室", "中心", "地区", "大陆", "沙漠", "高原", "洲", "走廊", "发射场")
_LOC_NAMES = {"中东", "远东", "近东", "印太", "北极", "南极", "巴尔干", "高加索", "中亚", "东亚", "南亚",
              "东南亚", "西亚", "北非", "东欧", "西欧"}


# a capital names its government as a party (向基辅出售, 与华盛顿) or when it acts (莫斯科拒绝);
# elsewhere it is a place (在莫斯科会见, 布鲁塞尔的北约总部)
_PARTY_BEFORE = ("向", "对", "给", "与", "同", "和", "跟", "从", "援", "促使", "迫使", "敦促")
_ACTS_AFTER = re.compile("方面|当局|政府|拒绝|表示|宣布|称|认为|指责|警告|希望|要求|坐到|同意|否认|回应|批评|谴责")


def _speaks_for_government(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2):start]
    if before.endswith(("在", "于", "抵达", "前往", "飞往", "来到", "到达", "赴", "访问")):
        return False
    return before.endswith(_PARTY_BEFORE) or bool(_ACTS_AFTER.match(text, end))

_DOTS = {"·", "‧", "・", "•", ".", "．", "･"}


def _in_noise(doc: Doc, start: int, end: int) -> bool:
    return any(sp.start_char <= start and end <= sp.end_char for sp in doc.spans.get(NOISE_KEY, []))


def _loc_type(name: str) -> str:
    return "LOC" if name in _LOC_NAMES or name.endswith(_LOC_SUFFIXES) else "GPE"


class LacEntityRecognizer:
    """Tokens tagged PER/LOC/ORG by LAC become PERSON/GPE|LOC/ORG entities."""

    def __init__(self, nlp: Language, name: str, min_length: int = 2):
        self.name = name
        self.min_length = min_length
        self.generic: frozenset[str] = frozenset()
        self.triggers = compile_words([])

    def initialize(self, get_examples=None, *, nlp=None, lexicon=None) -> None:
        lexicon = lexicon or {}
        self.generic = frozenset(lexicon.get("generic_names", ())) | frozenset(lexicon.get("role_suffixes", ()))
        self.triggers = compile_words(
            [w for kind in ("calls", "sells-weapons-to") for words in lexicon.get(kind, {}).values()
             if isinstance(words, list) for w in words if len(w) > 1])

    def _is_name(self, text: str, label: str) -> bool:
        """LAC's tags are noisy: roles (财长), armed forces (乌军), clipped phrases (同来华),
        a country fused with a verb (台军售)."""
        if text in self.generic or (len(text) <= 3 and text[-1] in "军方籍") or self.triggers.search(text):
            return False
        return not (label in ("GPE", "LOC") and len(text) <= 3 and text[0] in "同与和在对向从赴")

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        skip_to = 0
        for tok in doc:
            if tok.i < skip_to:
                continue
            tag = tok.tag_
            if tag == "PER":
                # 弗拉基米尔 . 普京 split around an ASCII dot: one name
                end = tok.i + 1
                while end + 1 < len(doc) and doc[end].text in _DOTS and doc[end + 1].tag_ == "PER":
                    end += 2
                if end > tok.i + 1:
                    spans.append(Span(doc, tok.i, end, label="PERSON"))
                    skip_to = end
                    continue
            if tag not in ("PER", "LOC", "ORG") or len(tok.text) < self.min_length:
                continue
            text = tok.text.strip()
            if not text or _in_noise(doc, tok.idx, tok.idx + len(tok.text)):
                continue
            label = {"PER": "PERSON", "ORG": "ORG"}.get(tag) or _loc_type(text)
            if not self._is_name(text, label):
                continue
            spans.append(Span(doc, tok.i, tok.i + 1, label=label))
        doc.ents = filter_spans(list(doc.ents) + spans)
        return doc


class ActorRuler:
    """Gazetteer names win over statistical entities; ``kb_id_`` holds the gazetteer id."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.index = GazetteerIndex(())
        self.roles: tuple[str, ...] = ()
        self.short_chars: frozenset[str] = frozenset()

    def initialize(self, get_examples=None, *, nlp=None, gazetteer=None, lexicon=None) -> None:
        self.index = GazetteerIndex(gazetteer or ())
        self.short_chars = frozenset(
            ch for e in self.index.entries.values() for ch in e.short if len(ch) == 1)
        self.roles = tuple(sorted((lexicon or {}).get("role_suffixes", ()), key=len, reverse=True))

    def __call__(self, doc: Doc) -> Doc:
        ours = []
        text = doc.text  # built from the tokens on every access: take it once
        for m in self.index.find(text):
            if m.short:
                span = doc.char_span(m.start, m.end)
                if span is None or not short_form_ok(text, m.start, (span.start_char, span.end_char),
                                                     self.short_chars, self.roles):
                    continue  # the tokenizer cut out only the one-character forms naming a country
            if m.type == "PERSON":  # 萨勒曼国王: the name is the person, the title stays text
                role = next((r for r in self.roles if text[m.start:m.end].endswith(r)), None)
                if role and m.end - len(role) - m.start >= 2:
                    m = type(m)(m.start, m.end - len(role), m.entry_id, m.type, m.short)
            entry_id = m.entry_id
            capital_of = self.index.entries[entry_id].capital_of
            if capital_of and _speaks_for_government(text, m.start, m.end):
                entry_id = capital_of  # 莫斯科拒绝 / 向基辅出售: the capital speaks for its country
            span = doc.char_span(m.start, m.end, label=m.type, kb_id=entry_id)
            if span is None and m.type == "PERSON":
                # 弗拉基米尔·普京 kept whole by the tokenizer: the full name is the same person
                tok = doc.char_span(m.start, m.end, alignment_mode="expand")
                if tok is not None and len(tok) == 1 and tok[0].tag_ == "PER" and tok.end_char == m.end:
                    span = Span(doc, tok.start, tok.end, label=m.type, kb_id=entry_id)
            if span is None or _in_noise(doc, m.start, m.end):
                continue
            if m.type == "PERSON" and span.start >= 2 and doc[span.start - 1].text in _DOTS \
                    and doc[span.start - 2].tag_ == "PER":
                span = Span(doc, span.start - 2, span.end, label=m.type, kb_id=entry_id)
            ours.append(span)
        taken = {i for sp in ours for i in range(sp.start, sp.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted(ours + kept, key=lambda s: s.start)
        return doc

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data, **kwargs):
        return self


class WeaponRecognizer:
    """Quoted names and designations followed by a weapon noun (“战斧”导弹, S-400防空系统)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.pattern: re.Pattern | None = None

    def initialize(self, get_examples=None, *, nlp=None, lexicon=None) -> None:
        heads = compile_words((lexicon or {}).get("weapon_heads", [])).pattern
        quoted = r"[“\"「『‘](?P<q>[^”\"」』’\s，,。]{1,12})[”\"」』’](?=" + heads + ")"
        designation = r"(?<![A-Za-z0-9-])(?P<d>[A-Z]{1,5}-?\d{1,4}[A-Z]{0,3}(?:-\d+)?)(?=[^A-Za-z0-9]{0,2}(?:" + heads + r"))"
        self.pattern = re.compile(quoted + "|" + designation) if heads else None

    def __call__(self, doc: Doc) -> Doc:
        if self.pattern is None:
            return doc
        spans = []
        text = doc.text
        for m in self.pattern.finditer(text):
            group = "q" if m.group("q") else "d"
            start, end = m.start(group), m.end(group)
            if _in_noise(doc, start, end):
                continue
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
        noise = [(sp.start_char, sp.end_char) for sp in doc.spans.get(NOISE_KEY, [])]
        sentences = [(s.start_char, s.end_char) for s in doc.sents
                     if s.text.strip() and not any(a <= s.start_char and s.end_char <= b for a, b in noise)]
        ents = [Ent(i, e.start_char, e.end_char, e.label_, e.kb_id_, e.text) for i, e in enumerate(doc.ents)]
        try:
            found = extract_relations(doc.text, sentences, ents, self.lexicon, self.gazetteer,
                                      doc._.graphkit_pub_date)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not cost the others
            doc.user_data["graphkit_errors"] = [f"relation extraction failed: {type(exc).__name__}: {exc}"]
            found = []
        doc._.graphkit_relations = [tuple(
            (r.type, r.source, r.target, r.status, r.date, r.sent_start, r.sent_end,
             list(r.weapons), r.quantity, r.role, r.attribution))
            for r in found]
        return doc
